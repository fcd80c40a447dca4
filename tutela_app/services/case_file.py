"""Reading one case file (audited) and its cheap change marker for live viewers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, bindparam, func
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor
from tutela_app.domain import case_workflow as wf
from tutela_app.domain.deadlines import ROME
from tutela_app.models import (
    Case,
    CaseAssignment,
    CaseStageChange,
    CourtMeasure,
    DiaryEntry,
    Evaluation,
    Goal,
    Household,
    HouseholdMember,
    Intervention,
    NetworkContact,
    Obligation,
    Person,
    Staff,
    Tenant,
    utcnow,
)
from tutela_app.services import audit
from tutela_app.services.board_cards import URGENCY_LABELS, measure_label, urgency_of
from tutela_app.services.case_access import PROFESSION_LABELS, age_on, fmt_date, load_case
from tutela_app.services.case_work import STATUS_LABELS
from tutela_app.services.timeline import (
    TIMELINE_PAGE,
    WorkRows,
    case_rows,
    execute_columns,
    read_work_rows,
    timeline_page,
)
from tutela_app.settings import get_settings

ROLE_LABELS = {"responsabile": "Responsabile del caso", "assistente_sociale": "Assistente sociale",
               "psicologo": "Psicologo/a", "educatore": "Educatore/Educatrice"}

# Statements built once (see services/timeline.py): only the shown columns, ``case_id`` bound per call.
_CASE = bindparam("case_id", type_=Integer)
#: the names hanging off the case row: Comune, responsible, household, child
_CONTEXT = (
    select(Tenant.name.label("tenant"), Staff.display_name.label("responsible"), Household.label.label("household"),
           Person.id.label("person_id"), Person.given_name, Person.surname, Person.birth_date, Person.sex,
           Person.codice_fiscale, Person.provisional_id, Person.citizenship, Person.address)
    .select_from(Case)
    .outerjoin(Tenant, Tenant.id == Case.tenant_id)  # type: ignore[arg-type]
    .outerjoin(Staff, Staff.id == Case.responsible_staff_id)  # type: ignore[arg-type]
    .outerjoin(Household, Household.id == Case.household_id)  # type: ignore[arg-type]
    .outerjoin(Person, Person.id == Case.subject_person_id)  # type: ignore[arg-type]
    .where(Case.id == _CASE)
)
_MEMBERS = (
    select(HouseholdMember.relationship, HouseholdMember.is_reference_person, HouseholdMember.until,
           Person.id, Person.given_name, Person.surname, Person.birth_date)
    .join(Person, Person.id == HouseholdMember.person_id)  # type: ignore[arg-type]
    .where(HouseholdMember.household_id == bindparam("household_id", type_=Integer)).order_by(Person.birth_date)
)
_TEAM = (
    select(CaseAssignment.role_in_case, CaseAssignment.since, CaseAssignment.until, Staff.id, Staff.display_name,
           Staff.profession)
    .join(Staff, Staff.id == CaseAssignment.staff_id)  # type: ignore[arg-type]
    .where(CaseAssignment.case_id == _CASE)
    .order_by(CaseAssignment.until.is_not(None), Staff.display_name)  # type: ignore[union-attr]
)
_GOALS = select(Goal.id, Goal.intervention_id, Goal.description).where(Goal.case_id == _CASE).order_by(Goal.id)


def _header(actor: Actor, case: Case, context: Any) -> dict:  # noqa: ANN401
    now = utcnow()
    urgency = urgency_of(case.next_deadline_at, now)
    return {
        "id": str(case.id), "number": case.number, "service": case.service,
        "service_label": wf.SERVICE_LABELS[wf.ServiceKind(case.service)], "stage": case.stage,
        "stage_label": wf.stage_label(case.stage), "tenant": context.tenant or "",
        "opened_on": fmt_date(case.opened_on), "closed_on": fmt_date(case.closed_on),
        "closure_reason": wf.CLOSURE_REASONS.get(case.closure_reason or "", ""),
        "measure": measure_label(case.current_measure_type) or "Nessuna misura in vigore",
        "deadline": case.next_deadline_at.astimezone(ROME).strftime("%d/%m/%Y %H:%M") if case.next_deadline_at else "",
        "urgency": urgency, "urgency_label": URGENCY_LABELS.get(urgency, ""),
        "summary": case.summary or "", "version": str(case.version),
        "responsible": context.responsible if context.responsible is not None else "Non nominato",
        "can_reopen": "1" if perm.can(actor, "case.reopen", case.tenant_id) else "",
        "can_assign": "1" if perm.can(actor, "case.assign", case.tenant_id) else "",
    }


def _child(context: Any, today: date) -> dict:  # noqa: ANN401
    if context.person_id is None:
        return {"name": "", "birth_date": "", "age": "", "sex": "", "codice_fiscale": "", "citizenship": "", "address": ""}
    age = age_on(context.birth_date, today)
    return {
        "name": f"{context.given_name} {context.surname}", "birth_date": fmt_date(context.birth_date),
        "age": f"{age} anni" if age is not None else "", "sex": context.sex or "",
        "codice_fiscale": context.codice_fiscale or context.provisional_id or "",
        "citizenship": context.citizenship or "", "address": context.address or "",
    }


def _child_and_household(session: Session, case: Case, context: Any, today: date) -> tuple[dict, list[dict]]:  # noqa: ANN401
    child = _child(context, today)
    members: list[dict] = []
    if case.household_id:
        for m in execute_columns(session, _MEMBERS, household_id=case.household_id).all():
            a = age_on(m.birth_date, today)
            members.append({
                "name": f"{m.given_name} {m.surname}", "relationship": m.relationship.replace("_", " "),
                "birth_date": fmt_date(m.birth_date), "age": f"{a} anni" if a is not None else "",
                "reference": "Sì" if m.is_reference_person else "", "current": "" if m.until else "1",
                "is_subject": "1" if m.id == case.subject_person_id else "",
            })
        child["household"] = context.household or ""
    return child, members


def _team(session: Session, case: Case) -> list[dict]:
    return [{
        "staff_id": str(r.id), "name": r.display_name, "profession": PROFESSION_LABELS.get(r.profession or "", ""),
        "role": ROLE_LABELS.get(r.role_in_case, r.role_in_case), "since": fmt_date(r.since), "until": fmt_date(r.until),
        "responsible": "1" if r.id == case.responsible_staff_id else "",
    } for r in case_rows(session, _TEAM, case.id)]  # type: ignore[arg-type]


def _intervention_kind(kind: str) -> str:
    if kind in wf.InterventionKind._value2member_map_:
        return wf.INTERVENTION_LABELS.get(wf.InterventionKind(kind), kind)
    return kind


def _interventions(session: Session, case: Case, work: WorkRows) -> tuple[list[dict], list[dict], list[dict]]:
    interventions = [{
        "id": str(i.id), "kind": _intervention_kind(i.kind),
        "status": i.status, "status_label": STATUS_LABELS.get(i.status, i.status), "start_on": fmt_date(i.start_on),
        "end_on": fmt_date(i.end_on), "end_iso": i.end_on.isoformat() if i.end_on else "",
        "who": i.who or "", "description": i.description or "", "version": str(i.version),
    } for i in work.interventions]
    goals = [{"id": str(g.id), "intervention_id": str(g.intervention_id), "description": g.description}
             for g in case_rows(session, _GOALS, case.id)]  # type: ignore[arg-type]
    evaluations = [{
        "id": str(e.id), "goal_id": str(e.goal_id), "on": fmt_date(e.evaluated_on), "score": str(e.score),
        "kind": "Iniziale" if e.is_baseline else "Verifica", "note": e.note or "",
    } for e in work.evaluations]
    return interventions, goals, evaluations


def _contacts(work: WorkRows, case: Case, today: date) -> list[dict]:
    silence = get_settings().contact_silence_days
    out = []
    for c in work.contacts:
        silent = c.is_key and case.stage != wf.CLOSED and (
            c.last_contact_on is None or (today - c.last_contact_on) > timedelta(days=silence))
        label = wf.NETWORK_CONTACT_LABELS[wf.NetworkContactKind(c.kind)] if c.kind in wf.NetworkContactKind._value2member_map_ else c.kind
        out.append({
            "id": str(c.id), "kind": label, "organisation": c.organisation, "contact_name": c.contact_name or "",
            "phone": c.phone or "", "email": c.email or "", "key": "1" if c.is_key else "",
            "last_contact": fmt_date(c.last_contact_on) or "mai", "last_iso": c.last_contact_on.isoformat() if c.last_contact_on else "",
            "note": c.note or "", "version": str(c.version),
            "warning": f"Nessun contatto da oltre {silence} giorni" if silent else "",
        })
    return out


def read_case_file(session: Session, actor: Actor | None, case_id: object, *, audit_read: bool = True,
                   timeline_limit: int = TIMELINE_PAGE) -> dict:
    """The whole case file as display DTOs. Audits a ``read`` of the case (person = subject);
    live refreshes of a file the user already opened pass ``audit_read=False``.

    ``timeline`` holds the newest ``timeline_limit`` events (capped at ``timeline.MAX_ITEMS``)
    and ``timeline_total`` how many there are in all.

    A caller reading in a read-only transaction passes ``audit_read=False`` and then calls
    :func:`record_case_read` in its own short write transaction."""
    case = load_case(session, actor, case_id, "case.read")
    assert actor is not None
    today = utcnow().astimezone(ROME).date()
    context = execute_columns(session, _CONTEXT, case_id=case.id).one()
    work = read_work_rows(session, case.id)  # type: ignore[arg-type]
    child, household = _child_and_household(session, case, context, today)
    interventions, goals, evaluations = _interventions(session, case, work)
    timeline, timeline_total = timeline_page(session, actor, case, timeline_limit, rows=work)
    data = {
        "header": _header(actor, case, context), "child": child, "household": household,
        "team": _team(session, case), "interventions": interventions, "goals": goals, "evaluations": evaluations,
        "contacts": _contacts(work, case, today), "timeline": timeline, "timeline_total": timeline_total,
        "targets": [{"value": t, "label": wf.stage_label(t)} for t in wf.allowed_targets(case.service, case.stage)],
        "marker": _marker_of(session, case),
    }
    if audit_read:
        _audit_read(session, actor, case)
        session.commit()
    return data


def _audit_read(session: Session, actor: Actor, case: Case) -> None:
    audit.record(session, actor, "read", "case", case.id, tenant_id=case.tenant_id, person_id=case.subject_person_id)


def record_case_read(session: Session, actor: Actor | None, case_id: object) -> None:
    """Audit the read of a case file (in the caller's write transaction); re-checks access."""
    case = load_case(session, actor, case_id, "case.read")
    assert actor is not None
    _audit_read(session, actor, case)


def case_marker(session: Session, actor: Actor | None, case_id: object) -> str:
    """Fingerprint of the case and everything hanging off it (one statement of indexed lookups)."""
    return _marker_of(session, load_case(session, actor, case_id, "case.read"))


def _count_and_versions(model) -> Any:  # noqa: ANN001, ANN401
    return select(func.count() + func.coalesce(func.sum(model.version), 0)).where(model.case_id == _CASE).scalar_subquery()


def _count(model) -> Any:  # noqa: ANN001, ANN401
    return select(func.count()).where(model.case_id == _CASE).scalar_subquery()


#: one statement of indexed lookups, built once
_MARKER = select(
    _count_and_versions(Intervention),
    _count(Goal),
    select(func.count()).select_from(Evaluation).join(Goal, Goal.id == Evaluation.goal_id)  # type: ignore[arg-type]
    .where(Goal.case_id == _CASE).scalar_subquery(),
    _count_and_versions(NetworkContact),
    _count(CaseStageChange),
    _count_and_versions(DiaryEntry),
    _count_and_versions(CourtMeasure),
    _count_and_versions(Obligation),
    _count(CaseAssignment),
)


def _marker_of(session: Session, case: Case) -> str:
    values = execute_columns(session, _MARKER, case_id=case.id).one()
    return f"{case.version}:{case.updated_at.isoformat()}:" + ":".join(str(v) for v in values)
