from sqlalchemy import Column, DateTime, func


class TimestampMixin:
    created_at = Column(DateTime(timezone=True), server_default=func.now())
