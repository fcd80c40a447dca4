"""The board page body."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.board.components import column_view, filter_form, service_switch
from tutela_app.pages.board.state import BoardState


def board_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Bacheca dei casi", as_="h1", size="7"),
        rx.text("Casi per fase, ordinati per prossima scadenza di legge. La bacheca si aggiorna da sola "
                "quando un collega modifica un caso."),
        service_switch(),
        filter_form(),
        rx.el.div(
            rx.cond(BoardState.message != "", rx.el.p(BoardState.message, style={"color": "#1e5b30", "font_weight": "600"})),
            rx.cond(BoardState.error != "", rx.el.p(BoardState.error, style={"color": "#8a1c12", "font_weight": "600"})),
            role="status", aria_live="polite",
        ),
        rx.text(BoardState.service_label, " · ", BoardState.total, " casi", weight="medium", id="totale-casi"),
        rx.flex(rx.foreach(BoardState.columns, column_view), spacing="3", width="100%", align="start",
                overflow_x="auto"),
        spacing="4",
        width="100%",
    )
