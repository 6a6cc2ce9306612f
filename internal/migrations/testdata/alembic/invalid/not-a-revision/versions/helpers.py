# Not a revision: no revision identifier. Alembic stops at it all the same.
def helper():
    pass
