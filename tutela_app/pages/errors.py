"""404 and "access not authorised" pages (no data, no session needed)."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import shell


def not_found() -> rx.Component:
    return shell(
        rx.vstack(
            rx.heading("Pagina non trovata", as_="h1", size="7"),
            rx.text("L'indirizzo richiesto non esiste o non è più disponibile."),
            rx.text("Da qui puoi tornare al lavoro:"),
            rx.el.ul(
                rx.el.li(rx.link("Home", href=routes.HOME)),
                rx.el.li(rx.link("Sportello (accoglienza)", href=routes.INTAKE)),
                rx.el.li(rx.link("Bacheca dei casi", href=routes.BOARD)),
                rx.el.li(rx.link("Cruscotti", href=routes.DASHBOARDS)),
            ),
            spacing="3",
        )
    )


def not_authorised() -> rx.Component:
    return shell(
        rx.vstack(
            rx.heading("Accesso non autorizzato", as_="h1", size="7"),
            rx.text(
                "Il tuo account è stato riconosciuto, ma non ha un ruolo valido in Tutela "
                "oppure non è associato a nessun Comune servito."
            ),
            rx.text(
                "Chiedi al tuo responsabile o all'amministratore della cooperativa di "
                "assegnarti un ruolo per il tuo Comune."
            ),
            rx.el.a("Esci", href=routes.LOGOUT, style={"text_decoration": "underline"}),
            spacing="3",
        )
    )


def register(app: rx.App) -> None:
    app.add_page(not_found, route="404", title="Pagina non trovata · Tutela")
    app.add_page(not_authorised, route=routes.NOT_AUTHORISED, title="Accesso non autorizzato · Tutela")
