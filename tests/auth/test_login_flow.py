"""The whole login flow against the real dev OpenID provider, and its refusals."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from tests.auth.conftest import AuthEnv, Browser, query
from tutela_app.auth import sessions
from tutela_app.auth.pending_login import PENDING_COOKIE_PREFIX, PendingLogin, seal_pending, unseal_pending
from tutela_app.models import AuditEvent, RoleGrant

pytestmark = pytest.mark.timeout(120)

FAILED = "Accesso non riuscito. Riprova."


def assert_refused(response: httpx.Response, browser: Browser) -> None:
    assert response.status_code == 400, response.text
    assert FAILED in response.text
    assert '<html lang="it">' in response.text
    assert 'href="/auth/login' in response.text
    assert "eyJ" not in response.text  # never a token (or a piece of one)
    assert browser.session_cookie() is None


async def test_happy_path_creates_staff_session_grants_and_audit(auth_env: AuthEnv) -> None:
    assert auth_env.staff("u-as-demo") is None
    async with Browser(auth_env) as browser:
        authorize = await browser.start("/casi")
        params = query(authorize)
        assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
        assert params["state"] and params["nonce"] and params["scope"] == "openid profile email"
        assert params["redirect_uri"] == auth_env.public_url + "/auth/callback"
        assert "code_verifier" not in authorize

        response = await browser.callback(await browser.authenticate(authorize, "as.demo"))
        assert response.status_code == 303
        assert response.headers["location"] == "/casi"
        set_cookies = response.headers.get_list("set-cookie")
        (session_cookie,) = [c for c in set_cookies if c.startswith("tutela_session=")]
        flags = [p.strip().lower() for p in session_cookie.split(";")]
        assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
        assert "secure" not in flags  # public URL is http (loopback)
        # the pending-login cookie is cleared
        assert any(c.startswith(PENDING_COOKIE_PREFIX) and "Max-Age=0" in c for c in set_cookies)
        token = browser.session_cookie()
        assert token and len(token) >= 40

    staff = auth_env.staff("u-as-demo")
    assert staff is not None
    assert staff.display_name == "Giulia Demo Bianchi"
    assert staff.profession == "assistente_sociale"
    assert auth_env.grants(staff.id) == {("demo", "equipe", "claim")}
    (row,) = auth_env.sessions(staff.id)
    assert row.id == sessions.hash_token(token) and row.id != token
    assert row.ended_at is None and row.idp_session_id and row.id_token
    with auth_env.session() as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.actor_id == staff.id)).all()
        actor = sessions.actor_from_cookie(s, token)
    assert [(e.action, e.entity_type, e.session_ref) for e in events] == [("login", "staff", row.id[:16])]
    assert actor is not None and actor.roles_by_tenant == {auth_env.tenant_id("demo"): frozenset({"equipe"})}


async def test_multi_comune_roles_and_claim_removal_keeps_app_grants(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        assert (await browser.login("coord.demo")).headers["location"] == "/"
    staff = auth_env.staff("u-coord-demo")
    assert auth_env.grants(staff.id) == {
        ("demo", "coordinatore", "claim"),
        ("inzago", "coordinatore", "claim"),
    }

    # a role the provider no longer sends, and one granted in Tutela
    with auth_env.session() as s:
        s.add(
            RoleGrant(staff_id=staff.id, tenant_id=auth_env.tenant_id("cantu"), role="equipe", source="claim")
        )
        s.add(
            RoleGrant(
                staff_id=staff.id, tenant_id=auth_env.tenant_id("brugherio"), role="equipe", source="app"
            )
        )
        s.commit()

    async with Browser(auth_env) as browser:
        assert (await browser.login("coord.demo")).status_code == 303
    assert auth_env.grants(staff.id) == {
        ("demo", "coordinatore", "claim"),
        ("inzago", "coordinatore", "claim"),
        ("brugherio", "equipe", "app"),
    }
    assert auth_env.staff("u-coord-demo").id == staff.id  # same identity (issuer, sub)


@pytest.mark.parametrize("username", ["nessuno", "estraneo"])
async def test_user_without_valid_role_or_comune_lands_on_not_authorised(
    auth_env: AuthEnv, username: str
) -> None:
    async with Browser(auth_env) as browser:
        response = await browser.login(username, "/casi")
        assert response.status_code == 303
        assert response.headers["location"] == "/non-autorizzato"
        token = browser.session_cookie()
    staff = auth_env.staff(f"u-{username}")
    assert auth_env.grants(staff.id) == set()
    with auth_env.session() as s:
        actor = sessions.actor_from_cookie(s, token)
        (event,) = s.exec(select(AuditEvent).where(AuditEvent.actor_id == staff.id)).all()
    assert actor is not None and not actor.is_authorised
    assert event.action == "login" and event.detail == "no_grants"


@pytest.mark.parametrize(
    "next_path",
    ["https://evil.example", "//evil.example", "/\\evil", "/\\/evil.example", "javascript:alert(1)"],
)
async def test_open_redirect_in_next_lands_on_home(auth_env: AuthEnv, next_path: str) -> None:
    async with Browser(auth_env) as browser:
        response = await browser.login("as.demo", next_path)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_tampered_state_is_refused(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        callback = await browser.authenticate(await browser.start(), "as.demo")
        state = query(callback)["state"]
        response = await browser.callback(callback.replace(f"state={state}", f"state={state[:-2]}xx"))
        assert_refused(response, browser)
        # and the pending cookie itself cannot be altered
        name = next(c for c in browser.app.cookies if c.startswith(PENDING_COOKIE_PREFIX))
        value = browser.app.cookies[name]
        browser.app.cookies.set(
            name, value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"), path="/auth/callback"
        )
        assert_refused(await browser.callback(callback), browser)
    assert auth_env.staff("u-as-demo") is None


async def test_callback_without_pending_login_is_refused(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        callback = await browser.authenticate(await browser.start(), "as.demo")
        browser.app.cookies.clear()
        assert_refused(await browser.callback(callback), browser)


async def test_wrong_rfc9207_issuer_is_refused(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        callback = await browser.authenticate(await browser.start(), "as.demo")
        assert query(callback)["iss"] == auth_env.idp.issuer
        forged = callback.replace("iss=http%3A%2F%2F127.0.0.1", "iss=http%3A%2F%2Flocalhost")
        assert forged != callback
        assert_refused(await browser.callback(forged), browser)


async def test_missing_rfc9207_issuer_is_refused_when_the_provider_supports_it(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        callback = await browser.authenticate(await browser.start(), "as.demo")
        params = query(callback)
        stripped = f"{auth_env.public_url}/auth/callback?code={params['code']}&state={params['state']}"
        assert_refused(await browser.callback(stripped), browser)


async def test_replayed_authorization_code_is_refused(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        callback = await browser.authenticate(await browser.start(), "as.demo")
        pending = {n: v for n, v in browser.app.cookies.items() if n.startswith(PENDING_COOKIE_PREFIX)}
        assert (await browser.callback(callback)).status_code == 303
    staff = auth_env.staff("u-as-demo")
    # an attacker replays the callback with the same code (and even the pending cookie)
    async with Browser(auth_env) as attacker:
        for name, value in pending.items():
            attacker.app.cookies.set(name, value, path="/auth/callback")
        assert_refused(await attacker.callback(callback), attacker)
    assert len(auth_env.sessions(staff.id)) == 1


async def test_wrong_pkce_verifier_is_refused(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        callback = await browser.authenticate(await browser.start(), "as.demo")
        name = next(c for c in browser.app.cookies if c.startswith(PENDING_COOKIE_PREFIX))
        state = query(callback)["state"]
        real = unseal_pending(state, browser.app.cookies[name])
        forged = PendingLogin(
            real.state, real.nonce, PendingLogin.new("/").code_verifier, "/", real.created_at
        )
        browser.app.cookies.set(name, seal_pending(forged), path="/auth/callback")
        assert_refused(await browser.callback(callback), browser)
    assert auth_env.staff("u-as-demo") is None


async def test_provider_requires_a_pkce_verifier(auth_env: AuthEnv) -> None:
    """Without any code_verifier the token endpoint refuses the code (PKCE is enforced)."""
    async with Browser(auth_env) as browser:
        callback = await browser.authenticate(await browser.start(), "as.demo")
        response = await browser.provider.post(
            f"{auth_env.idp.issuer}/token",
            auth=(auth_env.idp.client_id, auth_env.idp.client_secret),
            data={
                "grant_type": "authorization_code",
                "code": query(callback)["code"],
                "redirect_uri": auth_env.public_url + "/auth/callback",
            },
        )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_provider_error_response_is_refused(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        authorize = await browser.start()
        state = query(authorize)["state"]
        response = await browser.app.get("/auth/callback", params={"error": "access_denied", "state": state})
        assert_refused(response, browser)


async def test_key_rotation_refetches_the_jwks(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        assert (await browser.login("as.demo")).status_code == 303
    rotated = httpx.post(f"{auth_env.idp.issuer}/__dev/rotate-keys")
    assert rotated.status_code == 200
    async with Browser(auth_env) as browser:
        response = await browser.login("psi.demo")
        assert response.status_code == 303, response.text
        assert browser.session_cookie()


async def test_new_login_ends_the_previous_session_of_the_browser(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        await browser.login("as.demo")
        first = browser.session_cookie()
        browser.provider.cookies.clear()
        await browser.login("as.demo")
        second = browser.session_cookie()
    assert first != second
    with auth_env.session() as s:
        assert sessions.actor_from_cookie(s, first) is None
        assert sessions.actor_from_cookie(s, second) is not None
