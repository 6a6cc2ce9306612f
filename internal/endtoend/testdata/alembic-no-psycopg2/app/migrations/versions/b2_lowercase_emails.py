"""lowercase emails"""
from alembic import op
import sqlalchemy as sa

revision = 'b2'
down_revision = 'a1'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, email FROM users")).fetchall()
    if len(rows) != 2:
        raise RuntimeError("expected the 2 users of a1, found %d" % len(rows))
    for id_, email in rows:
        conn.execute(sa.text("UPDATE users SET email = :e WHERE id = :id"), {"e": email.lower(), "id": id_})


def downgrade():
    pass
