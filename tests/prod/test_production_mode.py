"""The app as `make run-prod` runs it: PostgreSQL, Redis state, several Granian workers."""

from __future__ import annotations

import subprocess

import pytest
import redis
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine

from tests.support import seeded
from tests.support.prod_server import WORKERS
from tests.support.reflex_client import connect
from tutela_app.state.session import SessionState

SS = SessionState.get_full_name()


def _group_processes(pgid: int) -> list[str]:
    out = subprocess.run(["ps", "-o", "pid=,args=", "-g", str(pgid)], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def test_run_prod_serves_several_workers(prod_app) -> None:  # noqa: ANN001
    assert f"produzione, {WORKERS} worker" in prod_app.log_text()
    python_procs = [p for p in _group_processes(prod_app.process.pid) if "python" in p]
    # manage run-prod, reflex run (Granian supervisor) and one process per worker.
    assert len(python_procs) >= WORKERS + 2, python_procs


async def test_tabs_share_state_through_redis_and_sessions_through_the_database(prod_app) -> None:  # noqa: ANN001
    engine = create_engine(prod_app.env["TUTELA_DATABASE_URL"])
    clients = []
    try:
        for _ in range(2 * WORKERS):
            cookie = "tutela_session=" + seeded.session_cookie(engine, "coord.demo")
            client = await connect(prod_app.url, cookie, path="/casi")
            await client.hydrate()
            delta = client.deltas(await client.send_event(SS, "check_session", {}))
            assert delta.get(SS, {}).get("is_authenticated_rx_state_") is True
            clients.append(client)
        store = redis.Redis.from_url(prod_app.redis_url)
        keys = [k.decode() for k in store.scan_iter(count=1000)]
        for client in clients:
            assert any(client.token in k for k in keys), "each tab's state must live in Redis"
    finally:
        for client in clients:
            await client.close()
        engine.dispose()


@pytest.mark.parametrize("username,path,heading", [("coord.demo", "/casi", "casi"), ("operatore.demo", "/sportello", None)])
def test_login_and_pages_in_chromium(prod_app, page: Page, username: str, path: str, heading: str | None) -> None:  # noqa: ANN001
    from tests.e2e.conftest import assert_accessible, login

    login(page, prod_app, username, next_path=path)
    h1 = page.locator("h1").first
    expect(h1).to_be_visible(timeout=30_000)
    if heading:
        expect(h1).to_contain_text(heading)
    page.reload()
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)  # another worker, same session
    assert_accessible(page)
    errors = prod_app.logged_errors()
    assert not errors, "\n".join(errors[:20])
