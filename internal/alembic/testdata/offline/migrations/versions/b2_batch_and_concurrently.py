"""batch and concurrently"""
from alembic import op
import sqlalchemy as sa

revision = "b2"
down_revision = "a1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name", sa.Text))
        batch.alter_column("email", type_=sa.String(320))
    with op.get_context().autocommit_block():
        op.create_index("ix_users_name", "users", ["name"], postgresql_concurrently=True)
    op.execute("UPDATE users SET name = '' -- no WHERE")


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("ix_users_name", table_name="users", postgresql_concurrently=True)
    op.drop_column("users", "name")
