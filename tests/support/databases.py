"""Fresh, migrated databases for tests: SQLite files, and PostgreSQL when configured."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tutela_app import db
from tutela_app.manage import migrate
from tutela_app.settings import get_settings

POSTGRES_ENV = "TUTELA_TEST_POSTGRES_URL"


def postgres_base_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def use_database(url: str) -> None:
    """Point the settings (and so every service) at ``url`` for this process."""
    os.environ["TUTELA_DATABASE_URL"] = url
    get_settings.cache_clear()
    db._engine_for.cache_clear()


def sqlite_url(directory: Path, name: str = "tutela.db") -> str:
    return f"sqlite:///{directory / name}"


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


@contextlib.contextmanager
def fresh_postgres_database(base_url: str) -> Iterator[str]:
    """Create a throw-away database on the server of ``base_url``; drop it afterwards."""
    base = make_url(_psycopg(base_url))
    name = f"tutela_t_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        db._engine_for.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def migrated_database(kind: str, tmp_dir: Path) -> Iterator[str]:
    """A migrated empty database of ``kind`` ('sqlite' or 'postgresql')."""
    if kind == "sqlite":
        url = sqlite_url(tmp_dir)
        migrate(url)
        yield url
        return
    base = postgres_base_url()
    if base is None:
        raise RuntimeError(f"{POSTGRES_ENV} is not set")
    with fresh_postgres_database(base) as url:
        migrate(url)
        yield url
