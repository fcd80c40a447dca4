"""Obligations materialised from the deadline engine, and closing them by their act.

* :func:`materialise` turns a measure into ``Obligation`` rows using the engine
  (``domain.deadlines.obligations_for_measure``) with the rules in force. On a
  recomputation the open rows are replaced and the fulfilled ones kept: a computed
  obligation whose ``(kind, sequence)`` was already fulfilled is not created again.
* :func:`refresh_case` keeps ``Case.next_deadline_at`` (earliest open obligation) and
  ``Case.current_measure_type`` (latest measure in force) up to date for the board.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain.deadlines import obligations_for_measure
from tutela_app.domain.measures import DecreeDeadline, MeasureInput, MeasureType
from tutela_app.models import Case, CourtMeasure, Obligation, utcnow
from tutela_app.services import audit
from tutela_app.services.case_access import touch_case
from tutela_app.services.court_access import FormErrors, case_for, check_id, check_version, parse_date
from tutela_app.services.deadline_rules import current_rules


def measure_input(m: CourtMeasure) -> MeasureInput:
    deadlines = []
    for d in m.decree_deadlines or []:
        try:
            deadlines.append(DecreeDeadline(str(d["kind"]), str(d["title"]), date.fromisoformat(str(d["due"]))))
        except (KeyError, ValueError, TypeError):
            continue
    return MeasureInput(
        measure_type=MeasureType(m.measure_type),
        issued_on=m.issued_on,
        notified_on=m.notified_on,
        effective_at=m.effective_at,
        report_period_months=m.report_period_months,
        end_date=m.end_date,
        next_hearing=m.next_hearing,
        decree_deadlines=deadlines,
    )


def materialise(
    session: Session, case: Case, measure: CourtMeasure, *, carried: set[tuple[str, int]] | None = None
) -> list[Obligation]:
    """(Re)create the open obligations of ``measure``; fulfilled ones stay as they are."""
    rows = session.exec(select(Obligation).where(Obligation.measure_id == measure.id)).all()
    done = {(o.kind, o.sequence) for o in rows if o.status == "adempiuto"} | (carried or set())
    for o in rows:
        if o.status == "aperto":
            session.delete(o)
    session.flush()
    rules, cal = current_rules(session)
    created: list[Obligation] = []
    for spec in obligations_for_measure(measure_input(measure), rules, cal):
        key = (spec.kind, spec.sequence or 0)
        if key in done:
            continue
        ob = Obligation(
            case_id=case.id, tenant_id=case.tenant_id, measure_id=measure.id, kind=spec.kind,
            title=spec.title[:300], legal_basis=spec.legal_basis[:200], sequence=spec.sequence or 0,
            due_at=spec.due.astimezone(UTC), assigned_staff_id=case.responsible_staff_id or measure.created_by,
        )
        session.add(ob)
        created.append(ob)
    session.flush()
    return created


def cancel_open(session: Session, measure_id: int) -> None:
    for o in session.exec(select(Obligation).where(Obligation.measure_id == measure_id, Obligation.status == "aperto")).all():
        o.status = "annullato"
        session.add(o)
    session.flush()


def refresh_case(session: Session, case: Case) -> None:
    nxt = session.exec(
        select(func.min(Obligation.due_at)).where(Obligation.case_id == case.id, Obligation.status == "aperto")
    ).one()
    current = session.exec(
        select(CourtMeasure.measure_type)
        .where(CourtMeasure.case_id == case.id, CourtMeasure.status == "in_vigore")
        .order_by(CourtMeasure.issued_on.desc(), CourtMeasure.id.desc())
        .limit(1)
    ).first()
    if nxt is not None and nxt.tzinfo is None:
        nxt = nxt.replace(tzinfo=UTC)
    if case.next_deadline_at != nxt or case.current_measure_type != current:
        # A plain UPDATE: the board fields must not bump the case's edit version (a
        # colleague editing the case file would otherwise get a spurious conflict).
        session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(next_deadline_at=nxt, current_measure_type=current, updated_at=utcnow())
        )
    else:
        touch_case(session, case.id)


def list_obligations(session: Session, actor: Actor, case_id: Any) -> list[Obligation]:
    case = case_for(session, actor, case_id, "case.read")
    return list(
        session.exec(
            select(Obligation).where(Obligation.case_id == case.id).order_by(Obligation.due_at, Obligation.id)
        ).all()
    )


def fulfil(session: Session, ob: Obligation, actor: Actor, act: str, on: date, protocol: str | None) -> None:
    """Mark ``ob`` fulfilled (no authorisation: callers have checked it)."""
    ob.status = "adempiuto"
    ob.fulfilled_on = on
    ob.fulfilled_by = actor.staff_id
    ob.fulfilling_act = act[:200]
    ob.protocol_number = (protocol or None) and protocol[:60]
    session.add(ob)
    session.flush()
    audit.record(session, actor, "update", "obligation", ob.id, tenant_id=ob.tenant_id, detail="adempiuto")


def close_obligation(
    session: Session, actor: Actor, obligation_id: Any, version: Any, act: Any, fulfilled_on: Any, protocol: Any
) -> Obligation:
    """Close an obligation by the act that fulfils it, with date and protocol number."""
    ob = session.get(Obligation, check_id(obligation_id))
    if ob is None:
        raise NotFoundOrForbidden
    case = case_for(session, actor, ob.case_id, "measure.edit")
    errors: dict[str, str] = {}
    act_text = str(act or "").strip()
    if not act_text:
        errors["act"] = "Indica l'atto che adempie la scadenza (es. relazione trasmessa)."
    elif len(act_text) > 200:
        errors["act"] = "Massimo 200 caratteri."
    on = parse_date(fulfilled_on, "fulfilled_on", errors, required=True)
    if on is not None and on > date.today():
        errors["fulfilled_on"] = "La data dell'atto non può essere nel futuro."
    proto = str(protocol or "").strip()
    if not proto:
        errors["protocol"] = "Inserisci il numero di protocollo dell'atto."
    elif len(proto) > 60:
        errors["protocol"] = "Massimo 60 caratteri."
    if errors:
        raise FormErrors(errors)
    check_version(ob, version, {"Stato": ob.status, "Atto": ob.fulfilling_act or "", "Protocollo": ob.protocol_number or ""})
    if ob.status != "aperto":
        raise FormErrors({"_": "Questa scadenza è già chiusa."})
    fulfil(session, ob, actor, act_text, on, proto)  # type: ignore[arg-type]
    refresh_case(session, case)
    return ob
