not a revision
