revision = "0001"
down_revision = None


def upgrade():
    op.execute("CREATE TABLE t (id bigint)")


def downgrade():
    # The data cannot come back.
    pass


def only_on_postgres():
    # Asking for the dialect needs no live connection.
    return op.get_bind().dialect.name == "postgresql"
