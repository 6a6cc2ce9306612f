"""merge name and age"""
from alembic import op
import sqlalchemy as sa

revision = 'd4'
down_revision = ('b2', 'c3')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
