"""create posts

Revision ID: 8b7e4d2c6a15
Revises: 3f1c2a9b0d11
Create Date: 2024-03-08 10:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = "8b7e4d2c6a15"
down_revision = "3f1c2a9b0d11"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.create_table(
        "posts",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False, server_default=sa.text("''")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
    )
    op.create_index("ix_posts_user_id", "posts", ["user_id"])


def downgrade():
    op.execute("SET lock_timeout = '5s'")
    op.drop_table("posts")
