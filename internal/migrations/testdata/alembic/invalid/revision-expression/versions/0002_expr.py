revision = "00" + "02"
down_revision = "0001"


def upgrade():
    pass
