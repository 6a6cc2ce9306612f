# The models import each other through the package, as in a Flask or
# FastAPI application.
from app.models.post import Post
from app.models.user import User

__all__ = ["Post", "User"]
