"""A small blog service: users and their posts.

The web layer (Flask or FastAPI) would import app.models; the schema is
what matters here, and it lives in app/models.py and migrations/.
"""
