"""The /cruscotti page: filters, key figures, every chart with its table, the service report."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.dashboards.components import (
    BUTTON,
    BUTTON_LIGHT,
    FIELD,
    chart_panel,
    filter_bar,
    key_figures,
    labelled,
)
from tutela_app.pages.dashboards.report_state import ServiceReportState as R
from tutela_app.pages.dashboards.state import DashboardState as S
from tutela_app.services.metrics import METRIC_KEYS

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Carico di lavoro e flussi dei casi",
     ("casi_per_comune", "casi_per_fase", "casi_per_misura", "casi_per_operatore", "casi_per_mese", "tempo_in_fase")),
    ("Tutela Minori: scadenze, esiti ed efficacia",
     ("relazioni_in_termine", "obiettivi", "esiti_collocamenti", "durata_collocamenti", "messa_alla_prova")),
    ("Segretariato Sociale", ("accessi", "invii", "accessi_ripetuti")),
)
assert sorted(k for _, keys in GROUPS for k in keys) == sorted(METRIC_KEYS)


def _group(title: str, keys: tuple[str, ...]) -> rx.Component:
    return rx.el.section(
        rx.heading(title, as_="h2", size="5"),
        rx.grid(*(chart_panel(k) for k in keys), columns=rx.breakpoints(initial="1", lg="2"), spacing="4", width="100%"),
        style={"display": "flex", "flex_direction": "column", "gap": "0.8em"},
    )


def report_section() -> rx.Component:
    form = rx.el.form(
        rx.hstack(
            labelled("Comune della relazione", rx.el.select(
                rx.foreach(R.report_comuni, lambda c: rx.el.option(c["name"], value=c["code"])),
                id="relazione-comune", name="relazione-comune", value=R.r_comune, on_change=R.set_report_comune, style=FIELD,
            ), "relazione-comune"),
            labelled("Dal", rx.el.input(type="date", id="relazione-da", name="relazione-da", value=R.r_from, on_change=R.set_report_from,
                                        style=FIELD), "relazione-da"),
            labelled("Al", rx.el.input(type="date", id="relazione-a", name="relazione-a", value=R.r_to, on_change=R.set_report_to,
                                       style=FIELD), "relazione-a"),
            rx.el.button(rx.cond(R.running, "Generazione in corso…", "Genera la relazione"), type="submit",
                         disabled=R.running, style=BUTTON),
            align="end", spacing="3", wrap="wrap",
        ),
        on_submit=R.generate,
        prevent_default=True,
    )
    progress = rx.cond(
        R.progress > 0,
        rx.vstack(
            rx.progress(value=R.progress, max=100, aria_label="Avanzamento della relazione", width="100%"),
            rx.text(R.progress_label, id="relazione-stato"),
            spacing="1", width="100%", role="status",
        ),
    )
    archive = rx.cond(
        R.reports.length() > 0,
        rx.el.table(
            rx.el.caption("Relazioni archiviate", style={"text_align": "left", "font_weight": "600"}),
            rx.el.thead(rx.el.tr(*(rx.el.th(h, scope="col", style={"text_align": "left", "padding": "0.3em"})
                                   for h in ("Comune", "Periodo", "Generata il", "Stato", "Documento")))),
            rx.el.tbody(rx.foreach(R.reports, lambda r: rx.el.tr(
                rx.el.td(r["comune"]), rx.el.td(r["period"]), rx.el.td(r["created"]), rx.el.td(r["status"]),
                rx.el.td(rx.cond(r["ready"] != "", rx.el.button(
                    "Scarica PDF", on_click=R.download(r["id"]), type="button", style=BUTTON_LIGHT,
                    aria_label="Scarica PDF: relazione " + r["comune"] + " " + r["period"],
                ), rx.text("—"))),
            ))),
            id="relazioni-archiviate", style={"border_collapse": "collapse", "width": "100%"},
        ),
        rx.text("Nessuna relazione archiviata."),
    )
    return rx.el.section(
        rx.heading("Relazione sull'andamento del servizio", as_="h2", size="5"),
        rx.text("Documento PDF per il Comune con gli indicatori del periodo, il confronto con il periodo "
                "precedente, i grafici e un commento delle principali variazioni."),
        rx.cond(R.can_generate, form),
        rx.cond(R.r_error != "", rx.text(R.r_error, color="#a4000f", role="alert")),
        progress,
        archive,
        style={"display": "flex", "flex_direction": "column", "gap": "0.8em", "padding": "1em",
               "border": "1px solid #c8d3d6", "border_radius": "6px"},
    )


def dashboards_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Cruscotti", as_="h1", size="7"),
        rx.text("Andamento dei servizi ed efficacia degli interventi. Ogni grafico risponde a una domanda e "
                "può essere letto come tabella o esportato in CSV. Solo dati aggregati."),
        rx.cond(
            S.error != "",
            rx.el.p(S.error, role="alert", style={"background": "#fde8e8", "color": "#7a0010", "padding": "0.6em 0.9em",
                                                 "border_left": "4px solid #a4000f"}),
            rx.vstack(filter_bar(), key_figures(), *(_group(t, keys) for t, keys in GROUPS), report_section(),
                      spacing="5", width="100%"),
        ),
        spacing="4",
        width="100%",
    )
