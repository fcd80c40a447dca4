"""Privacy (/amministrazione/privacy): retention per Comune with its dry run, and the data
subject's access request (GDPR art. 15) exported as JSON."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.privacy.page import privacy_body
from tutela_app.pages.privacy.state import PrivacyState


def register(app: rx.App) -> None:
    protected_page(app, routes.ADMIN_PRIVACY, "Privacy", on_load=[PrivacyState.load])(privacy_body)
