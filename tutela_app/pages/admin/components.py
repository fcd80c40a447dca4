"""Sections of the administration page: tenants' services and staff role grants."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.admin.state import AdminState


def messages() -> rx.Component:
    return rx.box(
        rx.cond(AdminState.message != "", rx.callout(AdminState.message, color_scheme="green")),
        rx.cond(AdminState.error != "", rx.callout(AdminState.error, color_scheme="red", role="alert")),
        role="status",
        aria_live="polite",
        width="100%",
    )


def _tenant_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row["name"], " ", rx.text.span(row["active"], color="#6b6b6b"))),
        rx.table.cell(row["code"]),
        rx.table.cell(
            rx.checkbox(
                "Tutela Minori",
                checked=row["tutela_minori"] == "1",
                on_change=lambda checked: AdminState.set_service(row["id"], "tutela_minori", checked),
            )
        ),
        rx.table.cell(
            rx.checkbox(
                "Segretariato Sociale",
                checked=row["segretariato"] == "1",
                on_change=lambda checked: AdminState.set_service(row["id"], "segretariato", checked),
            )
        ),
    )


def tenants_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Comuni e servizi acquistati", as_="h2", size="5"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Comune"),
                    rx.table.column_header_cell("Codice"),
                    rx.table.column_header_cell("Tutela Minori"),
                    rx.table.column_header_cell("Segretariato Sociale"),
                )
            ),
            rx.table.body(rx.foreach(AdminState.tenants, _tenant_row)),
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _grant_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["staff"]),
        rx.table.cell(row["tenant"]),
        rx.table.cell(row["role"]),
        rx.table.cell(row["source"]),
        rx.table.cell(
            rx.cond(
                row["removable"] == "1",
                rx.button(
                    "Rimuovi",
                    on_click=AdminState.remove_grant(row["id"]),
                    color_scheme="red",
                    variant="soft",
                    size="1",
                    aria_label="Rimuovi il ruolo " + row["role"].to(str) + " di " + row["staff"].to(str),
                ),
                rx.text("Si modifica presso il provider", size="1", color="#4a4a4a"),
            )
        ),
    )


def _select(label: str, name: str, options: rx.Var, placeholder: str) -> rx.Component:
    field_id = f"grant-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font_weight": "600"}),
        rx.el.select(
            rx.el.option(placeholder, value=""),
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
            id=field_id,
            name=name,
            required=True,
            style={"padding": "0.4em", "min_width": "14em"},
        ),
        spacing="1",
    )


def grants_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Ruoli del personale", as_="h2", size="5"),
        rx.text(
            "I ruoli che arrivano dal provider di identità si aggiornano a ogni accesso; "
            "quelli assegnati in Tutela si aggiungono e si tolgono qui."
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Persona"),
                    rx.table.column_header_cell("Comune"),
                    rx.table.column_header_cell("Ruolo"),
                    rx.table.column_header_cell("Origine"),
                    rx.table.column_header_cell("Azioni"),
                )
            ),
            rx.table.body(rx.foreach(AdminState.grants, _grant_row)),
            width="100%",
        ),
        rx.cond(
            AdminState.unassigned.length() > 0,
            rx.vstack(
                rx.heading("Persone senza ruolo", as_="h3", size="4"),
                rx.el.ul(
                    rx.foreach(AdminState.unassigned, lambda s: rx.el.li(s["name"], " ", s["profession"]))
                ),
                spacing="2",
            ),
        ),
        rx.heading("Assegna un ruolo", as_="h3", size="4"),
        rx.form(
            rx.hstack(
                _select("Persona", "staff_id", AdminState.staff_options, "Scegli la persona"),
                _select("Comune", "tenant_id", AdminState.tenant_options, "Scegli il Comune"),
                _select("Ruolo", "role", AdminState.role_options, "Scegli il ruolo"),
                rx.button("Assegna", type="submit"),
                align="end",
                spacing="4",
                wrap="wrap",
            ),
            on_submit=AdminState.add_grant,
            reset_on_submit=False,
            aria_label="Assegna un ruolo",
        ),
        spacing="3",
        width="100%",
    )
