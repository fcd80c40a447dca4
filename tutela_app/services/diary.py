"""Case diary, tagged as art. 473-bis.27 c.p.c. requires for reports to the court.

Each entry is, at entry time, one of:

* ``fatto`` — a fact established by the worker;
* ``dichiarazione`` — a statement: ``source`` (who said it) is required;
* ``valutazione`` — a professional evaluation: ``method`` (method or instrument) is required.

``restricted_to_profession`` keeps a note (e.g. psychological) readable only by the
same profession and by coordinators (``permissions.can_read_restricted_note``); restricted
notes never enter a report. ``confidential`` marks third-party data that the parties'
version of a report hides.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import DiaryEntry
from tutela_app.models.work import DIARY_TAGS
from tutela_app.services import audit
from tutela_app.services.court_access import FormErrors, case_for, check_id, check_version, parse_date

TAG_LABELS = {"fatto": "Fatto accertato", "dichiarazione": "Dichiarazione", "valutazione": "Valutazione professionale"}
MAX_TEXT = 8000
MAX_ENTRIES = 500


def _flag(value: Any) -> bool:
    return value is True or value == "true" or value == "on"


def parse_entry(raw: Any, actor: Actor) -> dict[str, Any]:
    """Validate a diary form; field errors in Italian."""
    if not isinstance(raw, dict):
        raise FormErrors({"_": "Dati non validi."})
    errors: dict[str, str] = {}
    tag = raw.get("tag")
    if tag not in DIARY_TAGS:
        errors["tag"] = "Scegli se è un fatto, una dichiarazione o una valutazione."
    occurred = parse_date(raw.get("occurred_on"), "occurred_on", errors, required=True)
    if occurred and occurred > date.today():
        errors["occurred_on"] = "La data non può essere nel futuro."
    text = str(raw.get("text") or "").strip()
    if not text:
        errors["text"] = "Scrivi il contenuto della nota."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Massimo {MAX_TEXT} caratteri."
    source = str(raw.get("source") or "").strip()[:200] or None
    method = str(raw.get("method") or "").strip()[:200] or None
    if tag == "dichiarazione" and not source:
        errors["source"] = "Indica chi ha reso la dichiarazione (es. la madre, l'insegnante)."
    if tag == "valutazione" and not method:
        errors["method"] = "Indica il metodo o lo strumento della valutazione (es. colloquio clinico, osservazione)."
    restricted = _flag(raw.get("restricted"))
    if restricted and not actor.profession:
        errors["restricted"] = "Solo chi ha una professione può riservare la nota ai colleghi della stessa professione."
    if errors:
        raise FormErrors(errors)
    return {
        "tag": tag, "occurred_on": occurred, "text": text,
        "source": source if tag == "dichiarazione" else None,
        "method": method if tag == "valutazione" else None,
        "restricted_to_profession": restricted, "confidential": _flag(raw.get("confidential")),
    }


def add_entry(session: Session, actor: Actor, case_id: Any, raw: Any) -> DiaryEntry:
    case = case_for(session, actor, case_id, "case.edit")
    values = parse_entry(raw, actor)
    entry = DiaryEntry(
        case_id=case.id, tenant_id=case.tenant_id, author_id=actor.staff_id,
        author_profession=actor.profession, **values,
    )
    session.add(entry)
    session.flush()
    audit.record(session, actor, "create", "diary_entry", entry.id, tenant_id=case.tenant_id, detail=entry.tag)
    return entry


def update_entry(session: Session, actor: Actor, entry_id: Any, version: Any, raw: Any) -> DiaryEntry:
    """Only the author edits an entry; a report already drafted keeps its own copy."""
    entry = session.get(DiaryEntry, check_id(entry_id))
    if entry is None:
        raise NotFoundOrForbidden
    case = case_for(session, actor, entry.case_id, "case.edit")
    if entry.author_id != actor.staff_id:
        raise NotFoundOrForbidden
    values = parse_entry(raw, actor)
    check_version(entry, version, {"Testo": entry.text, "Tipo": entry.tag}, {"Testo": values["text"], "Tipo": values["tag"]})
    for key, value in values.items():
        setattr(entry, key, value)
    session.add(entry)
    session.flush()
    audit.record(session, actor, "update", "diary_entry", entry.id, tenant_id=case.tenant_id)
    return entry


def visible(actor: Actor, entry: DiaryEntry) -> bool:
    if not entry.restricted_to_profession:
        return True
    return perm.can_read_restricted_note(actor, entry.tenant_id, entry.author_profession)


def list_entries(
    session: Session, actor: Actor, case_id: Any, date_from: date | None = None, date_to: date | None = None
) -> list[DiaryEntry]:
    """Entries the actor may read, newest first."""
    case = case_for(session, actor, case_id, "case.read")
    q = select(DiaryEntry).where(DiaryEntry.case_id == case.id)
    if date_from:
        q = q.where(DiaryEntry.occurred_on >= date_from)
    if date_to:
        q = q.where(DiaryEntry.occurred_on <= date_to)
    rows = session.exec(q.order_by(DiaryEntry.occurred_on.desc(), DiaryEntry.id.desc()).limit(MAX_ENTRIES)).all()
    audit.record(session, actor, "read", "diary", case.id, tenant_id=case.tenant_id, person_id=case.subject_person_id)
    return [e for e in rows if visible(actor, e)]


def entries_for_report(session: Session, case_id: int, date_from: date, date_to: date) -> list[DiaryEntry]:
    """Entries of a period that may enter a report (never restricted notes), oldest first."""
    return list(
        session.exec(
            select(DiaryEntry)
            .where(
                DiaryEntry.case_id == case_id,
                DiaryEntry.occurred_on >= date_from,
                DiaryEntry.occurred_on <= date_to,
                DiaryEntry.restricted_to_profession.is_(False),
            )
            .order_by(DiaryEntry.occurred_on, DiaryEntry.id)
        ).all()
    )
