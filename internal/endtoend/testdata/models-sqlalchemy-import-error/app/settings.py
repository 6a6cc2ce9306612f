import os

import flask_sqlalchemy_not_installed  # noqa: F401

DATABASE_URL = os.environ.get("DATABASE_URL")
