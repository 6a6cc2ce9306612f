"""add city; irreversible on purpose, and says so"""
from alembic import op
import sqlalchemy as sa

revision = 'd4'
down_revision = 'c3'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.add_column("users", sa.Column("city", sa.Text))


# schemagate:ignore down-missing the city column is kept on purpose
def downgrade():
    pass
