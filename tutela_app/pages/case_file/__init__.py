"""Case file (/casi/[case_id]): child and household, équipe, interventions, network, timeline."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.case_file.page import case_file_body
from tutela_app.pages.case_file.state import CaseFileState


def register(app: rx.App) -> None:
    protected_page(app, routes.CASE_FILE, "Pratica", on_load=[CaseFileState.load])(case_file_body)
