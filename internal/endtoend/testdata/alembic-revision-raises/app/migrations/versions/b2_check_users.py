"""check users"""
from alembic import op
import sqlalchemy as sa

revision = 'b2'
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    n = conn.execute(sa.text("SELECT count(*) FROM users")).scalar()
    if n == 0:
        raise RuntimeError("no users to migrate")


def downgrade():
    pass
