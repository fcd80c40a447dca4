"""The administration page body."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.admin.components import grants_section, messages, tenants_section
from tutela_app.pages.admin.state import AdminState


def admin_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Amministrazione", as_="h1", size="7"),
        messages(),
        rx.cond(
            AdminState.allowed, rx.vstack(tenants_section(), grants_section(), spacing="6", width="100%")
        ),
        spacing="4",
        width="100%",
    )
