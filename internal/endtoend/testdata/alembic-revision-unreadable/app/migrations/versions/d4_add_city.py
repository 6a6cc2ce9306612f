"""add city: the child of c3, whose id schemagate cannot read"""
from alembic import op
import sqlalchemy as sa

revision = 'd4'
down_revision = 'c3'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("city", sa.Text))


def downgrade():
    op.drop_column("users", "city")
