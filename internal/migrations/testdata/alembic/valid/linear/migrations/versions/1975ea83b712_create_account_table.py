"""create account table

Revision ID: 1975ea83b712
Revises:
Create Date: 2024-01-01 12:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "1975ea83b712"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("account")
