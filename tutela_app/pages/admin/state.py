"""State of /amministrazione. Rows live server-side; the client gets small dicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db, write_session
from tutela_app.models.tenants import ROLES
from tutela_app.pages.admin.display_rows import (
    ROLE_LABELS,
    grant_dict,
    staff_option,
    tenant_dict,
    unassigned_dict,
)
from tutela_app.services import staff_admin
from tutela_app.services.staff import InvalidRequest
from tutela_app.services.staff_admin import ConcurrentEditError, GrantRow, StaffRow, TenantRow
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

SERVICES = {"tutela_minori": "buys_tutela_minori", "segretariato": "buys_segretariato"}
FORBIDDEN_MSG = "Non hai accesso a questa funzione."
INVALID_MSG = "Richiesta non valida."


def _in_tx(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with write_session() as session:
        return fn(session, *args, **kwargs)


def _load_all(actor: perm.Actor) -> tuple[list[TenantRow], list[StaffRow], list[GrantRow]]:
    with write_session() as session:
        tenants = staff_admin.list_tenants(session, actor)
        staff, grants = staff_admin.list_staff_with_grants(session, actor)
    return tenants, staff, grants


def _positive_int(value: Any) -> int | None:
    """A positive id from a client value (int or digit string); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**63 else None
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value) or None
    return None


class AdminState(rx.State):
    """State of /amministrazione. Rows live server-side; the client gets small dicts."""

    tenants: list[dict[str, str]] = []
    grants: list[dict[str, str]] = []
    unassigned: list[dict[str, str]] = []
    staff_options: list[dict[str, str]] = []
    tenant_options: list[dict[str, str]] = []
    role_options: list[dict[str, str]] = [{"value": r, "label": ROLE_LABELS[r]} for r in ROLES]
    message: str = ""
    error: str = ""
    allowed: bool = False

    _tenant_versions: dict[int, int] = {}

    async def _current_actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    def _publish(self, tenants: list[TenantRow], staff: list[StaffRow], grants: list[GrantRow]) -> None:
        self._tenant_versions = {t.id: t.version for t in tenants}
        self.tenants = [tenant_dict(t) for t in tenants]
        self.tenant_options = [{"value": str(t.id), "label": t.name} for t in tenants]
        with_grants = {g.staff_id for g in grants}
        self.staff_options = [staff_option(s) for s in staff]
        self.unassigned = [unassigned_dict(s) for s in staff if s.id not in with_grants]
        self.grants = [grant_dict(g) for g in grants]
        self.allowed = True

    def _forbid(self) -> None:
        self.allowed = False
        self.tenants, self.grants, self.unassigned, self.staff_options, self.tenant_options = (
            [],
            [],
            [],
            [],
            [],
        )
        self._tenant_versions = {}
        self.error = FORBIDDEN_MSG

    async def _reload(self, actor: perm.Actor) -> None:
        try:
            self._publish(*await run_db(_load_all, actor))
        except NotFoundOrForbidden:
            self._forbid()

    async def _change(
        self, actor: perm.Actor, done: Callable[[Any], str], fn: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> None:
        """Run one administration operation in a transaction, say how it went, reload."""
        try:
            result = await run_db(_in_tx, fn, actor, *args, **kwargs)
            self.message = done(result)
        except NotFoundOrForbidden:
            self.error = NotFoundOrForbidden.message_it
        except (ConcurrentEditError, InvalidRequest) as exc:
            self.error = exc.message_it
        await self._reload(actor)

    @rx.event
    async def load(self):
        self.message, self.error = "", ""
        try:
            actor = await self._current_actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN)
        await self._reload(actor)
        return None

    @rx.event
    async def set_service(self, tenant_id: Any, service: Any, value: Any):
        self.message, self.error = "", ""
        tid = _positive_int(tenant_id)
        if tid is None or service not in SERVICES or not isinstance(value, bool):
            self.error = INVALID_MSG
            return None
        try:
            actor = await self._current_actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN)
        current = next((t for t in self.tenants if t["id"] == str(tid)), None)
        if current is None:
            self.error = NotFoundOrForbidden.message_it
            return None
        flags = {
            "tutela_minori": current["tutela_minori"] == "1",
            "segretariato": current["segretariato"] == "1",
        }
        flags[service] = value
        await self._change(
            actor,
            lambda _row: f"Servizi di {current['name']} aggiornati.",
            staff_admin.set_tenant_services,
            tid,
            buys_tutela_minori=flags["tutela_minori"],
            buys_segretariato=flags["segretariato"],
            expected_version=self._tenant_versions.get(tid),
        )
        return None

    @rx.event
    async def add_grant(self, form_data: Any):
        self.message, self.error = "", ""
        if not isinstance(form_data, dict):
            self.error = INVALID_MSG
            return None
        staff_id = _positive_int(form_data.get("staff_id"))
        tenant_id = _positive_int(form_data.get("tenant_id"))
        role = form_data.get("role")
        if staff_id is None or tenant_id is None or not isinstance(role, str) or role not in ROLES:
            self.error = "Scegli la persona, il Comune e il ruolo."
            return None
        try:
            actor = await self._current_actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN)
        await self._change(
            actor,
            lambda row: f"Ruolo {ROLE_LABELS[role]} assegnato a {row.staff_name} ({row.tenant_code}).",
            staff_admin.add_app_grant,
            staff_id,
            tenant_id,
            role,
        )
        return None

    @rx.event
    async def remove_grant(self, grant_id: Any):
        self.message, self.error = "", ""
        gid = _positive_int(grant_id)
        if gid is None:
            self.error = INVALID_MSG
            return None
        try:
            actor = await self._current_actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN)
        await self._change(actor, lambda _none: "Ruolo rimosso.", staff_admin.remove_app_grant, gid)
        return None


perm.register_handlers(
    "AdminState",
    {
        "load": "admin.tenants",
        "set_service": "admin.tenants",
        "add_grant": "admin.grants",
        "remove_grant": "admin.grants",
    },
)
