"""What the /auth routes send back: short Italian pages, refusals (logged with a reason
code and no personal data) and HttpOnly cookies."""

from __future__ import annotations

import html
import logging
from urllib.parse import quote

from starlette.responses import HTMLResponse, Response

from tutela_app import routes
from tutela_app.auth.oidc_errors import ConfigurationError
from tutela_app.settings import get_settings

log = logging.getLogger("tutela.auth")

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

MSG_FAILED = "Accesso non riuscito. Riprova."
MSG_UNAVAILABLE = "Il servizio di autenticazione non è raggiungibile. Riprova tra qualche minuto."
MSG_DISABLED = "Il tuo account Tutela è disattivato. Rivolgiti all'amministratore."
MSG_MISCONFIGURED = "Tutela non è configurato correttamente per l'accesso. Avvisa l'assistenza."


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    doc = f"""<!doctype html>
<html lang="it"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{html.escape(title)} · Tutela</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#1a1a1a;line-height:1.5}}
a{{color:#0b5cad}} a:focus-visible{{outline:3px solid #0b5cad;outline-offset:2px}}</style></head>
<body><main>{body}</main></body></html>"""
    return HTMLResponse(doc, status_code=status, headers=NO_STORE)


def error_page(message: str, status: int, retry_next: str = routes.HOME) -> HTMLResponse:
    retry = f"{routes.LOGIN}?next={quote(routes.safe_next_path(retry_next), safe='/')}"
    return page(
        "Accesso",
        f'<h1>Accesso a Tutela</h1><p role="alert">{html.escape(message)}</p>'
        f'<p><a href="{html.escape(retry)}">Accedi di nuovo</a></p>',
        status,
    )


def refuse(reason: str, status: int = 400, message: str = MSG_FAILED) -> HTMLResponse:
    log.warning("login refused reason=%s", reason)
    return error_page(message, status)


def refuse_misconfigured(exc: ConfigurationError) -> HTMLResponse:
    log.error("OpenID configuration error: %s", exc)
    return refuse("configuration", 500, MSG_MISCONFIGURED)


def set_cookie(response: Response, name: str, value: str, *, max_age: int | None, path: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )


def clear_cookie(response: Response, name: str, path: str) -> None:
    response.delete_cookie(
        name, path=path, httponly=True, samesite="lax", secure=get_settings().secure_cookies
    )
