"""users display name

Revision ID: c41d9e7f2b08
Revises: 8b7e4d2c6a15
Create Date: 2024-04-02 14:15:00
"""
from alembic import op
import sqlalchemy as sa

revision = "c41d9e7f2b08"
down_revision = "8b7e4d2c6a15"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    # Nullable and without a default: no rewrite, only a short lock.
    op.add_column("users", sa.Column("display_name", sa.Text))


def downgrade():
    op.execute("SET lock_timeout = '5s'")
    op.drop_column("users", "display_name")
