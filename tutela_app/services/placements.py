"""Out-of-home placement episodes (comunità, affido familiare) with their outcome."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import CourtMeasure, Placement
from tutela_app.services import audit
from tutela_app.services.court_access import FormErrors, case_for, check_id, check_version, parse_date

KIND_LABELS = {"comunita": "Comunità", "affido_familiare": "Affido familiare"}
OUTCOME_LABELS = {
    "rientro_famiglia": "Rientro in famiglia", "altro_collocamento": "Altro collocamento",
    "adozione": "Adozione", "maggiore_eta": "Raggiungimento della maggiore età",
}


def list_placements(session: Session, actor: Actor, case_id: Any) -> list[Placement]:
    case = case_for(session, actor, case_id, "case.read")
    return list(session.exec(select(Placement).where(Placement.case_id == case.id).order_by(Placement.start_on.desc())).all())


def add_placement(session: Session, actor: Actor, case_id: Any, raw: Any) -> Placement:
    case = case_for(session, actor, case_id, "measure.edit")
    if not isinstance(raw, dict):
        raise FormErrors({"_": "Dati non validi."})
    errors: dict[str, str] = {}
    kind = raw.get("kind")
    if kind not in KIND_LABELS:
        errors["kind"] = "Scegli comunità o affido familiare."
    host = str(raw.get("host_name") or "").strip()
    if not host:
        errors["host_name"] = "Indica la struttura o la famiglia affidataria."
    elif len(host) > 200:
        errors["host_name"] = "Massimo 200 caratteri."
    start = parse_date(raw.get("start_on"), "start_on", errors, required=True)
    if start and start > date.today():
        errors["start_on"] = "L'inizio non può essere nel futuro."
    measure_id = None
    if raw.get("measure_id") not in (None, "", "0"):
        m = session.get(CourtMeasure, check_id(raw.get("measure_id")))
        if m is None or m.case_id != case.id:
            errors["measure_id"] = "Provvedimento non valido."
        else:
            measure_id = m.id
    if errors:
        raise FormErrors(errors)
    open_same = session.exec(select(Placement.id).where(Placement.case_id == case.id, Placement.end_on.is_(None))).first()
    if open_same is not None:
        raise FormErrors({"_": "C'è già un collocamento in corso: chiudilo con il suo esito prima di aprirne un altro."})
    p = Placement(case_id=case.id, tenant_id=case.tenant_id, measure_id=measure_id, kind=kind, host_name=host, start_on=start)
    session.add(p)
    session.flush()
    audit.record(session, actor, "create", "placement", p.id, tenant_id=case.tenant_id, detail=kind)
    return p


def close_placement(session: Session, actor: Actor, placement_id: Any, version: Any, end_on: Any, outcome: Any) -> Placement:
    p = session.get(Placement, check_id(placement_id))
    if p is None:
        raise NotFoundOrForbidden
    case = case_for(session, actor, p.case_id, "measure.edit")
    errors: dict[str, str] = {}
    end = parse_date(end_on, "end_on", errors, required=True)
    if end and end < p.start_on:
        errors["end_on"] = "La fine non può precedere l'inizio del collocamento."
    if end and end > date.today():
        errors["end_on"] = "La fine non può essere nel futuro."
    if outcome not in OUTCOME_LABELS:
        errors["outcome"] = "Scegli l'esito del collocamento."
    if errors:
        raise FormErrors(errors)
    if p.end_on is not None:
        raise FormErrors({"_": "Il collocamento è già chiuso."})
    check_version(p, version, {"Fine": "", "Esito": p.outcome or ""})
    p.end_on, p.outcome = end, outcome
    session.add(p)
    session.flush()
    audit.record(session, actor, "update", "placement", p.id, tenant_id=case.tenant_id, detail=outcome)
    return p
