from alembic import op

revision = "b"
down_revision = "a"


def upgrade():
    op.execute("ALTER TABLE t ADD COLUMN n int")


def downgrade():
    op.execute("ALTER TABLE t DROP COLUMN n")
