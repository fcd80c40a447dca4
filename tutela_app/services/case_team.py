"""The case's équipe: coordinators add members, end memberships and name the responsible.

Naming the responsible edits the case itself and carries the version the coordinator
loaded (optimistic locking, as every case edit). Every change is audited.
"""

from __future__ import annotations

from sqlalchemy import exists
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import CaseAssignment, RoleGrant, Staff, utcnow
from tutela_app.services import audit
from tutela_app.services.case_access import (
    EditConflict,
    InvalidInput,
    check_id,
    load_case,
    team_staff_ids,
    today_rome,
    touch_case,
)

ROLES_IN_CASE = {"assistente_sociale": "Assistente sociale", "psicologo": "Psicologo/a", "educatore": "Educatore/Educatrice"}


def _assignable(session: Session, tenant_id: int, staff_id: int) -> Staff:
    """An active staff member with an équipe or coordinator role in the case's Comune."""
    staff = session.exec(select(Staff).where(
        Staff.id == staff_id, Staff.active.is_(True),  # type: ignore[attr-defined]
        exists(select(RoleGrant.id).where(RoleGrant.staff_id == Staff.id, RoleGrant.tenant_id == tenant_id,
                                          RoleGrant.role.in_(("equipe", "coordinatore")))),  # type: ignore[attr-defined]
    )).first()
    if staff is None:
        raise InvalidInput({"staff_id": "Scegli un operatore del Comune della pratica."})
    return staff


def candidates(session: Session, actor: Actor | None, case_id: object) -> list[dict[str, str]]:
    """Staff who may join the équipe (for coordinators); empty for everybody else."""
    case = load_case(session, actor, case_id, "case.read")
    if not perm.can(actor, "case.assign", case.tenant_id):
        return []
    # from the Comune's grants (ix_rolegrant_tenant_id) to their staff: a few rows, not every staff member
    rows = session.exec(
        select(Staff.id, Staff.display_name).distinct()
        .join(RoleGrant, RoleGrant.staff_id == Staff.id)  # type: ignore[arg-type]
        .where(RoleGrant.tenant_id == case.tenant_id, RoleGrant.role.in_(("equipe", "coordinatore")),  # type: ignore[attr-defined]
               Staff.active.is_(True))  # type: ignore[attr-defined]
        .order_by(Staff.display_name, Staff.id)
    ).all()
    return [{"value": str(i), "label": n} for i, n in rows]


def add_member(session: Session, actor: Actor | None, case_id: object, staff_id: object, role_in_case: object) -> dict:
    case = load_case(session, actor, case_id, "case.read")
    perm.require(actor, "case.assign", case.tenant_id)
    if role_in_case not in ROLES_IN_CASE:
        raise InvalidInput({"role_in_case": "Scegli il ruolo nel caso."})
    if staff_id in (None, ""):
        raise InvalidInput({"staff_id": "Scegli un operatore del Comune della pratica."})
    staff = _assignable(session, case.tenant_id, check_id(staff_id))
    open_row = session.exec(select(CaseAssignment).where(
        CaseAssignment.case_id == case.id, CaseAssignment.staff_id == staff.id,
        CaseAssignment.until.is_(None))).first()  # type: ignore[union-attr]
    if open_row is not None:
        raise InvalidInput({"staff_id": "L'operatore fa già parte dell'équipe."})
    row = CaseAssignment(case_id=case.id, staff_id=staff.id, role_in_case=str(role_in_case), since=today_rome())  # type: ignore[arg-type]
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "case_assignment", row.id, tenant_id=case.tenant_id,
                 person_id=case.subject_person_id, detail=str(role_in_case))
    touch_case(session, case.id)  # type: ignore[arg-type]
    return {"id": row.id}


def end_member(session: Session, actor: Actor | None, case_id: object, staff_id: object) -> dict:
    case = load_case(session, actor, case_id, "case.read")
    perm.require(actor, "case.assign", case.tenant_id)
    sid = check_id(staff_id)
    rows = session.exec(select(CaseAssignment).where(
        CaseAssignment.case_id == case.id, CaseAssignment.staff_id == sid,
        CaseAssignment.until.is_(None))).all()  # type: ignore[union-attr]
    if not rows:
        raise NotFoundOrForbidden
    if case.responsible_staff_id == sid:
        raise InvalidInput({"staff_id": "Prima di togliere il responsabile dall'équipe nominane un altro."})
    for row in rows:
        row.until = today_rome()
        session.add(row)
        audit.record(session, actor, "update", "case_assignment", row.id, tenant_id=case.tenant_id,
                     person_id=case.subject_person_id, detail="ended")
    touch_case(session, case.id)  # type: ignore[arg-type]
    return {"ended": len(rows)}


def set_responsible(session: Session, actor: Actor | None, case_id: object, expected_version: object,
                    staff_id: object) -> dict:
    """Name the responsible worker (must be in the équipe); version-checked like every case edit."""
    case = load_case(session, actor, case_id, "case.read")
    perm.require(actor, "case.assign", case.tenant_id)
    sid = check_id(staff_id) if staff_id not in (None, "") else None
    if sid is None or sid not in team_staff_ids(session, case):
        raise InvalidInput({"responsible": "Il responsabile va scelto tra i membri dell'équipe."})
    expected = check_id(expected_version)
    current = session.get(Staff, case.responsible_staff_id) if case.responsible_staff_id else None
    if case.version != expected:
        raise EditConflict({"Responsabile": current.display_name if current else "Non nominato"}, case.version)
    case.responsible_staff_id, case.updated_at = sid, utcnow()
    session.add(case)
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise EditConflict({"Responsabile": "modificato"}, expected + 1) from exc
    audit.record(session, actor, "update", "case", case.id, tenant_id=case.tenant_id,
                 person_id=case.subject_person_id, detail="responsible")
    return {"version": case.version}
