"""Bulk writer: pre-allocated ids, buffered Core INSERTs flushed in dependency order."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from tutela_app.models import metadata

ORDER = [t.name for t in metadata.sorted_tables]


@cache
def _columns(table: str) -> frozenset[str]:
    return frozenset(metadata.tables[table].c.keys())


class BulkWriter:
    """Collects rows per table and writes them with executemany INSERTs.

    Ids are assigned here (the seed only writes to empty tables, so it starts from the
    current maximum). Every flush writes all buffered tables in foreign-key order, so a
    child row is never written before its parent.
    """

    def __init__(self, conn: Connection, batch: int, now: datetime) -> None:
        self.conn = conn
        self.now = now
        self.batch = batch
        self.buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.pending = 0
        self.flushed = 0
        self._next: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        if table not in self._next:
            current = self.conn.execute(select(func.max(metadata.tables[table].c.id))).scalar()
            self._next[table] = (current or 0) + 1
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def add(self, table: str, row: dict[str, Any], ts: datetime | None = None) -> int:
        """Buffer ``row`` (id, version and timestamps filled in when missing); return its id."""
        if "id" not in row:
            row["id"] = self.next_id(table)
        cols = _columns(table)
        if "version" in cols:
            row.setdefault("version", 1)
        for col in ("created_at", "updated_at"):
            if col in cols and col not in row:
                row[col] = ts or self.now
        self.buffers[table].append(row)
        self.pending += 1
        return row["id"]

    def maybe_flush(self) -> None:
        """Flush when the buffers are full; call it only between complete row groups."""
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        for name in ORDER:
            rows = self.buffers.get(name)
            if not rows:
                continue
            table = metadata.tables[name]
            # executemany needs one key set per statement: group by keys.
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                groups[tuple(row)].append(row)
            for group in groups.values():
                self.conn.execute(insert(table), group)
            self.counts[name] += len(rows)
            self.flushed += len(rows)
            rows.clear()
        self.pending = 0

    def commit(self) -> None:
        self.flush()
        self.conn.commit()

    def fix_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids written explicitly."""
        if self.conn.dialect.name != "postgresql":
            return
        quote = self.conn.dialect.identifier_preparer.quote
        for name in self._next:  # names of our own tables, never user input
            self.conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence(:t, 'id'), "  # noqa: S608
                     f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {quote(name)}), false)"),
                {"t": name},
            )
