"""Staff identities and the grants that come from the identity provider.

:func:`sync_staff_from_claims` mirrors the provider's claims at every login: identity is
(issuer, sub); every known role applies in every known Comune listed; ``claim`` grants no
longer in the token are deleted, ``app`` grants are kept. The administration operations
are in :mod:`tutela_app.services.staff_admin`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from tutela_app.models import RoleGrant, Staff, Tenant, utcnow
from tutela_app.models.tenants import PROFESSIONS, ROLES
from tutela_app.settings import Settings

MAX_CLAIM_VALUES = 200
MAX_CLAIM_VALUE_LENGTH = 100


class InvalidRequest(ValueError):
    """An argument a client sent is not acceptable; ``message_it`` is shown to the user."""

    def __init__(self, message_it: str) -> None:
        super().__init__(message_it)
        self.message_it = message_it


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


def staff_display_names(session: Session, ids: set[int] | list[int]) -> dict[int, str]:
    """Display names of staff members by id (for labels; staff names are not citizens' data)."""
    wanted = {int(i) for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.exec(select(Staff.id, Staff.display_name).where(Staff.id.in_(wanted))).all())
