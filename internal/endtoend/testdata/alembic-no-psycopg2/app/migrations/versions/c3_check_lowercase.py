"""check lowercase"""
from alembic import op
import sqlalchemy as sa

revision = 'c3'
down_revision = 'b2'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET lock_timeout = '5s'")
    # Fails unless b2 really ran against the database.
    op.create_check_constraint("users_email_lower", "users", "email = lower(email)")


def downgrade():
    op.drop_constraint("users_email_lower", "users", type_="check")
