"""a data migration that needs a connection"""
from alembic import op
import sqlalchemy as sa

revision = 'a1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1")).scalar() == 1:
        op.create_table("schemagate_must_not_be_here", sa.Column("id", sa.Integer))


def downgrade():
    op.drop_table("schemagate_must_not_be_here")
