"""lossy downgrade"""
from alembic import op
import sqlalchemy as sa

revision = 'c3'
down_revision = 'b2'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    op.create_table("audit", sa.Column("id", sa.BigInteger, primary_key=True))


def downgrade():
    raise RuntimeError("the audit log cannot be dropped")
