revision = "3a1f"
down_revision = "27c6a30d7c24"


def upgrade():
    pass


def downgrade():
    pass
