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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run browser tests last.

    Playwright's sync API keeps an event loop running in the main thread from its first
    use until the session ends, after which pytest-asyncio cannot run ``async`` tests. A
    stable sort keeps the order within each group (and so pytest's grouping of
    parametrized session fixtures such as the end-to-end server modes).
    """
    items.sort(key=lambda item: "page" in getattr(item, "fixturenames", ()))


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


@pytest.fixture(scope="session")
def production_server(tmp_path_factory: pytest.TempPathFactory):
    """The app in production mode (PostgreSQL + Redis + workers), shared by the session.

    Skipped with a printed reason when PostgreSQL or Redis is absent, failed instead when
    TUTELA_REQUIRE_PRODUCTION_TESTS=1 (CI).
    """
    from tests.support.prod_server import production_app, require_production_services

    require_production_services()
    with production_app(tmp_path_factory.mktemp("prod")) as server:
        yield server
    errors = server.logged_errors()
    assert not errors, "the production app logged errors:\n" + "\n".join(errors[:40])
