"""The audit log page body."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.audit.components import events_table, filter_form
from tutela_app.pages.audit.state import AuditLogState


def audit_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Registro accessi", as_="h1", size="7"),
        rx.text(
            "Chi ha letto o modificato quali dati, quando e da quale sessione, nei Comuni di tua competenza. "
            "Anche la consultazione di questo registro viene registrata."
        ),
        rx.box(
            rx.cond(AuditLogState.message != "", rx.callout(AuditLogState.message, color_scheme="green")),
            rx.cond(
                AuditLogState.error != "", rx.callout(AuditLogState.error, color_scheme="red", role="alert")
            ),
            role="status",
            aria_live="polite",
            width="100%",
        ),
        rx.cond(AuditLogState.allowed, rx.vstack(filter_form(), events_table(), spacing="4", width="100%")),
        spacing="4",
        width="100%",
    )
