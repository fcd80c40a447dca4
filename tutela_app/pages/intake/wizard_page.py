"""The intake wizard page (/sportello/accesso/[accesso_id])."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.intake.wizard_inputs import HELP_ID, answer_input, error_text
from tutela_app.pages.intake.wizard_state import IntakeWizardState as S

STATUS_TEXT = {"done": "completata", "current": "in corso", "todo": "da fare"}
DARK = "#1a1a1a"


def progress_path() -> rx.Component:
    def step(sec: dict) -> rx.Component:
        current = sec["status"] == "current"
        return rx.el.li(
            rx.text(sec["name"], " – ", rx.match(sec["status"], ("done", "completata"), ("current", "in corso"), "da fare"),
                    weight=rx.cond(current, "bold", "regular")),
            aria_current=rx.cond(current, "step", "false"),
            style={"border_left": rx.cond(current, "4px solid #0f4c5c", "4px solid #c8c8c8"), "padding_left": "0.5em"},
        )

    return rx.el.nav(
        rx.heading("Percorso dell'intervista", as_="h2", size="3"),
        rx.text(S.progress_label, size="2"),
        rx.el.ol(rx.foreach(S.sections, step), style={"list_style": "none", "padding": 0}),
        aria_label="Percorso dell'intervista",
    )


def transcript() -> rx.Component:
    def item(t: dict) -> rx.Component:
        return rx.el.li(
            rx.el.button(
                rx.text(t["prompt"], size="2"),
                rx.text(t["display"], weight="bold"),
                rx.text("Modifica", size="1", style={"text_decoration": "underline"}),
                on_click=S.edit_question(t["qid"]),
                type="button",
                style={"text_align": "left", "width": "100%", "background": "white", "color": DARK,
                       "border": "1px solid #8a8a8a", "border_radius": "6px", "padding": "0.4em 0.6em",
                       "cursor": "pointer"},
            ),
            style={"margin_bottom": "0.4em"},
        )

    return rx.el.section(
        rx.heading("Risposte date", as_="h2", size="3"),
        rx.cond(S.transcript.length() > 0, rx.el.ol(rx.foreach(S.transcript, item), style={"list_style": "none",
                "padding": 0}), rx.text("Ancora nessuna risposta.")),
        aria_label="Risposte date",
    )


def risk_alert() -> rx.Component:
    return rx.cond(
        S.risk_at_risk & ~S.is_confirmed,
        rx.callout.root(
            rx.callout.text(
                rx.el.strong("Un minore potrebbe essere a rischio. "),
                "Ti proponiamo l'esito «Segnalazione alla Tutela Minori».",
                rx.cond(S.risk_urgent, rx.el.strong(" Urgente: avvisa subito il coordinatore di Tutela Minori.")),
            ),
            rx.el.ul(rx.foreach(S.risk_reasons, lambda r: rx.el.li(r))),
            color_scheme="red", role="alert", id="avviso-rischio",
        ),
    )


def person_panel() -> rx.Component:
    def match(m: dict) -> rx.Component:
        return rx.card(rx.vstack(
            rx.text(rx.el.strong(m["full_name"]), " – nato/a il ", m["birth_date"], " – ", m["identifier"]),
            rx.text("Trovata per ", m["matched_by"], size="2"),
            rx.text("Accessi precedenti: ", m["accessi"], size="2"),
            rx.text("Casi aperti: ", m["open_cases"], size="2"),
            rx.button("Collega questa persona", on_click=S.link_person(m["person_id"]), type="button"),
            spacing="1", align="start",
        ))

    return rx.fragment(
        rx.cond(S.person.contains("person_id"), rx.callout.root(rx.callout.text(
            "Persona collegata all'anagrafica: ", rx.el.strong(S.person["full_name"]), " (", S.person["identifier"], ")",
        ), rx.button("Scollega", on_click=S.unlink_person, variant="outline", size="1", type="button",
                     display=rx.cond(S.is_confirmed, "none", "inline-flex")), color_scheme="green")),
        rx.cond(S.matches.length() > 0, rx.el.section(
            rx.heading("Questa persona è già conosciuta?", as_="h2", size="4"),
            rx.text("Nei registri del Comune ci sono persone con gli stessi dati. Collega quella giusta per "
                    "ritrovarne la storia."),
            rx.foreach(S.matches, match),
            rx.button("No, è un'altra persona", on_click=S.dismiss_matches, variant="outline", type="button"),
            aria_label="Persone già conosciute", id="persone-trovate",
            style={"border": "2px solid #0f4c5c", "padding": "1em", "border_radius": "8px"},
        )),
    )


def question_panel() -> rx.Component:
    return rx.el.section(
        rx.text(S.q_section, weight="bold", color="#0f4c5c"),
        rx.heading(S.q_prompt, as_="h2", size="6", id="domanda-testo"),
        rx.text(S.q_help, id=HELP_ID, color=DARK),
        rx.cond(S.q_hint != "", rx.text(S.q_hint, size="2", color=DARK)),
        rx.cond((S.q_id == "outcome") & (S.suggested_label != ""),
                rx.text("Esito suggerito dal sistema: ", rx.el.strong(S.suggested_label), id="esito-suggerito")),
        rx.cond(S.warnings.length() > 0, rx.callout.root(rx.el.ul(rx.foreach(S.warnings, lambda w: rx.el.li(w))),
                                                         color_scheme="amber", role="status")),
        answer_input(),
        rx.cond(S.q_kind.contains("choice") | (S.q_kind == "yesno"), error_text()),
        rx.cond(S.editing, rx.button("Torna alla domanda corrente", on_click=S.back_to_current, variant="outline",
                                     type="button")),
        aria_labelledby="domanda-testo",
        style={"display": "flex", "flex_direction": "column", "gap": "0.8em"},
    )


def summary_panel() -> rx.Component:
    return rx.el.section(
        rx.heading("Riepilogo prima della conferma", as_="h2", size="6"),
        rx.text("Controlla le risposte: puoi modificarle dall'elenco «Risposte date». Confermando, i dati della "
                "persona e del nucleo vengono registrati e l'esito diventa operativo."),
        rx.el.dl(rx.foreach(S.transcript, lambda t: rx.fragment(rx.el.dt(t["prompt"], style={"font_weight": "bold"}),
                                                                 rx.el.dd(t["display"])))),
        error_text(),
        rx.button("Conferma l'accesso", on_click=S.confirm, size="3", loading=S.saving, auto_focus=True,
                  type="button", id="conferma-accesso"),
        style={"display": "flex", "flex_direction": "column", "gap": "0.8em"},
    )


def confirmed_panel() -> rx.Component:
    return rx.el.section(
        rx.heading("Accesso confermato", as_="h2", size="6"),
        rx.text("Esito: ", rx.el.strong(S.outcome_label)),
        rx.cond(S.referral_label != "", rx.text(S.referral_label)),
        rx.cond(S.case_id > 0, rx.text("È stato aperto il caso ", rx.el.strong(S.case_number), ". ",
                                       rx.link("Apri il fascicolo del caso", href=S.case_url))),
        rx.hstack(
            rx.button("Scarica la scheda di accesso (PDF)", on_click=S.download_scheda, type="button"),
            rx.cond(S.referral_id > 0, rx.button("Scarica la lettera (PDF)", on_click=S.download_letter,
                                                 type="button", variant="outline")),
            rx.link("Torna allo sportello", href=routes.INTAKE),
            spacing="4", align="center", wrap="wrap",
        ),
        style={"display": "flex", "flex_direction": "column", "gap": "0.8em"},
    )


def wizard_body() -> rx.Component:
    return rx.vstack(
        rx.heading(rx.cond(S.number != "", "Accesso " + S.number, "Accesso allo sportello"), as_="h1", size="7"),
        rx.cond(S.tenant_name != "", rx.text(S.tenant_name)),
        rx.cond(
            S.not_found,
            rx.vstack(rx.text("Accesso non trovato o non accessibile."), rx.link("Torna allo sportello", href=routes.INTAKE)),
            rx.cond(S.loaded, rx.grid(
                rx.vstack(
                    rx.cond(S.notice != "", rx.text(S.notice, role="status", color=DARK)),
                    risk_alert(),
                    person_panel(),
                    rx.cond(S.is_confirmed, confirmed_panel(), rx.cond(S.is_summary, summary_panel(), question_panel())),
                    spacing="4", width="100%",
                ),
                rx.vstack(progress_path(), transcript(), spacing="5", width="100%"),
                columns=rx.breakpoints(initial="1", md="2"), spacing="6", width="100%",
                style={"grid_template_columns": "minmax(0, 2fr) minmax(0, 1fr)"},
            ), rx.text("Caricamento…")),
        ),
        spacing="3", width="100%",
    )


def register(app: rx.App) -> None:
    protected_page(app, routes.INTAKE_WIZARD, "Accesso allo sportello", on_load=[S.load])(wizard_body)
