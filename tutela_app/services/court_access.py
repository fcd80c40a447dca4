"""Shared helpers of the court services: case access, errors, small parsers.

Every court service loads its case through :func:`case_for`, which applies the one
policy (``permissions.can_on_case``) and reports a missing and a forbidden case alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import Case, Person
from tutela_app.services import audit
from tutela_app.services.case_access import check_id, load_case, team_staff_ids
from tutela_app.services.case_access import initials as _initials
from tutela_app.services.staff import InvalidRequest

__all__ = [
    "FormErrors", "InvalidRequest", "NotFoundOrForbidden", "VersionConflict", "case_for",
    "check_id", "check_version", "initials", "parse_date", "team_staff_ids",
]


class FormErrors(InvalidRequest):
    """Field-level validation errors (field -> Italian message)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Controlla i campi evidenziati.")
        self.errors = errors


class VersionConflict(Exception):
    """Optimistic-lock conflict: someone saved the record after the user loaded it."""

    def __init__(self, theirs: dict[str, Any], yours: dict[str, Any] | None = None) -> None:
        super().__init__("version conflict")
        self.theirs = theirs
        self.yours = yours or {}
        self.message_it = (
            "Un'altra persona ha modificato questo elemento dopo che lo hai aperto. "
            "Confronta la sua versione con la tua: i tuoi dati non sono stati persi."
        )


def check_version(row: Any, expected: Any, snapshot: dict[str, Any], yours: dict[str, Any] | None = None) -> None:
    try:
        exp = int(expected)
    except (TypeError, ValueError):
        raise InvalidRequest("Versione non valida: ricarica la pagina.") from None
    if row.version != exp:
        raise VersionConflict(snapshot, yours)


def parse_date(value: Any, field: str, errors: dict[str, str], *, required: bool = False) -> date | None:
    """An ISO date (YYYY-MM-DD, as sent by <input type=date>) or an error for ``field``."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            errors[field] = "Campo obbligatorio: inserisci la data."
        return None
    try:
        d = date.fromisoformat(text[:10])
    except ValueError:
        errors[field] = "Data non valida: usa il formato gg/mm/aaaa."
        return None
    if not 1900 <= d.year <= 2200:
        errors[field] = "Data fuori dall'intervallo ammesso."
        return None
    return d


def case_for(session: Session, actor: Actor, case_id: Any, action: str, *, audit_read: bool = False) -> Case:
    """The case if ``actor`` may ``action`` on it, else NotFoundOrForbidden."""
    case = load_case(session, actor, case_id, action)
    if case.service != "tutela_minori":
        raise NotFoundOrForbidden
    if audit_read:
        audit.record(session, actor, "read", "case", case.id, tenant_id=case.tenant_id, person_id=case.subject_person_id)
    return case


def initials(person: Person | None) -> str:
    """``M. R.``-style initials of a person (never the name itself)."""
    return _initials(person.given_name, person.surname) if person is not None else "?"
