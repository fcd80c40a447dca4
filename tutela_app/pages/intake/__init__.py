"""Front desk (Segretariato Sociale): the desk page and the intake wizard."""

from __future__ import annotations

import reflex as rx


def register(app: rx.App) -> None:
    from tutela_app.pages.intake import desk_page, wizard_page

    desk_page.register(app)
    wizard_page.register(app)
