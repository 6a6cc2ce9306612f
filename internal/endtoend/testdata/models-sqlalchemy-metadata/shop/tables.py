"""Core tables, without the ORM: a MetaData with a naming convention."""
from sqlalchemy import (BigInteger, CheckConstraint, Column, ForeignKey, Identity, Integer, MetaData, Numeric, Table,
                        Text, text)

metadata = MetaData(schema="shop", naming_convention={
    "pk": "pk_%(table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
})

products = Table(
    "products",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("sku", Text, nullable=False, unique=True),
    Column("price", Numeric(12, 2), nullable=False, server_default=text("0")),
)

orders = Table(
    "orders",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("product_id", BigInteger, ForeignKey("shop.products.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)
