"""Case file UI pieces: form fields, header with move and summary, conflict panel, people tabs."""

from __future__ import annotations

import reflex as rx

from tutela_app.domain import case_workflow as wf
from tutela_app.pages.case_file.state import CaseFileState as S
from tutela_app.services.timeline import MAX_ITEMS

FOCUS = {"_focus_visible": {"outline": "3px solid #0b5cad", "outline_offset": "2px"}}
INPUT_STYLE = {"padding": "0.35em", "border": "1px solid #555", "border_radius": "4px", "background": "white",
               "color": "#1a1a1a", **FOCUS}
ERROR_STYLE = {"color": "#8a1c12", "font_weight": "600", "font_size": "0.9em"}


def field_error(key: str) -> rx.Component:
    return rx.cond(S.errors.contains(key), rx.el.p(S.errors[key], role="alert", style=ERROR_STYLE, id=f"errore-{key}"))


def field(label: str, ident: str, control: rx.Component, error_key: str | None = None) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=ident, style={"font_weight": "600"}), control,
                     field_error(error_key) if error_key else rx.fragment(), spacing="1", align="stretch")


def text_input(ident: str, name: str, type_: str = "text", **props) -> rx.Component:  # noqa: ANN003
    return rx.el.input(id=ident, name=name, type=type_, style=INPUT_STYLE, **props)


def select(ident: str, name: str, options: list[tuple[str, str]] | None = None, var_options=None,  # noqa: ANN001
           placeholder: str | None = "Scegli…", **props) -> rx.Component:  # noqa: ANN003
    children = [rx.el.option(placeholder, value="")] if placeholder else []
    children += [rx.el.option(label, value=value) for value, label in options or []]
    if var_options is not None:
        children.append(rx.foreach(var_options, lambda o: rx.el.option(o["label"], value=o["value"])))
    return rx.el.select(*children, id=ident, name=name, style=INPUT_STYLE, **props)


def definition(label: str, value) -> rx.Component:  # noqa: ANN001
    return rx.hstack(rx.text(label, ":", weight="bold"), rx.text(value), spacing="2", wrap="wrap")


def urgency_text() -> rx.Component:
    return rx.cond(
        S.header["deadline"] != "",
        rx.text.span(
            S.header["deadline"], " (", S.header["urgency_label"], ")",
            style=rx.cond(S.header["urgency"] == "overdue", {"color": "#8a1c12", "font_weight": "700"}, {}),
        ),
        "Nessuna scadenza aperta",
    )


def move_box() -> rx.Component:
    return rx.el.form(
        rx.flex(
            field("Sposta in", "cf-sposta", select("cf-sposta", "to_stage", var_options=S.targets, placeholder=None)),
            field("Motivo della chiusura (solo se chiudi)", "cf-motivo",
                  select("cf-motivo", "closure_reason", list(wf.CLOSURE_REASONS.items()), placeholder="—")),
            rx.button("Sposta la pratica", type="submit", style=FOCUS),
            spacing="3", align="end", wrap="wrap",
        ),
        field_error("move"),
        on_submit=S.move, reset_on_submit=False, aria_label="Cambia la fase della pratica",
    )


def header_block() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.link("← Bacheca dei casi", href="/casi", style=FOCUS),
            rx.link("Tribunale e scadenze", href="/casi/" + S.header["id"] + "/tribunale", weight="bold", style=FOCUS),
            spacing="5",
        ),
        rx.heading("Pratica ", S.header["number"], " · ", S.child["name"], as_="h1", size="6"),
        rx.flex(
            definition("Servizio", S.header["service_label"]),
            definition("Fase", S.header["stage_label"]),
            definition("Comune", S.header["tenant"]),
            definition("Aperta il", S.header["opened_on"]),
            definition("Responsabile", S.header["responsible"]),
            definition("Misura in vigore", S.header["measure"]),
            rx.hstack(rx.text("Prossima scadenza:", weight="bold"), urgency_text(), spacing="2"),
            rx.cond(S.header["closed_on"] != "",
                    definition("Chiusa il", S.header["closed_on"] + " — " + S.header["closure_reason"])),
            wrap="wrap", spacing="5",
        ),
        move_box(),
        spacing="3", width="100%",
    )


def summary_form() -> rx.Component:
    return rx.el.form(
        field("Sintesi del caso", "cf-sintesi",
              rx.el.textarea(id="cf-sintesi", name="summary", rows=4, max_length=4000,
                             default_value=S.edit_summary["summary"], style={**INPUT_STYLE, "width": "100%"}),
              "summary"),
        rx.hstack(rx.button("Salva la sintesi", type="submit", style=FOCUS),
                  rx.button("Annulla", type="button", variant="outline", on_click=S.cancel_edit, style=FOCUS)),
        on_submit=lambda data: S.save_edit("summary", data), reset_on_submit=False, key=S.edit_summary["version"],
        aria_label="Modifica la sintesi del caso",
        style={"width": "100%", "display": "flex", "flex_direction": "column", "gap": "0.4em"},
    )


def summary_block() -> rx.Component:
    return rx.vstack(
        rx.heading("Sintesi del caso", as_="h2", size="4"),
        rx.text(rx.cond(S.header["summary"] != "", S.header["summary"], "Nessuna sintesi."), id="sintesi-registrata"),
        rx.cond(S.edit_summary.contains("id"), summary_form(),
                rx.button("Modifica sintesi", type="button", variant="outline", style=FOCUS,
                          on_click=S.start_edit("summary", S.header["id"]))),
        spacing="2", align="start", width="100%",
    )


def conflict_panel() -> rx.Component:
    return rx.cond(
        S.conflict_fields.length() > 0,
        rx.box(
            rx.heading("La scheda è stata modificata da un collega nel frattempo", as_="h2", size="4"),
            rx.text("Nulla è andato perso: qui sotto trovi la versione salvata dal collega e la tua. Scegli quale tenere."),
            rx.el.table(
                rx.el.thead(rx.el.tr(rx.el.th("Campo", scope="col"), rx.el.th("Versione del collega", scope="col"),
                                     rx.el.th("La tua versione", scope="col"))),
                rx.el.tbody(rx.foreach(S.conflict_fields, lambda f: rx.el.tr(
                    rx.el.th(f["label"], scope="row"), rx.el.td(f["theirs"], data_testid="conflitto-loro"),
                    rx.el.td(f["yours"], data_testid="conflitto-mio")))),
                style={"width": "100%", "text_align": "left"},
            ),
            rx.hstack(
                rx.button("Mantieni la versione del collega", type="button", variant="outline", on_click=S.keep_theirs,
                          style={"background": "white", "color": "#0b3d6e", **FOCUS}),
                rx.button("Riapplica la mia versione", type="button", on_click=S.reapply_mine, style=FOCUS),
                spacing="3",
            ),
            role="alert", id="conflitto",
            style={"border": "2px solid #8a4b00", "background": "#fff8e6", "padding": "1em", "border_radius": "8px",
                   "display": "flex", "flex_direction": "column", "gap": "0.6em"},
        ),
    )


def table(headers: list[str], rows, row_fn) -> rx.Component:  # noqa: ANN001
    return rx.el.table(
        rx.el.thead(rx.el.tr(*[rx.el.th(h, scope="col") for h in headers])),
        rx.el.tbody(rx.foreach(rows, row_fn)),
        style={"width": "100%", "text_align": "left", "border_collapse": "collapse"},
    )


def child_tab() -> rx.Component:
    return rx.vstack(
        rx.heading("Minore", as_="h2", size="4"),
        rx.flex(definition("Nome", S.child["name"]), definition("Nato/a il", S.child["birth_date"]),
                definition("Età", S.child["age"]), definition("Codice fiscale / identificativo", S.child["codice_fiscale"]),
                definition("Cittadinanza", S.child["citizenship"]), definition("Indirizzo", S.child["address"]),
                wrap="wrap", spacing="5"),
        rx.heading("Nucleo familiare", as_="h2", size="4"),
        rx.text(S.child["household"]),
        table(["Nome", "Relazione", "Nato/a il", "Età", "Persona di riferimento"], S.household, lambda m: rx.el.tr(
            rx.el.td(m["name"], rx.cond(m["is_subject"] != "", " (minore)", "")), rx.el.td(m["relationship"]),
            rx.el.td(m["birth_date"]), rx.el.td(m["age"]), rx.el.td(m["reference"]))),
        spacing="3", align="start", width="100%",
    )


def responsible_form() -> rx.Component:
    return rx.el.form(
        rx.flex(
            field("Nuovo responsabile", "eq-responsabile",
                  select("eq-responsabile", "staff_id", var_options=S.team_options), "responsible"),
            rx.button("Nomina", type="submit", style=FOCUS),
            rx.button("Annulla", type="button", variant="outline", on_click=S.cancel_edit, style=FOCUS),
            spacing="3", align="end", wrap="wrap",
        ),
        on_submit=lambda data: S.save_edit("responsible", data), reset_on_submit=False,
        aria_label="Nomina il responsabile del caso",
    )


def coordinator_controls() -> rx.Component:
    return rx.vstack(
        rx.cond(S.edit_responsible.contains("id"), responsible_form(),
                rx.button("Nomina il responsabile", type="button", variant="outline", style=FOCUS,
                          on_click=S.start_edit("responsible", S.header["id"]))),
        rx.el.form(
            rx.heading("Aggiungi all'équipe", as_="h3", size="3"),
            rx.flex(
                field("Operatore", "eq-operatore", select("eq-operatore", "staff_id", var_options=S.candidates), "staff_id"),
                field("Ruolo nel caso", "eq-ruolo", select("eq-ruolo", "role_in_case", [
                    ("assistente_sociale", "Assistente sociale"), ("psicologo", "Psicologo/a"),
                    ("educatore", "Educatore/Educatrice")]), "role_in_case"),
                rx.button("Aggiungi", type="submit", style=FOCUS),
                spacing="3", align="end", wrap="wrap",
            ),
            on_submit=lambda data: S.add_record("member", data), reset_on_submit=False, key=S.form_keys["member"],
            aria_label="Aggiungi all'équipe",
        ),
        spacing="3", align="start", width="100%",
    )


def team_row(t) -> rx.Component:  # noqa: ANN001
    return rx.el.tr(
        rx.el.td(t["name"], rx.cond(t["responsible"] != "", " (responsabile)", "")), rx.el.td(t["profession"]),
        rx.el.td(t["role"]), rx.el.td(t["since"]), rx.el.td(rx.cond(t["until"] != "", t["until"], "in carico")),
        rx.el.td(rx.cond((S.header["can_assign"] != "") & (t["until"] == "") & (t["responsible"] == ""),
                         rx.button("Togli dall'équipe", type="button", size="1", variant="outline", style=FOCUS,
                                   on_click=S.end_member(t["staff_id"]), aria_label="Togli dall'équipe " + t["name"]),
                         "")),
    )


def team_tab() -> rx.Component:
    return rx.vstack(
        rx.heading("Équipe", as_="h2", size="4"),
        definition("Responsabile del caso", S.header["responsible"]),
        table(["Operatore", "Professione", "Ruolo nel caso", "Dal", "Al", "Azioni"], S.team, team_row),
        rx.cond(S.header["can_assign"] != "", coordinator_controls()),
        spacing="3", align="start", width="100%",
    )


def timeline_tab() -> rx.Component:
    return rx.vstack(
        rx.heading("Cronologia", as_="h2", size="4"),
        rx.text("Tutto ciò che è accaduto sulla pratica, dal più recente."),
        rx.el.ol(rx.foreach(S.timeline, lambda i: rx.el.li(
            rx.text(rx.text.span(i["when"], weight="bold"), " · ", i["kind"], " — ", i["title"]),
            rx.cond(i["detail"] != "", rx.text(i["detail"], size="2", color="#333")),
            style={"padding": "0.4em 0", "border_bottom": "1px solid #d0d0d0", "list_style": "none"})),
            style={"padding": "0", "margin": "0", "width": "100%"}, id="cronologia"),
        timeline_more(),
        spacing="3", align="start", width="100%",
    )


def timeline_more() -> rx.Component:
    """How many events are shown, and a button for the next page while there are more (up to the cap)."""
    shown = S.timeline.length()
    return rx.cond(
        shown < S.timeline_total,
        rx.hstack(
            rx.text("Mostrati ", shown, " di ", S.timeline_total, " eventi", id="cronologia-conteggio",
                    role="status", aria_live="polite"),
            rx.cond(shown < MAX_ITEMS,
                    rx.button("Mostra altri eventi", type="button", variant="outline", on_click=S.show_more_timeline,
                              aria_controls="cronologia", style=FOCUS)),
            spacing="3", align="center", wrap="wrap",
        ),
    )
