"""Logout (RP-initiated and back-channel), session timeouts, configuration refusals."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import timedelta
from urllib.parse import urljoin

import httpx
import pytest
from sqlmodel import select

from tests.auth.conftest import AuthEnv, Browser, configure, query
from tests.support.ports import free_port
from tutela_app.auth import sessions
from tutela_app.auth.oidc_errors import ConfigurationError
from tutela_app.auth.provider_url import check_provider_url
from tutela_app.auth.routes import build_auth_app
from tutela_app.models import AuditEvent, AuthSession, utcnow

pytestmark = pytest.mark.timeout(120)


async def confirm_logout_at_provider(browser: Browser, url: str) -> httpx.Response:
    """The provider's "Vuoi uscire?" page: submit its form as a person would."""
    page = await browser.provider.get(url)
    assert page.status_code == 200, page.text
    action = re.search(r'<form id="op.logoutForm" method="post" action="([^"]+)"', page.text).group(1)
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    return await browser.provider.post(urljoin(str(page.url), html.unescape(action)), data=form)


async def wait_for_backchannel(env: AuthEnv) -> str:
    for _ in range(100):
        if env.receiver.bodies:
            return env.receiver.bodies[-1]
        await asyncio.sleep(0.05)
    raise AssertionError("no back-channel logout received")


def row_of(env: AuthEnv, token: str) -> AuthSession:
    with env.session() as s:
        return s.get(AuthSession, sessions.hash_token(token))


async def test_rp_initiated_logout(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        await browser.login("referente.demo")
        token = browser.session_cookie()
        id_token = row_of(auth_env, token).id_token

        response = await browser.app.get("/auth/logout")
        assert response.status_code == 303
        location = response.headers["location"]
        assert location.startswith(f"{auth_env.idp.issuer}/session/end?")
        params = query(location)
        assert params["id_token_hint"] == id_token
        assert params["post_logout_redirect_uri"] == auth_env.public_url + "/auth/logged-out"
        assert params["client_id"] == auth_env.idp.client_id
        cleared = [c for c in response.headers.get_list("set-cookie") if c.startswith("tutela_session=")]
        assert cleared and "Max-Age=0" in cleared[0]
        assert browser.session_cookie() is None

        row = row_of(auth_env, token)
        assert row.ended_at is not None and row.end_reason == "logout"
        with auth_env.session() as s:
            assert sessions.actor_from_cookie(s, token) is None
            actions = s.exec(select(AuditEvent.action).where(AuditEvent.actor_id == row.staff_id)).all()
        assert actions == ["login", "logout"]

        # the provider ends its session too and sends the person back to us
        done = await confirm_logout_at_provider(browser, location)
        assert done.status_code == 303
        assert done.headers["location"].startswith(auth_env.public_url + "/auth/logged-out")
        page = await browser.app.get("/auth/logged-out")
        assert page.status_code == 200 and "Sei uscito da Tutela" in page.text
        assert 'href="/auth/login"' in page.text


async def test_logout_without_session_still_clears_and_redirects(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        browser.app.cookies.set("tutela_session", "forged-value")
        response = await browser.app.get("/auth/logout")
    assert response.status_code == 303
    assert "id_token_hint" not in query(response.headers["location"])


async def test_backchannel_logout_ends_the_session(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        await browser.login("as.demo")
        token = browser.session_cookie()
        async with Browser(auth_env) as other_device:
            await other_device.login("psi.demo")
            other_token = other_device.session_cookie()

        # the person logs out at the provider (e.g. from another application)
        auth_env.receiver.clear()
        end = f"{auth_env.idp.issuer}/session/end?client_id={auth_env.idp.client_id}"
        assert (await confirm_logout_at_provider(browser, end)).status_code in (200, 303)
        body = await wait_for_backchannel(auth_env)

        response = await browser.app.post(
            "/auth/backchannel-logout",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"

    row = row_of(auth_env, token)
    assert row.ended_at is not None and row.end_reason == "backchannel_logout"
    with auth_env.session() as s:
        assert sessions.actor_from_cookie(s, token) is None
        assert sessions.actor_from_cookie(s, other_token) is not None  # another person, untouched
        event = s.exec(
            select(AuditEvent).where(AuditEvent.actor_id == row.staff_id, AuditEvent.action == "logout")
        ).one()
    assert event.detail.startswith("backchannel")


async def test_backchannel_logout_refuses_bad_requests(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        await browser.login("as.demo")
        token = browser.session_cookie()
        id_token = row_of(auth_env, token).id_token
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        cases = [
            ({"content": "logout_token=not-a-jwt", "headers": form}),
            ({"content": f"logout_token={id_token}", "headers": form}),  # an ID token is not a logout token
            ({"content": "", "headers": form}),
            ({"json": {"logout_token": id_token}}),
            ({"content": "logout_token=" + "a" * 40_000, "headers": form}),
        ]
        for kwargs in cases:
            response = await browser.app.post("/auth/backchannel-logout", **kwargs)
            assert response.status_code == 400, kwargs
    assert row_of(auth_env, token).ended_at is None


async def test_idle_and_absolute_timeouts(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        await browser.login("as.demo")
        idle = browser.session_cookie()
        browser.provider.cookies.clear()
        browser.app.cookies.clear()
        await browser.login("as.demo")
        absolute = browser.session_cookie()
        browser.app.cookies.clear()
        await browser.login("as.demo")
        fresh = browser.session_cookie()

    row = row_of(auth_env, fresh)
    assert row.expires_at - row.created_at == timedelta(hours=10)

    now = utcnow()
    with auth_env.session() as s:
        r = s.get(AuthSession, sessions.hash_token(idle))
        r.last_seen_at = now - timedelta(minutes=31)
        s.add(r)
        r = s.get(AuthSession, sessions.hash_token(absolute))
        r.created_at, r.expires_at = now - timedelta(hours=10, minutes=1), now - timedelta(minutes=1)
        s.add(r)
        r = s.get(AuthSession, sessions.hash_token(fresh))
        r.last_seen_at = now - timedelta(minutes=29)
        s.add(r)
        s.commit()

    with auth_env.session() as s:
        assert sessions.actor_from_cookie(s, idle) is None
        assert sessions.actor_from_cookie(s, absolute) is None
        assert sessions.actor_from_cookie(s, fresh) is not None
        s.commit()
    assert row_of(auth_env, idle).end_reason == "idle_timeout"
    assert row_of(auth_env, absolute).end_reason == "absolute_timeout"
    assert row_of(auth_env, fresh).ended_at is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000",
        "http://localhost:9000/realms/x",
        "http://[::1]:9000",
        "https://idp.example.org",
    ],
)
def test_provider_urls_accepted(url: str) -> None:
    assert check_provider_url(url) == url


@pytest.mark.parametrize(
    "url",
    ["http://idp.example.org", "http://10.0.0.5:8080", "http://localhost.evil.example", "ftp://idp", ""],
)
def test_provider_urls_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        check_provider_url(url)


async def test_http_issuer_outside_loopback_is_refused(
    auth_env: AuthEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_auth_app()  # built with the good configuration
    configure(monkeypatch, TUTELA_OIDC_ISSUER="http://idp.example.org/realms/tutela")
    with pytest.raises(ConfigurationError, match="loopback"):
        build_auth_app()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=auth_env.public_url
    ) as client:
        response = await client.get("/auth/login")
    assert response.status_code == 500
    assert "non è configurato correttamente" in response.text
    assert "location" not in response.headers


async def test_provider_outage_gives_503_and_sessions_keep_working(
    auth_env: AuthEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Browser(auth_env) as browser:
        await browser.login("as.demo")
        token = browser.session_cookie()
    configure(monkeypatch, TUTELA_OIDC_ISSUER=f"http://127.0.0.1:{free_port()}")
    async with Browser(auth_env) as browser:
        response = await browser.app.get("/auth/login")
    assert response.status_code == 503
    assert "Il servizio di autenticazione non è raggiungibile. Riprova tra qualche minuto." in response.text
    with auth_env.session() as s:
        assert sessions.actor_from_cookie(s, token) is not None


async def test_secure_cookies_behind_https(auth_env: AuthEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, TUTELA_PUBLIC_URL="https://tutela.example.org")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=build_auth_app()), base_url="https://tutela.example.org"
    ) as client:
        response = await client.get("/auth/login")
    assert response.status_code == 303
    assert query(response.headers["location"])["redirect_uri"] == "https://tutela.example.org/auth/callback"
    (cookie,) = response.headers.get_list("set-cookie")
    flags = [p.strip().lower() for p in cookie.split(";")]
    assert {"httponly", "secure", "samesite=lax", "path=/auth/callback"} <= set(flags)
