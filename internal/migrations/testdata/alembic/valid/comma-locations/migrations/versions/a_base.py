revision = "a"
down_revision = None


def upgrade():
    op.execute("CREATE TABLE t (id bigint)")


def downgrade():
    op.execute("DROP TABLE t")
