"""A person's deadlines: the home page list and the iCalendar feed.

"Theirs" means open obligations assigned to them or of a case where they are in the
équipe or responsible, always within the cases the policy lets them read. Calendar feed
tokens are random secrets shown once; only their SHA-256 is stored; revocable.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor
from tutela_app.domain.deadlines import ROME, urgency
from tutela_app.models import (
    CalendarFeedToken,
    Case,
    CaseAssignment,
    Obligation,
    Person,
    RoleGrant,
    Staff,
    Tenant,
    utcnow,
)
from tutela_app.services import audit
from tutela_app.services.case_access import initials, visible_cases

HOME_DAYS = 14
MAX_ROWS = 200
URGENCY_LABELS = {"overdue": "Scaduta", "this_week": "Entro 7 giorni", "later": "Entro 14 giorni"}
KIND_LABELS = {
    "403_notice_pm": "Art. 403: trasmissione al PM", "403_pm_request_tm": "Art. 403: richiesta del PM al Tribunale",
    "403_tm_decision": "Art. 403: decisione del Tribunale", "403_hearing": "Art. 403: udienza",
    "name_responsible_worker": "Nomina dell'operatore responsabile", "periodic_report": "Relazione periodica",
    "extension_request": "Richiesta di proroga", "measure_expiry": "Scadenza della misura",
    "next_hearing": "Udienza", "map_end": "Fine della messa alla prova",
    "map_outcome_hearing": "Udienza di esito della messa alla prova", "decree_task": "Adempimento disposto dal decreto",
}


def _rows(session: Session, actor: Actor, until: datetime, since: datetime | None = None) -> list[Any]:
    tenants = perm.tenants_for(actor, "obligation.list_own")
    if not tenants:
        return []
    mine = or_(
        Obligation.assigned_staff_id == actor.staff_id,
        Case.responsible_staff_id == actor.staff_id,
        exists(select(CaseAssignment.id).where(
            CaseAssignment.case_id == Case.id, CaseAssignment.staff_id == actor.staff_id, CaseAssignment.until.is_(None)
        )),
    )
    q = (
        select(Obligation, Case.number, Person.given_name, Person.surname)
        .join(Case, Case.id == Obligation.case_id)
        .join(Person, Person.id == Case.subject_person_id)
        .where(
            Obligation.status == "aperto", Obligation.due_at <= until, Obligation.tenant_id.in_(tenants),
            Case.closed_on.is_(None), mine, visible_cases(actor, "case.read"),
        )
    )
    if since is not None:
        q = q.where(Obligation.due_at >= since)
    return list(session.exec(q.order_by(Obligation.due_at, Obligation.id).limit(MAX_ROWS)).all())


def my_deadlines(session: Session, actor: Actor, now: datetime | None = None, days: int = HOME_DAYS) -> list[dict[str, str]]:
    """Overdue obligations and those due within ``days``, as small DTOs (no names)."""
    now = now or utcnow()
    out = []
    for ob, number, given, surname in _rows(session, actor, now + timedelta(days=days)):
        level = urgency(ob.due_at, now)
        out.append({
            "id": str(ob.id), "case_id": str(ob.case_id), "case_number": number, "initials": initials(given, surname),
            "title": KIND_LABELS.get(ob.kind, "Scadenza"), "detail": ob.title,
            "due": ob.due_at.astimezone(ROME).strftime("%d/%m/%Y %H:%M"), "urgency": level,
            "urgency_label": URGENCY_LABELS[level],
            "url": f"/casi/{int(ob.case_id)}/tribunale",
        })
    return out


def feed_rows(session: Session, actor: Actor, now: datetime | None = None) -> list[dict[str, Any]]:
    """Open deadlines for the calendar: 60 days back to 800 days ahead (a whole 24-month measure)."""
    now = now or utcnow()
    return [
        {"id": ob.id, "kind": ob.kind, "due": ob.due_at.astimezone(UTC), "case_number": number,
         "initials": initials(given, surname), "case_id": ob.case_id}
        for ob, number, given, surname in _rows(session, actor, now + timedelta(days=800), now - timedelta(days=60))
    ]


# ---------------------------------------------------------------------------
# feed tokens
# ---------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def has_feed_token(session: Session, actor: Actor) -> bool:
    return session.exec(select(CalendarFeedToken.id).where(
        CalendarFeedToken.staff_id == actor.staff_id, CalendarFeedToken.revoked_at.is_(None)
    )).first() is not None


def revoke_feed_tokens(session: Session, actor: Actor) -> int:
    rows = session.exec(select(CalendarFeedToken).where(
        CalendarFeedToken.staff_id == actor.staff_id, CalendarFeedToken.revoked_at.is_(None)
    )).all()
    for row in rows:
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, actor, "delete", "calendar_feed_token", row.id)
    session.flush()
    return len(rows)


def create_feed_token(session: Session, actor: Actor) -> str:
    """A new secret (previous ones revoked). Returned once; only its hash is stored."""
    if not perm.tenants_for(actor, "obligation.list_own"):
        raise perm.NotFoundOrForbidden
    revoke_feed_tokens(session, actor)
    token = secrets.token_urlsafe(32)
    row = CalendarFeedToken(staff_id=actor.staff_id, token_hash=_hash(token))
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "calendar_feed_token", row.id)
    return token


def actor_for_token(session: Session, token: str) -> Actor | None:
    """The staff member behind a live feed token, with their current grants; else None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = session.exec(select(CalendarFeedToken).where(
        CalendarFeedToken.token_hash == _hash(token), CalendarFeedToken.revoked_at.is_(None)
    )).first()
    staff = session.get(Staff, row.staff_id) if row else None
    if staff is None or not staff.active:
        return None
    grants = session.exec(
        select(RoleGrant.tenant_id, RoleGrant.role).join(Tenant, Tenant.id == RoleGrant.tenant_id)
        .where(RoleGrant.staff_id == staff.id, Tenant.active.is_(True))
    ).all()
    roles: dict[int, set[str]] = {}
    for tenant_id, role in grants:
        roles.setdefault(tenant_id, set()).add(role)
    return Actor(staff_id=staff.id, display_name="", profession=staff.profession,
                 roles_by_tenant={t: frozenset(r) for t, r in roles.items()}, session_ref="ics")
