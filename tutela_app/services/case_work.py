"""What the équipe records on a case: interventions, goals, evaluations, network contacts,
the case summary. Every write is authorised (``case.edit`` on the case), validated, audited
(ids and codes only) and marks the case as changed for live viewers. Edits of existing
records carry the version the editor loaded (optimistic locking): a mismatch raises
:class:`EditConflict` with the stored values, so the UI can show both versions.
"""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain.case_workflow import (
    INTERVENTION_LABELS,
    NETWORK_CONTACT_LABELS,
    InterventionKind,
    NetworkContactKind,
)
from tutela_app.models import Case, Evaluation, Goal, Intervention, NetworkContact, utcnow
from tutela_app.models.work import INTERVENTION_STATUSES
from tutela_app.services import audit
from tutela_app.services.case_access import (
    EditConflict,
    InvalidInput,
    check_id,
    clean_text,
    fmt_date,
    load_case,
    not_future,
    parse_date,
    parse_score,
    team_staff_ids,
    touch_case,
)
from tutela_app.services.goal_scores import refresh_goal_scores

STATUS_LABELS = {"pianificato": "Pianificato", "in_corso": "In corso", "concluso": "Concluso", "interrotto": "Interrotto"}


def _flush(session: Session, theirs_loader) -> None:  # noqa: ANN001
    """Flush; a concurrent UPDATE between load and write becomes an EditConflict too."""
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        theirs, version = theirs_loader()
        raise EditConflict(theirs, version) from exc


def _staff_of_case(session: Session, case: Case, value: object) -> int | None:
    if value in (None, ""):
        return None
    staff_id = check_id(value)
    if staff_id not in team_staff_ids(session, case):
        raise InvalidInput({"staff_id": "Scegli un operatore dell'équipe del caso."})
    return staff_id


def _audit(session: Session, actor: Actor, action: str, entity: str, entity_id: int | None, case: Case, detail: str | None = None) -> None:
    audit.record(session, actor, action, entity, entity_id, tenant_id=case.tenant_id,
                 person_id=case.subject_person_id, detail=detail)
    touch_case(session, case.id)  # type: ignore[arg-type]


# ---- case summary ----------------------------------------------------------------------

def update_case_summary(session: Session, actor: Actor | None, case_id: object, expected_version: object, summary: object) -> dict:
    case = load_case(session, actor, case_id, "case.edit")
    assert actor is not None
    text = clean_text(summary, "summary", 4000, label="La sintesi")
    expected = check_id(expected_version)
    if case.version != expected:
        raise EditConflict({"Sintesi del caso": case.summary or ""}, case.version)
    case.summary, case.updated_at = text, utcnow()
    session.add(case)
    _flush(session, lambda: _reload_summary(session, case.id))
    _audit(session, actor, "update", "case", case.id, case, "summary")
    return {"version": case.version}


def _reload_summary(session: Session, case_id: int | None) -> tuple[dict[str, str], int]:
    fresh = session.get(Case, case_id)
    return ({"Sintesi del caso": (fresh.summary or "") if fresh else ""}, fresh.version if fresh else 0)


# ---- interventions ---------------------------------------------------------------------

def add_intervention(session: Session, actor: Actor | None, case_id: object, kind: object, start_on: object,
                     staff_id: object = None, description: object = None, status: object = "in_corso") -> dict:
    case = load_case(session, actor, case_id, "case.edit")
    assert actor is not None
    if kind not in {k.value for k in InterventionKind}:
        raise InvalidInput({"kind": "Scegli il tipo di intervento."})
    if status not in INTERVENTION_STATUSES:
        raise InvalidInput({"status": "Stato dell'intervento non valido."})
    start = parse_date(start_on, "start_on")
    row = Intervention(
        case_id=case.id, tenant_id=case.tenant_id, kind=str(kind), status=str(status), start_on=start,  # type: ignore[arg-type]
        staff_id=_staff_of_case(session, case, staff_id) or actor.staff_id,
        description=clean_text(description, "description", 4000, label="La descrizione"),
    )
    session.add(row)
    session.flush()
    _audit(session, actor, "create", "intervention", row.id, case, str(kind))
    return {"id": row.id, "label": INTERVENTION_LABELS[InterventionKind(str(kind))]}


def _intervention(session: Session, actor: Actor | None, intervention_id: object) -> tuple[Intervention, Case]:
    row = session.get(Intervention, check_id(intervention_id))
    if row is None:
        raise NotFoundOrForbidden
    return row, load_case(session, actor, row.case_id, "case.edit")


def _intervention_values(row: Intervention) -> dict[str, str]:
    return {"Stato": STATUS_LABELS.get(row.status, row.status), "Data di fine": fmt_date(row.end_on)}


def update_intervention(session: Session, actor: Actor | None, intervention_id: object, expected_version: object,
                        status: object, end_on: object) -> dict:
    row, case = _intervention(session, actor, intervention_id)
    assert actor is not None
    if status not in INTERVENTION_STATUSES:
        raise InvalidInput({"status": "Stato dell'intervento non valido."})
    end = parse_date(end_on, "end_on", required=False)
    if end is not None and end < row.start_on:
        raise InvalidInput({"end_on": "La fine non può precedere l'inizio dell'intervento."})
    if status in ("concluso", "interrotto") and end is None:
        raise InvalidInput({"end_on": "Per un intervento concluso o interrotto indica la data di fine."})
    expected = check_id(expected_version)
    if row.version != expected:
        raise EditConflict(_intervention_values(row), row.version)
    row.status, row.end_on, row.updated_at = str(status), end, utcnow()
    session.add(row)
    _flush(session, lambda: _reload(session, Intervention, row.id, _intervention_values))
    _audit(session, actor, "update", "intervention", row.id, case, str(status))
    return {"version": row.version}


def _reload(session: Session, model, row_id, values) -> tuple[dict[str, str], int]:  # noqa: ANN001
    session.expire_all()
    fresh = session.get(model, row_id)
    return (values(fresh), fresh.version) if fresh else ({}, 0)


# ---- goals and evaluations -------------------------------------------------------------

def add_goal(session: Session, actor: Actor | None, intervention_id: object, description: object,
             baseline_score: object, baseline_on: object, baseline_note: object = None) -> dict:
    """A goal with its starting evaluation (baseline): efficacy is measured against it."""
    row, case = _intervention(session, actor, intervention_id)
    assert actor is not None
    text = clean_text(description, "goal_description", 1000, required=True, label="L'obiettivo")
    score = parse_score(baseline_score, "baseline_score")
    on = parse_date(baseline_on, "baseline_on")
    not_future(on, "baseline_on")
    note = clean_text(baseline_note, "baseline_note", 1000, label="La nota")
    goal = Goal(intervention_id=row.id, case_id=case.id, tenant_id=case.tenant_id, description=text)  # type: ignore[arg-type]
    session.add(goal)
    session.flush()
    evaluation = Evaluation(goal_id=goal.id, tenant_id=case.tenant_id, evaluated_on=on, score=score,  # type: ignore[arg-type]
                            is_baseline=True, note=note, staff_id=actor.staff_id)
    session.add(evaluation)
    session.flush()
    refresh_goal_scores(session, [goal.id])  # type: ignore[list-item]
    _audit(session, actor, "create", "goal", goal.id, case)
    _audit(session, actor, "create", "evaluation", evaluation.id, case, "baseline")
    return {"goal_id": goal.id, "evaluation_id": evaluation.id}


def add_evaluation(session: Session, actor: Actor | None, goal_id: object, evaluated_on: object, score: object,
                   note: object = None) -> dict:
    """A review score; the first evaluation of a goal is its baseline."""
    goal = session.get(Goal, check_id(goal_id))
    if goal is None:
        raise NotFoundOrForbidden
    case = load_case(session, actor, goal.case_id, "case.edit")
    assert actor is not None
    value = parse_score(score)
    on = parse_date(evaluated_on, "evaluated_on")
    not_future(on, "evaluated_on")
    has_any = session.exec(select(Evaluation.id).where(Evaluation.goal_id == goal.id).limit(1)).first() is not None
    row = Evaluation(goal_id=goal.id, tenant_id=case.tenant_id, evaluated_on=on, score=value,  # type: ignore[arg-type]
                     is_baseline=not has_any, note=clean_text(note, "note", 1000, label="La nota"), staff_id=actor.staff_id)
    session.add(row)
    session.flush()
    refresh_goal_scores(session, [goal.id])  # type: ignore[list-item]
    _audit(session, actor, "create", "evaluation", row.id, case, "baseline" if row.is_baseline else "review")
    return {"id": row.id, "is_baseline": row.is_baseline}


# ---- network contacts ------------------------------------------------------------------

def add_contact(session: Session, actor: Actor | None, case_id: object, kind: object, organisation: object,
                contact_name: object = None, phone: object = None, email: object = None,
                is_key: object = None, last_contact_on: object = None, note: object = None) -> dict:
    case = load_case(session, actor, case_id, "case.edit")
    assert actor is not None
    if kind not in {k.value for k in NetworkContactKind}:
        raise InvalidInput({"kind": "Scegli il tipo di contatto della rete."})
    last = parse_date(last_contact_on, "last_contact_on", required=False)
    not_future(last, "last_contact_on")
    key = NetworkContactKind(str(kind)).key_by_default if is_key in (None, "") else is_key in (True, "on", "true", "1")
    row = NetworkContact(
        case_id=case.id, tenant_id=case.tenant_id, kind=str(kind),  # type: ignore[arg-type]
        organisation=clean_text(organisation, "organisation", 200, required=True, label="L'ente"),  # type: ignore[arg-type]
        contact_name=clean_text(contact_name, "contact_name", 200, label="Il referente"),
        phone=clean_text(phone, "phone", 40, label="Il telefono"), email=clean_text(email, "email", 200, label="L'email"),
        is_key=key, last_contact_on=last, note=clean_text(note, "note", 2000, label="La nota"),
    )
    session.add(row)
    session.flush()
    _audit(session, actor, "create", "network_contact", row.id, case, str(kind))
    return {"id": row.id, "label": NETWORK_CONTACT_LABELS[NetworkContactKind(str(kind))]}


def _contact_values(row: NetworkContact) -> dict[str, str]:
    return {"Ultimo contatto": fmt_date(row.last_contact_on), "Nota": row.note or ""}


def update_contact(session: Session, actor: Actor | None, contact_id: object, expected_version: object,
                   last_contact_on: object, note: object = None) -> dict:
    row = session.get(NetworkContact, check_id(contact_id))
    if row is None:
        raise NotFoundOrForbidden
    case = load_case(session, actor, row.case_id, "case.edit")
    assert actor is not None
    last = parse_date(last_contact_on, "last_contact_on")
    not_future(last, "last_contact_on")
    text = clean_text(note, "note", 2000, label="La nota")
    expected = check_id(expected_version)
    if row.version != expected:
        raise EditConflict(_contact_values(row), row.version)
    row.last_contact_on, row.note, row.updated_at = last, text, utcnow()
    session.add(row)
    _flush(session, lambda: _reload(session, NetworkContact, row.id, _contact_values))
    _audit(session, actor, "update", "network_contact", row.id, case, "last_contact")
    return {"version": row.version}
