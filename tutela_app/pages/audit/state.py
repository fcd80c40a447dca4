"""State of the audit log (/audit): filters, paging and CSV export; rows as small dicts."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db, run_db_heavy, write_session
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
INVALID_FILTERS_MSG = "Filtri non validi."


def _page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _has_next(page: int, total: int) -> bool:
    return (page + 1) * PAGE_SIZE < total


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
        return _page_count(self.total)

    @rx.var
    def page_label(self) -> str:
        return f"Pagina {self.page + 1} di {_page_count(self.total)} · {self.total} eventi"

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 0

    @rx.var
    def has_next(self) -> bool:
        return _has_next(self.page, self.total)

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
            self.error = INVALID_FILTERS_MSG
            return None
        raw = {k: form_data.get(k, "") for k in FILTER_FIELDS}
        if any(not isinstance(v, str) or len(v) > 100 for v in raw.values()):
            self.error = INVALID_FILTERS_MSG
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
        if not _has_next(self.page, self.total):
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
            data, count = await run_db_heavy(_export, actor, AuditFilters.parse(raw))
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
