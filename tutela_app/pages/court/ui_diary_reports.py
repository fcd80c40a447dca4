"""Sections Diario and Relazioni al Tribunale of the court page."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.court import components as c
from tutela_app.pages.court.diary_state import DiaryState as D
from tutela_app.pages.court.report_state import ReportState as R
from tutela_app.pages.court.state import CourtState
from tutela_app.services.diary import TAG_LABELS


def _entry(e: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(rx.badge(e["tag_label"], color_scheme="teal", high_contrast=True), rx.text(e["date"], weight="bold"),
                  rx.text("n. ", e["id"], " — ", e["author"], size="2"),
                  rx.cond(e["restricted"], rx.badge("Riservata alla professione", color_scheme="purple", high_contrast=True), rx.fragment()),
                  rx.cond(e["confidential"], rx.badge("Dati di terzi riservati", color_scheme="amber", high_contrast=True), rx.fragment()),
                  wrap="wrap", spacing="2"),
        rx.text(e["text"]),
        rx.cond(e["source"], rx.text("Dichiarazione di: ", e["source"], size="2", font_style="italic"), rx.fragment()),
        rx.cond(e["method"], rx.text("Metodo o strumento: ", e["method"], size="2", font_style="italic"), rx.fragment()),
        border_left="4px solid #0f4c5c", padding_left="0.8em", margin_y="0.6em", data_tag=e["tag"],
    )


def diary_section() -> rx.Component:
    e = D.errors
    return c.section(
        "Diario", "diario",
        rx.text("Ogni annotazione è un fatto accertato, una dichiarazione (di chi) o una valutazione professionale "
                "(con il metodo), come richiede l'art. 473-bis.27 c.p.c. per le relazioni."),
        rx.cond(D.message, rx.callout(D.message, color_scheme="green", role="status", high_contrast=True), rx.fragment()),
        rx.form(
            c.form_error(e),
            rx.hstack(
                c.select("Tipo di annotazione", "tag", "d-tipo", e, TAG_LABELS, required=True, on_change=D.set_tag),
                c.field("Data", "occurred_on", "d-data", e, type_="date", required=True),
                rx.cond(D.tag == "dichiarazione", c.field("Chi ha reso la dichiarazione", "source", "d-fonte", e, required=True), rx.fragment()),
                rx.cond(D.tag == "valutazione", c.field("Metodo o strumento", "method", "d-metodo", e, required=True), rx.fragment()),
                wrap="wrap", spacing="4",
            ),
            c.textarea("Testo dell'annotazione", "text", "d-testo", e, required=True),
            rx.hstack(c.checkbox("Nota riservata alla mia professione (es. nota psicologica)", "restricted", "d-riservata"),
                      c.checkbox("Contiene dati di terzi da non mostrare alle parti", "confidential", "d-terzi"), wrap="wrap", spacing="5"),
            c.submit("Salva nel diario"),
            on_submit=D.submit, reset_on_submit=False, id="form-diario", key=D.form_key.to_string(),
            style={"display": "flex", "flex_direction": "column", "gap": "0.6em", "background": "#f4f7f8", "padding": "1em"},
        ),
        rx.box(rx.foreach(D.entries, _entry), id="voci-diario"),
    )


def _report_row(r: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td("n. ", r["id"]), rx.el.td(r["period"]), rx.el.td(r["status_label"]), rx.el.td(r["sent"]),
        rx.el.td(rx.hstack(
            rx.button("Apri", size="1", on_click=R.select(r["id"], "tribunale"), aria_label="Apri la relazione n. " + r["id"]),
            rx.button("Anteprima per le parti", size="1", variant="outline", on_click=R.select(r["id"], "parti"),
                      aria_label="Anteprima per le parti della relazione n. " + r["id"]),
            spacing="1")),
        data_status=r["status"],
    )


def _preview() -> rx.Component:
    return rx.box(
        rx.heading(R.preview["title"], as_="h3", size="4"),
        rx.text(R.preview["subtitle"], font_style="italic", id="anteprima-sottotitolo"),
        rx.foreach(R.header_rows, lambda h: rx.text(rx.text.strong(h["label"], ": "), h["value"])),
        rx.foreach(R.sections, lambda s: rx.box(
            rx.heading(s.title, as_="h4", size="3", margin_top="0.6em"),
            rx.cond(s.lines.length() == 0, rx.text("Nessuna annotazione nel periodo."), rx.fragment()),
            rx.foreach(s.lines, lambda ln: rx.text(rx.text.strong("[", ln.ref, "] "), ln.text,
                                                   rx.cond(ln.attribution, rx.text.em(" (", ln.attribution, ")"), rx.fragment()))),
        )),
        rx.cond(R.contributions.length() > 0, rx.heading("Contributi sottoscritti dall'équipe", as_="h4", size="3", margin_top="0.6em"), rx.fragment()),
        rx.foreach(R.contributions, lambda k: rx.box(rx.text(rx.text.strong(k["profession"], " — ", k["name"]), ", sottoscritto il ", k["signed_at"]),
                                                    rx.text(k["text"]))),
        rx.foreach(R.closing, lambda line: rx.text(line, weight="bold")),
        id="anteprima-relazione", border="1px solid #666", padding="1em", background="white", margin_y="0.8em",
    )


def _actions() -> rx.Component:
    e = R.errors
    editable = (R.selected_status != "inviata") & (R.selected_status != "finalizzata")
    return rx.vstack(
        rx.hstack(
            rx.button("Scarica DOCX (Tribunale)", variant="outline", on_click=R.download("docx", "tribunale")),
            rx.button("Scarica PDF (Tribunale)", variant="outline", on_click=R.download("pdf", "tribunale")),
            rx.button("Scarica PDF (parti)", variant="outline", on_click=R.download("pdf", "parti")),
            rx.button("Scarica DOCX (parti)", variant="outline", on_click=R.download("docx", "parti")),
            wrap="wrap",
        ),
        rx.cond(editable, rx.form(
            c.textarea("Il mio contributo alla relazione", "contribution", "r-contributo", e, rows="3"),
            rx.hstack(c.submit("Sottoscrivi il mio contributo"),
                      rx.cond(R.selected_status == "bozza", rx.button("Aggiorna dal diario", type="button", variant="soft", on_click=R.refresh), rx.fragment())),
            on_submit=R.sign, reset_on_submit=True, width="100%",
        ), rx.fragment()),
        rx.cond((R.selected_status == "in_revisione") & R.can_finalise, rx.button("Finalizza la relazione", on_click=R.finalise), rx.fragment()),
        rx.cond(R.selected_status == "finalizzata", rx.form(
            rx.heading("Invio al Tribunale", as_="h4", size="3"),
            rx.hstack(c.field("Data di invio", "sent_on", "r-invio", e, type_="date", required=True),
                      c.field("Numero di protocollo", "protocol", "r-protocollo", e, required=True), wrap="wrap", spacing="4"),
            c.submit("Registra l'invio"), on_submit=R.send, reset_on_submit=False,
        ), rx.fragment()),
        rx.cond(R.selected_status == "inviata", rx.callout("Relazione inviata: la versione trasmessa è bloccata.", color_scheme="gray", high_contrast=True), rx.fragment()),
        align="start", width="100%",
    )


def reports_section() -> rx.Component:
    e = R.errors
    return c.section(
        "Relazioni al Tribunale", "relazioni",
        rx.cond(R.message, rx.callout(R.message, color_scheme="green", role="status", high_contrast=True), rx.fragment()),
        c.form_error(e),
        rx.cond(CourtState.can_edit, rx.form(
            rx.hstack(c.field("Periodo dal", "period_from", "r-dal", e, type_="date", required=True),
                      c.field("al", "period_to", "r-al", e, type_="date", required=True),
                      c.submit("Prepara la bozza dal diario"), wrap="wrap", spacing="4", align="end"),
            on_submit=R.draft, reset_on_submit=False,
        ), rx.fragment()),
        rx.el.table(rx.el.thead(rx.el.tr(*[rx.el.th(x, scope="col") for x in ("Relazione", "Periodo", "Stato", "Invio", "Azioni")])),
                    rx.el.tbody(rx.foreach(R.reports, _report_row)), style={"width": "100%"}),
        rx.cond(R.selected != "", rx.vstack(_preview(), _actions(), width="100%"), rx.fragment()),
    )
