import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE t SET id = id + 1"))
