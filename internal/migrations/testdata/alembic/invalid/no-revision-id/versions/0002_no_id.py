"""no id"""
down_revision = "0001"


def upgrade():
    pass
