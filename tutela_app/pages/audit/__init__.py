"""Registro accessi (/audit): who did what to which record, for coordinators and
administrators, scoped to their Comuni; filters, paging and CSV export."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.audit.page import audit_body
from tutela_app.pages.audit.state import AuditLogState


def register(app: rx.App) -> None:
    protected_page(app, routes.AUDIT, "Registro accessi", on_load=[AuditLogState.load])(audit_body)
