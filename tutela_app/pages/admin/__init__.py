"""Amministrazione (/amministrazione): which services each Comune buys, and staff role grants.

Only administrators (``admin.tenants`` / ``admin.grants``) in their own tenants; the
services enforce it. Grants from the identity provider are shown but can only be
changed there; grants made in Tutela (``app``) can be added and removed here.
"""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.admin.page import admin_body
from tutela_app.pages.admin.state import AdminState


def register(app: rx.App) -> None:
    protected_page(app, routes.ADMIN, "Amministrazione", on_load=[AdminState.load])(admin_body)
