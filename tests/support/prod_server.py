"""Tutela in production mode for tests: PostgreSQL + Redis + several Granian workers.

Started exactly as an operator does (`python -m tutela_app.manage run-prod`). The services
are the machine's (TUTELA_TEST_POSTGRES_URL, TUTELA_TEST_REDIS_URL, as in CI). When one is
not reachable the production tests are skipped with the reason printed - unless
TUTELA_REQUIRE_PRODUCTION_TESTS=1 (set by .ci/run), where they fail instead. The app gets a
fresh PostgreSQL database and its own Redis database number, so it never touches data it
did not create.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from tests.support.app_server import AppServer, copy_app, run_module
from tests.support.databases import fresh_postgres_database, postgres_base_url
from tests.support.ports import free_port
from tutela_app.manage import migrate, reflex_env
from tutela_app.settings import PROJECT_ROOT

REDIS_ENV = "TUTELA_TEST_REDIS_URL"
REQUIRE_ENV = "TUTELA_REQUIRE_PRODUCTION_TESTS"
WORKERS = 3


def production_unavailable_reason() -> str | None:
    pg, rd = postgres_base_url(), os.environ.get(REDIS_ENV)
    if not pg or not rd:
        return f"production-mode tests need {'TUTELA_TEST_POSTGRES_URL' if not pg else REDIS_ENV} (not set)"
    try:
        engine = create_engine(pg.replace("postgresql://", "postgresql+psycopg://", 1), connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL at TUTELA_TEST_POSTGRES_URL is not reachable ({type(exc).__name__})"
    try:
        redis.Redis.from_url(rd, socket_connect_timeout=5).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {REDIS_ENV} is not reachable ({type(exc).__name__})"
    return None


def require_production_services() -> None:
    reason = production_unavailable_reason()
    if reason is None:
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_ENV}=1 requires them", pytrace=False)
    print(f"\nSKIPPING production-mode test: {reason}", file=sys.stderr)
    pytest.skip(reason)


def isolated_redis_url(base: str) -> str:
    """The same Redis server, a database number of its own (1-15), emptied first."""
    root = base.rsplit("/", 1)[0] if base.count("/") > 2 else base
    for number in range(15, 0, -1):
        url = f"{root}/{number}"
        client = redis.Redis.from_url(url)
        if client.dbsize() == 0 and client.set("tutela:test:claim", "1", nx=True, ex=3600):
            return url
    raise RuntimeError("no empty Redis database number left for the production test")


class ProdServer(AppServer):
    """Starts the app exactly as an operator does: `python -m tutela_app.manage run-prod`."""

    def start(self, timeout: float = 600.0) -> ProdServer:
        self._log_handle = self.log_path.open("w")
        app_dir = copy_app(self.app_dir or self.log_path.parent / "app")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tutela_app.manage", "run-prod"], cwd=app_dir, env=reflex_env(self.env),
            stdout=self._log_handle, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"run-prod exited early:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/ping", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"run-prod did not start within {timeout} s:\n{self.log_tail()}")


@contextlib.contextmanager
def production_app(workdir: Path, scale: str = "demo", redis_url: str | None = None) -> Iterator[ProdServer]:
    """Seeded PostgreSQL + isolated Redis + dev provider + `manage run-prod`.

    ``redis_url``: a Redis the caller owns (e.g. a private redis-server a fault test
    restarts); by default a database number of its own on the machine's Redis.
    """
    claimed = redis_url is None
    redis_url = redis_url or isolated_redis_url(os.environ[REDIS_ENV])
    sys.path.insert(0, str(PROJECT_ROOT / "devtools" / "oidc"))
    from dev_idp import start_dev_idp  # noqa: PLC0415

    port = free_port()
    public_url = f"http://localhost:{port}"
    with fresh_postgres_database(postgres_base_url()) as db_url:  # type: ignore[arg-type]
        migrate(db_url)
        idp = start_dev_idp(port=free_port(), public_urls=[public_url])
        # Seeded staff must carry the provider's issuer, as real logins will.
        run_module(["-m", "tutela_app.seed", "--scale", scale],
                   {"TUTELA_DATABASE_URL": db_url, "TUTELA_OIDC_ISSUER": idp.issuer})
        env = {
            "TUTELA_DATABASE_URL": db_url, "TUTELA_PUBLIC_URL": public_url, "REFLEX_REDIS_URL": redis_url,
            "TUTELA_WORKERS": str(WORKERS), "TUTELA_OIDC_ISSUER": idp.issuer,
            "TUTELA_SECRET_KEY": secrets.token_urlsafe(32), "TUTELA_DATA_DIR": str(workdir / "var"),
        }
        server = ProdServer(port=port, env=env, log_path=workdir / "app.log")
        server.redis_url = redis_url  # type: ignore[attr-defined]
        try:
            server.start()
            yield server
        finally:
            server.stop()
            idp.stop()
            if claimed:
                redis.Redis.from_url(redis_url).flushdb()
