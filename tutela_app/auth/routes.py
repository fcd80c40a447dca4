"""Starlette routes under /auth, mounted in front of Reflex with ``api_transformer``.

GET  /auth/login?next=         start the authorization code flow       (login_routes)
GET  /auth/callback            finish it and open a session            (login_routes)
GET  /auth/logout              end the app session, then at the provider (logout_routes)
GET  /auth/logged-out          "Sei uscito da Tutela"                  (logout_routes)
POST /auth/backchannel-logout  provider-initiated logout               (logout_routes)

Refusals are logged with a reason code and no personal data; the browser only sees a
short Italian page (``responses``).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from tutela_app import routes
from tutela_app.auth.login_routes import callback, login
from tutela_app.auth.logout_routes import backchannel_logout, logged_out, logout
from tutela_app.auth.provider_url import check_provider_url
from tutela_app.settings import get_settings


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
