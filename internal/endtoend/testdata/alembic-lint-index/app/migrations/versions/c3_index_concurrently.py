"""index concurrently"""
from alembic import op
import sqlalchemy as sa

revision = 'c3'
down_revision = 'b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_users_lower_email",
            "users",
            [sa.text("lower(email)")],
            postgresql_concurrently=True,
        )


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("ix_users_lower_email", table_name="users", postgresql_concurrently=True)
