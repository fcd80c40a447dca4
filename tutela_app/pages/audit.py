"""Registro accessi (/audit): who did what to which record, for coordinators and
administrators, scoped to their Comuni; filters, paging and CSV export."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.components.layout import protected_page
from tutela_app.db import run_db, write_session
from tutela_app.services.audit_log import (
    PAGE_SIZE,
    AuditFilters,
    export_audit_csv,
    search_audit,
    staff_choices,
)
from tutela_app.services.staff import InvalidRequest
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

FILTER_FIELDS = ("person_id", "staff_id", "entity_type", "entity_id", "action", "date_from", "date_to")
ACTION_LABELS = {
    "read": "Lettura",
    "create": "Creazione",
    "update": "Modifica",
    "delete": "Eliminazione",
    "move": "Cambio fase",
    "login": "Accesso",
    "logout": "Uscita",
    "denied": "Negato",
    "export": "Esportazione",
    "resume": "Ripresa",
}
ENTITY_TYPES = {
    "person": "Persona",
    "accesso": "Accesso allo sportello",
    "case": "Caso",
    "court_measure": "Provvedimento",
    "court_report": "Relazione al tribunale",
    "diary_entry": "Diario",
    "staff": "Personale",
    "role_grant": "Ruolo",
    "tenant": "Comune",
    "audit_log": "Registro accessi",
}
FORBIDDEN_MSG = "Non hai accesso al registro degli accessi."


def _page_data(actor: perm.Actor, filters: AuditFilters, page: int, record_read: bool):
    with write_session() as session:
        rows, total = search_audit(session, actor, filters, page, record_read=record_read)
        choices = staff_choices(session, actor)
    return rows, total, choices


def _export(actor: perm.Actor, filters: AuditFilters) -> tuple[str, int]:
    with write_session() as session:
        return export_audit_csv(session, actor, filters)


class AuditLogState(rx.State):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    staff_options: list[dict[str, str]] = []
    action_options: list[dict[str, str]] = [{"value": k, "label": v} for k, v in ACTION_LABELS.items()]
    entity_options: list[dict[str, str]] = [{"value": k, "label": v} for k, v in ENTITY_TYPES.items()]
    error: str = ""
    message: str = ""
    allowed: bool = False
    exporting: bool = False

    _filter_form: dict[str, str] = {}

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.var
    def page_label(self) -> str:
        return f"Pagina {self.page + 1} di {max(1, -(-self.total // PAGE_SIZE))} · {self.total} eventi"

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 0

    @rx.var
    def has_next(self) -> bool:
        return (self.page + 1) * PAGE_SIZE < self.total

    async def _current_actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    async def _refresh(self, *, record_read: bool):
        """Load the current page; returns an event to run (login) or None."""
        try:
            actor = await self._current_actor()
        except SessionExpired:
            return login_redirect(routes.AUDIT)
        try:
            filters = AuditFilters.parse(self._filter_form)
            rows, total, choices = await run_db(_page_data, actor, filters, self.page, record_read)
        except NotFoundOrForbidden:
            self.allowed, self.rows, self.total, self.staff_options = False, [], 0, []
            self.error = FORBIDDEN_MSG
            return None
        except InvalidRequest as exc:
            self.error = exc.message_it
            return None
        self.allowed = True
        self.total = total
        self.staff_options = [{"value": str(i), "label": n} for i, n in choices]
        self.rows = [
            {
                "id": str(r.id),
                "at": r.at_local,
                "staff": r.actor_name or (f"#{r.actor_id}" if r.actor_id else "—"),
                "tenant": r.tenant_code or "—",
                "action": ACTION_LABELS.get(r.action, r.action),
                "entity": ENTITY_TYPES.get(r.entity_type, r.entity_type),
                "entity_id": r.entity_id or "—",
                "person_id": str(r.person_id) if r.person_id is not None else "—",
                "session": r.session_ref[:8] or "—",
                "detail": r.detail,
            }
            for r in rows
        ]
        return None

    @rx.event
    async def load(self):
        self.error, self.message, self.page = "", "", 0
        self._filter_form = {}
        return await self._refresh(record_read=True)

    @rx.event
    async def apply_filters(self, form_data: Any):
        self.error, self.message = "", ""
        if not isinstance(form_data, dict):
            self.error = "Filtri non validi."
            return None
        raw = {k: form_data.get(k, "") for k in FILTER_FIELDS}
        if any(not isinstance(v, str) or len(v) > 100 for v in raw.values()):
            self.error = "Filtri non validi."
            return None
        try:
            AuditFilters.parse(raw)
        except InvalidRequest as exc:
            self.error = exc.message_it
            return None
        self._filter_form = raw
        self.page = 0
        return await self._refresh(record_read=True)

    @rx.event
    async def clear_filters(self):
        self.error, self.message, self.page = "", "", 0
        self._filter_form = {}
        return await self._refresh(record_read=False)

    @rx.event
    async def next_page(self):
        if (self.page + 1) * PAGE_SIZE >= self.total:
            return None
        self.page += 1
        return await self._refresh(record_read=False)

    @rx.event
    async def previous_page(self):
        if self.page <= 0:
            return None
        self.page -= 1
        return await self._refresh(record_read=False)

    @rx.event(background=True)
    async def export_csv(self):
        async with self:
            if self.exporting:
                return None
            self.error, self.message = "", ""
            try:
                actor = await self._current_actor()
            except SessionExpired:
                return login_redirect(routes.AUDIT)
            self.exporting = True
            raw = dict(self._filter_form)
        try:
            data, count = await run_db(_export, actor, AuditFilters.parse(raw))
        except NotFoundOrForbidden:
            async with self:
                self.exporting, self.error = False, FORBIDDEN_MSG
            return None
        except InvalidRequest as exc:
            async with self:
                self.exporting, self.error = False, exc.message_it
            return None
        async with self:
            self.exporting = False
            self.message = f"Esportati {count} eventi."
        return rx.download(
            data=data, filename=f"registro-accessi-{date.today().isoformat()}.csv", mime_type="text/csv"
        )


perm.register_handlers(
    "AuditLogState",
    {
        "load": "audit.view",
        "apply_filters": "audit.view",
        "clear_filters": "audit.view",
        "next_page": "audit.view",
        "previous_page": "audit.view",
        "export_csv": "audit.view",
    },
)


# ---------------------------------------------------------------------------
# view
# ---------------------------------------------------------------------------

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


def _filters() -> rx.Component:
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


def _table() -> rx.Component:
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


def audit_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Registro accessi", as_="h1", size="7"),
        rx.text(
            "Chi ha letto o modificato quali dati, quando e da quale sessione, nei Comuni di tua competenza. "
            "Anche la consultazione di questo registro viene registrata."
        ),
        rx.box(
            rx.cond(AuditLogState.message != "", rx.callout(AuditLogState.message, color_scheme="green")),
            rx.cond(
                AuditLogState.error != "", rx.callout(AuditLogState.error, color_scheme="red", role="alert")
            ),
            role="status",
            aria_live="polite",
            width="100%",
        ),
        rx.cond(AuditLogState.allowed, rx.vstack(_filters(), _table(), spacing="4", width="100%")),
        spacing="4",
        width="100%",
    )


def register(app: rx.App) -> None:
    protected_page(app, routes.AUDIT, "Registro accessi", on_load=[AuditLogState.load])(audit_body)
