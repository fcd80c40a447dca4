"""The one permission policy of Tutela.

Two questions, one module:

* ``can(actor, action, tenant_id)``: may this actor do this action in this tenant?
* ``tenants_for(actor, action)`` / ``case_visibility``: which rows may the actor see?
  Every list query of every service is scoped through these.

Rules (deny by default):

* Roles are granted per tenant (Comune); a role in one Comune gives nothing in another.
* Équipe members see and edit only the cases they are assigned to; coordinators see all
  cases of their Comuni; administrators manage tenants, grants, rules and read dashboards
  and the audit log, but do not read case files (least privilege).
* Psychological notes restricted by their author are readable only by the same
  profession and by coordinators.
* A record the actor may not see is reported exactly like a missing one.

``HANDLER_ACTIONS`` maps every public Reflex event handler to the action that the service
behind it enforces; a test fails when a public handler is missing from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

OPERATORE = "operatore_sportello"
EQUIPE = "equipe"
COORDINATORE = "coordinatore"
AMMINISTRATORE = "amministratore"
REFERENTE = "referente_comunale"
ALL_ROLES = (OPERATORE, EQUIPE, COORDINATORE, AMMINISTRATORE, REFERENTE)

#: action -> roles allowed to perform it within a tenant where they hold that role.
ACTION_ROLES: dict[str, frozenset[str]] = {
    # front desk
    "intake.use": frozenset({OPERATORE, COORDINATORE}),
    "intake.view_stale_drafts": frozenset({AMMINISTRATORE, COORDINATORE}),
    "person.search": frozenset({OPERATORE, COORDINATORE, EQUIPE}),
    "referral.update": frozenset({OPERATORE, COORDINATORE}),
    # cases (équipe members further limited to their assigned cases)
    "case.list": frozenset({EQUIPE, COORDINATORE}),
    "case.read": frozenset({EQUIPE, COORDINATORE}),
    "case.edit": frozenset({EQUIPE, COORDINATORE}),
    "case.move": frozenset({EQUIPE, COORDINATORE}),
    "case.reopen": frozenset({COORDINATORE}),
    "case.assign": frozenset({COORDINATORE}),
    "measure.edit": frozenset({EQUIPE, COORDINATORE}),
    "court_report.finalise": frozenset({COORDINATORE}),
    "obligation.list_own": frozenset({EQUIPE, COORDINATORE}),
    # oversight
    "dashboard.view": frozenset({AMMINISTRATORE, COORDINATORE, REFERENTE}),
    "service_report.generate": frozenset({AMMINISTRATORE, COORDINATORE}),
    "service_report.download": frozenset({AMMINISTRATORE, COORDINATORE, REFERENTE}),
    "audit.view": frozenset({AMMINISTRATORE, COORDINATORE}),
    "admin.tenants": frozenset({AMMINISTRATORE}),
    "admin.grants": frozenset({AMMINISTRATORE}),
    "admin.deadline_rules": frozenset({AMMINISTRATORE}),
    "privacy.retention": frozenset({AMMINISTRATORE}),
    "privacy.subject_export": frozenset({AMMINISTRATORE, COORDINATORE}),
}

#: actions where an équipe member additionally needs to be assigned to the case.
ASSIGNMENT_BOUND = frozenset({"case.read", "case.edit", "case.move", "measure.edit"})

#: Public handler -> action. "authenticated" means any signed-in actor (own data only);
#: "public" means no actor needed (e.g. starting a login).
HANDLER_ACTIONS: dict[str, str] = {}


def register_handlers(state_name: str, mapping: dict[str, str]) -> None:
    """Called by each page module next to its state, read by the policy coverage test."""
    for handler, action in mapping.items():
        if action not in ACTION_ROLES and action not in {"authenticated", "public"}:
            raise ValueError(f"unknown action {action!r} for {state_name}.{handler}")
        HANDLER_ACTIONS[f"{state_name}.{handler}"] = action


class NotFoundOrForbidden(Exception):
    """Raised for a missing record and for a forbidden one alike."""

    message_it = "Elemento non trovato o non accessibile."


@dataclass(frozen=True)
class Actor:
    """The signed-in staff member, as the services see them."""

    staff_id: int
    display_name: str
    profession: str | None
    roles_by_tenant: dict[int, frozenset[str]] = field(default_factory=dict)
    tenant_codes: dict[int, str] = field(default_factory=dict)
    session_ref: str | None = None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r for roles in self.roles_by_tenant.values() for r in roles)

    @property
    def is_authorised(self) -> bool:
        return bool(self.roles_by_tenant)


def can(actor: Actor | None, action: str, tenant_id: int | None) -> bool:
    if actor is None or tenant_id is None:
        return False
    allowed = ACTION_ROLES.get(action)
    if allowed is None:
        return False
    return bool(actor.roles_by_tenant.get(tenant_id, frozenset()) & allowed)


def tenants_for(actor: Actor | None, action: str) -> frozenset[int]:
    """Tenant ids where the actor may perform ``action``."""
    if actor is None:
        return frozenset()
    allowed = ACTION_ROLES.get(action, frozenset())
    return frozenset(t for t, roles in actor.roles_by_tenant.items() if roles & allowed)


def require(actor: Actor | None, action: str, tenant_id: int | None) -> None:
    if not can(actor, action, tenant_id):
        raise NotFoundOrForbidden


def needs_assignment(actor: Actor, action: str, tenant_id: int) -> bool:
    """True when the actor's right in this tenant depends on being in the case's équipe."""
    roles = actor.roles_by_tenant.get(tenant_id, frozenset())
    allowed = ACTION_ROLES.get(action, frozenset())
    privileged = roles & allowed - {EQUIPE}
    return action in ASSIGNMENT_BOUND and not privileged and EQUIPE in roles


def case_visibility(actor: Actor | None, action: str, case_table, assignment_table) -> ColumnElement[bool]:  # noqa: ANN001
    """SQL condition selecting the cases ``actor`` may ``action``."""
    if actor is None:
        return false()
    full = [t for t in tenants_for(actor, action) if not needs_assignment(actor, action, t)]
    assigned_only = [t for t in tenants_for(actor, action) if needs_assignment(actor, action, t)]
    clauses: list[ColumnElement[bool]] = []
    if full:
        clauses.append(case_table.tenant_id.in_(full))
    if assigned_only:
        is_member = exists(
            select(assignment_table.id).where(
                assignment_table.case_id == case_table.id,
                assignment_table.staff_id == actor.staff_id,
                assignment_table.until.is_(None),
            )
        )
        clauses.append(and_(case_table.tenant_id.in_(assigned_only), or_(is_member, case_table.responsible_staff_id == actor.staff_id)))
    return or_(*clauses) if clauses else false()


def can_on_case(actor: Actor | None, action: str, tenant_id: int,
                team_staff_ids: set[int] | Callable[[], set[int]]) -> bool:
    """Object-level check for one case, given the staff ids of its current équipe (or a
    function reading them: called only when the right depends on the équipe)."""
    if not can(actor, action, tenant_id):
        return False
    assert actor is not None
    if needs_assignment(actor, action, tenant_id):
        return actor.staff_id in (team_staff_ids() if callable(team_staff_ids) else team_staff_ids)
    return True


def can_read_restricted_note(actor: Actor, tenant_id: int, author_profession: str | None) -> bool:
    """Restricted (e.g. psychological) notes: same profession or a coordinator."""
    if COORDINATORE in actor.roles_by_tenant.get(tenant_id, frozenset()):
        return True
    return author_profession is not None and actor.profession == author_profession
