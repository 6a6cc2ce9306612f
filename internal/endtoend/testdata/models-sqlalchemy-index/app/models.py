from sqlalchemy import BigInteger, Column, Index, Text
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Post(Base):
    __tablename__ = "posts"
    # The migrations never create this index: the drift is reported here,
    # not at the column it covers.
    __table_args__ = (Index("ix_posts_title", "title"),)

    id = Column(BigInteger, primary_key=True)
    title = Column(Text, nullable=False)
