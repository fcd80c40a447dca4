"""Amministrazione: which services each Comune buys, and staff role grants.

Only administrators (``admin.tenants`` / ``admin.grants``) in their own tenants; the
services enforce it. Grants from the identity provider are shown but can only be
changed there; grants made in Tutela (``app``) can be added and removed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.components.layout import protected_page
from tutela_app.db import run_db, write_session
from tutela_app.models.tenants import ROLES
from tutela_app.services import staff as staff_service
from tutela_app.services.staff import ConcurrentEditError, InvalidRequest
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

ROLE_LABELS = {
    "operatore_sportello": "Operatore di sportello",
    "equipe": "Équipe",
    "coordinatore": "Coordinatore",
    "amministratore": "Amministratore",
    "referente_comunale": "Referente comunale",
}
PROFESSION_LABELS = {
    "assistente_sociale": "Assistente sociale",
    "psicologo": "Psicologo",
    "educatore": "Educatore",
}
SERVICES = {"tutela_minori": "buys_tutela_minori", "segretariato": "buys_segretariato"}
FORBIDDEN_MSG = "Non hai accesso a questa funzione."


def _in_tx(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    with write_session() as session:
        return fn(session, *args, **kwargs)


def _load_all(actor: perm.Actor) -> tuple[list, list, list]:
    with write_session() as session:
        tenants = staff_service.list_tenants(session, actor)
        staff, grants = staff_service.list_staff_with_grants(session, actor)
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

    def _publish(self, tenants: list, staff: list, grants: list) -> None:
        self._tenant_versions = {t.id: t.version for t in tenants}
        self.tenants = [
            {
                "id": str(t.id),
                "name": t.name,
                "code": t.code,
                "tutela_minori": "1" if t.buys_tutela_minori else "",
                "segretariato": "1" if t.buys_segretariato else "",
                "active": "" if t.active else "non attivo",
            }
            for t in tenants
        ]
        self.tenant_options = [{"value": str(t.id), "label": t.name} for t in tenants]
        with_grants = {g.staff_id for g in grants}
        self.staff_options = [
            {"value": str(s.id), "label": s.display_name + ("" if s.active else " (disattivato)")}
            for s in staff
        ]
        self.unassigned = [
            {
                "id": str(s.id),
                "name": s.display_name,
                "profession": PROFESSION_LABELS.get(s.profession or "", ""),
            }
            for s in staff
            if s.id not in with_grants
        ]
        self.grants = [
            {
                "id": str(g.id),
                "staff": g.staff_name,
                "tenant": g.tenant_code,
                "role": ROLE_LABELS.get(g.role, g.role),
                "source": "Provider di identità" if g.source == "claim" else "Tutela",
                "removable": "1" if g.source == "app" else "",
            }
            for g in grants
        ]
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
            self.error = "Richiesta non valida."
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
        try:
            await run_db(
                _in_tx,
                staff_service.set_tenant_services,
                actor,
                tid,
                buys_tutela_minori=flags["tutela_minori"],
                buys_segretariato=flags["segretariato"],
                expected_version=self._tenant_versions.get(tid),
            )
            self.message = f"Servizi di {current['name']} aggiornati."
        except NotFoundOrForbidden:
            self.error = NotFoundOrForbidden.message_it
        except (ConcurrentEditError, InvalidRequest) as exc:
            self.error = exc.message_it
        await self._reload(actor)
        return None

    @rx.event
    async def add_grant(self, form_data: Any):
        self.message, self.error = "", ""
        if not isinstance(form_data, dict):
            self.error = "Richiesta non valida."
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
        try:
            row = await run_db(_in_tx, staff_service.add_app_grant, actor, staff_id, tenant_id, role)
            self.message = f"Ruolo {ROLE_LABELS[role]} assegnato a {row.staff_name} ({row.tenant_code})."
        except NotFoundOrForbidden:
            self.error = NotFoundOrForbidden.message_it
        except InvalidRequest as exc:
            self.error = exc.message_it
        await self._reload(actor)
        return None

    @rx.event
    async def remove_grant(self, grant_id: Any):
        self.message, self.error = "", ""
        gid = _positive_int(grant_id)
        if gid is None:
            self.error = "Richiesta non valida."
            return None
        try:
            actor = await self._current_actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN)
        try:
            await run_db(_in_tx, staff_service.remove_app_grant, actor, gid)
            self.message = "Ruolo rimosso."
        except NotFoundOrForbidden:
            self.error = NotFoundOrForbidden.message_it
        except InvalidRequest as exc:
            self.error = exc.message_it
        await self._reload(actor)
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


# ---------------------------------------------------------------------------
# view
# ---------------------------------------------------------------------------


def _messages() -> rx.Component:
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


def _tenants_section() -> rx.Component:
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


def _grants_section() -> rx.Component:
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


def admin_body() -> rx.Component:
    return rx.vstack(
        rx.heading("Amministrazione", as_="h1", size="7"),
        _messages(),
        rx.cond(
            AdminState.allowed, rx.vstack(_tenants_section(), _grants_section(), spacing="6", width="100%")
        ),
        spacing="4",
        width="100%",
    )


def register(app: rx.App) -> None:
    protected_page(app, routes.ADMIN, "Amministrazione", on_load=[AdminState.load])(admin_body)
