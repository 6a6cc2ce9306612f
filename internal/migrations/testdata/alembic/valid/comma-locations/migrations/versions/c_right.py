revision = "c"
down_revision = "a"
branch_labels = ("right",)


def upgrade():
    op.execute("ALTER TABLE t ADD c text")


def downgrade():
    op.execute("ALTER TABLE t DROP c")
