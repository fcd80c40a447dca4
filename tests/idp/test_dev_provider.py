"""End-to-end tests of the development OpenID provider (devtools/oidc/server.mjs).

A real provider process is started on a free loopback port; every request goes
over HTTP with httpx, as a browser and the Tutela back end would.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
import pytest
from dev_idp import DevIdp, DevIdpError, start_dev_idp
from joserfc import jwt
from joserfc.jwk import KeySet

pytestmark = pytest.mark.timeout(120)

SCOPE = "openid profile email"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, b64url(hashlib.sha256(verifier.encode()).digest())


def redirect_uri(idp: DevIdp, index: int = 0) -> str:
    return f"{idp.public_urls[index]}/auth/callback"


def authorization_url(idp: DevIdp, **params: str) -> str:
    return f"{idp.issuer}/auth?{urlencode(params)}"


def start_authorization(
    idp: DevIdp, *, redirect_index: int = 0, **overrides: str | None
) -> tuple[str, dict[str, str], str]:
    """Returns (url, params, code_verifier) of a PKCE authorization request."""
    verifier, challenge = pkce_pair()
    params: dict[str, str | None] = {
        "client_id": idp.client_id,
        "response_type": "code",
        "scope": SCOPE,
        "redirect_uri": redirect_uri(idp, redirect_index),
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    clean = {k: v for k, v in params.items() if v is not None}
    return authorization_url(idp, **clean), clean, verifier


def follow(
    client: httpx.Client, url: str, stop_prefix: str, method: str = "GET", **kw
) -> httpx.Response | str:
    """Follows redirects until an HTML page (returned) or a URL starting with
    ``stop_prefix`` (returned as a string, not requested)."""
    response = client.request(method, url, **kw)
    for _ in range(10):
        if response.status_code not in (302, 303):
            return response
        location = urljoin(str(response.url), response.headers["location"])
        if location.startswith(stop_prefix):
            return location
        response = client.get(location)
    raise AssertionError("too many redirects")


def login_form_action(page: httpx.Response) -> str:
    match = re.search(r'<form method="post" action="(/interaction/[A-Za-z0-9_-]+/login)"', page.text)
    assert match, page.text
    return urljoin(str(page.url), html.unescape(match.group(1)))


def login(
    client: httpx.Client,
    idp: DevIdp,
    username: str,
    password: str = "demo",
    *,
    redirect_index: int = 0,
    **overrides,
) -> tuple[dict[str, list[str]], dict[str, str], str]:
    """Drives the whole front-channel flow; returns (callback query, request params, verifier)."""
    url, params, verifier = start_authorization(idp, redirect_index=redirect_index, **overrides)
    page = follow(client, url, params["redirect_uri"])
    assert isinstance(page, httpx.Response) and page.status_code == 200, page
    callback = follow(
        client,
        login_form_action(page),
        params["redirect_uri"],
        "POST",
        data={"username": username, "password": password},
    )
    assert isinstance(callback, str), getattr(callback, "text", callback)
    return parse_qs(urlsplit(callback).query), params, verifier


def exchange_code(idp: DevIdp, code: str, params: dict[str, str], verifier: str) -> dict:
    response = httpx.post(
        f"{idp.issuer}/token",
        auth=(idp.client_id, idp.client_secret),  # client_secret_basic
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": params["redirect_uri"],
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()


def jwks(idp: DevIdp) -> dict:
    response = httpx.get(f"{idp.issuer}/jwks")
    assert response.status_code == 200
    return response.json()


def verify(token: str, idp: DevIdp) -> jwt.Token:
    return jwt.decode(token, KeySet.import_key_set(jwks(idp)), algorithms=["RS256"])


def full_login(idp: DevIdp, username: str) -> tuple[httpx.Client, dict, jwt.Token, dict[str, str]]:
    client = httpx.Client(follow_redirects=False)
    query, params, verifier = login(client, idp, username)
    tokens = exchange_code(idp, query["code"][0], params, verifier)
    return client, tokens, verify(tokens["id_token"], idp), params


# ---------------------------------------------------------------------------
# discovery and keys
# ---------------------------------------------------------------------------


def test_discovery_document(idp: DevIdp) -> None:
    response = httpx.get(idp.discovery_url)
    assert response.status_code == 200
    doc = response.json()
    assert doc["issuer"] == idp.issuer
    assert idp.issuer.startswith("http://127.0.0.1:")
    for key, path in {
        "authorization_endpoint": "/auth",
        "token_endpoint": "/token",
        "userinfo_endpoint": "/me",
        "jwks_uri": "/jwks",
        "end_session_endpoint": "/session/end",
        "revocation_endpoint": "/token/revocation",
    }.items():
        assert doc[key] == idp.issuer + path, key
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_basic"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert doc["backchannel_logout_supported"] is True
    assert doc["backchannel_logout_session_supported"] is True
    assert doc["claims_parameter_supported"] is False
    assert {"openid", "profile", "email"} <= set(doc["scopes_supported"])
    assert {"name", "given_name", "family_name", "roles", "comuni", "professione"} <= set(
        doc["claims_supported"]
    )


def test_jwks_has_public_rs256_key(idp: DevIdp) -> None:
    keys = jwks(idp)["keys"]
    assert len(keys) == 1
    (key,) = keys
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "private parts must not be published"


def test_health_endpoint(idp: DevIdp) -> None:
    response = httpx.get(f"{idp.issuer}/__dev/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["issuer"] == idp.issuer
    assert body["public_urls"] == idp.public_urls


def test_ready_line_is_the_only_stdout_line_format(idp: DevIdp) -> None:
    assert f"OIDC provider ready at {idp.issuer}\n" in idp.output()


# ---------------------------------------------------------------------------
# authorization code + PKCE
# ---------------------------------------------------------------------------


def test_login_page_is_italian_and_accessible(idp: DevIdp) -> None:
    url, params, _ = start_authorization(idp)
    with httpx.Client(follow_redirects=False) as client:
        page = follow(client, url, params["redirect_uri"])
    assert isinstance(page, httpx.Response) and page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<html lang="it">' in text
    assert "<title>" in text
    assert '<label for="username">Nome utente</label>' in text
    assert '<label for="password">Password</label>' in text
    assert 'id="username" name="username"' in text and 'id="password" name="password"' in text
    assert '<button type="submit">Accedi</button>' in text
    assert "Credenziali non valide." not in text


def test_full_authorization_code_flow_with_pkce(idp: DevIdp) -> None:
    client = httpx.Client(follow_redirects=False)
    query, params, verifier = login(client, idp, "as.demo")
    # RFC 9207: the issuer is sent in the authorization response
    assert query["iss"] == [idp.issuer]
    assert query["state"] == [params["state"]]
    assert "code" in query

    tokens = exchange_code(idp, query["code"][0], params, verifier)
    assert tokens["token_type"].lower() == "bearer"
    assert tokens["scope"].split() == SCOPE.split() or set(tokens["scope"].split()) == set(SCOPE.split())
    assert 0 < tokens["expires_in"] <= 600

    token = verify(tokens["id_token"], idp)
    claims = token.claims
    assert token.header["alg"] == "RS256"
    assert token.header["kid"] == jwks(idp)["keys"][0]["kid"]
    assert claims["iss"] == idp.issuer
    assert claims["aud"] == idp.client_id
    assert claims["sub"] == "u-as-demo"
    assert claims["nonce"] == params["nonce"]
    assert claims["name"] == "Giulia Demo Bianchi"
    assert claims["given_name"] == "Giulia Demo"
    assert claims["family_name"] == "Bianchi"
    assert claims["preferred_username"] == "as.demo"
    assert claims["roles"] == ["equipe"]
    assert claims["comuni"] == ["demo"]
    assert claims["professione"] == "assistente_sociale"
    assert claims["email"] == "as.demo@example.invalid"
    assert claims["sid"]
    assert 540 <= claims["exp"] - claims["iat"] <= 600  # ~10 minutes
    assert abs(claims["iat"] - time.time()) < 60

    # userinfo carries the same claims
    userinfo = httpx.get(f"{idp.issuer}/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.status_code == 200
    assert userinfo.json()["comuni"] == ["demo"]
    assert userinfo.json()["roles"] == ["equipe"]

    # the code is single use
    again = httpx.post(
        f"{idp.issuer}/token",
        auth=(idp.client_id, idp.client_secret),
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": params["redirect_uri"],
            "code_verifier": verifier,
        },
    )
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"

    # replaying a code also revokes the tokens issued with it (RFC 6749 4.1.2)
    revoked = httpx.get(f"{idp.issuer}/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert revoked.status_code == 401

    # a second authorization in the same browser session needs no login page
    url, params2, _ = start_authorization(idp, prompt="none")
    callback = follow(client, url, params2["redirect_uri"])
    assert isinstance(callback, str)
    assert "code" in parse_qs(urlsplit(callback).query)
    client.close()


@pytest.mark.parametrize(
    ("username", "roles", "comuni", "professione"),
    [
        ("operatore.cantu", ["operatore_sportello"], ["cantu"], None),
        ("as.inzago", ["equipe"], ["inzago", "brugherio"], "assistente_sociale"),
        ("coord.demo", ["coordinatore"], ["demo", "inzago"], "assistente_sociale"),
        (
            "admin",
            ["amministratore"],
            ["demo", "inzago", "corsichese", "gaggiano", "sesto-calende", "brugherio", "cantu", "pioltello"],
            None,
        ),
        ("nessuno", [], [], None),
        ("estraneo", ["equipe"], ["atlantide"], "educatore"),
    ],
)
def test_demo_users_claims(
    idp: DevIdp, username: str, roles: list, comuni: list, professione: str | None
) -> None:
    client, _, token, _ = full_login(idp, username)
    client.close()
    assert token.claims["roles"] == roles
    assert token.claims["comuni"] == comuni
    assert token.claims.get("professione") == professione


def test_extra_public_url_is_an_accepted_redirect_uri(idp: DevIdp) -> None:
    with httpx.Client(follow_redirects=False) as client:
        query, params, verifier = login(client, idp, "psi.demo", redirect_index=1)
    assert params["redirect_uri"] == "http://localhost:39998/auth/callback"
    tokens = exchange_code(idp, query["code"][0], params, verifier)
    assert verify(tokens["id_token"], idp).claims["professione"] == "psicologo"


def test_wrong_password_is_refused_in_italian(idp: DevIdp) -> None:
    url, params, verifier = start_authorization(idp)
    with httpx.Client(follow_redirects=False) as client:
        page = follow(client, url, params["redirect_uri"])
        action = login_form_action(page)
        refused = client.post(action, data={"username": "as.demo", "password": "sbagliata"})
        assert refused.status_code == 200
        assert "Credenziali non valide." in refused.text
        assert 'role="alert"' in refused.text
        assert 'value="as.demo"' in refused.text  # username kept, password not
        assert "location" not in refused.headers

        unknown = client.post(action, data={"username": "sconosciuto", "password": "demo"})
        assert "Credenziali non valide." in unknown.text

        # the same interaction still accepts the right credentials
        callback = follow(
            client, action, params["redirect_uri"], "POST", data={"username": "as.demo", "password": "demo"}
        )
    assert isinstance(callback, str)
    query = parse_qs(urlsplit(callback).query)
    assert exchange_code(idp, query["code"][0], params, verifier)["id_token"]


def test_authorization_without_code_challenge_is_refused(idp: DevIdp) -> None:
    url, params, _ = start_authorization(idp, code_challenge=None, code_challenge_method=None)
    response = httpx.get(url, follow_redirects=False)
    assert response.status_code in (302, 303)
    location = response.headers["location"]
    assert location.startswith(params["redirect_uri"])
    query = parse_qs(urlsplit(location).query)
    assert query["error"] == ["invalid_request"]
    assert "PKCE" in query["error_description"][0]
    assert query["iss"] == [idp.issuer]


def test_plain_code_challenge_method_is_refused(idp: DevIdp) -> None:
    url, params, _ = start_authorization(idp, code_challenge_method="plain")
    response = httpx.get(url, follow_redirects=False)
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["error"] == ["invalid_request"]


def test_wrong_code_verifier_is_refused(idp: DevIdp) -> None:
    with httpx.Client(follow_redirects=False) as client:
        query, params, _ = login(client, idp, "edu.demo")
    response = httpx.post(
        f"{idp.issuer}/token",
        auth=(idp.client_id, idp.client_secret),
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": params["redirect_uri"],
            "code_verifier": pkce_pair()[0],
        },
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_refused(idp: DevIdp) -> None:
    with httpx.Client(follow_redirects=False) as client:
        query, params, verifier = login(client, idp, "edu.demo")
    response = httpx.post(
        f"{idp.issuer}/token",
        auth=(idp.client_id, "not-the-secret"),
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": params["redirect_uri"],
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_unregistered_redirect_uri_is_not_redirected_to(idp: DevIdp) -> None:
    url, _, _ = start_authorization(idp, redirect_uri="http://127.0.0.1:1/auth/callback")
    response = httpx.get(url, follow_redirects=False)
    assert response.status_code == 400
    assert '<html lang="it">' in response.text
    assert "redirect_uri" in response.text


def test_abort_returns_access_denied(idp: DevIdp) -> None:
    url, params, _ = start_authorization(idp)
    with httpx.Client(follow_redirects=False) as client:
        page = follow(client, url, params["redirect_uri"])
        abort = login_form_action(page).replace("/login", "/abort")
        callback = follow(client, abort, params["redirect_uri"], "POST")
    assert isinstance(callback, str)
    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]


# ---------------------------------------------------------------------------
# logout
# ---------------------------------------------------------------------------


def test_rp_initiated_logout_sends_backchannel_logout_token(
    idp: DevIdp,
    backchannel_receiver: Any,  # conftest.BackchannelReceiver
) -> None:
    client, tokens, id_token, _ = full_login(idp, "referente.demo")
    backchannel_receiver.received.clear()
    backchannel_receiver.requests.clear()
    post_logout = f"{idp.public_urls[0]}/auth/logged-out"
    state = secrets.token_urlsafe(8)
    page = client.get(
        f"{idp.issuer}/session/end",
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": post_logout,
            "state": state,
        },
    )
    assert page.status_code == 200
    assert '<html lang="it">' in page.text
    assert ">Esci</button>" in page.text
    action = re.search(r'<form id="op.logoutForm" method="post" action="([^"]+)"', page.text).group(1)
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    assert form["logout"] == "yes" and form["xsrf"]

    done = client.post(urljoin(str(page.url), html.unescape(action)), data=form)
    assert done.status_code == 303
    assert done.headers["location"] == f"{post_logout}?state={state}"

    assert backchannel_receiver.received.wait(5)
    (request,) = backchannel_receiver.requests
    assert request["path"] == "/auth/backchannel-logout"
    assert request["content_type"] == "application/x-www-form-urlencoded"
    logout_token = parse_qs(request["body"])["logout_token"][0]
    token = verify(logout_token, idp)
    assert token.header["typ"] == "logout+jwt"
    assert token.claims["iss"] == idp.issuer
    assert token.claims["aud"] == idp.client_id
    assert token.claims["sub"] == "u-referente-demo"
    assert token.claims["sid"] == id_token.claims["sid"]
    assert token.claims["events"] == {"http://schemas.openid.net/event/backchannel-logout": {}}
    assert "nonce" not in token.claims and token.claims["jti"]

    # the provider session is gone: prompt=none now fails with login_required
    url, params, _ = start_authorization(idp, prompt="none")
    callback = follow(client, url, params["redirect_uri"])
    assert parse_qs(urlsplit(callback).query)["error"] == ["login_required"]
    client.close()


# ---------------------------------------------------------------------------
# key rotation and test-endpoint switch (own provider instances)
# ---------------------------------------------------------------------------


def test_key_rotation_publishes_old_and_new_keys(tmp_path: Path) -> None:
    keys_file = tmp_path / "idp-keys.json"
    with start_dev_idp(public_urls=["http://127.0.0.1:39997"], keys_file=keys_file) as idp:
        (old_key,) = jwks(idp)["keys"]
        saved = json.loads(keys_file.read_text())
        assert [k["kid"] for k in saved["keys"]] == [old_key["kid"]]
        assert "d" in saved["keys"][0]
        assert keys_file.stat().st_mode & 0o077 == 0

        client, tokens, old_token, _ = full_login(idp, "coord.demo")
        assert old_token.header["kid"] == old_key["kid"]

        response = httpx.post(f"{idp.issuer}/__dev/rotate-keys")
        assert response.status_code == 200
        body = response.json()
        published = jwks(idp)["keys"]
        assert [k["kid"] for k in published] == body["kids"]
        assert len(published) == 2
        assert published[1]["kid"] == old_key["kid"]
        assert body["signing_kid"] == published[0]["kid"] != old_key["kid"]

        # tokens signed with the old key still verify with the published set
        assert verify(tokens["id_token"], idp).claims["sub"] == "u-coord-demo"

        # the browser session survived the provider swap and new tokens use the new key
        query, params, verifier = login_without_form(client, idp)
        assert "code" in query, (query, idp.output())
        new_tokens = exchange_code(idp, query["code"][0], params, verifier)
        new_token = verify(new_tokens["id_token"], idp)
        assert new_token.header["kid"] == body["signing_kid"]
        assert new_token.claims["sub"] == "u-coord-demo"
        client.close()

        assert [k["kid"] for k in json.loads(keys_file.read_text())["keys"]] == body["kids"]
        assert httpx.get(f"{idp.issuer}/__dev/rotate-keys").status_code == 405

    # a restart with the same keys file keeps the keys
    with start_dev_idp(public_urls=["http://127.0.0.1:39997"], keys_file=keys_file) as idp:
        assert [k["kid"] for k in jwks(idp)["keys"]] == body["kids"]


def login_without_form(client: httpx.Client, idp: DevIdp) -> tuple[dict[str, list[str]], dict[str, str], str]:
    url, params, verifier = start_authorization(idp, prompt="none")
    callback = follow(client, url, params["redirect_uri"])
    assert isinstance(callback, str), callback
    return parse_qs(urlsplit(callback).query), params, verifier


def test_test_endpoints_are_off_unless_enabled() -> None:
    with start_dev_idp(public_urls=["http://127.0.0.1:39996"], enable_test_endpoints=False) as idp:
        assert httpx.get(f"{idp.issuer}/__dev/health").status_code == 404
        assert httpx.post(f"{idp.issuer}/__dev/rotate-keys").status_code == 404
        assert httpx.get(idp.discovery_url).status_code == 200


def test_custom_client_credentials_and_clean_sigterm() -> None:
    idp = start_dev_idp(
        public_urls=["http://127.0.0.1:39995"],
        client_id="altro-client",
        client_secret="altro-segreto",
    )
    try:
        client, tokens, token, _ = full_login(idp, "operatore.demo")
        client.close()
        assert token.claims["aud"] == "altro-client"
        assert token.claims["roles"] == ["operatore_sportello"]
    finally:
        idp.stop()
    assert idp.process.returncode == 0, idp.output()
    assert "SIGTERM received" in idp.output()


def test_start_failure_reports_output() -> None:
    with pytest.raises(DevIdpError) as excinfo:
        start_dev_idp(public_urls=["not a url"], timeout=10)
    assert "TUTELA_PUBLIC_URL is not a valid URL" in str(excinfo.value)


def test_interaction_without_cookie_is_an_italian_error(idp: DevIdp) -> None:
    response = httpx.get(f"{idp.issuer}/interaction/sconosciuta")
    assert response.status_code == 400
    assert '<html lang="it">' in response.text
    assert "La richiesta di accesso è scaduta o non è valida." in response.text


def test_offline_access_with_prompt_consent_issues_a_refresh_token(idp: DevIdp) -> None:
    # the consent step is granted automatically (no page) even when requested
    with httpx.Client(follow_redirects=False) as client:
        query, params, verifier = login(
            client, idp, "as.demo", scope="openid profile offline_access", prompt="consent"
        )
    tokens = exchange_code(idp, query["code"][0], params, verifier)
    assert "offline_access" in tokens["scope"].split()
    assert tokens["refresh_token"]
    refreshed = httpx.post(
        f"{idp.issuer}/token",
        auth=(idp.client_id, idp.client_secret),
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert refreshed.status_code == 200, refreshed.text
    token = verify(refreshed.json()["id_token"], idp)
    assert token.claims["sub"] == "u-as-demo" and token.claims["roles"] == ["equipe"]
