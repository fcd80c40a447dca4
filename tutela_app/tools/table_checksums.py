"""Row counts and content checksums of every table, for backup manifests and drills.

Rows are read in primary-key order and hashed in a canonical text form, so two databases
of the same kind hold the same data exactly when their checksums are equal.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection


def _canonical(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return repr(value)


def table_checksum(conn: Connection, table: str) -> dict[str, Any]:
    insp = inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    pk = insp.get_pk_constraint(table).get("constrained_columns") or [
        c["name"] for c in insp.get_columns(table)
    ]
    order = ", ".join(quote(c) for c in pk)
    digest = hashlib.sha256()
    count = 0
    result = conn.execution_options(stream_results=True, yield_per=2000).execute(
        text(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608 (catalog names)
    )
    for row in result:
        digest.update("\x1f".join(_canonical(v) for v in row).encode())
        digest.update(b"\x1e")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def table_checksums(conn: Connection) -> dict[str, dict[str, Any]]:
    """``{table: {"rows": n, "sha256": ...}}`` for every table of the database."""
    names = sorted(inspect(conn).get_table_names())
    return {name: table_checksum(conn, name) for name in names}
