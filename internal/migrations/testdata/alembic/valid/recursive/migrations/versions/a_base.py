from alembic import op

revision = "a"
down_revision = None


def upgrade():
    op.execute("CREATE TABLE t (id int)")


def downgrade():
    op.execute("DROP TABLE t")
