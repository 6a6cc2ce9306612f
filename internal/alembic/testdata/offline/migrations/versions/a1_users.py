"""users"""
from alembic import op
import sqlalchemy as sa

from shared.triggers import touch_trigger

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("email", sa.Text, nullable=False),
    )
    op.execute("""
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RETURN NEW; END;
        $$
    """)
    touch_trigger("users")
    op.bulk_insert(sa.table("users", sa.column("email", sa.Text)), [{"email": "a@example.com"}])


def downgrade():
    op.drop_table("users")
    op.execute("DROP FUNCTION touch()")
