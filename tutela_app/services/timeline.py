"""Chronological timeline of a case, newest first: stage changes, interventions,
evaluations, network contacts, court measures, obligations, placements and diary headlines.

Restricted diary notes (e.g. psychological) show their content only to the authoring
profession and coordinators (``permissions.can_read_restricted_note``); others see that a
restricted note exists, never its text. The caller has already authorised the case read.

The statements are built once at import time (with a ``case_id`` bind parameter) and
select only the columns shown: building a statement and loading ORM entities cost far
more CPU than the indexed lookups themselves. The rows the case file also shows
(interventions, evaluations, network contacts) are read once by
:func:`read_work_rows` and may be handed to the timeline instead of being read again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from operator import itemgetter
from typing import Any

from sqlalchemy import Integer, Result, Select, bindparam
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
#: items the case file shows at first, and how many more each "Mostra altri eventi" adds
TIMELINE_PAGE = 25

_CASE = bindparam("case_id", type_=Integer)

# ---- rows shared with the case file (read once per file) ---------------------------------

_INTERVENTIONS = (
    select(Intervention.id, Intervention.kind, Intervention.status, Intervention.start_on, Intervention.end_on,
           Intervention.description, Intervention.version, Staff.display_name.label("who"))
    .outerjoin(Staff, Staff.id == Intervention.staff_id)  # type: ignore[arg-type]
    .where(Intervention.case_id == _CASE)
    .order_by(Intervention.start_on.desc(), Intervention.id.desc())  # type: ignore[attr-defined, union-attr]
)
_EVALUATIONS = (
    select(Evaluation.id, Evaluation.goal_id, Evaluation.evaluated_on, Evaluation.score, Evaluation.is_baseline,
           Evaluation.note, Goal.description.label("goal"))
    .join(Goal, Goal.id == Evaluation.goal_id)  # type: ignore[arg-type]
    .where(Goal.case_id == _CASE).order_by(Evaluation.evaluated_on, Evaluation.id)
)
_CONTACTS = (
    select(NetworkContact.id, NetworkContact.kind, NetworkContact.organisation, NetworkContact.contact_name,
           NetworkContact.phone, NetworkContact.email, NetworkContact.is_key, NetworkContact.last_contact_on,
           NetworkContact.note, NetworkContact.version)
    .where(NetworkContact.case_id == _CASE)
    .order_by(NetworkContact.is_key.desc(), NetworkContact.kind)  # type: ignore[attr-defined]
)

# ---- rows only the timeline shows (each in its index order, so ties keep a stable order) --

_STAGE_CHANGES = (
    select(CaseStageChange.from_stage, CaseStageChange.to_stage, CaseStageChange.changed_at,
           CaseStageChange.closure_reason, Staff.display_name.label("who"))
    .outerjoin(Staff, Staff.id == CaseStageChange.changed_by)  # type: ignore[arg-type]
    .where(CaseStageChange.case_id == _CASE).order_by(CaseStageChange.changed_at, CaseStageChange.id)
)
_MEASURES = (
    select(CourtMeasure.measure_type, CourtMeasure.court, CourtMeasure.docket_number, CourtMeasure.issued_on)
    .where(CourtMeasure.case_id == _CASE).order_by(CourtMeasure.issued_on, CourtMeasure.id)
)
_OBLIGATIONS = (  # only fulfilled and open obligations appear on the timeline
    select(Obligation.status, Obligation.title, Obligation.legal_basis, Obligation.due_at, Obligation.fulfilled_on)
    .where(Obligation.case_id == _CASE, Obligation.status.in_(("adempiuto", "aperto")))  # type: ignore[attr-defined]
    .order_by(Obligation.status, Obligation.due_at, Obligation.id)
)
_PLACEMENTS = (
    select(Placement.kind, Placement.host_name, Placement.start_on, Placement.end_on, Placement.outcome)
    .where(Placement.case_id == _CASE).order_by(Placement.id)
)
_DIARY = (
    select(DiaryEntry.occurred_on, DiaryEntry.tag, DiaryEntry.text, DiaryEntry.author_profession,
           DiaryEntry.restricted_to_profession)
    .where(DiaryEntry.case_id == _CASE).order_by(DiaryEntry.occurred_on, DiaryEntry.id)
)


@dataclass(frozen=True)
class WorkRows:
    """Rows of a case shown both in the case file and on its timeline, read once.

    ``interventions`` newest first (with the staff name as ``who``), ``evaluations`` oldest
    first (with their goal's text as ``goal``), ``contacts`` key contacts first."""

    interventions: Sequence[Any]
    evaluations: Sequence[Any]
    contacts: Sequence[Any]


def execute_columns(session: Session, statement: Select, **params: Any) -> Result:  # noqa: ANN401
    """Run a prebuilt column select in the session's transaction, on its connection (the ORM
    layer adds nothing to plain columns but CPU). Flushes first if the session autoflushes,
    as the ORM would."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


def case_rows(session: Session, statement: Select, case_id: int) -> Sequence[Any]:
    """All rows of a prebuilt statement with a ``case_id`` bind parameter."""
    return execute_columns(session, statement, case_id=case_id).all()


def read_work_rows(session: Session, case_id: int) -> WorkRows:
    """The interventions, evaluations and network contacts of an authorised case."""
    return WorkRows(interventions=case_rows(session, _INTERVENTIONS, case_id),
                    evaluations=case_rows(session, _EVALUATIONS, case_id), contacts=case_rows(session, _CONTACTS, case_id))


# ---- timeline events: (moment, kind, title, detail), formatted only when shown ------------

Event = tuple[datetime, str, str, str]


def _moment(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(ROME)
    return datetime.combine(value, time(12, 0), tzinfo=ROME)


def _event(when: date | datetime, kind: str, title: str, detail: str = "") -> Event:
    return _moment(when), kind, title, detail


def _display(event: Event) -> dict[str, str]:
    moment, kind, title, detail = event
    return {"when": moment.strftime("%d/%m/%Y"), "kind": kind, "title": title, "detail": detail}


def _headline(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= HEADLINE_CHARS else text[: HEADLINE_CHARS - 1].rstrip() + "…"


def _stage_items(session: Session, case: Case) -> list[Event]:
    items = [_event(case.opened_on, "Fase", f"Apertura del caso ({wf.stage_label(wf.stages(case.service)[0])})")]
    for ch in case_rows(session, _STAGE_CHANGES, case.id):  # type: ignore[arg-type]
        detail = f"da «{wf.stage_label(ch.from_stage)}»" if ch.from_stage else ""
        if ch.closure_reason:
            detail += f" · motivo: {wf.CLOSURE_REASONS.get(ch.closure_reason, ch.closure_reason)}"
        if ch.who is not None:
            detail += f" · {ch.who}"
        items.append(_event(ch.changed_at, "Fase", f"Passaggio a «{wf.stage_label(ch.to_stage)}»", detail.strip(" ·")))
    return items


def _intervention_label(kind: str) -> str:
    try:
        return wf.InterventionKind(kind).label
    except ValueError:
        return kind


def _work_items(work: WorkRows) -> list[Event]:
    items = []
    for iv in reversed(work.interventions):  # oldest first, as the index stores them
        items.append(_event(iv.start_on, "Intervento", f"Avvio: {_intervention_label(iv.kind)}", iv.who or ""))
        if iv.end_on:
            items.append(_event(iv.end_on, "Intervento", f"Fine: {_intervention_label(iv.kind)}",
                                STATUS_LABELS.get(iv.status, iv.status)))
    for ev in work.evaluations:
        kind = "iniziale" if ev.is_baseline else "di verifica"
        items.append(_event(ev.evaluated_on, "Valutazione", f"Valutazione {kind}: {ev.score}/10",
                            _headline(ev.goal)))
    for c in sorted(work.contacts, key=lambda row: row.id):
        if c.last_contact_on:
            label = wf.NETWORK_CONTACT_LABELS.get(wf.NetworkContactKind(c.kind), c.kind) if c.kind in wf.NetworkContactKind._value2member_map_ else c.kind
            items.append(_event(c.last_contact_on, "Rete", f"Contatto con {label}", c.organisation))
    return items


def _court_items(session: Session, case_id: int) -> list[Event]:
    items = []
    for m in case_rows(session, _MEASURES, case_id):
        items.append(_event(m.issued_on, "Provvedimento", measure_label(m.measure_type), f"{m.court} n. {m.docket_number}"))
    for o in case_rows(session, _OBLIGATIONS, case_id):
        if o.status == "adempiuto" and o.fulfilled_on:
            items.append(_event(o.fulfilled_on, "Scadenza", f"Adempiuto: {o.title}", o.legal_basis or ""))
        elif o.status == "aperto":
            items.append(_event(o.due_at, "Scadenza", f"Scade: {o.title}", o.legal_basis or ""))
    for p in case_rows(session, _PLACEMENTS, case_id):
        kind = "in comunità" if p.kind == "comunita" else "in affido familiare"
        items.append(_event(p.start_on, "Collocamento", f"Inizio collocamento {kind}", p.host_name))
        if p.end_on:
            items.append(_event(p.end_on, "Collocamento", f"Fine collocamento {kind}", p.outcome or ""))
    return items


def _diary_items(session: Session, actor: Actor, case: Case) -> list[Event]:
    items = []
    for d in case_rows(session, _DIARY, case.id):  # type: ignore[arg-type]
        tag = wf.DIARY_TAG_LABELS.get(wf.DiaryTag(d.tag), d.tag) if d.tag in wf.DiaryTag._value2member_map_ else d.tag
        if d.restricted_to_profession and not can_read_restricted_note(actor, case.tenant_id, d.author_profession):
            who = PROFESSION_LABELS.get(d.author_profession or "", "autore")
            items.append(_event(d.occurred_on, "Diario", "Nota riservata", f"Visibile solo a: {who} e coordinatori"))
        else:
            prefix = "Nota riservata · " if d.restricted_to_profession else ""
            items.append(_event(d.occurred_on, "Diario", f"{prefix}{tag}", _headline(d.text)))
    return items


def timeline_page(session: Session, actor: Actor, case: Case, limit: int = TIMELINE_PAGE, *,
                  rows: WorkRows | None = None) -> tuple[list[dict[str, str]], int]:
    """The newest ``limit`` events of the case (never more than ``MAX_ITEMS``), newest first
    as display strings, and how many events the case has in all.

    ``rows``: the case's :class:`WorkRows` when the caller has already read them."""
    work = rows if rows is not None else read_work_rows(session, case.id)  # type: ignore[arg-type]
    events = (_stage_items(session, case) + _work_items(work) + _court_items(session, case.id)  # type: ignore[arg-type]
              + _diary_items(session, actor, case))
    events.sort(key=itemgetter(0), reverse=True)  # stable: equal moments keep the order above
    shown = min(max(limit, 0), MAX_ITEMS)
    return [_display(e) for e in events[:shown]], len(events)


def case_timeline(session: Session, actor: Actor, case: Case, *, rows: WorkRows | None = None) -> list[dict[str, str]]:
    """Everything that happened on the case (at most ``MAX_ITEMS``), newest first, as display strings."""
    return timeline_page(session, actor, case, MAX_ITEMS, rows=rows)[0]
