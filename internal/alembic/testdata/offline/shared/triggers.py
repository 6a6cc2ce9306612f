from alembic import op


def touch_trigger(table):
    op.execute(
        "CREATE TRIGGER %s_touch BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION touch()" % (table, table)
    )
