"""create users

Revision ID: 3f1c2a9b0d11
Revises:
Create Date: 2024-03-01 09:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "3f1c2a9b0d11"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )


def downgrade():
    op.execute("SET lock_timeout = '5s'")
    op.drop_table("users")
