"""add age: an id built by an expression"""
from alembic import op
import sqlalchemy as sa

revision = "c" + "3"
down_revision = 'b2'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("age", sa.Integer))


def downgrade():
    op.drop_column("users", "age")
