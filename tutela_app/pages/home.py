"""Home page: what the signed-in person can do today."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.my_deadlines import MyDeadlinesState, my_deadlines_section
from tutela_app.state.session import SessionState


def surface_card(title: str, text: str, href: str, link_label: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, as_="h2", size="4"),
            rx.text(text),
            rx.link(link_label, href=href, weight="bold"),
            spacing="2",
        ),
        width="100%",
    )


def home_body() -> rx.Component:
    return rx.vstack(
        rx.heading(rx.text.span("Buongiorno, "), SessionState.display_name, as_="h1", size="7"),
        rx.text("Scegli da dove iniziare."),
        rx.grid(
            rx.cond(
                SessionState.nav_intake,
                surface_card(
                    "Sportello",
                    "Accogli una persona con l'intervista guidata e riprendi le bozze in sospeso.",
                    routes.INTAKE,
                    "Apri lo sportello",
                ),
            ),
            rx.cond(
                SessionState.nav_cases,
                surface_card(
                    "Casi",
                    "La bacheca dei casi dell'équipe, con le prossime scadenze di legge.",
                    routes.BOARD,
                    "Apri la bacheca",
                ),
            ),
            rx.cond(
                SessionState.nav_dashboards,
                surface_card(
                    "Cruscotti",
                    "Andamento dei servizi ed efficacia degli interventi, per Comune e periodo.",
                    routes.DASHBOARDS,
                    "Apri i cruscotti",
                ),
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        my_deadlines_section(),
        spacing="4",
        width="100%",
    )


def register(app: rx.App) -> None:
    protected_page(app, routes.HOME, "Home", on_load=[MyDeadlinesState.load])(home_body)
