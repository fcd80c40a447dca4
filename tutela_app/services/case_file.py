"""Reading one case file (audited) and its cheap change marker for live viewers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
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
from tutela_app.services.timeline import case_timeline
from tutela_app.settings import get_settings

ROLE_LABELS = {"responsabile": "Responsabile del caso", "assistente_sociale": "Assistente sociale",
               "psicologo": "Psicologo/a", "educatore": "Educatore/Educatrice"}


def _header(session: Session, actor: Actor, case: Case, today) -> dict:  # noqa: ANN001
    tenant = session.get(Tenant, case.tenant_id)
    responsible = session.get(Staff, case.responsible_staff_id) if case.responsible_staff_id else None
    now = utcnow()
    urgency = urgency_of(case.next_deadline_at, now)
    return {
        "id": str(case.id), "number": case.number, "service": case.service,
        "service_label": wf.SERVICE_LABELS[wf.ServiceKind(case.service)], "stage": case.stage,
        "stage_label": wf.stage_label(case.stage), "tenant": tenant.name if tenant else "",
        "opened_on": fmt_date(case.opened_on), "closed_on": fmt_date(case.closed_on),
        "closure_reason": wf.CLOSURE_REASONS.get(case.closure_reason or "", ""),
        "measure": measure_label(case.current_measure_type) or "Nessuna misura in vigore",
        "deadline": case.next_deadline_at.astimezone(ROME).strftime("%d/%m/%Y %H:%M") if case.next_deadline_at else "",
        "urgency": urgency, "urgency_label": URGENCY_LABELS.get(urgency, ""),
        "summary": case.summary or "", "version": str(case.version),
        "responsible": responsible.display_name if responsible else "Non nominato",
        "can_reopen": "1" if perm.can(actor, "case.reopen", case.tenant_id) else "",
        "can_assign": "1" if perm.can(actor, "case.assign", case.tenant_id) else "",
    }


def _child_and_household(session: Session, case: Case, today) -> tuple[dict, list[dict]]:  # noqa: ANN001
    p = session.get(Person, case.subject_person_id)
    age = age_on(p.birth_date, today) if p else None
    child = {
        "name": f"{p.given_name} {p.surname}" if p else "", "birth_date": fmt_date(p.birth_date) if p else "",
        "age": f"{age} anni" if age is not None else "", "sex": (p.sex or "") if p else "",
        "codice_fiscale": (p.codice_fiscale or p.provisional_id or "") if p else "",
        "citizenship": (p.citizenship or "") if p else "", "address": (p.address or "") if p else "",
    }
    members: list[dict] = []
    if case.household_id:
        household = session.get(Household, case.household_id)
        rows = session.exec(
            select(HouseholdMember, Person).join(Person, Person.id == HouseholdMember.person_id)  # type: ignore[arg-type]
            .where(HouseholdMember.household_id == case.household_id).order_by(Person.birth_date)
        ).all()
        for m, person in rows:
            a = age_on(person.birth_date, today)
            members.append({
                "name": f"{person.given_name} {person.surname}", "relationship": m.relationship.replace("_", " "),
                "birth_date": fmt_date(person.birth_date), "age": f"{a} anni" if a is not None else "",
                "reference": "Sì" if m.is_reference_person else "", "current": "" if m.until else "1",
                "is_subject": "1" if person.id == case.subject_person_id else "",
            })
        child["household"] = household.label if household else ""
    return child, members


def _team(session: Session, case: Case) -> list[dict]:
    rows = session.exec(
        select(CaseAssignment, Staff).join(Staff, Staff.id == CaseAssignment.staff_id)  # type: ignore[arg-type]
        .where(CaseAssignment.case_id == case.id).order_by(CaseAssignment.until.is_not(None), Staff.display_name)  # type: ignore[union-attr]
    ).all()
    return [{
        "staff_id": str(s.id), "name": s.display_name, "profession": PROFESSION_LABELS.get(s.profession or "", ""),
        "role": ROLE_LABELS.get(a.role_in_case, a.role_in_case), "since": fmt_date(a.since), "until": fmt_date(a.until),
        "responsible": "1" if s.id == case.responsible_staff_id else "",
    } for a, s in rows]


def _interventions(session: Session, case: Case) -> tuple[list[dict], list[dict], list[dict]]:
    staff = dict(session.exec(select(Staff.id, Staff.display_name)
                              .join(Intervention, Intervention.staff_id == Staff.id)  # type: ignore[arg-type]
                              .where(Intervention.case_id == case.id)).all())
    ivs = session.exec(select(Intervention).where(Intervention.case_id == case.id)
                       .order_by(Intervention.start_on.desc(), Intervention.id.desc())).all()  # type: ignore[attr-defined, union-attr]
    interventions = [{
        "id": str(i.id), "kind": wf.INTERVENTION_LABELS.get(wf.InterventionKind(i.kind), i.kind)
        if i.kind in wf.InterventionKind._value2member_map_ else i.kind,
        "status": i.status, "status_label": STATUS_LABELS.get(i.status, i.status), "start_on": fmt_date(i.start_on),
        "end_on": fmt_date(i.end_on), "end_iso": i.end_on.isoformat() if i.end_on else "",
        "who": staff.get(i.staff_id or 0, ""), "description": i.description or "", "version": str(i.version),
    } for i in ivs]
    goal_rows = session.exec(select(Goal).where(Goal.case_id == case.id).order_by(Goal.id)).all()
    goals = [{"id": str(g.id), "intervention_id": str(g.intervention_id), "description": g.description} for g in goal_rows]
    ev_rows = session.exec(
        select(Evaluation).join(Goal, Goal.id == Evaluation.goal_id).where(Goal.case_id == case.id)  # type: ignore[arg-type]
        .order_by(Evaluation.evaluated_on, Evaluation.id)
    ).all()
    evaluations = [{
        "id": str(e.id), "goal_id": str(e.goal_id), "on": fmt_date(e.evaluated_on), "score": str(e.score),
        "kind": "Iniziale" if e.is_baseline else "Verifica", "note": e.note or "",
    } for e in ev_rows]
    return interventions, goals, evaluations


def _contacts(session: Session, case: Case, today) -> list[dict]:  # noqa: ANN001
    silence = get_settings().contact_silence_days
    rows = session.exec(select(NetworkContact).where(NetworkContact.case_id == case.id)
                        .order_by(NetworkContact.is_key.desc(), NetworkContact.kind)).all()  # type: ignore[attr-defined]
    out = []
    for c in rows:
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


def read_case_file(session: Session, actor: Actor | None, case_id: object, *, audit_read: bool = True) -> dict:
    """The whole case file as display DTOs. Audits a ``read`` of the case (person = subject);
    live refreshes of a file the user already opened pass ``audit_read=False``.

    A caller reading in a read-only transaction passes ``audit_read=False`` and then calls
    :func:`record_case_read` in its own short write transaction."""
    case = load_case(session, actor, case_id, "case.read")
    assert actor is not None
    today = utcnow().astimezone(ROME).date()
    child, household = _child_and_household(session, case, today)
    interventions, goals, evaluations = _interventions(session, case)
    team = _team(session, case)
    data = {
        "header": _header(session, actor, case, today), "child": child, "household": household, "team": team,
        "interventions": interventions, "goals": goals, "evaluations": evaluations,
        "contacts": _contacts(session, case, today), "timeline": case_timeline(session, actor, case),
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


def _marker_of(session: Session, case: Case) -> str:
    cid = case.id

    def agg(model, expr):  # noqa: ANN001, ANN202
        return select(expr).where(model.case_id == cid).scalar_subquery()

    parts = [
        agg(Intervention, func.count() + func.coalesce(func.sum(Intervention.version), 0)),
        agg(Goal, func.count()),
        select(func.count()).select_from(Evaluation).join(Goal, Goal.id == Evaluation.goal_id)  # type: ignore[arg-type]
        .where(Goal.case_id == cid).scalar_subquery(),
        agg(NetworkContact, func.count() + func.coalesce(func.sum(NetworkContact.version), 0)),
        agg(CaseStageChange, func.count()),
        agg(DiaryEntry, func.count() + func.coalesce(func.sum(DiaryEntry.version), 0)),
        agg(CourtMeasure, func.count() + func.coalesce(func.sum(CourtMeasure.version), 0)),
        agg(Obligation, func.count() + func.coalesce(func.sum(Obligation.version), 0)),
        agg(CaseAssignment, func.count()),
    ]
    values = session.exec(select(*parts)).one()
    return f"{case.version}:{case.updated_at.isoformat()}:" + ":".join(str(v) for v in values)
