"""Case board (/casi): columns by stage, filters, moves, live updates."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.board.page import board_body
from tutela_app.pages.board.state import BoardState


def register(app: rx.App) -> None:
    protected_page(app, routes.BOARD, "Bacheca dei casi", on_load=[BoardState.load])(board_body)
