"""Messa alla prova (art. 28 DPR 448/1988), run with the USSM.

The project (prescriptions: study/work, volunteering, reparation, mediation), the USSM
contact, a log of attendance and compliance, the register of breaches
(``trasgressione`` entries), interim notes and the outcome (art. 29: the hearing that
declares the offence extinguished when the outcome is positive).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import CourtMeasure, ProbationLogEntry, ProbationPrescription, ProbationProject
from tutela_app.services import audit
from tutela_app.services.court_access import FormErrors, case_for, check_id, check_version, parse_date

PRESCRIPTION_LABELS = {
    "studio_lavoro": "Studio o lavoro", "volontariato": "Volontariato", "riparazione": "Attività riparatoria",
    "mediazione": "Mediazione con la persona offesa", "altro": "Altra prescrizione",
}
LOG_LABELS = {
    "presenza": "Presenza", "adempimento": "Adempimento", "trasgressione": "Trasgressione",
    "nota_intermedia": "Nota intermedia",
}
OUTCOME_LABELS = {"in_corso": "In corso", "esito_positivo": "Esito positivo", "esito_negativo": "Esito negativo"}


def _text(value: Any, field: str, errors: dict[str, str], max_len: int, message: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        errors[field] = message
    elif len(text) > max_len:
        errors[field] = f"Massimo {max_len} caratteri."
    return text


def _map_measure(session: Session, case_id: int) -> CourtMeasure | None:
    return session.exec(
        select(CourtMeasure).where(CourtMeasure.case_id == case_id, CourtMeasure.measure_type == "messa_alla_prova")
        .order_by(CourtMeasure.issued_on.desc()).limit(1)
    ).first()


def get_project(session: Session, actor: Actor, case_id: Any) -> ProbationProject | None:
    case = case_for(session, actor, case_id, "case.read")
    return session.exec(select(ProbationProject).where(ProbationProject.case_id == case.id).order_by(ProbationProject.id.desc())).first()


def has_probation_measure(session: Session, actor: Actor, case_id: Any) -> bool:
    case = case_for(session, actor, case_id, "case.read")
    return _map_measure(session, case.id) is not None


def create_project(session: Session, actor: Actor, case_id: Any, raw: Any) -> ProbationProject:
    case = case_for(session, actor, case_id, "measure.edit")
    measure = _map_measure(session, case.id)
    if measure is None:
        raise FormErrors({"_": "Registra prima il provvedimento di messa alla prova."})
    if session.exec(select(ProbationProject.id).where(ProbationProject.case_id == case.id)).first():
        raise FormErrors({"_": "Il progetto di messa alla prova esiste già."})
    raw = raw if isinstance(raw, dict) else {}
    errors: dict[str, str] = {}
    ussm = _text(raw.get("ussm_contact"), "ussm_contact", errors, 200, "Indica il referente USSM.")
    start = parse_date(raw.get("start_on") or measure.issued_on, "start_on", errors, required=True)
    end = parse_date(raw.get("end_on") or measure.end_date, "end_on", errors, required=True)
    if start and end and end <= start:
        errors["end_on"] = "La fine deve seguire l'inizio."
    if errors:
        raise FormErrors(errors)
    p = ProbationProject(case_id=case.id, tenant_id=case.tenant_id, measure_id=measure.id, ussm_contact=ussm,
                         start_on=start, end_on=end, outcome="in_corso")
    session.add(p)
    session.flush()
    audit.record(session, actor, "create", "probation_project", p.id, tenant_id=case.tenant_id)
    return p


def _project(session: Session, actor: Actor, project_id: Any) -> tuple[ProbationProject, Any]:
    p = session.get(ProbationProject, check_id(project_id))
    if p is None:
        raise NotFoundOrForbidden
    return p, case_for(session, actor, p.case_id, "measure.edit")


def add_prescription(session: Session, actor: Actor, project_id: Any, kind: Any, description: Any) -> ProbationPrescription:
    p, case = _project(session, actor, project_id)
    errors: dict[str, str] = {}
    if kind not in PRESCRIPTION_LABELS:
        errors["kind"] = "Scegli il tipo di prescrizione."
    text = _text(description, "description", errors, 2000, "Descrivi la prescrizione.")
    if errors:
        raise FormErrors(errors)
    row = ProbationPrescription(project_id=p.id, kind=kind, description=text)
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "probation_prescription", row.id, tenant_id=case.tenant_id, detail=kind)
    return row


def add_log(session: Session, actor: Actor, project_id: Any, kind: Any, occurred_on: Any, text: Any) -> ProbationLogEntry:
    """Attendance, compliance, a breach (trasgressione) or an interim note."""
    p, case = _project(session, actor, project_id)
    errors: dict[str, str] = {}
    if kind not in LOG_LABELS:
        errors["kind"] = "Scegli il tipo di annotazione."
    on = parse_date(occurred_on, "occurred_on", errors, required=True)
    if on and on > date.today():
        errors["occurred_on"] = "La data non può essere nel futuro."
    body = _text(text, "text", errors, 4000, "Scrivi l'annotazione.")
    if errors:
        raise FormErrors(errors)
    row = ProbationLogEntry(project_id=p.id, kind=kind, occurred_on=on, text=body, author_id=actor.staff_id)
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "probation_log", row.id, tenant_id=case.tenant_id, detail=kind)
    return row


def set_outcome(session: Session, actor: Actor, project_id: Any, version: Any, outcome: Any, outcome_on: Any) -> ProbationProject:
    p, case = _project(session, actor, project_id)
    errors: dict[str, str] = {}
    if outcome not in OUTCOME_LABELS:
        errors["outcome"] = "Scegli l'esito."
    on = parse_date(outcome_on, "outcome_on", errors, required=outcome != "in_corso")
    if errors:
        raise FormErrors(errors)
    check_version(p, version, {"Esito": OUTCOME_LABELS.get(p.outcome or "", "")})
    p.outcome, p.outcome_on = outcome, (on if outcome != "in_corso" else None)
    session.add(p)
    session.flush()
    audit.record(session, actor, "update", "probation_project", p.id, tenant_id=case.tenant_id, detail=outcome)
    return p


def project_detail(session: Session, project_id: int) -> tuple[list[ProbationPrescription], list[ProbationLogEntry]]:
    pres = session.exec(select(ProbationPrescription).where(ProbationPrescription.project_id == project_id).order_by(ProbationPrescription.id)).all()
    log = session.exec(select(ProbationLogEntry).where(ProbationLogEntry.project_id == project_id)
                       .order_by(ProbationLogEntry.occurred_on.desc(), ProbationLogEntry.id.desc())).all()
    return list(pres), list(log)
