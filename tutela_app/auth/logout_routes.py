"""Logout routes.

GET  /auth/logout              end the app session, then RP-initiated logout at the provider
GET  /auth/logged-out          "Sei uscito da Tutela"
POST /auth/backchannel-logout  provider-initiated logout (logout_token)
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tutela_app import routes
from tutela_app.auth import sessions
from tutela_app.auth.login_transactions import end_app_session, end_backchannel_sessions
from tutela_app.auth.oidc_client import get_oidc_client
from tutela_app.auth.oidc_errors import ConfigurationError, OidcError, ProviderUnavailable
from tutela_app.auth.pending_login import PENDING_COOKIE_PREFIX
from tutela_app.auth.responses import NO_STORE, clear_cookie, page
from tutela_app.db import run_db
from tutela_app.settings import get_settings

log = logging.getLogger("tutela.auth")

MAX_BACKCHANNEL_BODY = 32_768


def _reason(exc: Exception) -> str:
    return getattr(exc, "reason", "configuration")


async def logout(request: Request) -> Response:
    settings = get_settings()
    try:
        id_token = await run_db(end_app_session, request.cookies.get(sessions.COOKIE_NAME))
    except Exception:
        log.exception("logout: could not end the app session")
        id_token = None
    target = routes.LOGGED_OUT
    try:
        url = await get_oidc_client().end_session_url(id_token, settings.public_url + routes.LOGGED_OUT)
        target = url or target
    except (OidcError, ConfigurationError) as exc:
        log.warning("logout: provider end_session not available reason=%s", _reason(exc))
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    clear_cookie(response, sessions.COOKIE_NAME, "/")
    for name in request.cookies:
        if name.startswith(PENDING_COOKIE_PREFIX):
            clear_cookie(response, name, routes.CALLBACK)
    return response


async def logged_out(_request: Request) -> Response:
    return page(
        "Uscita",
        "<h1>Sei uscito da Tutela</h1><p>La sessione è stata chiusa.</p>"
        f'<p><a href="{routes.LOGIN}">Accedi di nuovo</a></p>',
    )


async def _read_logout_token(request: Request) -> str | None:
    """The single ``logout_token`` of a small form-encoded body, or None (reason logged)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        log.warning("backchannel logout refused reason=content_type")
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BACKCHANNEL_BODY:
            log.warning("backchannel logout refused reason=body_too_large")
            return None
    values = parse_qs(body.decode("utf-8", errors="replace")).get("logout_token", [])
    if len(values) != 1:
        log.warning("backchannel logout refused reason=logout_token_missing")
        return None
    return values[0]


async def backchannel_logout(request: Request) -> Response:
    bad = JSONResponse({"error": "invalid_request"}, status_code=400, headers=NO_STORE)
    token = await _read_logout_token(request)
    if token is None:
        return bad
    try:
        client = get_oidc_client()
        claims = await client.validate_logout_token(token)
    except ProviderUnavailable as exc:
        log.warning("backchannel logout refused reason=%s", exc.reason)
        return JSONResponse({"error": "temporarily_unavailable"}, status_code=503, headers=NO_STORE)
    except (OidcError, ConfigurationError) as exc:
        log.warning("backchannel logout refused reason=%s", _reason(exc))
        return bad
    ended = await run_db(end_backchannel_sessions, client.issuer, claims)
    log.info("backchannel logout ended sessions=%s", ended)
    return Response(status_code=200, headers=NO_STORE)
