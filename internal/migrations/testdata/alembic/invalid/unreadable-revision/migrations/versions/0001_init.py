revision = "0001"
down_revision = None


def upgrade():
    op.execute("CREATE TABLE t (id bigint)")
