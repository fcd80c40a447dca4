"""Shared fixtures: every test gets its own migrated database, never var/tutela.db."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.support.databases import POSTGRES_ENV, migrated_database, postgres_base_url, use_database
from tutela_app import db

# Tests never read the developer's database or provider by accident.
os.environ.setdefault("TUTELA_DATABASE_URL", "sqlite:///" + str(Path("/nonexistent/never-used.db")))

DB_KINDS = ["sqlite", "postgresql"] if postgres_base_url() else ["sqlite"]


def pytest_report_header(config: pytest.Config) -> list[str]:
    if postgres_base_url():
        return [f"database tests: SQLite and PostgreSQL ({POSTGRES_ENV} is set)"]
    return [f"database tests: SQLite only ({POSTGRES_ENV} is not set, PostgreSQL variants not collected)"]


@pytest.fixture(params=DB_KINDS)
def db_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(db_kind: str, tmp_path: Path):
    """A fresh migrated database of each configured kind, set as the app's database."""
    previous = os.environ.get("TUTELA_DATABASE_URL")
    with migrated_database(db_kind, tmp_path) as url:
        use_database(url)
        yield url
    if previous is not None:
        use_database(previous)


@pytest.fixture
def engine(database_url: str) -> Engine:
    return db.get_engine()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    """SQLite only, for tests about SQLite behaviour itself."""
    with migrated_database("sqlite", tmp_path) as url:
        use_database(url)
        yield db.get_engine()
