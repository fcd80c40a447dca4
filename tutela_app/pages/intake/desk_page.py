"""The front-desk page (/sportello): start an accesso, resume drafts, reprint schede,
follow up referrals."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.intake.desk_state import IntakeDeskState as S

DARK = "#1a1a1a"
FIELD = {"padding": "0.5em", "border": "2px solid #4a4a4a", "border_radius": "6px", "background": "white",
         "color": DARK}
CELL = {"padding": "0.4em 0.6em", "border_bottom": "1px solid #8a8a8a", "text_align": "left", "vertical_align": "top"}


def _table(caption: str, headers: list[str], body: rx.Component) -> rx.Component:
    return rx.el.table(
        rx.el.caption(caption, style={"text_align": "left", "font_weight": "bold", "padding_bottom": "0.4em"}),
        rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col", style=CELL) for h in headers])),
        rx.el.tbody(body),
        style={"width": "100%", "border_collapse": "collapse"},
    )


def new_accesso() -> rx.Component:
    return rx.el.section(
        rx.heading("Nuovo accesso", as_="h2", size="5"),
        rx.cond(S.can_start, rx.form(
            rx.hstack(
                rx.vstack(
                    rx.el.label("Comune in cui si svolge l'accesso", html_for="comune-accesso"),
                    rx.el.select(rx.foreach(S.tenants, lambda t: rx.el.option(t["name"], value=t["id"])),
                                 id="comune-accesso", name="comune", style=FIELD),
                    spacing="1",
                ),
                rx.button("Nuovo accesso", type="submit", size="3", id="nuovo-accesso"),
                align="end", spacing="3", wrap="wrap",
            ),
            rx.cond(S.error != "", rx.el.p(S.error, role="alert", style={"color": "#a0001c", "font_weight": "bold"})),
            on_submit=S.start,
        ), rx.text("Non hai i permessi per aprire accessi allo sportello.")),
    )


def drafts() -> rx.Component:
    def row(d: dict) -> rx.Component:
        return rx.el.tr(
            rx.el.td(d["number"], style=CELL),
            rx.el.td(d["tenant"], style=CELL),
            rx.el.td(d["person"], style=CELL),
            rx.el.td(d["position"], style=CELL),
            rx.el.td(d["updated"], " – ", d["operator"], rx.cond(d["stale"], rx.el.strong(" (ferma da tempo)")),
                     style=CELL),
            rx.el.td(rx.cond(d["can_resume"], rx.link("Riprendi", href="/sportello/accesso/" + d["id"].to(str),
                                                      aria_label="Riprendi l'accesso " + d["number"].to(str)),
                             rx.text("Solo consultazione")), style=CELL),
        )

    return rx.el.section(
        rx.heading("Bozze da riprendere", as_="h2", size="5"),
        rx.cond(S.drafts.length() > 0,
                _table("Interviste non ancora confermate", ["Numero", "Comune", "Persona", "Punto raggiunto",
                                                            "Ultimo salvataggio", "Azione"], rx.foreach(S.drafts, row)),
                rx.text("Nessuna bozza in sospeso.")),
    )


def recent() -> rx.Component:
    def row(a: dict) -> rx.Component:
        return rx.el.tr(
            *[rx.el.td(a[k], style=CELL) for k in ("number", "tenant", "confirmed", "need_area", "outcome")],
            rx.el.td(rx.button("Scheda PDF", on_click=S.download_scheda(a["id"]), variant="outline", size="1",
                               aria_label="Scheda PDF dell'accesso " + a["number"]), style=CELL),
        )

    return rx.el.section(
        rx.heading("Accessi recenti", as_="h2", size="5"),
        rx.cond(S.recent.length() > 0,
                _table("Ultimi accessi confermati", ["Numero", "Comune", "Confermato", "Area", "Esito", "Scheda"],
                       rx.foreach(S.recent, row)),
                rx.text("Nessun accesso confermato.")),
    )


def referral_form(r: dict) -> rx.Component:
    rid = r["id"].to(str)
    return rx.form(
        rx.el.input(type="hidden", name="referral_id", value=rid),
        rx.el.input(type="hidden", name="version", value=r["version"].to(str)),
        rx.hstack(
            rx.el.label("Esito", html_for="esito-" + rid),
            rx.el.select(rx.el.option("Scegli…", value=""), rx.el.option("Preso in carico", value="si"),
                         rx.el.option("Non preso in carico", value="no"), id="esito-" + rid, name="esito", style=FIELD),
            rx.el.label("Data (gg/mm/aaaa)", html_for="data-" + rid),
            rx.el.input(id="data-" + rid, name="data", style={**FIELD, "width": "8em"}, autocomplete="off"),
            rx.button("Registra", type="submit", size="1"),
            spacing="2", align="center", wrap="wrap",
        ),
        rx.cond((S.referral_error != "") & (S.referral_error_id == rid),
                rx.el.p(S.referral_error, role="alert", style={"color": "#a0001c", "font_weight": "bold"})),
        on_submit=S.mark_referral,
        aria_label="Esito dell'invio " + r["accesso"].to(str),
    )


def referrals() -> rx.Component:
    def row(r: dict) -> rx.Component:
        return rx.el.tr(
            *[rx.el.td(r[k], style=CELL) for k in ("accesso", "person", "kind", "destination", "created", "status")],
            rx.el.td(rx.vstack(
                rx.cond(r["pending"], referral_form(r)),
                rx.button("Lettera PDF", on_click=S.download_letter(r["id"]), variant="outline", size="1",
                          aria_label="Lettera PDF dell'accesso " + r["accesso"].to(str)),
                spacing="2",
            ), style=CELL),
        )

    return rx.el.section(
        rx.heading("Invii e segnalazioni", as_="h2", size="5"),
        rx.cond(S.message != "", rx.text(S.message, role="status")),
        rx.cond(S.referrals.length() > 0,
                _table("Invii ad altri servizi: registra se la persona è stata presa in carico",
                       ["Accesso", "Persona", "Tipo", "Destinazione", "Data", "Stato", "Azioni"],
                       rx.foreach(S.referrals, row)),
                rx.text("Nessun invio registrato.")),
    )


def desk_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Sportello – Segretariato Sociale", as_="h1", size="7"),
        rx.text("Accogli la persona con l'intervista guidata: ogni risposta viene salvata subito."),
        new_accesso(),
        drafts(),
        recent(),
        referrals(),
        rx.link("Torna alla home", href=routes.HOME),
        spacing="5", width="100%",
    )


def register(app: rx.App) -> None:
    protected_page(app, routes.INTAKE, "Sportello", on_load=[S.load])(desk_body)
