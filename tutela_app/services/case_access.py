"""Shared helpers of the case services: object-level access, conflicts, small formatters.

Every case service loads its case through :func:`load_case`, which applies the policy of
``auth/permissions.py`` (équipe members: only cases they are assigned to; coordinators:
every case of their Comuni) and raises :class:`NotFoundOrForbidden` for a missing case
and a forbidden one alike.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain.deadlines import ROME
from tutela_app.models import Case, CaseAssignment, utcnow

CONFLICT_MESSAGE = "La scheda è stata modificata da un collega nel frattempo."


class EditConflict(Exception):
    """The record changed since the editor loaded it (optimistic locking).

    ``theirs`` holds the current stored values (display strings keyed by field) and
    ``their_version`` the version to carry when the editor re-applies their own values.
    """

    def __init__(self, theirs: dict[str, str], their_version: int) -> None:
        super().__init__(CONFLICT_MESSAGE)
        self.theirs = theirs
        self.their_version = their_version


class InvalidInput(ValueError):
    """Bad input, with an Italian message per field (``field -> message``)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def visible_cases(actor: Actor | None, action: str = "case.read") -> ColumnElement[bool]:
    """SQL condition selecting the cases the actor may see (assignment-bound for équipe)."""
    return perm.case_visibility(actor, action, Case, CaseAssignment)


def team_staff_ids(session: Session, case: Case) -> set[int]:
    """Staff ids of the case's current équipe (open assignments and the responsible)."""
    rows = session.exec(
        select(CaseAssignment.staff_id).where(
            CaseAssignment.case_id == case.id, CaseAssignment.until.is_(None)  # type: ignore[union-attr]
        )
    ).all()
    ids = set(rows)
    if case.responsible_staff_id is not None:
        ids.add(case.responsible_staff_id)
    return ids


def check_id(value: object) -> int:
    """A positive database id from untrusted input, else NotFoundOrForbidden."""
    if isinstance(value, bool):
        raise NotFoundOrForbidden
    try:
        number = int(str(value).strip()) if isinstance(value, (str, int)) else None
    except ValueError:
        number = None
    if number is None or number <= 0 or number > 2**62:
        raise NotFoundOrForbidden
    return number


def load_case(session: Session, actor: Actor | None, case_id: object, action: str) -> Case:
    """The case if the actor may ``action`` it; NotFoundOrForbidden otherwise."""
    cid = check_id(case_id)
    case = session.get(Case, cid)
    if case is None or actor is None:
        raise NotFoundOrForbidden
    if not perm.can_on_case(actor, action, case.tenant_id, lambda: team_staff_ids(session, case)):
        raise NotFoundOrForbidden
    return case


def touch_case(session: Session, case_id: int) -> None:
    """Mark the case as changed for live viewers without bumping its edit version."""
    session.execute(update(Case).where(Case.id == case_id).values(updated_at=utcnow()))  # type: ignore[arg-type]


def today_rome() -> date:
    """Today's date where the service works (dates typed by users are local dates)."""
    return utcnow().astimezone(ROME).date()


def initials(given_name: str | None, surname: str | None) -> str:
    parts = [p for p in ((given_name or "").strip(), (surname or "").strip()) if p]
    return " ".join(f"{p[0].upper()}." for p in parts) or "?"


def age_on(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_date(value: object, field: str, *, required: bool = True) -> date | None:
    """A date from an ISO string (as sent by <input type=date>), or InvalidInput."""
    text = str(value or "").strip() if isinstance(value, (str, date)) or value is None else None
    if text is None:
        raise InvalidInput({field: "Data non valida."})
    if not text:
        if required:
            raise InvalidInput({field: "Indica la data."})
        return None
    try:
        parsed = date.fromisoformat(text[:10])
    except ValueError as exc:
        raise InvalidInput({field: "Data non valida: usa il formato gg/mm/aaaa."}) from exc
    if parsed.year < 1900 or parsed.year > 2100:
        raise InvalidInput({field: "Data fuori dall'intervallo ammesso."})
    return parsed


def clean_text(value: object, field: str, max_len: int, *, required: bool = False, label: str = "Il testo") -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidInput({field: f"{label} non è valido."})
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput({field: f"{label} è obbligatorio."})
    if len(text) > max_len:
        raise InvalidInput({field: f"{label} è troppo lungo (massimo {max_len} caratteri)."})
    return text or None


def parse_score(value: object, field: str = "score") -> int:
    try:
        score = int(str(value).strip()) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    except ValueError:
        score = None
    if score is None or not 0 <= score <= 10:
        raise InvalidInput({field: "Il punteggio va da 0 a 10."})
    return score


def not_future(d: date | None, field: str) -> None:
    if d is not None and d > today_rome():
        raise InvalidInput({field: "La data non può essere nel futuro."})


PROFESSION_SHORT = {"assistente_sociale": "AS", "psicologo": "Psi", "educatore": "Edu"}
PROFESSION_LABELS = {
    "assistente_sociale": "Assistente sociale",
    "psicologo": "Psicologo/a",
    "educatore": "Educatore/Educatrice",
}
