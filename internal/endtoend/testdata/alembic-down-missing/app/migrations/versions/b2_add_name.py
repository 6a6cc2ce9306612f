"""add name; the downgrade forgets to drop it"""
from alembic import op
import sqlalchemy as sa

revision = 'b2'
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.add_column("users", sa.Column("name", sa.Text))


def downgrade():
    pass
