# A revision file of before Alembic 0.2: its name is its id.
down_revision = "3a1f"


def upgrade():
    pass
