revision = "b"
down_revision = "a"
depends_on = "right"


def upgrade():
    op.execute("ALTER TABLE t ADD b text")


def downgrade():
    op.execute("ALTER TABLE t DROP b")
