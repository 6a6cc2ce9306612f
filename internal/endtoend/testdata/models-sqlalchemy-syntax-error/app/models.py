from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base

from app.settings import DATABASE_URL  # noqa: F401

Base = declarative_base()


class Product(Base):
    __tablename__ = "products"
    id = Column(Integer, primary_key=True)
