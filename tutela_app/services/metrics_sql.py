"""Dialect helpers for the aggregate queries (SQLite and PostgreSQL give the same numbers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Float, cast, extract, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

ROME = ZoneInfo("Europe/Rome")
MONTHS_IT = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def month_key(session: Session, column) -> ColumnElement:  # noqa: ANN001
    """'YYYY-MM' of a date or timestamp column."""
    if dialect(session) == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def date_of(session: Session, column) -> ColumnElement:  # noqa: ANN001
    """The calendar date of a timestamp column, comparable with a date column."""
    if dialect(session) == "postgresql":
        return cast(column, Date)
    return func.date(column)


def days_between(session: Session, start, end) -> ColumnElement:  # noqa: ANN001
    """Days (fractional) from ``start`` to ``end`` (timestamp columns)."""
    if dialect(session) == "postgresql":
        return extract("epoch", end - start) / 86400.0
    return cast(func.julianday(end) - func.julianday(start), Float)


def day_start(d: date) -> datetime:
    """Local midnight (Europe/Rome) of ``d`` as an aware UTC datetime."""
    return datetime.combine(d, time(0, 0), tzinfo=ROME).astimezone(UTC)


def day_after(d: date) -> datetime:
    """Exclusive upper bound for timestamps on or before local day ``d``."""
    return day_start(d + timedelta(days=1))


def months_in(date_from: date, date_to: date) -> list[str]:
    """Every 'YYYY-MM' from the month of ``date_from`` to the month of ``date_to``."""
    out: list[str] = []
    y, m = date_from.year, date_from.month
    while (y, m) <= (date_to.year, date_to.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_label(key: str) -> str:
    """'2025-03' -> 'mar 2025'."""
    year, month = key.split("-")
    return f"{MONTHS_IT[int(month) - 1]} {year}"
