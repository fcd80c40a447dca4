"""Engine and session helpers.

SQLite (the default) gets WAL, a busy timeout and foreign keys on every connection, and
write transactions start with ``BEGIN IMMEDIATE`` so a read-then-write never fails with
"database is locked" half-way. PostgreSQL gets a bounded pool sized by the settings.
Services are synchronous; async Reflex handlers call them through :func:`run_db`, which
runs them in a worker thread so the event loop never blocks on the database.

Two bounded thread pools per worker process (decision D13 in ``docs/decisions.md``):

* interactive calls (``run_db``: session checks, page reads, saves; milliseconds each)
  run on ``db_threads`` threads — one on SQLite. Python runs one thread at a time, and
  SQLite's driver releases and retakes the interpreter lock around every row it steps,
  so each extra thread turned into lock hand-offs instead of parallelism: opening a case
  file cost 21 ms of CPU on one thread, 30 ms on two and 38 ms on six (measured on the
  benchmark data set). PostgreSQL waits on the network, so a second thread pays off
  there, a third no longer: at 50 users a case-file open had p95 3.3 s with four
  threads, 2.4 s with one and 1.0 s with two (PostgreSQL on the same two cores).
* heavy calls (``run_db_heavy``: dashboard aggregates, documents, exports; up to seconds)
  run on their own two threads, so a slow report never queues the clicks of everyone
  else behind it.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from tutela_app.settings import get_settings

P = ParamSpec("P")
T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 15_000


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        # Let SQLAlchemy emit BEGIN itself (see _on_begin) instead of pysqlite.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        _configure_sqlite(engine)
        return engine
    settings = get_settings()
    return create_engine(
        url,
        pool_size=max(2, 8 // max(1, settings.workers)),
        max_overflow=4,
        pool_pre_ping=True,
        pool_recycle=1800,
        # JIT compilation costs ~250 ms per dashboard aggregate and never pays off for
        # queries that run in tens of milliseconds (measured with EXPLAIN ANALYZE).
        connect_args={"options": "-c jit=off"},
    )


@lru_cache(maxsize=4)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    return _engine_for(get_settings().database_url)


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    """A session for reads: a plain (deferred) transaction that never takes the write lock.

    ``autoflush`` is off so an attribute set by mistake can never turn a read into a write;
    whatever is not committed is rolled back on exit.
    """
    with Session(engine or get_engine(), expire_on_commit=False, autoflush=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction for writes: ``BEGIN IMMEDIATE`` on SQLite; commit or roll back as a whole."""
    eng = engine or get_engine()
    if eng.dialect.name == "sqlite":
        eng = eng.execution_options(sqlite_begin="IMMEDIATE")
    with Session(eng, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


HEAVY_THREADS = 2


def interactive_threads() -> int:
    """Threads for interactive calls: the setting, else 1 on SQLite and 2 on PostgreSQL."""
    settings = get_settings()
    if settings.db_threads:
        return settings.db_threads
    return 1 if settings.database_url.startswith("sqlite") else 2


@lru_cache(maxsize=1)
def _interactive_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=interactive_threads(), thread_name_prefix="db")


@lru_cache(maxsize=1)
def _heavy_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=HEAVY_THREADS, thread_name_prefix="db-heavy")


async def _in_pool(pool: ThreadPoolExecutor, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(pool, call)


async def run_db(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking service call of an interactive action (milliseconds) in a DB thread."""
    return await _in_pool(_interactive_pool(), fn, *args, **kwargs)


_heavy_in_flight = 0


async def run_db_heavy(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a call that may take seconds (aggregates over the whole data set, documents,
    exports) on the heavy pool, away from the interactive one."""
    global _heavy_in_flight  # noqa: PLW0603 - one event loop per worker process
    _heavy_in_flight += 1
    try:
        return await _in_pool(_heavy_pool(), fn, *args, **kwargs)
    finally:
        _heavy_in_flight -= 1


def heavy_pool_idle(own: int = 0) -> bool:
    """No heavy call running or queued in this process besides the caller's ``own``
    (optional work may start, or go on)."""
    return _heavy_in_flight <= own
