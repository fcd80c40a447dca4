"""Starlette routes under /auth, mounted in front of Reflex with ``api_transformer``.

GET  /auth/login?next=         start the authorization code flow (PKCE S256, state, nonce)
GET  /auth/callback            finish it: check state and RFC 9207 ``iss``, exchange the code,
                               validate the ID token, sync staff and grants, open a session
GET  /auth/logout              end the app session, then RP-initiated logout at the provider
GET  /auth/logged-out          "Sei uscito da Tutela"
POST /auth/backchannel-logout  provider-initiated logout (logout_token)

Refusals are logged with a reason code and no personal data; the browser only sees a
short Italian page.
"""

from __future__ import annotations

import html
import logging
from typing import Any
from urllib.parse import parse_qs, quote

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tutela_app import routes
from tutela_app.auth import sessions
from tutela_app.auth.oidc import (
    PENDING_COOKIE_PREFIX,
    PENDING_LOGIN_TTL_SECONDS,
    ConfigurationError,
    OidcError,
    PendingLogin,
    ProviderUnavailable,
    check_provider_url,
    get_oidc_client,
    pending_cookie_name,
    seal_pending,
    unseal_pending,
)
from tutela_app.auth.permissions import Actor
from tutela_app.db import run_db, write_session
from tutela_app.models import AuthSession, Staff
from tutela_app.services import audit
from tutela_app.services.staff import grant_count, sync_staff_from_claims
from tutela_app.settings import get_settings

log = logging.getLogger("tutela.auth")

MAX_BACKCHANNEL_BODY = 32_768
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

MSG_FAILED = "Accesso non riuscito. Riprova."
MSG_UNAVAILABLE = "Il servizio di autenticazione non è raggiungibile. Riprova tra qualche minuto."
MSG_DISABLED = "Il tuo account Tutela è disattivato. Rivolgiti all'amministratore."


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    doc = f"""<!doctype html>
<html lang="it"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{html.escape(title)} · Tutela</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#1a1a1a;line-height:1.5}}
a{{color:#0b5cad}} a:focus-visible{{outline:3px solid #0b5cad;outline-offset:2px}}</style></head>
<body><main>{body}</main></body></html>"""
    return HTMLResponse(doc, status_code=status, headers=NO_STORE)


def _error_page(message: str, status: int, retry_next: str = routes.HOME) -> HTMLResponse:
    retry = f"{routes.LOGIN}?next={quote(routes.safe_next_path(retry_next), safe='/')}"
    return _page(
        "Accesso",
        f'<h1>Accesso a Tutela</h1><p role="alert">{html.escape(message)}</p>'
        f'<p><a href="{html.escape(retry)}">Accedi di nuovo</a></p>',
        status,
    )


def _refuse(reason: str, status: int = 400, message: str = MSG_FAILED) -> HTMLResponse:
    log.warning("login refused reason=%s", reason)
    return _error_page(message, status)


def _set_cookie(response: Response, name: str, value: str, *, max_age: int | None, path: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )


def _clear_cookie(response: Response, name: str, path: str) -> None:
    response.delete_cookie(
        name, path=path, httponly=True, samesite="lax", secure=get_settings().secure_cookies
    )


# ---------------------------------------------------------------------------
# login
# ---------------------------------------------------------------------------


async def login(request: Request) -> Response:
    next_path = routes.safe_next_path(request.query_params.get("next"))
    try:
        client = get_oidc_client()
        pending = PendingLogin.new(next_path)
        url = await client.authorization_url(pending)
    except ConfigurationError as exc:
        log.error("OpenID configuration error: %s", exc)
        return _refuse(
            "configuration", 500, "Tutela non è configurato correttamente per l'accesso. Avvisa l'assistenza."
        )
    except ProviderUnavailable as exc:
        return _refuse(exc.reason, 503, MSG_UNAVAILABLE)
    except OidcError as exc:
        return _refuse(exc.reason, 503, MSG_UNAVAILABLE)
    response = RedirectResponse(url, status_code=303, headers=NO_STORE)
    _set_cookie(
        response,
        pending_cookie_name(pending.state),
        seal_pending(pending),
        max_age=PENDING_LOGIN_TTL_SECONDS,
        path=routes.CALLBACK,
    )
    return response


def _open_session(
    issuer: str, claims: dict[str, Any], id_token: str, previous_cookie: str | None
) -> tuple[str | None, int, bool]:
    """In one transaction: sync staff and grants, end the previous session, open a new one.

    Returns (cookie value or None when the account is disabled, staff id, authorised).
    """
    settings = get_settings()
    with write_session() as session:
        staff = sync_staff_from_claims(session, issuer, claims, settings)
        if not staff.active:
            audit.record(
                session, _actor(staff, None), "denied", "staff", staff.id, detail="login account_disabled"
            )
            return None, staff.id, False
        if previous_cookie:
            sessions.end_session(session, sessions.hash_token(previous_cookie), "replaced")
        sid = claims.get("sid") if isinstance(claims.get("sid"), str) else None
        token = sessions.create_session(session, staff.id, issuer, sid, id_token)
        authorised = grant_count(session, staff.id) > 0
        audit.record(
            session,
            _actor(staff, sessions.hash_token(token)[:16]),
            "login",
            "staff",
            staff.id,
            detail="grants" if authorised else "no_grants",
        )
        return token, staff.id, authorised


def _actor(staff: Staff, session_ref: str | None) -> Actor:
    return Actor(
        staff_id=staff.id,
        display_name=staff.display_name,
        profession=staff.profession,
        session_ref=session_ref,
    )


async def callback(request: Request) -> Response:
    params = request.query_params
    state = params.get("state") or ""
    cookie_name = pending_cookie_name(state) if state and len(state) <= 200 else None
    sealed = request.cookies.get(cookie_name) if cookie_name else None

    def _done(resp: Response) -> Response:
        if cookie_name:
            _clear_cookie(resp, cookie_name, routes.CALLBACK)
        return resp

    if "error" in params:
        error = params.get("error", "")
        safe = error if error.replace("_", "").isalpha() and len(error) < 40 else "unknown"
        return _done(_refuse(f"provider_error_{safe}"))
    if not cookie_name:
        return _done(_refuse("state_missing"))
    try:
        pending = unseal_pending(state, sealed)
    except OidcError as exc:
        return _done(_refuse(exc.reason))
    code = params.get("code") or ""
    if not code or len(code) > 2048:
        return _done(_refuse("code_missing"))
    try:
        client = get_oidc_client()
        await client.check_response_issuer(params.get("iss"))
        tokens = await client.exchange_code(code, pending.code_verifier)
        claims = await client.validate_id_token(tokens["id_token"], pending.nonce)
    except ConfigurationError as exc:
        log.error("OpenID configuration error: %s", exc)
        return _done(
            _refuse(
                "configuration",
                500,
                "Tutela non è configurato correttamente per l'accesso. Avvisa l'assistenza.",
            )
        )
    except ProviderUnavailable as exc:
        return _done(_refuse(exc.reason, 503, MSG_UNAVAILABLE))
    except OidcError as exc:
        return _done(_refuse(exc.reason))

    previous = request.cookies.get(sessions.COOKIE_NAME)
    try:
        try:
            token, staff_id, authorised = await run_db(
                _open_session, client.issuer, claims, tokens["id_token"], previous
            )
        except IntegrityError:  # two first logins of the same person at once: retry once
            token, staff_id, authorised = await run_db(
                _open_session, client.issuer, claims, tokens["id_token"], previous
            )
    except Exception:
        log.exception("login failed while opening the session")
        return _done(_refuse("session_error", 500))
    if token is None:
        log.warning("login refused reason=account_disabled staff=%s", staff_id)
        return _done(_error_page(MSG_DISABLED, 403))
    log.info("login ok staff=%s authorised=%s", staff_id, authorised)
    target = pending.next_path if authorised else routes.NOT_AUTHORISED
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    _set_cookie(response, sessions.COOKIE_NAME, token, max_age=None, path="/")
    return _done(response)


# ---------------------------------------------------------------------------
# logout
# ---------------------------------------------------------------------------


def _end_app_session(cookie: str | None) -> str | None:
    """End the session of this cookie (audited); return its ID token for the hint."""
    if not cookie or len(cookie) > 200:
        return None
    with write_session() as session:
        row = session.get(AuthSession, sessions.hash_token(cookie))
        if row is None:
            return None
        id_token = row.id_token
        if row.ended_at is None:
            sessions.end_session(session, row.id, "logout")
            staff = session.get(Staff, row.staff_id)
            if staff is not None:
                audit.record(
                    session, _actor(staff, row.id[:16]), "logout", "staff", staff.id, detail="rp_initiated"
                )
        return id_token


async def logout(request: Request) -> Response:
    settings = get_settings()
    try:
        id_token = await run_db(_end_app_session, request.cookies.get(sessions.COOKIE_NAME))
    except Exception:
        log.exception("logout: could not end the app session")
        id_token = None
    target = routes.LOGGED_OUT
    try:
        url = await get_oidc_client().end_session_url(id_token, settings.public_url + routes.LOGGED_OUT)
        target = url or target
    except (OidcError, ConfigurationError) as exc:
        log.warning(
            "logout: provider end_session not available reason=%s", getattr(exc, "reason", "configuration")
        )
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    _clear_cookie(response, sessions.COOKIE_NAME, "/")
    for name in request.cookies:
        if name.startswith(PENDING_COOKIE_PREFIX):
            _clear_cookie(response, name, routes.CALLBACK)
    return response


async def logged_out(_request: Request) -> Response:
    return _page(
        "Uscita",
        "<h1>Sei uscito da Tutela</h1><p>La sessione è stata chiusa.</p>"
        f'<p><a href="{routes.LOGIN}">Accedi di nuovo</a></p>',
    )


def _backchannel_end(issuer: str, claims: dict[str, Any]) -> int:
    with write_session() as session:
        staff = None
        if isinstance(claims.get("sub"), str):
            staff = session.exec(
                select(Staff).where(Staff.issuer == issuer, Staff.subject == claims["sub"])
            ).first()
            if staff is None and not claims.get("sid"):
                return 0
        sid = claims.get("sid") if isinstance(claims.get("sid"), str) else None
        ended = sessions.end_sessions_for_idp_session(session, issuer, staff.id if staff else None, sid)
        if ended and staff is not None:
            audit.record(
                session,
                _actor(staff, None),
                "logout",
                "staff",
                staff.id,
                detail=f"backchannel sessions={ended}",
            )
        return ended


async def backchannel_logout(request: Request) -> Response:
    bad = JSONResponse({"error": "invalid_request"}, status_code=400, headers=NO_STORE)
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        log.warning("backchannel logout refused reason=content_type")
        return bad
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BACKCHANNEL_BODY:
            log.warning("backchannel logout refused reason=body_too_large")
            return bad
    values = parse_qs(body.decode("utf-8", errors="replace")).get("logout_token", [])
    if len(values) != 1:
        log.warning("backchannel logout refused reason=logout_token_missing")
        return bad
    try:
        client = get_oidc_client()
        claims = await client.validate_logout_token(values[0])
    except ProviderUnavailable as exc:
        log.warning("backchannel logout refused reason=%s", exc.reason)
        return JSONResponse({"error": "temporarily_unavailable"}, status_code=503, headers=NO_STORE)
    except (OidcError, ConfigurationError) as exc:
        log.warning("backchannel logout refused reason=%s", getattr(exc, "reason", "configuration"))
        return bad
    ended = await run_db(_backchannel_end, client.issuer, claims)
    log.info("backchannel logout ended sessions=%s", ended)
    return Response(status_code=200, headers=NO_STORE)


# ---------------------------------------------------------------------------


def build_auth_app() -> Starlette:
    """The /auth routes. Refuses to start with an http issuer outside loopback."""
    check_provider_url(get_settings().effective_issuer)
    return Starlette(
        routes=[
            Route(routes.LOGIN, login, methods=["GET"]),
            Route(routes.CALLBACK, callback, methods=["GET"]),
            Route(routes.LOGOUT, logout, methods=["GET"]),
            Route(routes.LOGGED_OUT, logged_out, methods=["GET"]),
            Route(routes.BACKCHANNEL_LOGOUT, backchannel_logout, methods=["POST"]),
        ]
    )
