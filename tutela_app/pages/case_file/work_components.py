"""Case file tabs for the équipe's work: interventions with goals and evaluations, the network."""

from __future__ import annotations

import reflex as rx

from tutela_app.domain import case_workflow as wf
from tutela_app.models.work import INTERVENTION_STATUSES
from tutela_app.pages.case_file.components import FOCUS, INPUT_STYLE, field, select, table, text_input
from tutela_app.pages.case_file.state import CaseFileState as S
from tutela_app.services.case_work import STATUS_LABELS

KINDS = [(k.value, k.label) for k in wf.InterventionKind]
CONTACT_KINDS = [(k.value, k.label) for k in wf.NetworkContactKind]
STATUSES = [(s, STATUS_LABELS[s]) for s in INTERVENTION_STATUSES]
FORM_STYLE = {"display": "flex", "flex_direction": "column", "gap": "0.5em", "border": "1px solid #c4c4c4",
              "padding": "0.8em", "border_radius": "8px", "width": "100%"}


def _form(name: str, title: str, *children: rx.Component, submit: str) -> rx.Component:
    return rx.el.form(
        rx.heading(title, as_="h3", size="3"),
        rx.flex(*children, wrap="wrap", spacing="4", align="start"),
        rx.button(submit, type="submit", style=FOCUS),
        on_submit=lambda data: S.add_record(name, data), reset_on_submit=False, key=S.form_keys[name],
        aria_label=title, style=FORM_STYLE,
    )


def add_intervention_form() -> rx.Component:
    return _form(
        "intervention", "Nuovo intervento",
        field("Tipo di intervento", "iv-tipo", select("iv-tipo", "kind", KINDS), "kind"),
        field("Data di inizio", "iv-inizio", text_input("iv-inizio", "start_on", "date"), "start_on"),
        field("Operatore", "iv-operatore", select("iv-operatore", "staff_id", var_options=S.team_options,
                                                  placeholder="Io stesso/a"), "staff_id"),
        field("Stato", "iv-stato", select("iv-stato", "status", STATUSES, placeholder=None, default_value="in_corso"), "status"),
        field("Descrizione", "iv-descrizione", rx.el.textarea(id="iv-descrizione", name="description", rows=2,
                                                              max_length=4000, style=INPUT_STYLE), "description"),
        submit="Aggiungi intervento",
    )


def add_goal_form() -> rx.Component:
    return _form(
        "goal", "Nuovo obiettivo con valutazione iniziale",
        field("Intervento", "ob-intervento", select("ob-intervento", "intervention_id", var_options=S.intervention_options),
              "intervention_id"),
        field("Obiettivo", "ob-descrizione", text_input("ob-descrizione", "goal_description", max_length=1000),
              "goal_description"),
        field("Punteggio iniziale (0-10)", "ob-punteggio",
              text_input("ob-punteggio", "baseline_score", "number", min=0, max=10, step=1), "baseline_score"),
        field("Data della valutazione iniziale", "ob-data", text_input("ob-data", "baseline_on", "date"), "baseline_on"),
        field("Nota", "ob-nota", text_input("ob-nota", "baseline_note", max_length=1000), "baseline_note"),
        submit="Aggiungi obiettivo",
    )


def add_evaluation_form() -> rx.Component:
    return _form(
        "evaluation", "Nuova valutazione di verifica",
        field("Obiettivo", "va-obiettivo", select("va-obiettivo", "goal_id", var_options=S.goal_options), "goal_id"),
        field("Data", "va-data", text_input("va-data", "evaluated_on", "date"), "evaluated_on"),
        field("Punteggio (0-10)", "va-punteggio", text_input("va-punteggio", "score", "number", min=0, max=10, step=1), "score"),
        field("Nota", "va-nota", text_input("va-nota", "note", max_length=1000), "note"),
        submit="Registra valutazione",
    )


def intervention_edit(iv) -> rx.Component:  # noqa: ANN001
    return rx.el.form(
        rx.flex(
            field("Stato", "iv-stato-" + iv["id"], select("iv-stato-" + iv["id"], "status", STATUSES, placeholder=None,
                                                         default_value=S.edit_intervention["status"]), "status"),
            field("Data di fine", "iv-fine-" + iv["id"], text_input("iv-fine-" + iv["id"], "end_on", "date",
                                                                   default_value=S.edit_intervention["end_iso"]), "end_on"),
            rx.button("Salva", type="submit", style=FOCUS),
            rx.button("Annulla", type="button", variant="outline", on_click=S.cancel_edit, style=FOCUS),
            spacing="3", align="end", wrap="wrap",
        ),
        on_submit=lambda data: S.save_edit("intervention", data), reset_on_submit=False,
        aria_label="Modifica intervento",
    )


def goal_view(g) -> rx.Component:  # noqa: ANN001
    return rx.el.li(
        rx.text("Obiettivo: ", g["description"], weight="medium"),
        rx.el.ul(rx.foreach(S.evaluations, lambda e: rx.cond(e["goal_id"] == g["id"], rx.el.li(
            e["kind"], " ", e["on"], ": ", rx.text.span(e["score"], "/10", weight="bold"),
            rx.cond(e["note"] != "", " — " + e["note"], ""))))),
    )


def intervention_view(iv) -> rx.Component:  # noqa: ANN001
    return rx.el.li(
        rx.heading(iv["kind"], as_="h3", size="3"),
        rx.text(iv["status_label"], " · dal ", iv["start_on"], rx.cond(iv["end_on"] != "", " al " + iv["end_on"], ""),
                rx.cond(iv["who"] != "", " · " + iv["who"], "")),
        rx.cond(iv["description"] != "", rx.text(iv["description"], size="2")),
        rx.cond(S.edit_intervention["id"] == iv["id"], intervention_edit(iv),
                rx.button("Modifica stato", type="button", variant="outline", size="1",
                          on_click=S.start_edit("intervention", iv["id"]), style=FOCUS,
                          aria_label="Modifica stato: " + iv["kind"])),
        rx.el.ul(rx.foreach(S.goals, lambda g: rx.cond(g["intervention_id"] == iv["id"], goal_view(g)))),
        data_intervention_id=iv["id"],
        style={"list_style": "none", "border_bottom": "1px solid #d0d0d0", "padding": "0.6em 0"},
    )


def interventions_tab() -> rx.Component:
    return rx.vstack(
        rx.heading("Interventi, obiettivi e valutazioni", as_="h2", size="4"),
        rx.cond(S.interventions.length() == 0, rx.text("Nessun intervento registrato.")),
        rx.el.ul(rx.foreach(S.interventions, intervention_view), style={"padding": "0", "width": "100%"}),
        add_intervention_form(),
        rx.cond(S.interventions.length() > 0, add_goal_form()),
        rx.cond(S.goals.length() > 0, add_evaluation_form()),
        spacing="3", align="start", width="100%",
    )


def contact_edit() -> rx.Component:
    return rx.el.form(
        rx.heading("Aggiorna contatto: ", S.edit_contact["organisation"], as_="h3", size="3"),
        rx.flex(
            field("Data dell'ultimo contatto", "rete-ultimo", text_input("rete-ultimo", "last_contact_on", "date",
                                                                        default_value=S.edit_contact["last_iso"]), "last_contact_on"),
            field("Nota", "rete-nota-agg", text_input("rete-nota-agg", "note", default_value=S.edit_contact["note"]), "note"),
            rx.button("Salva", type="submit", style=FOCUS),
            rx.button("Annulla", type="button", variant="outline", on_click=S.cancel_edit, style=FOCUS),
            spacing="3", align="end", wrap="wrap",
        ),
        on_submit=lambda data: S.save_edit("contact", data), reset_on_submit=False, key=S.edit_contact["id"],
        aria_label="Aggiorna contatto della rete", style=FORM_STYLE,
    )


def network_tab() -> rx.Component:
    return rx.vstack(
        rx.heading("Rete dei servizi", as_="h2", size="4"),
        table(["Tipo", "Ente", "Referente", "Recapiti", "Chiave", "Ultimo contatto", ""], S.contacts, lambda c: rx.el.tr(
            rx.el.td(c["kind"]), rx.el.td(c["organisation"]), rx.el.td(c["contact_name"]),
            rx.el.td(c["phone"], " ", c["email"]), rx.el.td(rx.cond(c["key"] != "", "Sì", "No")),
            rx.el.td(c["last_contact"], rx.cond(c["warning"] != "", rx.el.strong(
                " ⚠ " + c["warning"], style={"color": "#8a1c12", "display": "block"}))),
            rx.el.td(rx.button("Aggiorna", type="button", size="1", variant="outline", style=FOCUS,
                               on_click=S.start_edit("contact", c["id"]), aria_label="Aggiorna contatto " + c["organisation"])))),
        rx.cond(S.edit_contact.contains("id"), contact_edit()),
        _form(
            "contact", "Nuovo contatto della rete",
            field("Tipo", "rete-tipo", select("rete-tipo", "kind", CONTACT_KINDS), "kind"),
            field("Ente", "rete-ente", text_input("rete-ente", "organisation", max_length=200), "organisation"),
            field("Referente", "rete-referente", text_input("rete-referente", "contact_name", max_length=200), "contact_name"),
            field("Telefono", "rete-telefono", text_input("rete-telefono", "phone", "tel", max_length=40), "phone"),
            field("Email", "rete-email", text_input("rete-email", "email", "email", max_length=200), "email"),
            field("Contatto chiave", "rete-chiave", select("rete-chiave", "is_key", [("true", "Sì"), ("false", "No")],
                                                           placeholder="Secondo il tipo"), "is_key"),
            field("Ultimo contatto", "rete-data", text_input("rete-data", "last_contact_on", "date"), "last_contact_on"),
            field("Nota", "rete-nota", text_input("rete-nota", "note", max_length=2000), "note"),
            submit="Aggiungi contatto",
        ),
        spacing="3", align="start", width="100%",
    )
