"""Sections Provvedimenti, Scadenze and Collocamenti of the court page."""

from __future__ import annotations

import reflex as rx

from tutela_app.domain.measures import MeasureType
from tutela_app.pages.court import components as c
from tutela_app.pages.court.measure_payload import DEADLINE_ROWS
from tutela_app.pages.court.state import CourtState as S
from tutela_app.services.measure_form import DECREE_KINDS
from tutela_app.services.placements import KIND_LABELS, OUTCOME_LABELS

MEASURE_OPTIONS = {m.value: f"{m.label} ({m.legal_basis})" for m in MeasureType}
CELL = {"padding": "0.4em 0.6em", "border_bottom": "1px solid #ccc", "text_align": "left", "vertical_align": "top"}


def th(*labels: str) -> rx.Component:
    return rx.el.thead(rx.el.tr(*[rx.el.th(label, scope="col", style=CELL) for label in labels]))


def td(*children, **props) -> rx.Component:  # noqa: ANN002, ANN003
    return rx.el.td(*children, style=CELL, **props)


def _measure_row(m: rx.Var) -> rx.Component:
    actions = rx.cond(
        m["active"] & S.can_edit,
        rx.hstack(
            rx.button("Rettifica", size="1", variant="outline", on_click=S.start_measure("rettifica", m["id"]), aria_label="Rettifica provvedimento n. " + m["docket"]),
            rx.button("Modifica", size="1", variant="outline", on_click=S.start_measure("modifica", m["id"]), aria_label="Modifica il provvedimento n. " + m["docket"]),
            rx.button("Proroga", size="1", variant="outline", on_click=S.start_measure("proroga", m["id"]), aria_label="Proroga del provvedimento n. " + m["docket"]),
            rx.button("Revoca", size="1", color_scheme="red", variant="outline", on_click=S.start_revoke(m["id"]), aria_label="Revoca del provvedimento n. " + m["docket"]),
            wrap="wrap", spacing="1",
        ),
        rx.fragment(),
    )
    return rx.el.tr(
        td(rx.text.strong(m["label"]), rx.cond(m["tasks"], rx.text(m["tasks"], size="2"), rx.fragment())),
        td(m["court"], rx.el.br(), "n. ", m["docket"]),
        td("Emesso ", m["issued"], rx.el.br(), rx.cond(m["notified"], rx.text("Notificato ", m["notified"]), rx.fragment())),
        td(m["period"]), td(m["end"]), td(m["hearing"]),
        td(m["status_label"], rx.cond(m["supersedes"], rx.text("sostituisce n. ", m["supersedes"], size="1"), rx.fragment())),
        td(actions),
    )


def _deadline_rows() -> rx.Component:
    rows = []
    for i in range(DEADLINE_ROWS):
        rows.append(rx.hstack(
            c.select(f"Tipo del termine {i + 1}", f"dd_kind_{i}", f"dd-kind-{i}", S.measure_errors, DECREE_KINDS,
                     default=S.measure_defaults[f"dd_kind_{i}"]),
            c.field(f"Descrizione del termine {i + 1}", f"dd_title_{i}", f"dd-title-{i}", S.measure_errors,
                    default=S.measure_defaults[f"dd_title_{i}"]),
            c.field(f"Scadenza del termine {i + 1}", f"dd_due_{i}", f"dd-due-{i}", S.measure_errors, type_="date",
                    default=S.measure_defaults[f"dd_due_{i}"]),
            wrap="wrap", spacing="3",
        ))
    return rx.el.fieldset(
        rx.el.legend("Termini fissati dal decreto (art. 473-bis.27 c.p.c.): sostituiscono quelli predefiniti dello stesso tipo"),
        *rows, c.error_text(S.measure_errors["decree_deadlines"], "dd"),
        style={"border": "1px solid #999", "padding": "0.8em", "width": "100%"},
    )


def measure_form() -> rx.Component:
    d = S.measure_defaults
    e = S.measure_errors
    return rx.form(
        rx.heading(S.measure_mode_label, as_="h3", size="4"),
        c.form_error(e),
        rx.flex(
            c.select("Tipo di provvedimento", "measure_type", "m-tipo", e, MEASURE_OPTIONS, required=True,
                     default=d["measure_type"], on_change=S.set_measure_type),
            c.field("Autorità giudiziaria", "court", "m-autorita", e, required=True, default=d["court"]),
            c.field("Numero del provvedimento", "docket_number", "m-numero", e, required=True, default=d["docket_number"]),
            c.field("Data del provvedimento", "issued_on", "m-emesso", e, type_="date", required=True, default=d["issued_on"]),
            c.field("Data di notifica al servizio", "notified_on", "m-notifica", e, type_="date", default=d["notified_on"]),
            rx.cond(S.measure_type_sel == "collocamento_403",
                    c.field("Data e ora dell'allontanamento", "effective_at", "m-effetto", e, type_="datetime-local",
                            required=True, default=d["effective_at"]), rx.fragment()),
            c.field("Periodicità delle relazioni (mesi)", "report_period_months", "m-periodo", e, type_="number",
                    default=d["report_period_months"]),
            c.field("Scadenza della misura", "end_date", "m-fine", e, type_="date", default=d["end_date"]),
            c.field("Prossima udienza", "next_hearing", "m-udienza", e, type_="date", default=d["next_hearing"]),
            wrap="wrap", spacing="4",
        ),
        c.textarea("Compiti affidati al servizio", "tasks", "m-compiti", e, default=d["tasks"], rows="3"),
        _deadline_rows(),
        rx.hstack(c.submit("Salva il provvedimento"), rx.button("Annulla", type="button", variant="soft", on_click=S.cancel_measure)),
        on_submit=S.submit_measure, reset_on_submit=False, key=S.measure_form_key.to_string(),
        style={"display": "flex", "flex_direction": "column", "gap": "0.8em", "background": "#f4f7f8",
               "padding": "1em", "border_radius": "6px", "width": "100%"},
    )


def revoke_form() -> rx.Component:
    return rx.form(
        c.field("Data della revoca", "revoked_on", "m-revoca", S.revoke_errors, type_="date", required=True),
        c.form_error(S.revoke_errors),
        rx.hstack(c.submit("Conferma la revoca", color_scheme="red"), rx.button("Annulla", type="button", variant="soft", on_click=S.cancel_revoke)),
        on_submit=S.submit_revoke, reset_on_submit=False,
    )


def measures_section() -> rx.Component:
    return c.section(
        "Provvedimenti", "provvedimenti",
        rx.el.table(
            th("Misura", "Autorità e numero", "Date", "Relazioni", "Scadenza", "Udienza", "Stato", "Azioni"),
            rx.el.tbody(rx.foreach(S.measures, _measure_row)),
            style={"width": "100%", "border_collapse": "collapse"},
        ),
        rx.cond(S.measures.length() == 0, rx.text("Nessun provvedimento registrato."), rx.fragment()),
        c.conflict_box(S.conflict_theirs, S.conflict_yours, S.conflict_message),
        rx.cond(S.revoke_target != "", revoke_form(), rx.fragment()),
        rx.cond(S.measure_mode != "", measure_form(),
                rx.cond(S.can_edit, rx.button("Registra un nuovo provvedimento", on_click=S.start_measure("nuovo", ""), margin_top="0.8em"), rx.fragment())),
    )


def _obligation_row(o: rx.Var) -> rx.Component:
    return rx.el.tr(
        td(o["due"]), td(rx.text.strong(o["title"]), rx.text(o["basis"], size="1")),
        td(o["status_label"], " ", c.urgency_badge(o["urgency"], o["urgency_label"])),
        td(rx.cond(o["open"], rx.cond(S.can_edit, rx.button("Chiudi con l'atto", size="1", on_click=S.start_close(o["id"]),
                                                            aria_label="Chiudi con l'atto: " + o["title"]), rx.fragment()),
                   rx.text(o["act"], " — ", o["fulfilled_on"], " — prot. ", o["protocol"], size="2"))),
        data_kind=o["kind"], data_status=o["status"],
    )


def obligations_section() -> rx.Component:
    e = S.close_errors
    return c.section(
        "Scadenze", "scadenze",
        rx.el.table(th("Entro", "Adempimento", "Stato", "Atto"), rx.el.tbody(rx.foreach(S.obligations, _obligation_row)),
                    style={"width": "100%", "border_collapse": "collapse"}, id="tabella-scadenze"),
        rx.cond(
            S.close_target != "",
            rx.form(
                rx.heading("Chiudi: ", S.close_title, as_="h3", size="3"),
                c.form_error(e),
                rx.hstack(
                    c.field("Atto che adempie", "act", "ob-atto", e, required=True),
                    c.field("Data dell'atto", "fulfilled_on", "ob-data", e, type_="date", required=True),
                    c.field("Numero di protocollo", "protocol", "ob-protocollo", e, required=True),
                    wrap="wrap", spacing="4",
                ),
                rx.hstack(c.submit("Registra l'adempimento"), rx.button("Annulla", type="button", variant="soft", on_click=S.cancel_close)),
                on_submit=S.submit_close, reset_on_submit=False,
                style={"background": "#f4f7f8", "padding": "1em", "margin_top": "0.8em"},
            ),
            rx.fragment(),
        ),
    )


def _placement_row(p: rx.Var) -> rx.Component:
    return rx.el.tr(td(p["kind"]), td(p["host"]), td(p["start"]), td(p["end"]), td(p["outcome"]),
                    td(rx.cond(p["open"] & S.can_edit, rx.button("Chiudi con esito", size="1", on_click=S.start_close_placement(p["id"])), rx.fragment())))


def placements_section() -> rx.Component:
    e, ce = S.placement_errors, S.close_pl_errors
    return c.section(
        "Collocamenti", "collocamenti",
        rx.el.table(th("Tipo", "Struttura o famiglia", "Inizio", "Fine", "Esito", "Azioni"),
                    rx.el.tbody(rx.foreach(S.placements, _placement_row)), style={"width": "100%", "border_collapse": "collapse"}),
        rx.cond(S.close_pl_target != "", rx.form(
            rx.hstack(c.field("Fine del collocamento", "end_on", "pl-fine", ce, type_="date", required=True),
                      c.select("Esito", "outcome", "pl-esito", ce, OUTCOME_LABELS, required=True), wrap="wrap", spacing="4"),
            c.form_error(ce), c.submit("Chiudi il collocamento"), on_submit=S.submit_close_placement, reset_on_submit=False,
        ), rx.fragment()),
        rx.cond(S.can_edit, rx.form(
            rx.heading("Nuovo collocamento", as_="h3", size="3"),
            rx.hstack(c.select("Tipo di collocamento", "kind", "pl-tipo", e, KIND_LABELS, required=True),
                      c.field("Comunità o famiglia affidataria", "host_name", "pl-ospite", e, required=True),
                      c.field("Inizio", "start_on", "pl-inizio", e, type_="date", required=True), wrap="wrap", spacing="4"),
            c.form_error(e), c.submit("Registra il collocamento"),
            on_submit=S.submit_placement, reset_on_submit=False, id="form-collocamento", key=S.placement_form_key.to_string(),
        ), rx.fragment()),
    )
