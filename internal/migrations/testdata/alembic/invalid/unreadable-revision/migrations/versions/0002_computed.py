revision = "0002"
down_revision = compute_parent()


def upgrade():
    pass
