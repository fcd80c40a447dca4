"""Court measures (provvedimenti) of a case: enter, correct, amend, extend, revoke.

History is never rewritten: an amendment (``modificata``) or an extension
(``prorogata``) creates a new measure pointing at the one it supersedes
(``supersedes_id``); the superseded measure's open obligations are cancelled and its
fulfilled ones stay. A *correction* fixes a typo in the same decree: the measure is
updated in place (optimistic lock) and its obligations recomputed, keeping fulfilled ones.
Every write refreshes ``Case.next_deadline_at`` and ``Case.current_measure_type``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain.deadlines import ROME
from tutela_app.models import CourtMeasure, Obligation
from tutela_app.services import audit
from tutela_app.services.court_access import FormErrors, case_for, check_id, check_version, parse_date
from tutela_app.services.measure_form import MeasureData, parse_measure
from tutela_app.services.obligations import cancel_open, materialise, refresh_case

STATUS_LABELS = {
    "in_vigore": "In vigore", "modificata": "Modificata", "prorogata": "Prorogata",
    "revocata": "Revocata", "cessata": "Cessata",
}


def _data(form: Any) -> MeasureData:
    return form if isinstance(form, MeasureData) else parse_measure(form)


def _snapshot(m: CourtMeasure) -> dict[str, str]:
    return {
        "Tipo": m.measure_type, "Numero": m.docket_number, "Emesso il": m.issued_on.isoformat(),
        "Scadenza": m.end_date.isoformat() if m.end_date else "", "Stato": m.status, "Versione": str(m.version),
    }


def list_measures(session: Session, actor: Actor, case_id: Any) -> list[CourtMeasure]:
    """All measures of a case, newest first (superseded ones included: the history)."""
    case = case_for(session, actor, case_id, "case.read")
    return list(
        session.exec(
            select(CourtMeasure).where(CourtMeasure.case_id == case.id).order_by(CourtMeasure.issued_on.desc(), CourtMeasure.id.desc())
        ).all()
    )


def enter_measure(session: Session, actor: Actor, case_id: Any, form: Any) -> CourtMeasure:
    case = case_for(session, actor, case_id, "measure.edit")
    data = _data(form)
    m = CourtMeasure(case_id=case.id, tenant_id=case.tenant_id, created_by=actor.staff_id, **data.columns())
    session.add(m)
    session.flush()
    materialise(session, case, m)
    refresh_case(session, case)
    audit.record(session, actor, "create", "court_measure", m.id, tenant_id=case.tenant_id, detail=m.measure_type)
    return m


def _load(session: Session, actor: Actor, measure_id: Any) -> tuple[CourtMeasure, Any]:
    m = session.get(CourtMeasure, check_id(measure_id))
    if m is None:
        raise NotFoundOrForbidden
    case = case_for(session, actor, m.case_id, "measure.edit")
    return m, case


def correct_measure(session: Session, actor: Actor, measure_id: Any, version: Any, form: Any) -> CourtMeasure:
    """Fix the data of the same decree; obligations recomputed, fulfilled ones kept."""
    m, case = _load(session, actor, measure_id)
    data = _data(form)
    if m.status != "in_vigore":
        raise FormErrors({"_": "Si può correggere solo un provvedimento in vigore."})
    check_version(m, version, _snapshot(m), {k: str(v or "") for k, v in data.columns().items()})
    for key, value in data.columns().items():
        setattr(m, key, value)
    session.add(m)
    session.flush()
    materialise(session, case, m)
    refresh_case(session, case)
    audit.record(session, actor, "update", "court_measure", m.id, tenant_id=case.tenant_id, detail="rettifica")
    return m


def _fulfilled_keys(session: Session, measure_id: int) -> set[tuple[str, int]]:
    rows = session.exec(
        select(Obligation.kind, Obligation.sequence).where(
            Obligation.measure_id == measure_id, Obligation.status == "adempiuto"
        )
    ).all()
    return {(k, s) for k, s in rows}


def _supersede(session: Session, actor: Actor, measure_id: Any, version: Any, form: Any, why: str) -> CourtMeasure:
    old, case = _load(session, actor, measure_id)
    data = _data(form)
    if old.status != "in_vigore":
        raise FormErrors({"_": "Il provvedimento è già stato sostituito o revocato."})
    check_version(old, version, _snapshot(old))
    if data.issued_on < old.issued_on:
        raise FormErrors({"issued_on": "Il nuovo decreto non può precedere quello che modifica."})
    old.status = why
    session.add(old)
    session.flush()
    cancel_open(session, old.id)
    new = CourtMeasure(case_id=case.id, tenant_id=case.tenant_id, created_by=actor.staff_id, supersedes_id=old.id, **data.columns())
    session.add(new)
    session.flush()
    # An amendment of the same proceeding keeps one-off acts already done (e.g. the
    # responsible worker named); an extension restarts the periodic reports.
    carried = {k for k in _fulfilled_keys(session, old.id) if k[0] == "name_responsible_worker"}
    materialise(session, case, new, carried=carried)
    refresh_case(session, case)
    audit.record(session, actor, "create", "court_measure", new.id, tenant_id=case.tenant_id, detail=f"{why}:{old.id}")
    return new


def amend_measure(session: Session, actor: Actor, measure_id: Any, version: Any, form: Any) -> CourtMeasure:
    return _supersede(session, actor, measure_id, version, form, "modificata")


def extend_measure(session: Session, actor: Actor, measure_id: Any, version: Any, form: Any) -> CourtMeasure:
    data = _data(form)
    old = session.get(CourtMeasure, check_id(measure_id))
    if old is not None and data.end_date is not None and old.end_date is not None and data.end_date <= old.end_date:
        raise FormErrors({"end_date": "La proroga deve spostare in avanti la scadenza della misura."})
    return _supersede(session, actor, measure_id, version, data, "prorogata")


def revoke_measure(session: Session, actor: Actor, measure_id: Any, version: Any, revoked_on: Any) -> CourtMeasure:
    """Revocation: the measure ends, its open obligations are cancelled."""
    m, case = _load(session, actor, measure_id)
    errors: dict[str, str] = {}
    on = parse_date(revoked_on, "revoked_on", errors, required=True)
    if on is not None and on < m.issued_on:
        errors["revoked_on"] = "La revoca non può precedere il provvedimento."
    if errors:
        raise FormErrors(errors)
    if m.status != "in_vigore":
        raise FormErrors({"_": "Il provvedimento non è in vigore."})
    check_version(m, version, _snapshot(m))
    m.status = "revocata"
    if m.end_date is None or (on is not None and on < m.end_date):
        m.end_date = on
    session.add(m)
    session.flush()
    cancel_open(session, m.id)
    refresh_case(session, case)
    audit.record(session, actor, "update", "court_measure", m.id, tenant_id=case.tenant_id, detail="revocata")
    return m


def measure_form_values(m: CourtMeasure) -> dict[str, Any]:
    """The measure as the form's strings (to prefill amend/extend/correct)."""
    def iso(d: date | None) -> str:
        return d.isoformat() if d else ""

    eff = m.effective_at.astimezone(ROME).strftime("%Y-%m-%dT%H:%M") if m.effective_at else ""
    return {
        "measure_type": m.measure_type, "court": m.court, "docket_number": m.docket_number,
        "issued_on": iso(m.issued_on), "notified_on": iso(m.notified_on), "effective_at": eff,
        "tasks": m.tasks or "", "report_period_months": str(m.report_period_months or ""),
        "end_date": iso(m.end_date), "next_hearing": iso(m.next_hearing),
        "decree_deadlines": [dict(d) for d in (m.decree_deadlines or [])],
    }
