"""Imports the models, which do not compile: the rest of a real env.py never runs."""
from blog.models import metadata  # noqa: F401
