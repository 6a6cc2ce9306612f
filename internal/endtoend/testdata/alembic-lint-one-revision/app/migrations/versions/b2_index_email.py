"""index users.email"""
from alembic import op

revision = 'b2'
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.create_index("ix_users_email", "users", ["email"])


def downgrade():
    op.execute("SET lock_timeout = '5s'")
    op.drop_index("ix_users_email", table_name="users")
