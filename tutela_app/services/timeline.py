"""Chronological timeline of a case, newest first: stage changes, interventions,
evaluations, network contacts, court measures, obligations, placements and diary headlines.

Restricted diary notes (e.g. psychological) show their content only to the authoring
profession and coordinators (``permissions.can_read_restricted_note``); others see that a
restricted note exists, never its text. The caller has already authorised the case read.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor, can_read_restricted_note
from tutela_app.domain import case_workflow as wf
from tutela_app.domain.deadlines import ROME
from tutela_app.models import (
    Case,
    CaseStageChange,
    CourtMeasure,
    DiaryEntry,
    Evaluation,
    Goal,
    Intervention,
    NetworkContact,
    Obligation,
    Placement,
    Staff,
)
from tutela_app.services.board_cards import measure_label
from tutela_app.services.case_access import PROFESSION_LABELS
from tutela_app.services.case_work import STATUS_LABELS

HEADLINE_CHARS = 90
MAX_ITEMS = 400


def _moment(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(ROME)
    return datetime.combine(value, time(12, 0), tzinfo=ROME)


def _item(when: date | datetime, kind: str, title: str, detail: str = "") -> dict:
    moment = _moment(when)
    return {"at": moment, "when": moment.strftime("%d/%m/%Y"), "kind": kind, "title": title, "detail": detail}


def _headline(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= HEADLINE_CHARS else text[: HEADLINE_CHARS - 1].rstrip() + "…"


def _stage_items(session: Session, case: Case, names: dict[int, str]) -> list[dict]:
    items = [_item(case.opened_on, "Fase", f"Apertura del caso ({wf.stage_label(wf.stages(case.service)[0])})")]
    for ch in session.exec(select(CaseStageChange).where(CaseStageChange.case_id == case.id)).all():
        detail = f"da «{wf.stage_label(ch.from_stage)}»" if ch.from_stage else ""
        if ch.closure_reason:
            detail += f" · motivo: {wf.CLOSURE_REASONS.get(ch.closure_reason, ch.closure_reason)}"
        if ch.changed_by in names:
            detail += f" · {names[ch.changed_by]}"
        items.append(_item(ch.changed_at, "Fase", f"Passaggio a «{wf.stage_label(ch.to_stage)}»", detail.strip(" ·")))
    return items


def _intervention_label(kind: str) -> str:
    try:
        return wf.InterventionKind(kind).label
    except ValueError:
        return kind


def _work_items(session: Session, case: Case, names: dict[int, str]) -> list[dict]:
    items = []
    for iv in session.exec(select(Intervention).where(Intervention.case_id == case.id)).all():
        who = names.get(iv.staff_id or 0, "")
        items.append(_item(iv.start_on, "Intervento", f"Avvio: {_intervention_label(iv.kind)}", who))
        if iv.end_on:
            items.append(_item(iv.end_on, "Intervento", f"Fine: {_intervention_label(iv.kind)}",
                               STATUS_LABELS.get(iv.status, iv.status)))
    rows = session.exec(
        select(Evaluation, Goal.description).join(Goal, Goal.id == Evaluation.goal_id).where(Goal.case_id == case.id)  # type: ignore[arg-type]
    ).all()
    for ev, goal_text in rows:
        kind = "iniziale" if ev.is_baseline else "di verifica"
        items.append(_item(ev.evaluated_on, "Valutazione", f"Valutazione {kind}: {ev.score}/10", _headline(goal_text)))
    for c in session.exec(select(NetworkContact).where(NetworkContact.case_id == case.id)).all():
        if c.last_contact_on:
            label = wf.NETWORK_CONTACT_LABELS.get(wf.NetworkContactKind(c.kind), c.kind) if c.kind in wf.NetworkContactKind._value2member_map_ else c.kind
            items.append(_item(c.last_contact_on, "Rete", f"Contatto con {label}", c.organisation))
    return items


def _court_items(session: Session, case: Case) -> list[dict]:
    items = []
    for m in session.exec(select(CourtMeasure).where(CourtMeasure.case_id == case.id)).all():
        items.append(_item(m.issued_on, "Provvedimento", measure_label(m.measure_type), f"{m.court} n. {m.docket_number}"))
    for o in session.exec(select(Obligation).where(Obligation.case_id == case.id)).all():
        if o.status == "adempiuto" and o.fulfilled_on:
            items.append(_item(o.fulfilled_on, "Scadenza", f"Adempiuto: {o.title}", o.legal_basis or ""))
        elif o.status == "aperto":
            items.append(_item(o.due_at, "Scadenza", f"Scade: {o.title}", o.legal_basis or ""))
    for p in session.exec(select(Placement).where(Placement.case_id == case.id)).all():
        kind = "in comunità" if p.kind == "comunita" else "in affido familiare"
        items.append(_item(p.start_on, "Collocamento", f"Inizio collocamento {kind}", p.host_name))
        if p.end_on:
            items.append(_item(p.end_on, "Collocamento", f"Fine collocamento {kind}", p.outcome or ""))
    return items


def _diary_items(session: Session, actor: Actor, case: Case) -> list[dict]:
    items = []
    for d in session.exec(select(DiaryEntry).where(DiaryEntry.case_id == case.id)).all():
        tag = wf.DIARY_TAG_LABELS.get(wf.DiaryTag(d.tag), d.tag) if d.tag in wf.DiaryTag._value2member_map_ else d.tag
        if d.restricted_to_profession and not can_read_restricted_note(actor, case.tenant_id, d.author_profession):
            who = PROFESSION_LABELS.get(d.author_profession or "", "autore")
            items.append(_item(d.occurred_on, "Diario", "Nota riservata", f"Visibile solo a: {who} e coordinatori"))
        else:
            prefix = "Nota riservata · " if d.restricted_to_profession else ""
            items.append(_item(d.occurred_on, "Diario", f"{prefix}{tag}", _headline(d.text)))
    return items


def case_timeline(session: Session, actor: Actor, case: Case) -> list[dict[str, str]]:
    """Everything that happened on the case, newest first, as display strings."""
    staff_ids = set(session.exec(select(CaseStageChange.changed_by).where(CaseStageChange.case_id == case.id)).all())
    staff_ids |= set(session.exec(select(Intervention.staff_id).where(Intervention.case_id == case.id)).all())
    staff_ids.discard(None)
    names = dict(session.exec(select(Staff.id, Staff.display_name).where(Staff.id.in_(staff_ids))).all()) if staff_ids else {}  # type: ignore[union-attr]
    items = (_stage_items(session, case, names) + _work_items(session, case, names) + _court_items(session, case)
             + _diary_items(session, actor, case))
    items.sort(key=lambda i: i["at"], reverse=True)
    return [{k: v for k, v in i.items() if k != "at"} for i in items[:MAX_ITEMS]]
