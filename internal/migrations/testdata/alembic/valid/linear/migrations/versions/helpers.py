# Not a revision: no revision identifier. Alembic skips it.
def helper():
    pass
