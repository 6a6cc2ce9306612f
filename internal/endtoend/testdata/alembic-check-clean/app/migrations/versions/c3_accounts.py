"""accounts"""
from alembic import op
import sqlalchemy as sa

revision = 'c3'
down_revision = 'b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("user_id", sa.BigInteger, sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_index("ix_accounts_user_id", "accounts", ["user_id"])


def downgrade():
    op.drop_index("ix_accounts_user_id", table_name="accounts")
    op.drop_table("accounts")
