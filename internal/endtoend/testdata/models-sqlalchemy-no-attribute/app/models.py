from sqlalchemy import Column, Integer
from sqlalchemy.orm import declarative_base

Model = declarative_base()


class Tag(Model):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
