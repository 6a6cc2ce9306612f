# The models import each other through the package, as in a Flask or
# FastAPI application; the package gives their declarative base.
from app.db import Base
from app.models.post import Post
from app.models.user import User

__all__ = ["Base", "Post", "User"]
