"""One app on embedded defaults (SQLite, in-process state, one worker) for hostile clients."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from tests.support.app_server import AppServer
from tests.support.databases import sqlite_url
from tests.support.ports import free_port
from tutela_app.manage import migrate
from tutela_app.seed import seed_database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/hostile/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@dataclass
class HostileTarget:
    server: AppServer
    engine: Engine
    url: str


@pytest.fixture(scope="session")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileTarget]:
    workdir = tmp_path_factory.mktemp("hostile")
    db_url = sqlite_url(workdir)
    migrate(db_url)
    engine = create_engine(db_url)
    seed_database(engine, scale="tiny", today=date(2026, 6, 1))
    port = free_port()
    env = {
        "TUTELA_DATABASE_URL": db_url,
        "TUTELA_PUBLIC_URL": f"http://localhost:{port}",
        "TUTELA_DEV_IDP_PORT": str(free_port()),
        "TUTELA_DATA_DIR": str(workdir / "var"),
    }
    server = AppServer(port=port, env=env, log_path=workdir / "app.log")
    server.start()
    try:
        yield HostileTarget(server, engine, server.url)
    finally:
        server.stop()
        engine.dispose()
