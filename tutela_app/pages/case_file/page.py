"""The case file page body: header, conflict panel, tabs."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.case_file.components import (
    FOCUS,
    child_tab,
    conflict_panel,
    header_block,
    summary_block,
    team_tab,
    timeline_tab,
)
from tutela_app.pages.case_file.state import CaseFileState as S
from tutela_app.pages.case_file.work_components import interventions_tab, network_tab

TABS = (("minore", "Minore e nucleo", child_tab), ("equipe", "Équipe", team_tab),
        ("interventi", "Interventi", interventions_tab), ("rete", "Rete", network_tab),
        ("cronologia", "Cronologia", timeline_tab))


def not_found_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Pratica non trovata", as_="h1", size="7"),
        rx.text("La pratica richiesta non esiste o non è tra quelle a cui hai accesso."),
        rx.link("Torna alla bacheca dei casi", href="/casi", style=FOCUS),
        spacing="3",
    )


def found_body() -> rx.Component:
    return rx.vstack(
        header_block(),
        rx.el.div(
            rx.cond(S.message != "", rx.el.p(S.message, style={"color": "#1e5b30", "font_weight": "600"})),
            rx.cond(S.errors.contains("form"), rx.el.p(S.errors["form"], style={"color": "#8a1c12", "font_weight": "600"})),
            role="status", aria_live="polite",
        ),
        conflict_panel(),
        summary_block(),
        rx.tabs.root(
            rx.tabs.list(*[rx.tabs.trigger(label, value=key, style=FOCUS) for key, label, _ in TABS],
                         aria_label="Sezioni della pratica"),
            *[rx.tabs.content(body(), value=key, padding_top="1em") for key, _, body in TABS],
            default_value="minore", width="100%",
        ),
        spacing="4", width="100%",
    )


def case_file_body() -> rx.Component:
    return rx.cond(S.found, found_body(), rx.cond(S.not_found, not_found_body(),
                                                  rx.heading("Caricamento della pratica…", as_="h1", size="5")))
