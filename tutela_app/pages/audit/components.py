"""Parts of the audit log page: the filter form and the paged table of events."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.audit.state import AuditLogState

LABEL_STYLE = {"font_weight": "600"}
INPUT_STYLE = {"padding": "0.4em", "border": "1px solid #767676", "border_radius": "4px"}


def _field(label: str, name: str, input_type: str = "text", hint: str | None = None) -> rx.Component:
    field_id = f"audit-{name}"
    extra = {"aria_describedby": f"{field_id}-hint"} if hint else {}
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.el.input(id=field_id, name=name, type=input_type, style=INPUT_STYLE, **extra),
        *([rx.text(hint, id=f"{field_id}-hint", size="1", color="#4a4a4a")] if hint else []),
        spacing="1",
    )


def _select(label: str, name: str, options: rx.Var, empty: str) -> rx.Component:
    field_id = f"audit-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.el.select(
            rx.el.option(empty, value=""),
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
            id=field_id,
            name=name,
            style=INPUT_STYLE,
        ),
        spacing="1",
    )


def filter_form() -> rx.Component:
    return rx.form(
        rx.el.fieldset(
            rx.el.legend("Filtri", style={"font_weight": "700"}),
            rx.flex(
                _field("Persona (numero identificativo)", "person_id", hint="Il numero della scheda persona"),
                _select("Operatore", "staff_id", AuditLogState.staff_options, "Tutti"),
                _select("Tipo di record", "entity_type", AuditLogState.entity_options, "Tutti"),
                _field("Identificativo del record", "entity_id"),
                _select("Azione", "action", AuditLogState.action_options, "Tutte"),
                _field("Dal", "date_from", "date"),
                _field("Al", "date_to", "date"),
                spacing="4",
                wrap="wrap",
                align="end",
            ),
            rx.hstack(
                rx.button("Applica i filtri", type="submit"),
                rx.button("Azzera", type="reset", variant="outline", on_click=AuditLogState.clear_filters),
                rx.button(
                    rx.cond(AuditLogState.exporting, "Esportazione in corso…", "Esporta CSV"),
                    type="button",
                    variant="soft",
                    on_click=AuditLogState.export_csv,
                    disabled=AuditLogState.exporting,
                ),
                spacing="3",
                margin_top="1em",
            ),
            style={"border": "1px solid #d0d0d0", "padding": "1em", "border_radius": "6px"},
        ),
        on_submit=AuditLogState.apply_filters,
        reset_on_submit=False,
        width="100%",
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["at"]),
        rx.table.cell(row["staff"]),
        rx.table.cell(row["tenant"]),
        rx.table.cell(row["action"]),
        rx.table.cell(row["entity"]),
        rx.table.cell(row["entity_id"]),
        rx.table.cell(row["person_id"]),
        rx.table.cell(row["session"]),
        rx.table.cell(row["detail"]),
    )


def events_table() -> rx.Component:
    return rx.vstack(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(h)
                        for h in (
                            "Data e ora",
                            "Operatore",
                            "Comune",
                            "Azione",
                            "Record",
                            "Id record",
                            "Persona",
                            "Sessione",
                            "Dettaglio",
                        )
                    ]
                )
            ),
            rx.table.body(rx.foreach(AuditLogState.rows, _row)),
            width="100%",
            aria_label="Eventi del registro accessi",
        ),
        rx.el.nav(
            rx.hstack(
                rx.button(
                    "Pagina precedente",
                    on_click=AuditLogState.previous_page,
                    disabled=~AuditLogState.has_previous,
                    variant="outline",
                ),
                rx.text(AuditLogState.page_label, aria_live="polite"),
                rx.button(
                    "Pagina successiva",
                    on_click=AuditLogState.next_page,
                    disabled=~AuditLogState.has_next,
                    variant="outline",
                ),
                spacing="4",
                align="center",
            ),
            aria_label="Paginazione",
        ),
        spacing="3",
        width="100%",
    )
