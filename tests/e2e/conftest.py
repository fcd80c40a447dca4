"""End-to-end fixtures: the real app (as deployed), the real dev OpenID provider, Chromium.

One app server per test session (building the frontend takes a minute); each test gets a
fresh browser context. Tests fail on any uncaught page error and on errors the app logged.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.app_server import AppServer, run_module
from tests.support.databases import sqlite_url
from tests.support.ports import free_port
from tutela_app.manage import migrate
from tutela_app.settings import PROJECT_ROOT

AXE_JS = PROJECT_ROOT / "tests" / "e2e" / "js" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "demo"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def dev_idp_port() -> int:
    return free_port()


def _e2e_modes() -> list[str]:
    """Embedded defaults always; production mode too where PostgreSQL and Redis answer."""
    from tests.support.prod_server import production_unavailable_reason

    return ["embedded", "production"] if production_unavailable_reason() is None else ["embedded"]


E2E_MODES = _e2e_modes()


def pytest_report_header(config: pytest.Config) -> str:
    return f"end-to-end modes: {', '.join(E2E_MODES)}" + (
        "" if "production" in E2E_MODES else " (production mode needs TUTELA_TEST_POSTGRES_URL and TUTELA_TEST_REDIS_URL)"
    )


@pytest.fixture(scope="session", params=E2E_MODES)
def app_server(request: pytest.FixtureRequest) -> AppServer:
    """Every end-to-end test runs against each mode in E2E_MODES."""
    name = "embedded_server" if request.param == "embedded" else "production_server"
    return request.getfixturevalue(name)


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory, dev_idp_port: int) -> Iterator[AppServer]:
    """Tutela on embedded defaults: a SQLite file with demo data and the dev provider."""
    workdir = tmp_path_factory.mktemp("e2e")
    port = free_port()
    public_url = f"http://localhost:{port}"
    env = {
        "TUTELA_DATABASE_URL": sqlite_url(workdir),
        "TUTELA_PUBLIC_URL": public_url,
        "TUTELA_DEV_IDP_PORT": str(dev_idp_port),
        "TUTELA_DATA_DIR": str(workdir / "var"),
    }
    migrate(env["TUTELA_DATABASE_URL"])
    run_module(["-m", "tutela_app.seed", "--scale", "demo", "--if-empty"], env)
    sys.path.insert(0, str(PROJECT_ROOT / "devtools" / "oidc"))
    from dev_idp import start_dev_idp  # noqa: PLC0415

    idp = start_dev_idp(port=dev_idp_port, public_urls=[public_url])
    server = AppServer(port=port, env=env, log_path=workdir / "app.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()
        idp.stop()
    errors = server.logged_errors()
    assert not errors, "the app logged errors:\n" + "\n".join(errors[:40])


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(locale="it-IT", viewport={"width": 1366, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails the test on any uncaught script error."""
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    assert not errors, f"page errors: {errors}"


def login(page: Page, app: AppServer, username: str, next_path: str = "/") -> None:
    """Full redirect flow through the real provider's login form."""
    page.goto(f"{app.url}/auth/login?next={next_path}")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    target = re.escape(app.url + next_path.split("?")[0].rstrip("/")) + r"/?([?#].*)?$"
    page.wait_for_url(re.compile(target), timeout=30_000)
    wait_hydrated(page)


def wait_hydrated(page: Page) -> None:
    """Wait until Reflex has connected and applied the first state (on_load done)."""
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_be_visible()


def assert_accessible(page: Page) -> None:
    """axe-core on the current page: no serious or critical WCAG 2.1 A/AA violation."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]} for v in bad
    ]
    assert not bad, "accessibility violations:\n" + json.dumps(summary, indent=1)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()
