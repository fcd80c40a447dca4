"""Section Messa alla prova (art. 28 DPR 448/1988) of the court page."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.court import components as c
from tutela_app.pages.court.probation_state import ProbationState as P
from tutela_app.services.probation import LOG_LABELS, OUTCOME_LABELS, PRESCRIPTION_LABELS


def _create() -> rx.Component:
    e = P.errors
    return rx.form(
        rx.text("Registra il progetto elaborato con l'USSM (le date predefinite sono quelle del provvedimento)."),
        rx.hstack(c.field("Referente USSM", "ussm_contact", "p-ussm", e, required=True, err="c_ussm_contact"),
                  c.field("Inizio", "start_on", "p-inizio", e, type_="date", err="c_start_on"),
                  c.field("Fine", "end_on", "p-fine", e, type_="date", err="c_end_on"), wrap="wrap", spacing="4"),
        c.submit("Crea il progetto"), on_submit=P.create, reset_on_submit=False,
    )


def _project() -> rx.Component:
    e = P.errors
    return rx.vstack(
        rx.text(rx.text.strong("USSM: "), P.project["ussm"], " — dal ", P.project["start"], " al ", P.project["end"],
                " — esito: ", P.project["outcome"], " ", P.project["outcome_on"]),
        rx.heading("Prescrizioni", as_="h3", size="3"),
        rx.el.ul(rx.foreach(P.prescriptions, lambda x: rx.el.li(rx.text.strong(x["kind"], ": "), x["text"]))),
        rx.form(rx.hstack(c.select("Tipo di prescrizione", "kind", "p-pres-tipo", e, PRESCRIPTION_LABELS, required=True, err="p_kind"),
                          c.field("Descrizione", "description", "p-pres-desc", e, required=True, err="p_description"),
                          c.submit("Aggiungi la prescrizione"), wrap="wrap", spacing="4", align="end"),
                on_submit=P.add_prescription, reset_on_submit=False, id="form-prescrizione", key="p" + P.form_key.to_string()),
        rx.heading("Registro di presenze, adempimenti e note", as_="h3", size="3"),
        rx.form(rx.hstack(c.select("Tipo", "kind", "p-log-tipo", e, LOG_LABELS, required=True, err="l_kind"),
                          c.field("Data", "occurred_on", "p-log-data", e, type_="date", required=True, err="l_occurred_on"),
                          c.field("Annotazione", "text", "p-log-testo", e, required=True, err="l_text"),
                          c.submit("Registra"), wrap="wrap", spacing="4", align="end"),
                on_submit=P.add_log, reset_on_submit=False, id="form-registro-map", key="l" + P.form_key.to_string()),
        rx.el.ul(rx.foreach(P.log, lambda x: rx.el.li(x["date"], " — ", rx.text.strong(x["kind_label"]), ": ", x["text"]))),
        rx.heading("Registro delle trasgressioni", as_="h3", size="3"),
        rx.cond(P.breaches.length() == 0, rx.text("Nessuna trasgressione registrata."),
                rx.el.ul(rx.foreach(P.breaches, lambda x: rx.el.li(x["date"], ": ", x["text"])))),
        rx.heading("Esito", as_="h3", size="3"),
        rx.form(rx.hstack(c.select("Esito della prova", "outcome", "p-esito", e, OUTCOME_LABELS, required=True, err="o_outcome"),
                          c.field("Data dell'udienza di esito", "outcome_on", "p-esito-data", e, type_="date", err="o_outcome_on"),
                          c.submit("Registra l'esito"), wrap="wrap", spacing="4", align="end"),
                on_submit=P.set_outcome, reset_on_submit=False),
        align="start", width="100%",
    )


def probation_section() -> rx.Component:
    return c.section(
        "Messa alla prova", "messa-alla-prova",
        rx.cond(P.message, rx.callout(P.message, color_scheme="green", role="status", high_contrast=True), rx.fragment()),
        c.form_error(P.errors),
        rx.cond(P.project.contains("id"), _project(), _create()),
    )
