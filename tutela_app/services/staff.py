"""Staff identities and role grants.

* :func:`sync_staff_from_claims` mirrors the provider's claims at every login:
  identity is (issuer, sub); every known role applies in every known Comune listed;
  ``claim`` grants no longer in the token are deleted, ``app`` grants are kept.
* The administration operations (tenants' services, in-app grants) are scoped to the
  tenants where the actor is an administrator and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import RoleGrant, Staff, Tenant, utcnow
from tutela_app.models.tenants import PROFESSIONS, ROLES
from tutela_app.services import audit
from tutela_app.settings import Settings

MAX_CLAIM_VALUES = 200
MAX_CLAIM_VALUE_LENGTH = 100


class InvalidRequest(ValueError):
    """An argument a client sent is not acceptable; ``message_it`` is shown to the user."""

    def __init__(self, message_it: str) -> None:
        super().__init__(message_it)
        self.message_it = message_it


class ConcurrentEditError(Exception):
    message_it = "Un'altra persona ha modificato questo Comune nel frattempo: ricarica e riprova."


# ---------------------------------------------------------------------------
# claims -> Staff + RoleGrant(source='claim')
# ---------------------------------------------------------------------------


def claim_values(claims: dict[str, Any], name: str) -> list[str]:
    """A claim as a list of strings. A string is one value; a list keeps its strings.

    ``name`` is looked up as is first (claim names may contain dots, e.g. URLs); when
    absent and dotted, it is followed as a path (``realm_access.roles`` in Keycloak).
    """
    if not name:
        return []
    value: Any = claims.get(name)
    if value is None and "." in name and name not in claims:
        value = claims
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    out: list[str] = []
    for item in value[:MAX_CLAIM_VALUES]:
        if (
            isinstance(item, str)
            and item.strip()
            and len(item) <= MAX_CLAIM_VALUE_LENGTH
            and item.strip() not in out
        ):
            out.append(item.strip())
    return out


def display_name_from_claims(claims: dict[str, Any]) -> str:
    for candidate in (
        claims.get("name"),
        " ".join(p for p in (claims.get("given_name"), claims.get("family_name")) if isinstance(p, str)),
        claims.get("preferred_username"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()[:200]
    return "Utente"


def sync_staff_from_claims(
    session: Session, issuer: str, claims: dict[str, Any], settings: Settings
) -> Staff:
    """Create or update the Staff row for (issuer, sub) and mirror its claim grants."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise InvalidRequest("Identità non valida.")
    now = utcnow()
    staff = session.exec(select(Staff).where(Staff.issuer == issuer, Staff.subject == subject)).first()
    email = claims.get("email")
    email = email.strip()[:200] if isinstance(email, str) and "@" in email else None
    professions = [p for p in claim_values(claims, settings.oidc_profession_claim) if p in PROFESSIONS]
    if staff is None:
        staff = Staff(issuer=issuer, subject=subject, display_name="", created_at=now)
    staff.display_name = display_name_from_claims(claims)
    staff.email = email
    staff.profession = professions[0] if professions else None
    staff.last_login_at = now
    staff.updated_at = now
    session.add(staff)
    session.flush()

    roles = {r for r in claim_values(claims, settings.oidc_roles_claim) if r in ROLES}
    codes = claim_values(claims, settings.oidc_tenants_claim)
    tenant_ids = (
        set(session.exec(select(Tenant.id).where(Tenant.code.in_(codes))).all()) if codes and roles else set()
    )
    desired = {(t, r) for t in tenant_ids for r in roles}

    existing = session.exec(
        select(RoleGrant).where(RoleGrant.staff_id == staff.id, RoleGrant.source == "claim")
    ).all()
    have: set[tuple[int, str]] = set()
    for grant in existing:
        key = (grant.tenant_id, grant.role)
        if key in desired:
            have.add(key)
        else:
            session.delete(grant)
    for tenant_id, role in sorted(desired - have):
        session.add(
            RoleGrant(staff_id=staff.id, tenant_id=tenant_id, role=role, source="claim", created_at=now)
        )
    session.flush()
    return staff


def grant_count(session: Session, staff_id: int) -> int:
    """Grants in active tenants (what makes a person authorised)."""
    return session.exec(
        select(func.count(RoleGrant.id))
        .join(Tenant, Tenant.id == RoleGrant.tenant_id)
        .where(RoleGrant.staff_id == staff_id, Tenant.active.is_(True))
    ).one()


# ---------------------------------------------------------------------------
# administration
# ---------------------------------------------------------------------------


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
        raise InvalidRequest("Non puoi modificare i tuoi stessi ruoli: chiedi a un altro amministratore.")
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
        raise InvalidRequest("Non puoi modificare i tuoi stessi ruoli: chiedi a un altro amministratore.")
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


__all__ = [
    "ConcurrentEditError",
    "GrantRow",
    "InvalidRequest",
    "StaffRow",
    "TenantRow",
    "add_app_grant",
    "claim_values",
    "display_name_from_claims",
    "grant_count",
    "list_staff_with_grants",
    "list_tenants",
    "remove_app_grant",
    "set_tenant_services",
    "sync_staff_from_claims",
]
