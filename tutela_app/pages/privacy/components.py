"""Parts of the privacy page: messages, retention per Comune, dry-run table, access request."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.privacy.state import PrivacyState as S

LABEL_STYLE = {"font_weight": "600"}
INPUT_STYLE = {"padding": "0.4em", "border": "1px solid #767676", "border_radius": "4px"}
ERROR_COLOR = "#a4001d"
HINT_COLOR = "#4a4a4a"
FOCUS = {"_focus_visible": {"outline": "3px solid #0b5cad", "outline_offset": "2px"}}
BOX_STYLE = {"border": "1px solid #d0d0d0", "padding": "1em", "border_radius": "6px", "width": "100%"}


def messages() -> rx.Component:
    return rx.box(
        rx.cond(S.message != "", rx.callout(S.message, color_scheme="green", high_contrast=True)),
        rx.cond(S.export_message != "", rx.callout(S.export_message, color_scheme="green", high_contrast=True)),
        rx.cond(S.conflict != "", rx.callout(S.conflict, color_scheme="orange", high_contrast=True, role="alert")),
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", high_contrast=True, role="alert")),
        role="status",
        aria_live="polite",
        width="100%",
    )


def _field_error(errors: rx.Var, key: rx.Var | str, error_id: rx.Var | str) -> rx.Component:
    return rx.cond(
        errors.contains(key),
        rx.text(errors[key], id=error_id, color=ERROR_COLOR, weight="medium", role="alert"),
        rx.fragment(),
    )


def _retention_card(row: rx.Var) -> rx.Component:
    tid = row["tenant_id"]
    input_id = "anni-" + tid
    error_id = "anni-errore-" + tid
    return rx.el.section(
        rx.heading(row["name"], as_="h3", size="4", id="comune-" + tid),
        rx.text("Periodo attuale: ", rx.text.strong(row["years_label"])),
        rx.form(
            rx.el.input(type="hidden", name="tenant_id", value=tid),
            rx.el.input(type="hidden", name="version", value=row["version"]),
            rx.hstack(
                rx.vstack(
                    rx.el.label("Nuovo periodo di conservazione (anni, da 1 a 100)", html_for=input_id, style=LABEL_STYLE),
                    rx.el.input(id=input_id, name="years", type="number", min="1", max="100", step="1",
                                default_value=row["years"], aria_describedby=error_id, style={**INPUT_STYLE, **FOCUS}),
                    _field_error(S.retention_errors, tid, error_id),
                    spacing="1",
                ),
                rx.button("Salva", type="submit"),
                align="end",
                spacing="3",
                wrap="wrap",
            ),
            on_submit=S.save_retention,
            reset_on_submit=False,
            no_validate=True,  # the server's Italian message, next to the field, instead of the browser's
        ),
        rx.button(
            "Simula la conservazione (nessun dato viene modificato)",
            type="button",
            variant="outline",
            on_click=S.run_report(tid),
            margin_top="0.8em",
        ),
        aria_labelledby="comune-" + tid,
        style=BOX_STYLE,
    )


def retention_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Periodo di conservazione per Comune", as_="h2", size="5"),
        rx.text(
            "Trascorso il periodo di conservazione dalla chiusura, le cartelle vengono archiviate e gli accessi allo "
            "sportello cancellati. La simulazione mostra soltanto quanti e quali record (per numero identificativo) "
            "sarebbero interessati oggi, senza modificare nulla."
        ),
        rx.foreach(S.retention, _retention_card),
        spacing="3",
        width="100%",
    )


def _report_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["label"]),
        rx.table.cell(row["count"]),
        rx.table.cell(
            rx.el.details(
                rx.el.summary("Mostra gli identificativi", style={"cursor": "pointer", "color": "#0b4f8a", **FOCUS}),
                rx.text(row["ids"], size="2", style={"word_break": "break-word"}),
            )
        ),
    )


def report_section() -> rx.Component:
    return rx.cond(
        S.report_rows.length() > 0,
        rx.el.section(
            rx.heading("Esito della simulazione", as_="h2", size="5", id="esito-simulazione"),
            rx.text(S.report_title, id="simulazione-titolo"),
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell("Categoria"),
                    rx.table.column_header_cell("Numero"),
                    rx.table.column_header_cell("Identificativi"),
                )),
                rx.table.body(rx.foreach(S.report_rows, _report_row)),
                width="100%",
                aria_label="Record che la conservazione interesserebbe",
                id="tabella-simulazione",
            ),
            aria_labelledby="esito-simulazione",
            style={"width": "100%"},
        ),
        rx.fragment(),
    )


def _export_input(label: str, name: str, hint: str) -> rx.Component:
    field_id = f"richiesta-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.el.input(id=field_id, name=name, type="text", max_length=100, autocomplete="off",
                    aria_describedby=f"{field_id}-aiuto {field_id}-errore", style={**INPUT_STYLE, **FOCUS}),
        rx.text(hint, id=f"{field_id}-aiuto", size="1", color=HINT_COLOR),
        _field_error(S.export_errors, name, f"{field_id}-errore"),
        spacing="1",
    )


def export_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Richiesta di accesso dell'interessato", as_="h2", size="5", id="richiesta-accesso"),
        rx.text(
            "Produce un documento JSON con tutti i dati che Tutela conserva sulla persona (art. 15 GDPR). "
            "Le note riservate che non puoi leggere non sono incluse ma conteggiate. L'esportazione viene "
            "registrata nel registro accessi."
        ),
        rx.form(
            rx.flex(
                rx.vstack(
                    rx.el.label("Comune", html_for="richiesta-tenant_id", style=LABEL_STYLE),
                    rx.el.select(
                        rx.el.option("Scegli il Comune", value=""),
                        rx.foreach(S.export_comuni, lambda c: rx.el.option(c["name"], value=c["tenant_id"])),
                        id="richiesta-tenant_id", name="tenant_id", aria_describedby="richiesta-tenant_id-errore",
                        style={**INPUT_STYLE, **FOCUS},
                    ),
                    _field_error(S.export_errors, "tenant_id", "richiesta-tenant_id-errore"),
                    spacing="1",
                ),
                _export_input("Numero identificativo della persona", "person_id", "Solo cifre, ad esempio 1234."),
                _export_input("Codice fiscale", "codice_fiscale", "In alternativa al numero identificativo."),
                spacing="4",
                wrap="wrap",
                align="start",
            ),
            _field_error(S.export_errors, "_", "richiesta-errore"),
            rx.button("Esporta i dati della persona (JSON)", type="submit", margin_top="1em"),
            on_submit=S.export_subject,
            reset_on_submit=False,
            no_validate=True,
        ),
        aria_labelledby="richiesta-accesso",
        style=BOX_STYLE,
    )
