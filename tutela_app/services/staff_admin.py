"""Administration of tenants and staff grants, for administrators in their own tenants.

Which services each Comune buys, and the grants made in Tutela (``source='app'``): listed,
added and removed here, scoped to the tenants where the actor holds ``admin.tenants`` /
``admin.grants``, and audited. Grants from the identity provider (``claim``) are shown but
changed only there (:mod:`tutela_app.services.staff`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import RoleGrant, Staff, Tenant, utcnow
from tutela_app.models.tenants import ROLES
from tutela_app.services import audit
from tutela_app.services.staff import InvalidRequest

OWN_ROLES_MSG = "Non puoi modificare i tuoi stessi ruoli: chiedi a un altro amministratore."


class ConcurrentEditError(Exception):
    message_it = "Un'altra persona ha modificato questo Comune nel frattempo: ricarica e riprova."


@dataclass(frozen=True)
class TenantRow:
    id: int
    code: str
    name: str
    kind: str
    active: bool
    buys_tutela_minori: bool
    buys_segretariato: bool
    version: int


@dataclass(frozen=True)
class StaffRow:
    id: int
    display_name: str
    profession: str | None
    active: bool
    last_login_at: datetime | None


@dataclass(frozen=True)
class GrantRow:
    id: int
    staff_id: int
    staff_name: str
    tenant_id: int
    tenant_code: str
    role: str
    source: str


def _int_arg(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (0 < value < 2**63):
        raise InvalidRequest(f"Valore non valido: {what}.")
    return value


def _bool_arg(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidRequest(f"Valore non valido: {what}.")
    return value


def _scope(actor: Actor, action: str) -> frozenset[int]:
    tenants = perm.tenants_for(actor, action)
    if not tenants:
        raise NotFoundOrForbidden
    return tenants


def _tenant_row(t: Tenant) -> TenantRow:
    return TenantRow(
        t.id, t.code, t.name, t.kind, t.active, t.buys_tutela_minori, t.buys_segretariato, t.version
    )


def list_tenants(session: Session, actor: Actor) -> list[TenantRow]:
    scope = _scope(actor, "admin.tenants")
    rows = session.exec(select(Tenant).where(Tenant.id.in_(scope)).order_by(Tenant.name)).all()
    return [_tenant_row(t) for t in rows]


def set_tenant_services(
    session: Session,
    actor: Actor,
    tenant_id: Any,
    *,
    buys_tutela_minori: Any,
    buys_segretariato: Any,
    expected_version: Any = None,
) -> TenantRow:
    tenant_id = _int_arg(tenant_id, "Comune")
    tutela = _bool_arg(buys_tutela_minori, "Tutela Minori")
    segretariato = _bool_arg(buys_segretariato, "Segretariato Sociale")
    perm.require(actor, "admin.tenants", tenant_id)
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFoundOrForbidden
    if expected_version is not None and tenant.version != _int_arg(expected_version, "versione"):
        raise ConcurrentEditError
    if (tenant.buys_tutela_minori, tenant.buys_segretariato) != (tutela, segretariato):
        tenant.buys_tutela_minori, tenant.buys_segretariato = tutela, segretariato
        tenant.updated_at = utcnow()
        session.add(tenant)
        audit.record(
            session,
            actor,
            "update",
            "tenant",
            tenant.id,
            tenant_id=tenant.id,
            detail=f"services tutela_minori={int(tutela)} segretariato={int(segretariato)}",
        )
        session.flush()
    return _tenant_row(tenant)


def _visible_staff_ids(session: Session, scope: frozenset[int]) -> set[int]:
    """Staff with a grant in the actor's tenants, plus staff with no grant anywhere
    (people who signed in and wait for a role)."""
    in_scope = set(session.exec(select(RoleGrant.staff_id).where(RoleGrant.tenant_id.in_(scope))).all())
    with_any = select(RoleGrant.staff_id)
    unassigned = set(session.exec(select(Staff.id).where(Staff.id.not_in(with_any))).all())
    return in_scope | unassigned


def list_staff_with_grants(session: Session, actor: Actor) -> tuple[list[StaffRow], list[GrantRow]]:
    scope = _scope(actor, "admin.grants")
    ids = _visible_staff_ids(session, scope)
    staff = (
        session.exec(select(Staff).where(Staff.id.in_(ids)).order_by(Staff.display_name, Staff.id)).all()
        if ids
        else []
    )
    grants = session.exec(
        select(RoleGrant, Staff.display_name, Tenant.code)
        .join(Staff, Staff.id == RoleGrant.staff_id)
        .join(Tenant, Tenant.id == RoleGrant.tenant_id)
        .where(RoleGrant.tenant_id.in_(scope))
        .order_by(Staff.display_name, Tenant.code, RoleGrant.role)
    ).all()
    return (
        [StaffRow(s.id, s.display_name, s.profession, s.active, s.last_login_at) for s in staff],
        [GrantRow(g.id, g.staff_id, name, g.tenant_id, code, g.role, g.source) for g, name, code in grants],
    )


def add_app_grant(session: Session, actor: Actor, staff_id: Any, tenant_id: Any, role: Any) -> GrantRow:
    staff_id = _int_arg(staff_id, "persona")
    tenant_id = _int_arg(tenant_id, "Comune")
    if not isinstance(role, str) or role not in ROLES:
        raise InvalidRequest("Ruolo non valido.")
    perm.require(actor, "admin.grants", tenant_id)
    if staff_id not in _visible_staff_ids(session, perm.tenants_for(actor, "admin.grants")):
        raise NotFoundOrForbidden
    staff = session.get(Staff, staff_id)
    tenant = session.get(Tenant, tenant_id)
    if staff is None or tenant is None:
        raise NotFoundOrForbidden
    if staff_id == actor.staff_id:
        raise InvalidRequest(OWN_ROLES_MSG)
    existing = session.exec(
        select(RoleGrant).where(
            RoleGrant.staff_id == staff_id,
            RoleGrant.tenant_id == tenant_id,
            RoleGrant.role == role,
            RoleGrant.source == "app",
        )
    ).first()
    if existing is not None:
        raise InvalidRequest("Questo ruolo è già assegnato.")
    grant = RoleGrant(
        staff_id=staff_id, tenant_id=tenant_id, role=role, source="app", granted_by=actor.staff_id
    )
    session.add(grant)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "role_grant",
        grant.id,
        tenant_id=tenant_id,
        detail=f"staff={staff_id} role={role}",
    )
    return GrantRow(grant.id, staff_id, staff.display_name, tenant_id, tenant.code, role, "app")


def remove_app_grant(session: Session, actor: Actor, grant_id: Any) -> None:
    grant_id = _int_arg(grant_id, "ruolo")
    grant = session.get(RoleGrant, grant_id)
    if grant is None or not perm.can(actor, "admin.grants", grant.tenant_id):
        raise NotFoundOrForbidden
    if grant.source != "app":
        raise InvalidRequest("Questo ruolo viene dal provider di identità: si toglie lì, non in Tutela.")
    if grant.staff_id == actor.staff_id:
        raise InvalidRequest(OWN_ROLES_MSG)
    audit.record(
        session,
        actor,
        "delete",
        "role_grant",
        grant.id,
        tenant_id=grant.tenant_id,
        detail=f"staff={grant.staff_id} role={grant.role}",
    )
    session.delete(grant)
    session.flush()
