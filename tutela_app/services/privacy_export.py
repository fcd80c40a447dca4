"""GDPR art. 15 access request: every record about one person, as one JSON document.

Permission ``privacy.subject_export`` in the person's Comune; a person the actor may not
export is reported as not found. Restricted diary entries (e.g. psychological notes) are
included only when the requester may read them, otherwise counted as withheld (art. 15(4):
rights of others). The export is audited (``export``) with ids only.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session, SQLModel

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden, can_read_restricted_note, require
from tutela_app.models import (
    Accesso,
    AuditEvent,
    Case,
    CaseAssignment,
    CaseStageChange,
    CourtMeasure,
    CourtReport,
    DiaryEntry,
    Evaluation,
    Goal,
    Household,
    HouseholdMember,
    IndividualProject,
    Intervention,
    IseeDeclaration,
    NetworkContact,
    Obligation,
    Person,
    Placement,
    ProbationLogEntry,
    ProbationPrescription,
    ProbationProject,
    Referral,
)
from tutela_app.services import audit
from tutela_app.services.case_access import check_id

#: Records hanging off a case file, exported with it.
CASE_WORK = {
    "stage_history": CaseStageChange, "team": CaseAssignment, "projects": IndividualProject,
    "network": NetworkContact, "interventions": Intervention, "goals": Goal, "measures": CourtMeasure,
    "obligations": Obligation, "placements": Placement, "probation": ProbationProject, "court_reports": CourtReport,
}


def _plain(row: SQLModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.model_dump().items():
        out[key] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def _rows(session: Session, model, *where) -> list[dict[str, Any]]:  # noqa: ANN001
    stmt = select(model).where(*where).order_by(model.id)
    return [_plain(r) for r in session.execute(stmt).scalars().all()]


def _case_bundle(session: Session, actor: Actor, case: Case) -> dict[str, Any]:
    bundle: dict[str, Any] = {"case": _plain(case)}
    for key, model in CASE_WORK.items():
        bundle[key] = _rows(session, model, model.case_id == case.id)
    goal_ids = [g["id"] for g in bundle["goals"]]
    bundle["evaluations"] = _rows(session, Evaluation, Evaluation.goal_id.in_(goal_ids or [0]))
    project_ids = [p["id"] for p in bundle["probation"]]
    bundle["probation_prescriptions"] = _rows(
        session, ProbationPrescription, ProbationPrescription.project_id.in_(project_ids or [0]))
    bundle["probation_log"] = _rows(session, ProbationLogEntry, ProbationLogEntry.project_id.in_(project_ids or [0]))
    diary, withheld = [], 0
    for entry in session.execute(
        select(DiaryEntry).where(DiaryEntry.case_id == case.id).order_by(DiaryEntry.occurred_on, DiaryEntry.id)
    ).scalars():
        if entry.restricted_to_profession and not can_read_restricted_note(actor, case.tenant_id, entry.author_profession):
            withheld += 1
            continue
        diary.append(_plain(entry))
    bundle["diary"] = diary
    bundle["diary_restricted_withheld"] = withheld
    return bundle


def export_person_data(session: Session, actor: Actor | None, person_id: object) -> dict[str, Any]:
    """All data about one person that Tutela holds, for a data subject access request."""
    pid = check_id(person_id)
    person = session.get(Person, pid)
    if person is None:
        raise NotFoundOrForbidden
    require(actor, "privacy.subject_export", person.tenant_id)
    assert actor is not None
    memberships = session.execute(select(HouseholdMember).where(HouseholdMember.person_id == pid)).scalars().all()
    household_ids = sorted({m.household_id for m in memberships})
    households = []
    for hid in household_ids:
        household = session.get(Household, hid)
        if household is not None and household.tenant_id == person.tenant_id:
            households.append({"household": _plain(household),
                               "members": _rows(session, HouseholdMember, HouseholdMember.household_id == hid)})
    accessi = _rows(session, Accesso, Accesso.person_id == pid, Accesso.tenant_id == person.tenant_id)
    accesso_ids = [a["id"] for a in accessi]
    referrals = _rows(session, Referral, Referral.tenant_id == person.tenant_id,
                      or_(Referral.person_id == pid, Referral.accesso_id.in_(accesso_ids or [0])))
    cases = session.execute(select(Case).where(
        Case.tenant_id == person.tenant_id,
        or_(Case.subject_person_id == pid, Case.household_id.in_(household_ids or [0])),
    ).order_by(Case.id)).scalars().all()
    access_log = [
        {"at": e.at.isoformat(), "actor_id": e.actor_id, "action": e.action, "entity_type": e.entity_type,
         "entity_id": e.entity_id}
        for e in session.execute(
            select(AuditEvent).where(AuditEvent.person_id == pid).order_by(AuditEvent.at, AuditEvent.id)
        ).scalars()
    ]
    document = {
        "generated_at": datetime.now(UTC).isoformat(),
        "legal_basis": "Regolamento (UE) 2016/679, art. 15",
        "person": _plain(person),
        "households": households,
        "accessi": accessi,
        "referrals": referrals,
        "isee": _rows(session, IseeDeclaration, IseeDeclaration.person_id == pid),
        "cases": [dict(_case_bundle(session, actor, c), role="soggetto" if c.subject_person_id == pid else "nucleo")
                  for c in cases],
        "access_log": access_log,
    }
    audit.record(session, actor, "export", "person", pid, tenant_id=person.tenant_id, person_id=pid,
                 detail=f"subject_access_request cases={len(cases)} accessi={len(accessi)}")
    return document


def export_person_json(session: Session, actor: Actor | None, person_id: object) -> str:
    return json.dumps(export_person_data(session, actor, person_id), ensure_ascii=False, indent=1, default=str)
