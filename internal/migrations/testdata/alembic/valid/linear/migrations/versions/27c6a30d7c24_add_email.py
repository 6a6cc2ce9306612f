"""add email"""
from alembic import op
import sqlalchemy as sa

revision = '27c6a30d7c24'
down_revision = '1975ea83b712'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("account", sa.Column("email", sa.Text))


def downgrade():
    """Nothing to undo."""
    pass
