"""Application entry point: builds the app, mounts the auth routes, registers pages."""

import reflex as rx

from tutela_app.auth.routes import build_auth_app
from tutela_app.calendar_feed import build_calendar_app
from tutela_app.errors import backend_exception_handler
from tutela_app.pages import register_all
from tutela_app.tools.reflex_state import throttle_disk_state_purge
from tutela_app.web_security import OriginGuard

throttle_disk_state_purge()

app = rx.App(
    html_lang="it",
    stylesheets=["/tutela.css"],
    api_transformer=[build_auth_app(), build_calendar_app(), OriginGuard],
    backend_exception_handler=backend_exception_handler,
)
register_all(app)
