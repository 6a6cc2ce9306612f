"""merge names: cannot be undone"""
from alembic import op
import sqlalchemy as sa

revision = 'b2'
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('full_name', sa.Text()))


def downgrade():
    raise NotImplementedError("the names cannot be split again")
