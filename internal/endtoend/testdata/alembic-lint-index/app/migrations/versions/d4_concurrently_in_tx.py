"""concurrently in a transaction"""
from alembic import op
import sqlalchemy as sa

revision = 'd4'
down_revision = 'c3'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.create_index("ix_users_id_email", "users", ["id", "email"], postgresql_concurrently=True)
    # schemagate:ignore create-index-non-concurrently reviewed: users is tiny
    op.create_index("ix_users_email_id", "users", ["email", "id"])
    op.create_index("ix_users_email_upper", "users", [sa.text("upper(email)")])  # schemagate:ignore create-index-non-concurent


def downgrade():
    op.drop_index("ix_users_email_id", table_name="users")
    op.drop_index("ix_users_id_email", table_name="users")
