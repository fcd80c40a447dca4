"""Stateless pieces of the dashboard page: filter bar, key figures, chart panels with tables."""

from __future__ import annotations

import plotly.graph_objects as go
import reflex as rx

from tutela_app.pages.dashboards.state import CUSTOM, DashboardState
from tutela_app.services.metrics_filters import ALL_COMUNI, PRESETS, SERVICES

S = DashboardState
VISUALLY_HIDDEN = {
    "position": "absolute", "width": "1px", "height": "1px", "overflow": "hidden",
    "clip": "rect(0 0 0 0)", "white_space": "nowrap", "margin": "-1px", "padding": "0", "border": "0",
}
FIELD = {"padding": "0.4em", "border": "1px solid #6b6b6b", "border_radius": "4px", "background": "white",
         "color": "#1f1f1f", "min_height": "2.3em"}
BUTTON = {"padding": "0.4em 0.9em", "border": "1px solid #0f4c5c", "border_radius": "4px", "background": "#0f4c5c",
          "color": "white", "cursor": "pointer", "font_weight": "600"}
BUTTON_LIGHT = {**BUTTON, "background": "white", "color": "#0f4c5c"}
NOTICE = {"background": "#fff4d6", "color": "#4a3000", "border_left": "4px solid #b36b00", "padding": "0.5em 0.8em",
          "margin": "0"}
TEMPLATE = go.layout.Template(layout={"font": {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif"}})


def labelled(label: str, control: rx.Component, html_for: str) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=html_for, style={"font_weight": "600"}), control, spacing="1")


def _select(id_: str, value, on_change, options: list[rx.Component] | rx.Component) -> rx.Component:  # noqa: ANN001
    children = options if isinstance(options, list) else [options]
    return rx.el.select(*children, id=id_, name=id_, value=value, on_change=on_change, style=FIELD)


def filter_bar() -> rx.Component:
    period = rx.el.form(
        rx.hstack(
            labelled("Periodo", _select(
                "filtro-periodo", S.f_preset, S.set_preset,
                [rx.el.option(label, value=key) for key, label in PRESETS.items()]
                + [rx.el.option("Personalizzato", value=CUSTOM, disabled=True)],
            ), "filtro-periodo"),
            labelled("Dal", rx.el.input(type="date", id="filtro-da", name="filtro-da", value=S.f_from, on_change=S.set_date_from,
                                        style=FIELD), "filtro-da"),
            labelled("Al", rx.el.input(type="date", id="filtro-a", name="filtro-a", value=S.f_to, on_change=S.set_date_to,
                                       style=FIELD), "filtro-a"),
            rx.el.button("Applica periodo", type="submit", style=BUTTON),
            align="end", spacing="3", wrap="wrap",
        ),
        rx.cond(S.period_error != "", rx.text(S.period_error, color="#a4000f", id="errore-periodo", role="alert")),
        on_submit=S.apply_period,
        prevent_default=True,
    )
    return rx.el.section(
        rx.heading("Filtri", as_="h2", size="4"),
        rx.hstack(
            period,
            labelled("Comune", _select(
                "filtro-comune", S.f_comune, S.set_comune,
                [rx.el.option("Tutti i miei Comuni", value=ALL_COMUNI),
                 rx.foreach(S.comuni, lambda c: rx.el.option(c["name"], value=c["code"]))],
            ), "filtro-comune"),
            labelled("Servizio", _select(
                "filtro-servizio", S.f_service, S.set_service,
                [rx.el.option(label, value=key) for key, label in SERVICES.items()],
            ), "filtro-servizio"),
            align="end", spacing="5", wrap="wrap",
        ),
        rx.foreach(S.notices, lambda n: rx.el.p(n, role="status", style=NOTICE)),
        rx.text("Stai guardando: ", rx.text.span(S.filter_label, weight="bold"), id="filtro-corrente",
                aria_live="polite"),
        aria_label="Filtri dei cruscotti",
        style={"display": "flex", "flex_direction": "column", "gap": "0.8em", "padding": "1em",
               "border": "1px solid #c8d3d6", "border_radius": "6px", "background": "#f6f9fa"},
    )


def key_figures() -> rx.Component:
    return rx.el.section(
        rx.heading("Indicatori principali", as_="h2", size="4"),
        rx.grid(
            rx.foreach(S.kpis, lambda k: rx.card(rx.vstack(
                rx.text(k["label"], size="2"), rx.text(k["value"], size="6", weight="bold"), spacing="1",
            ))),
            columns=rx.breakpoints(initial="2", md="5"), spacing="3", width="100%",
        ),
        aria_label="Indicatori principali",
    )


def _data_table(key: str) -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.caption(S.titles[key], style={"text_align": "left", "font_weight": "600"}),
            rx.el.thead(rx.el.tr(rx.foreach(S.columns[key], lambda c: rx.el.th(c, scope="col", style=_cell(True))))),
            rx.el.tbody(rx.foreach(S.rows[key], lambda row: rx.el.tr(rx.foreach(
                row, lambda v, i: rx.cond(i == 0, rx.el.th(v, scope="row", style=_cell(True)),
                                          rx.el.td(v, style=_cell(False)))),
            ))),
            style={"border_collapse": "collapse", "width": "100%", "font_size": "0.9em"},
            class_name="tabella-dati",
        ),
        rx.text(S.notes[key], size="1", color="#333333"),
        style={"overflow_x": "auto"},
    )


def _cell(header: bool) -> dict:
    return {"border": "1px solid #9aa5a8", "padding": "0.3em 0.5em", "text_align": "left" if header else "right",
            "background": "#e8eef0" if header else "white"}


def chart_panel(key: str) -> rx.Component:
    return rx.cond(
        S.visible[key],
        rx.el.section(
            rx.heading(S.titles[key], as_="h3", style=VISUALLY_HIDDEN),
            rx.plotly(data=S.figures[key], template=TEMPLATE, config={"displayModeBar": False, "responsive": True},
                      use_resize_handler=True, style={"width": "100%"}),
            rx.hstack(
                rx.el.button(rx.cond(S.show_table[key], "Nascondi tabella", "Mostra tabella"),
                             on_click=S.toggle_table(key), aria_expanded=rx.cond(S.show_table[key], "true", "false"),
                             aria_controls=f"tabella-{key}", style=BUTTON_LIGHT, type="button"),
                rx.el.button("Esporta CSV", on_click=S.export_csv(key), style=BUTTON_LIGHT, type="button",
                             aria_label=rx.Var.create("Esporta CSV: ") + S.titles[key]),
                spacing="3",
            ),
            rx.el.div(rx.cond(S.show_table[key], _data_table(key)), id=f"tabella-{key}"),
            id=f"grafico-{key}",
            aria_label=S.titles[key],
            style={"border": "1px solid #c8d3d6", "border_radius": "6px", "padding": "0.8em", "background": "white",
                   "display": "flex", "flex_direction": "column", "gap": "0.6em", "min_width": "0"},
        ),
    )
