"""GET /auth/login and GET /auth/callback: the authorization code flow.

login     start it: PKCE S256, state and nonce sealed in a per-attempt cookie
callback  finish it: check state and RFC 9207 ``iss``, exchange the code, validate the
          ID token, sync staff and grants, open a session
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tutela_app import routes
from tutela_app.auth import sessions
from tutela_app.auth.login_transactions import open_login_session
from tutela_app.auth.oidc_client import get_oidc_client
from tutela_app.auth.oidc_errors import ConfigurationError, OidcError, ProviderUnavailable, safe_error_code
from tutela_app.auth.pending_login import (
    PENDING_LOGIN_TTL_SECONDS,
    PendingLogin,
    pending_cookie_name,
    seal_pending,
    unseal_pending,
)
from tutela_app.auth.responses import (
    MSG_DISABLED,
    MSG_UNAVAILABLE,
    NO_STORE,
    clear_cookie,
    error_page,
    refuse,
    refuse_misconfigured,
    set_cookie,
)
from tutela_app.db import run_db

log = logging.getLogger("tutela.auth")

MAX_STATE_LENGTH = 200
MAX_CODE_LENGTH = 2048


async def login(request: Request) -> Response:
    next_path = routes.safe_next_path(request.query_params.get("next"))
    try:
        client = get_oidc_client()
        pending = PendingLogin.new(next_path)
        url = await client.authorization_url(pending)
    except ConfigurationError as exc:
        return refuse_misconfigured(exc)
    except OidcError as exc:  # provider unavailable or its discovery unusable
        return refuse(exc.reason, 503, MSG_UNAVAILABLE)
    response = RedirectResponse(url, status_code=303, headers=NO_STORE)
    set_cookie(
        response,
        pending_cookie_name(pending.state),
        seal_pending(pending),
        max_age=PENDING_LOGIN_TTL_SECONDS,
        path=routes.CALLBACK,
    )
    return response


async def callback(request: Request) -> Response:
    params = request.query_params
    state = params.get("state") or ""
    cookie_name = pending_cookie_name(state) if state and len(state) <= MAX_STATE_LENGTH else None
    sealed = request.cookies.get(cookie_name) if cookie_name else None

    def _done(resp: Response) -> Response:
        """Every answer clears this attempt's pending-login cookie."""
        if cookie_name:
            clear_cookie(resp, cookie_name, routes.CALLBACK)
        return resp

    if "error" in params:
        return _done(refuse(f"provider_error_{safe_error_code(params.get('error', ''))}"))
    if not cookie_name:
        return _done(refuse("state_missing"))
    try:
        pending = unseal_pending(state, sealed)
    except OidcError as exc:
        return _done(refuse(exc.reason))
    code = params.get("code") or ""
    if not code or len(code) > MAX_CODE_LENGTH:
        return _done(refuse("code_missing"))
    try:
        client = get_oidc_client()
        await client.check_response_issuer(params.get("iss"))
        tokens = await client.exchange_code(code, pending.code_verifier)
        claims = await client.validate_id_token(tokens["id_token"], pending.nonce)
    except ConfigurationError as exc:
        return _done(refuse_misconfigured(exc))
    except ProviderUnavailable as exc:
        return _done(refuse(exc.reason, 503, MSG_UNAVAILABLE))
    except OidcError as exc:
        return _done(refuse(exc.reason))

    previous = request.cookies.get(sessions.COOKIE_NAME)
    try:
        try:
            token, staff_id, authorised = await run_db(
                open_login_session, client.issuer, claims, tokens["id_token"], previous
            )
        except IntegrityError:  # two first logins of the same person at once: retry once
            token, staff_id, authorised = await run_db(
                open_login_session, client.issuer, claims, tokens["id_token"], previous
            )
    except Exception:
        log.exception("login failed while opening the session")
        return _done(refuse("session_error", 500))
    if token is None:
        log.warning("login refused reason=account_disabled staff=%s", staff_id)
        return _done(error_page(MSG_DISABLED, 403))
    log.info("login ok staff=%s authorised=%s", staff_id, authorised)
    target = pending.next_path if authorised else routes.NOT_AUTHORISED
    response = RedirectResponse(target, status_code=303, headers=NO_STORE)
    set_cookie(response, sessions.COOKIE_NAME, token, max_age=None, path="/")
    return _done(response)
