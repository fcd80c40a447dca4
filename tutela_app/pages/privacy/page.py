"""The privacy administration page body (/amministrazione/privacy)."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.privacy.components import export_section, messages, report_section, retention_section
from tutela_app.pages.privacy.state import PrivacyState as S


def privacy_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Privacy: conservazione e diritti degli interessati", as_="h1", size="7"),
        messages(),
        rx.cond(
            S.allowed,
            rx.vstack(
                report_section(),  # above the list of Comuni, so the result is seen without scrolling
                rx.cond(S.retention.length() > 0, retention_section(), rx.fragment()),
                rx.cond(S.export_comuni.length() > 0, export_section(), rx.fragment()),
                spacing="5",
                width="100%",
            ),
            rx.fragment(),
        ),
        spacing="4",
        width="100%",
    )
