"""merge b and c"""
revision = "d"
down_revision = (
    "b",  # left
    "c",
)


def upgrade():
    pass


def downgrade():
    pass
