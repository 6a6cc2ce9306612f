"""The blog's SQLAlchemy models. migrations/versions/ builds exactly this
schema, which `schemagate check --models-sqlalchemy app.models:Base` checks."""
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("email", name="uq_users_email"),)

    id = Column(BigInteger, Identity(), primary_key=True)
    email = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    # Added by a later revision, so last in the table too.
    display_name = Column(Text)

    posts = relationship("Post", back_populates="author")


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_user_id", "user_id"),
        Index("ix_posts_created_at", "created_at"),
    )

    id = Column(BigInteger, Identity(), primary_key=True)
    user_id = Column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    title = Column(Text, nullable=False)
    body = Column(Text, nullable=False, server_default=text("''"))
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))

    author = relationship("User", back_populates="posts")
