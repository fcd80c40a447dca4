"""Front-desk intake (accesso): drafts saved answer by answer, resumable by any operator
of the same Comune.

* A draft belongs to its tenant; ``intake.use`` in that tenant is needed for everything,
  and a draft of another Comune is reported exactly like a missing one.
* Each answer is validated by the flow engine (``domain/intake_flow``), stored in
  ``Accesso.answers`` (answers that no longer apply are pruned) and the next question is
  stored in ``current_question``. Every write carries the version the operator loaded.
* Confirmation (persons, household, outcome) lives in ``intake_confirm``; lists of the
  front-desk page in ``intake_lists``; the DTO sent to the wizard in ``intake_view``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain import intake_flow as engine
from tutela_app.domain.intake_values import parse_date
from tutela_app.models import Accesso, Tenant, utcnow
from tutela_app.services import audit
from tutela_app.services.intake_view import wizard_view
from tutela_app.services.persons import get_person_in_tenant, search_persons

ROME = ZoneInfo("Europe/Rome")
IDENTITY_FIELDS = ("surname", "name", "birth_date", "codice_fiscale")


class IntakeError(ValueError):
    """A request the operator can fix; ``message_it`` is shown next to the question."""

    def __init__(self, message_it: str) -> None:
        super().__init__(message_it)
        self.message_it = message_it


class VersionConflict(Exception):
    """Somebody saved the draft after this operator loaded it."""

    def __init__(self, theirs: int, yours: int) -> None:
        super().__init__(f"version {theirs} != {yours}")
        self.theirs = theirs
        self.yours = yours
        self.message_it = (
            f"Nel frattempo un'altra persona ha aggiornato questa bozza (versione {theirs}, la tua era "
            f"{yours}). Abbiamo ricaricato le risposte salvate; la tua risposta è ancora nel campo: "
            "controlla e conferma di nuovo."
        )


def today_rome() -> date:
    return datetime.now(ROME).date()


@lru_cache(maxsize=1)
def base_flow() -> engine.Flow:
    return engine.load_flow()


@lru_cache(maxsize=32)
def _flow_for_comuni(comuni: tuple[tuple[str, str], ...]) -> engine.Flow:
    return engine.with_served_comuni(base_flow(), list(comuni))


def flow_for(session: Session, tenant: Tenant) -> engine.Flow:
    """The questionnaire with the residence options: this Comune first, then the others served."""
    others = session.exec(
        select(Tenant.code, Tenant.name).where(Tenant.active.is_(True), Tenant.id != tenant.id).order_by(Tenant.name)
    ).all()
    return _flow_for_comuni(((tenant.code, tenant.name), *((c, n) for c, n in others)))


def served_codes(tenant: Tenant) -> list[str]:
    """Residences this front desk serves; anyone else is oriented to their own Comune."""
    return [tenant.code]


def _check_id(value: Any, what: str = "identificativo") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > 2**62:
        raise NotFoundOrForbidden
    return value


def _check_version(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise IntakeError("Versione della bozza non valida: ricarica la pagina.")
    return value


def get_accesso(session: Session, actor: Actor, accesso_id: Any) -> tuple[Accesso, Tenant]:
    """The accesso and its tenant, if the actor may use the front desk of that tenant."""
    accesso = session.get(Accesso, _check_id(accesso_id))
    if accesso is None or not perm.can(actor, "intake.use", accesso.tenant_id):
        raise NotFoundOrForbidden
    tenant = session.get(Tenant, accesso.tenant_id)
    assert tenant is not None
    return accesso, tenant


def draft_for_write(session: Session, actor: Actor, accesso_id: Any, expected_version: Any) -> tuple[Accesso, Tenant]:
    accesso, tenant = get_accesso(session, actor, accesso_id)
    yours = _check_version(expected_version)
    if accesso.status != "bozza":
        raise IntakeError("Questo accesso è già stato confermato o annullato: non si può più modificare.")
    if accesso.version != yours:
        raise VersionConflict(theirs=accesso.version, yours=yours)
    return accesso, tenant


def _next_number(session: Session, tenant_id: int, year: int) -> str:
    prefix = f"ACC-{year}-"
    last = session.exec(
        select(func.max(Accesso.number)).where(Accesso.tenant_id == tenant_id, Accesso.number.like(f"{prefix}%"))
    ).one()
    seq = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{seq:06d}"


def start_accesso(session: Session, actor: Actor, tenant_id: Any) -> int:
    """Open a new draft in ``tenant_id``; returns its id."""
    tenant = session.get(Tenant, _check_id(tenant_id))
    if tenant is None or not perm.can(actor, "intake.use", tenant.id) or not tenant.active:
        raise NotFoundOrForbidden
    flow = flow_for(session, tenant)
    first = engine.next_question(flow, {}, today_rome())
    accesso = Accesso(
        tenant_id=tenant.id,
        number=_next_number(session, tenant.id, today_rome().year),
        operator_id=actor.staff_id,
        last_operator_id=actor.staff_id,
        answers={},
        current_question=first.id if first else None,
    )
    session.add(accesso)
    session.flush()
    audit.record(session, actor, "create", "accesso", accesso.id, tenant_id=tenant.id)
    return accesso.id


def open_accesso(session: Session, actor: Actor, accesso_id: Any) -> dict:
    """The wizard view of an accesso (audited: 'resume' for a draft, 'read' otherwise)."""
    accesso, tenant = get_accesso(session, actor, accesso_id)
    action = "resume" if accesso.status == "bozza" and accesso.answers else "read"
    audit.record(session, actor, action, "accesso", accesso.id, tenant_id=tenant.id, person_id=accesso.person_id,
                 detail=f"by_other_operator={accesso.last_operator_id not in (None, actor.staff_id)}")
    return wizard_view(session, accesso, tenant, flow_for(session, tenant), today_rome())


def save_answer(
    session: Session, actor: Actor, accesso_id: Any, question_id: Any, raw: Any, expected_version: Any,
    *, today: date | None = None,
) -> dict:
    """Validate and store one answer. Returns ``{"ok", "error", "warnings", "view"}``.

    An invalid answer writes nothing and returns the engine's Italian message.
    """
    accesso, tenant = draft_for_write(session, actor, accesso_id, expected_version)
    day = today or today_rome()
    flow = flow_for(session, tenant)
    if not isinstance(question_id, str) or len(question_id) > 60:
        raise IntakeError("Domanda non valida: ricarica la pagina.")
    answers = dict(accesso.answers or {})
    applicable = {q.id: q for q in engine.applicable_questions(flow, answers, day)}
    question = applicable.get(question_id)
    if question is None:
        raise IntakeError("Questa domanda non si applica più alle risposte date: ricarica la pagina.")
    result = engine.validate_answer(question, raw, day, answers)
    if not result.ok:
        return {"ok": False, "error": result.error or "Valore non valido.", "warnings": [], "view": None}
    answers[question.id] = result.value
    answers = engine.prune_answers(flow, answers, day)
    _apply_answers(accesso, flow, answers, day, actor)
    session.add(accesso)
    session.flush()
    audit.record(session, actor, "update", "accesso", accesso.id, tenant_id=tenant.id, person_id=accesso.person_id,
                 detail=f"answer:{question.id}")
    return {"ok": True, "error": "", "warnings": list(result.warnings),
            "view": wizard_view(session, accesso, tenant, flow, day)}


def _apply_answers(accesso: Accesso, flow: engine.Flow, answers: dict, day: date, actor: Actor) -> None:
    nxt = engine.next_question(flow, answers, day)
    accesso.answers = answers  # a new dict: SQLAlchemy sees the JSON change
    accesso.current_question = nxt.id if nxt else None
    accesso.who_comes = answers.get("who_comes")
    accesso.need_area = answers.get("need_area")
    accesso.risk_to_minor = engine.risk_assessment(answers).at_risk
    accesso.last_operator_id = actor.staff_id
    accesso.updated_at = utcnow()


def find_matches(session: Session, actor: Actor, accesso_id: Any) -> list[dict]:
    """Persons of the accesso's Comune that may be the one being interviewed."""
    accesso, tenant = get_accesso(session, actor, accesso_id)
    if accesso.status != "bozza" or accesso.person_id is not None:
        return []
    a = accesso.answers or {}
    if not any(a.get(k) for k in IDENTITY_FIELDS):
        return []
    matches = search_persons(
        session, actor, tenant.id,
        codice_fiscale=a.get("codice_fiscale") if isinstance(a.get("codice_fiscale"), str) else None,
        surname=a.get("surname") if isinstance(a.get("surname"), str) else None,
        given_name=a.get("name") if isinstance(a.get("name"), str) else None,
        birth_date=parse_date(a.get("birth_date")),
    )
    return [m.as_dict() for m in matches]


def link_person(session: Session, actor: Actor, accesso_id: Any, person_id: Any, expected_version: Any) -> dict:
    """Link the draft to a known person; identity answers not yet given are taken from the record."""
    accesso, tenant = draft_for_write(session, actor, accesso_id, expected_version)
    person = get_person_in_tenant(session, tenant.id, _check_id(person_id)) if person_id is not None else None
    if person is None:
        raise NotFoundOrForbidden
    day = today_rome()
    flow = flow_for(session, tenant)
    known = {
        "surname": person.surname, "name": person.given_name, "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "birthplace": person.birthplace, "has_cf": person.codice_fiscale is not None,
        "codice_fiscale": person.codice_fiscale, "residence_address": person.address,
    }
    answers = dict(accesso.answers or {})
    for key, value in known.items():
        if key not in answers and value is not None:
            answers[key] = value
    answers = engine.prune_answers(flow, answers, day)
    accesso.person_id = person.id
    _apply_answers(accesso, flow, answers, day, actor)
    session.add(accesso)
    session.flush()
    audit.record(session, actor, "update", "accesso", accesso.id, tenant_id=tenant.id, person_id=person.id,
                 detail="link_person")
    return wizard_view(session, accesso, tenant, flow, day)


def unlink_person(session: Session, actor: Actor, accesso_id: Any, expected_version: Any) -> dict:
    accesso, tenant = draft_for_write(session, actor, accesso_id, expected_version)
    previous = accesso.person_id
    accesso.person_id = None
    accesso.last_operator_id = actor.staff_id
    accesso.updated_at = utcnow()
    session.add(accesso)
    session.flush()
    audit.record(session, actor, "update", "accesso", accesso.id, tenant_id=tenant.id, person_id=previous,
                 detail="unlink_person")
    return wizard_view(session, accesso, tenant, flow_for(session, tenant), today_rome())


def cancel_accesso(session: Session, actor: Actor, accesso_id: Any, expected_version: Any) -> None:
    """Discard a draft (kept as 'annullato' for the record)."""
    accesso, tenant = draft_for_write(session, actor, accesso_id, expected_version)
    accesso.status = "annullato"
    accesso.last_operator_id = actor.staff_id
    accesso.updated_at = utcnow()
    session.add(accesso)
    session.flush()
    audit.record(session, actor, "update", "accesso", accesso.id, tenant_id=tenant.id, detail="cancel")
