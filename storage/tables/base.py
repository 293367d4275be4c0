"""The metadata every table belongs to, and how enums are stored."""
from __future__ import annotations

from sqlalchemy import Enum, MetaData



metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s"})


def _enum(enum_cls, name: str) -> Enum:
    # Stored as the value string, checked in Python: adding a status later needs no ALTER TYPE.
    return Enum(enum_cls, name=name, native_enum=False, create_constraint=False, length=32,
                values_callable=lambda e: [m.value for m in e])
