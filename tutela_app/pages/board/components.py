"""Board UI pieces: filter form, urgency badge, card with its "Sposta" form, column."""

from __future__ import annotations

import reflex as rx

from tutela_app.domain import case_workflow as wf
from tutela_app.domain.measures import MeasureType
from tutela_app.pages.board.state import BoardState, Card, Column
from tutela_app.services.board_query import DEADLINE_FILTERS

FOCUS = {"_focus_visible": {"outline": "3px solid #0b5cad", "outline_offset": "2px"}}
URGENCY_STYLE = {
    "overdue": {"background": "#b42318", "color": "white"},
    "this_week": {"background": "#fff3d6", "color": "#6b3a00", "border": "1px solid #8a4b00"},
    "later": {"background": "#e7f5ea", "color": "#1e5b30", "border": "1px solid #1e6b35"},
}
SELECT_STYLE = {"padding": "0.35em", "border": "1px solid #555", "border_radius": "4px", "background": "white",
                "color": "#1a1a1a", **FOCUS}


def labelled_select(label: str, name: str, options, value, all_label: str = "Tutti") -> rx.Component:  # noqa: ANN001
    ident = f"filtro-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=ident, style={"font_weight": "600"}),
        rx.el.select(
            rx.el.option(all_label, value=""),
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
            id=ident, name=name, default_value=value, key=f"{ident}-{value}", style=SELECT_STYLE,
        ),
        spacing="1",
    )


def _static(options: dict[str, str]) -> list[dict[str, str]]:
    return [{"value": k, "label": v} for k, v in options.items()]


def filter_form() -> rx.Component:
    measures = _static({m.value: m.label for m in MeasureType})
    return rx.el.form(
        rx.flex(
            rx.vstack(
                rx.el.label("Cerca per nome o numero di pratica", html_for="filtro-q", style={"font_weight": "600"}),
                rx.el.input(id="filtro-q", name="q", type="search", max_length=80,
                            default_value=BoardState.filters.get("q", ""), key=BoardState.filters.get("q", ""),
                            style={**SELECT_STYLE, "min_width": "16em"}),
                spacing="1",
            ),
            labelled_select("Comune", "tenant_id", BoardState.tenant_options, BoardState.filters.get("tenant_id", "")),
            labelled_select("Operatore", "staff_id", BoardState.staff_options, BoardState.filters.get("staff_id", "")),
            labelled_select("Fase", "stage", BoardState.stage_options, BoardState.filters.get("stage", ""), "Tutte"),
            labelled_select("Misura", "measure_type", measures, BoardState.filters.get("measure_type", ""), "Tutte"),
            labelled_select("Scadenza", "deadline", _static(DEADLINE_FILTERS), BoardState.filters.get("deadline", ""), "Tutte"),
            rx.hstack(
                rx.button("Filtra", type="submit", style=FOCUS),
                rx.button("Azzera filtri", type="button", variant="outline", on_click=BoardState.clear_filters, style=FOCUS),
                align="end", spacing="2",
            ),
            wrap="wrap", spacing="4", align="end",
        ),
        on_submit=BoardState.apply_filters,
        reset_on_submit=False,
        aria_label="Filtri della bacheca",
    )


def service_switch() -> rx.Component:
    def button(option) -> rx.Component:  # noqa: ANN001
        active = BoardState.service == option["value"]
        return rx.button(
            option["label"], type="button", on_click=BoardState.set_service(option["value"]),
            variant=rx.cond(active, "solid", "outline"), aria_pressed=rx.cond(active, "true", "false"), style=FOCUS,
        )

    return rx.hstack(rx.foreach(BoardState.service_options, button), role="group", aria_label="Servizio", spacing="2")


def urgency_badge(card: Card) -> rx.Component:
    """Urgency in words and colour (never colour alone)."""
    base = {"padding": "0.1em 0.5em", "border_radius": "999px", "font_size": "0.85em", "font_weight": "600"}
    return rx.cond(
        card.urgency != "",
        rx.match(
            card.urgency,
            *[(key, rx.el.span(card.urgency_label, style={**base, **style}, data_urgency=key))
              for key, style in URGENCY_STYLE.items()],
            rx.fragment(),
        ),
    )


def move_form(card: Card, column: Column) -> rx.Component:
    ident = "sposta-" + card.id
    reason_id = "motivo-" + card.id
    return rx.el.details(
        rx.el.summary("Sposta", style={"cursor": "pointer", "font_weight": "600", "color": "#0b4f8a", **FOCUS}),
        rx.el.form(
            rx.el.input(type="hidden", name="case_id", value=card.id),
            rx.el.input(type="hidden", name="version", value=card.version),
            rx.el.label("Nuova fase", html_for=ident),
            rx.el.select(rx.foreach(column.targets, lambda t: rx.el.option(t["label"], value=t["value"])),
                         id=ident, name="to_stage", style=SELECT_STYLE),
            rx.el.label("Motivo della chiusura (solo se chiudi)", html_for=reason_id),
            rx.el.select(rx.el.option("—", value=""),
                         *[rx.el.option(label, value=key) for key, label in wf.CLOSURE_REASONS.items()],
                         id=reason_id, name="closure_reason", style=SELECT_STYLE),
            rx.button("Conferma spostamento", type="submit", size="1", style=FOCUS),
            on_submit=BoardState.move_card, reset_on_submit=False,
            style={"display": "flex", "flex_direction": "column", "gap": "0.3em", "margin_top": "0.4em"},
        ),
    )


def card_view(card: Card, column: Column) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.link(rx.text.span(card.initials, " · ", card.age), href=card.href, weight="bold", style=FOCUS),
                    rx.spacer(),
                    urgency_badge(card),
                    width="100%", align="center",
                ),
                rx.text(card.number, " · ", card.tenant, size="2", color="#333"),
                rx.text("Équipe: ", card.team, size="2", color="#333"),
                rx.cond(card.measure != "", rx.text("Misura: ", card.measure, size="2", color="#333")),
                rx.cond(card.deadline != "", rx.text("Prossima scadenza: ", card.deadline, size="2", color="#333")),
                rx.cond(card.error != "", rx.el.p(card.error, role="alert",
                                                  style={"color": "#8a1c12", "font_weight": "600", "font_size": "0.9em"})),
                move_form(card, column),
                spacing="1", align="start",
            ),
            width="100%",
        ),
        data_case_id=card.id,
        data_case_number=card.number,
        style={"list_style": "none"},
    )


def column_view(column: Column) -> rx.Component:
    heading_id = "colonna-" + column.stage
    return rx.el.section(
        rx.heading(column.label, " (", column.count, ")", as_="h2", size="3", id=heading_id),
        rx.el.ul(rx.foreach(column.cards, lambda c: card_view(c, column)),
                 style={"padding": "0", "margin": "0", "display": "flex", "flex_direction": "column", "gap": "0.5em"}),
        rx.cond(
            column.shown < column.count,
            rx.button("Mostra altri (", column.shown, " di ", column.count, ")", type="button", variant="outline",
                      on_click=BoardState.show_more(column.stage), style=FOCUS),
        ),
        aria_labelledby=heading_id,
        data_stage=column.stage,
        style={"min_width": "260px", "flex": "1", "display": "flex", "flex_direction": "column", "gap": "0.5em",
               "background": "#f4f6f8", "padding": "0.6em", "border_radius": "8px"},
    )
