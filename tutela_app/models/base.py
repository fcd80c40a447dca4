"""Shared column helpers for every table.

``Versioned`` tables use SQLAlchemy's ``version_id_col``: every UPDATE carries
``WHERE version = <the version the editor loaded>``, so a concurrent edit raises
``StaleDataError`` instead of silently overwriting (optimistic locking).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both SQLite (naive storage) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def ts_field(*, nullable: bool = False, index: bool = False, default_now: bool = False):
    """A timezone-aware timestamp column."""
    kwargs: dict = {"sa_type": UTCDateTime, "nullable": nullable, "index": index}
    if default_now:
        kwargs["default_factory"] = utcnow
    elif nullable:
        kwargs["default"] = None
    return Field(**kwargs)


class Versioned(SQLModel):
    """Mixin for records that people edit together (optimistic locking)."""

    version: int = Field(default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class Timestamps(SQLModel):
    created_at: datetime = ts_field(default_now=True)
    updated_at: datetime = ts_field(default_now=True)


__all__ = ["Field", "SQLModel", "Timestamps", "UTCDateTime", "Versioned", "date", "datetime", "ts_field", "utcnow"]
