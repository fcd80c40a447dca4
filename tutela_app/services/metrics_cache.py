"""A small in-process cache of dashboard results, invalidated by a cheap data marker.

Aggregates over a million rows cost hundreds of milliseconds; most dashboard requests
repeat a filter someone just asked for (presets, shared links, the periodic refresh of a
page). An entry is keyed by (authorised tenant ids, filter, data marker, renderer), so
one Comune's numbers never answer for another, and a write anywhere makes the marker
change: the next request recomputes. The LRU is bounded, entries expire after
``TTL_SECONDS`` (a safety net for writes that bypass the services, e.g. a bulk import),
and concurrent requests for the same missing key compute it once.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlmodel import Session, select

from tutela_app.models import AuditEvent

T = TypeVar("T")

MAX_ENTRIES = 48
TTL_SECONDS = 300.0
#: audited actions that change data (reads, logins and exports do not)
WRITE_ACTIONS = ("create", "update", "delete", "move")


def data_marker(session: Session) -> str:
    """The id of the latest audited write: every service write appends one (house rule).

    ``ORDER BY id DESC LIMIT 1`` walks the primary key backwards and stops at the first
    write, so the cost is the handful of reads logged since then.
    """
    last = session.exec(
        select(AuditEvent.id).where(AuditEvent.action.in_(WRITE_ACTIONS))  # type: ignore[attr-defined]
        .order_by(AuditEvent.id.desc()).limit(1)  # type: ignore[union-attr]
    ).first()
    return str(last or 0)


class ResultCache:
    """Thread-safe bounded LRU with expiry and one computation per missing key."""

    def __init__(self, max_entries: int = MAX_ENTRIES, ttl: float = TTL_SECONDS) -> None:
        self.max_entries, self.ttl = max_entries, ttl
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = 0

    def _get(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or time.monotonic() - entry[0] > self.ttl:
                return False, None
            self._entries.move_to_end(key)
            self.hits += 1
            return True, entry[1]

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        found, value = self._get(key)
        if found:
            return value
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:  # a second request for the same key waits for the first one
            found, value = self._get(key)
            if found:
                return value
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self.misses += 1
                self._entries[key] = (time.monotonic(), value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0
