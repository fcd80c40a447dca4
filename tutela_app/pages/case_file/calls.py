"""Blocking service calls of the case file page, each in its own transaction (run via run_db)."""

from __future__ import annotations

from typing import Any

from tutela_app.auth.permissions import Actor
from tutela_app.db import read_session, write_session
from tutela_app.services import case_team, case_work, cases
from tutela_app.services.case_file import case_marker, read_case_file, record_case_read
from tutela_app.services.timeline import TIMELINE_PAGE

#: form name -> (service function, the form fields it takes, in order)
ADD_FORMS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "intervention": (case_work.add_intervention, ("kind", "start_on", "staff_id", "description", "status")),
    "goal": (case_work.add_goal, ("intervention_id", "goal_description", "baseline_score", "baseline_on", "baseline_note")),
    "evaluation": (case_work.add_evaluation, ("goal_id", "evaluated_on", "score", "note")),
    "contact": (case_work.add_contact, ("kind", "organisation", "contact_name", "phone", "email", "is_key",
                                         "last_contact_on", "note")),
    "member": (case_team.add_member, ("staff_id", "role_in_case")),
}
#: editable record kind -> (service function, fields after (id, expected_version))
EDIT_FORMS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "summary": (case_work.update_case_summary, ("summary",)),
    "intervention": (case_work.update_intervention, ("status", "end_on")),
    "contact": (case_work.update_contact, ("last_contact_on", "note")),
    "responsible": (case_team.set_responsible, ("staff_id",)),
}
#: Italian labels of the edited fields, for the conflict panel ("yours" column)
EDIT_LABELS = {
    "summary": {"summary": "Sintesi del caso"},
    "intervention": {"status": "Stato", "end_on": "Data di fine"},
    "contact": {"last_contact_on": "Ultimo contatto", "note": "Nota"},
    "responsible": {"staff_id": "Responsabile"},
}
CASE_SCOPED_ADD = {"intervention", "contact", "member"}


MAX_FIELD = 8000
SAVED = {"intervention": "Intervento aggiunto.", "goal": "Obiettivo e valutazione iniziale registrati.",
         "evaluation": "Valutazione registrata.", "contact": "Contatto della rete aggiunto.",
         "member": "Operatore aggiunto all'équipe."}


def clean_form(form_data: object, fields: tuple[str, ...]) -> dict[str, str] | None:
    """The allowlisted string fields of a submitted form, or None when the payload is hostile."""
    if not isinstance(form_data, dict):
        return None
    values = {f: form_data.get(f, "") for f in fields}
    if any(not isinstance(v, str) or len(v) > MAX_FIELD for v in values.values()):
        return None
    return values


def load_case_file(actor: Actor, case_id: int, audit_read: bool, timeline_limit: int = TIMELINE_PAGE,
                   *, with_candidates: bool = True) -> dict:
    """Read in a read-only transaction (no write lock while the file is assembled), then
    append the read audit event in its own short write transaction.

    ``with_candidates=False`` (refreshes of an open file) leaves out the staff who may join
    the équipe: they depend on the Comune's grants, not on the case."""
    with read_session() as session:
        data = read_case_file(session, actor, case_id, audit_read=False, timeline_limit=timeline_limit)
        if with_candidates:  # only who may assign gets candidates (the service returns [] to everybody else)
            data["candidates"] = case_team.candidates(session, actor, case_id) if data["header"]["can_assign"] else []
    if audit_read:
        with write_session() as session:
            record_case_read(session, actor, case_id)
    return data


def end_member(actor: Actor, case_id: int, staff_id: str) -> dict:
    with write_session() as session:
        return case_team.end_member(session, actor, case_id, staff_id)


def conflict_rows(kind: str, theirs: dict[str, str], yours: dict[str, str], names: dict[str, str]) -> list[dict[str, str]]:
    """Both versions side by side, in the order of the edited fields (staff ids shown as names)."""
    their_values = list(theirs.values())
    rows = []
    for i, (field, label) in enumerate(EDIT_LABELS[kind].items()):
        mine = names.get(yours[field], yours[field]) if field == "staff_id" else yours[field]
        rows.append({"label": label, "theirs": their_values[i] if i < len(their_values) else "", "yours": mine})
    return rows


def marker(actor: Actor, case_id: int) -> str:
    with read_session() as session:
        return case_marker(session, actor, case_id)


def add(actor: Actor, case_id: int, form: str, values: dict[str, str]) -> dict:
    fn, fields = ADD_FORMS[form]
    args = [values.get(f, "") for f in fields]
    with write_session() as session:
        if form in CASE_SCOPED_ADD:
            return fn(session, actor, case_id, *args)
        return fn(session, actor, *args)


def edit(actor: Actor, kind: str, record_id: str, version: str, values: dict[str, str]) -> dict:
    fn, fields = EDIT_FORMS[kind]
    with write_session() as session:
        return fn(session, actor, record_id, version, *[values.get(f, "") for f in fields])


def move(actor: Actor, case_id: int, to_stage: str, version: str, reason: str) -> dict:
    with write_session() as session:
        return cases.move_case_to_stage(session, actor, case_id, to_stage, version, reason or None)
