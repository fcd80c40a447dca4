"""The court page /casi/[case_id]/tribunale: measures, deadlines, placements, diary,
reports to the court and messa alla prova of one case."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.court.diary_state import DiaryState
from tutela_app.pages.court.probation_state import ProbationState
from tutela_app.pages.court.report_state import ReportState
from tutela_app.pages.court.state import CourtState as S
from tutela_app.pages.court.ui_diary_reports import diary_section, reports_section
from tutela_app.pages.court.ui_measures import measures_section, obligations_section, placements_section
from tutela_app.pages.court.ui_probation import probation_section

TOC = (("Provvedimenti", "provvedimenti"), ("Scadenze", "scadenze"), ("Collocamenti", "collocamenti"),
       ("Diario", "diario"), ("Relazioni al Tribunale", "relazioni"))


def court_body() -> rx.Component:
    return rx.vstack(
        rx.link("← Torna alla scheda del caso", href="/casi/" + S.case_id),
        rx.heading("Tribunale e scadenze — caso ", S.header["number"], as_="h1", size="7"),
        rx.cond(
            S.not_found,
            rx.callout("Caso non trovato o non accessibile.", color_scheme="red", role="alert", high_contrast=True),
            rx.vstack(
                rx.text(rx.text.strong("Minore: "), S.header["initials"], " — ", rx.text.strong("Misura in corso: "), S.header["measure"]),
                rx.el.nav(rx.hstack(*[rx.link(label, href=f"#{anchor}") for label, anchor in TOC],
                                    rx.cond(S.has_map, rx.link("Messa alla prova", href="#messa-alla-prova"), rx.fragment()),
                                    wrap="wrap", spacing="4"), aria_label="Sezioni della pagina"),
                rx.cond(S.message, rx.callout(S.message, color_scheme="green", role="status", high_contrast=True), rx.fragment()),
                measures_section(), obligations_section(), placements_section(), diary_section(), reports_section(),
                rx.cond(S.has_map, probation_section(), rx.fragment()),
                width="100%", align="start",
            ),
        ),
        width="100%", align="start", spacing="3",
    )


def register(app: rx.App) -> None:
    from tutela_app.pages.court import admin_rules  # noqa: PLC0415

    protected_page(app, routes.CASE_COURT, "Tribunale e scadenze",
                   on_load=[S.load, DiaryState.load, ReportState.load, ProbationState.load])(court_body)
    admin_rules.register(app)
