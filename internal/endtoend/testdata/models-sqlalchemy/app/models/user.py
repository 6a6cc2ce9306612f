from sqlalchemy import Boolean, Column, Integer, String, text
from sqlalchemy.orm import relationship

from app.db import Base


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False, unique=True)
    nickname = Column(String(50))
    is_admin = Column(Boolean, nullable=False, server_default=text("false"))

    posts = relationship("Post", back_populates="author")
