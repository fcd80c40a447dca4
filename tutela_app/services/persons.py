"""Person search, lookup and creation for the front desk (always within one tenant).

Every person a search returns is an audited read (ids only). Searches never cross
tenants: a person known to another Comune is, for this Comune, not known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor
from tutela_app.domain.case_workflow import CLOSED, SERVICE_LABELS, STAGE_LABELS, ServiceKind
from tutela_app.domain.codice_fiscale import normalize_cf, provisional_identifier, validate_cf
from tutela_app.models import Accesso, Case, Person, Tenant
from tutela_app.services import audit

MAX_MATCHES = 10
OUTCOME_LABELS = {
    "informazione": "Informazione e orientamento",
    "invio": "Invio ad altro servizio",
    "presa_in_carico": "Presa in carico",
    "segnalazione_tm": "Segnalazione alla Tutela Minori",
}


@dataclass
class PersonMatch:
    """A candidate person for linking, with what the operator needs to recognise them."""

    person_id: int
    full_name: str
    birth_date: str
    identifier: str
    matched_by: str  # "codice_fiscale" | "nome_e_data"
    accessi: list[str] = field(default_factory=list)
    open_cases: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "person_id": self.person_id,
            "full_name": self.full_name,
            "birth_date": self.birth_date,
            "identifier": self.identifier,
            "matched_by": "codice fiscale" if self.matched_by == "codice_fiscale" else "nome e data di nascita",
            "accessi": "; ".join(self.accessi) or "Nessun accesso precedente",
            "open_cases": "; ".join(self.open_cases) or "Nessun caso aperto",
        }


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "data non indicata"


def _history(session: Session, person: Person) -> tuple[list[str], list[str]]:
    accessi = session.exec(
        select(Accesso)
        .where(Accesso.tenant_id == person.tenant_id, Accesso.person_id == person.id, Accesso.status == "confermato")
        .order_by(Accesso.started_at.desc())
        .limit(5)
    ).all()
    cases = session.exec(
        select(Case).where(
            Case.tenant_id == person.tenant_id, Case.subject_person_id == person.id, Case.stage != CLOSED
        )
    ).all()
    acc = [
        f"{a.number} del {a.started_at.strftime('%d/%m/%Y')} ({OUTCOME_LABELS.get(a.outcome or '', 'esito non indicato')})"
        for a in accessi
    ]
    open_cases = [
        f"{c.number} {SERVICE_LABELS.get(ServiceKind(c.service), c.service)} – {STAGE_LABELS.get(c.stage, c.stage)}"
        for c in cases
    ]
    return acc, open_cases


def search_persons(
    session: Session,
    actor: Actor,
    tenant_id: int,
    *,
    codice_fiscale: str | None = None,
    surname: str | None = None,
    given_name: str | None = None,
    birth_date: date | None = None,
) -> list[PersonMatch]:
    """Persons of ``tenant_id`` with this codice fiscale, or this surname + name + birth date."""
    perm.require(actor, "person.search", tenant_id)
    found: dict[int, tuple[Person, str]] = {}
    code = normalize_cf(codice_fiscale) if isinstance(codice_fiscale, str) else ""
    if code and validate_cf(code).valid:
        for p in session.exec(select(Person).where(Person.tenant_id == tenant_id, Person.codice_fiscale == code)):
            found[p.id] = (p, "codice_fiscale")
    if (
        isinstance(surname, str) and surname.strip() and isinstance(given_name, str) and given_name.strip()
        and isinstance(birth_date, date)
    ):
        rows = session.exec(
            select(Person)
            .where(
                Person.tenant_id == tenant_id,
                func.lower(Person.surname) == surname.strip().lower()[:120],
                func.lower(Person.given_name) == given_name.strip().lower()[:120],
                Person.birth_date == birth_date,
            )
            .limit(MAX_MATCHES)
        ).all()
        for p in rows:
            found.setdefault(p.id, (p, "nome_e_data"))
    matches: list[PersonMatch] = []
    for person, how in list(found.values())[:MAX_MATCHES]:
        accessi, cases = _history(session, person)
        audit.record(session, actor, "read", "person", person.id, tenant_id=tenant_id, person_id=person.id,
                     detail=f"intake_search:{how}")
        matches.append(
            PersonMatch(
                person_id=person.id,
                full_name=f"{person.surname} {person.given_name}",
                birth_date=_fmt(person.birth_date),
                identifier=person.codice_fiscale or person.provisional_id or "",
                matched_by=how,
                accessi=accessi,
                open_cases=cases,
            )
        )
    return matches


def get_person_in_tenant(session: Session, tenant_id: int, person_id: int) -> Person | None:
    person = session.get(Person, person_id)
    return person if person is not None and person.tenant_id == tenant_id else None


def find_existing(
    session: Session, tenant_id: int, codice_fiscale: str | None, surname: str, given_name: str, birth_date: date | None
) -> Person | None:
    """The tenant's person with this code, else the one with the same name and birth date."""
    if codice_fiscale:
        p = session.exec(
            select(Person).where(Person.tenant_id == tenant_id, Person.codice_fiscale == codice_fiscale)
        ).first()
        if p is not None:
            return p
    if birth_date is None:
        return None
    return session.exec(
        select(Person).where(
            Person.tenant_id == tenant_id,
            func.lower(Person.surname) == surname.lower(),
            func.lower(Person.given_name) == given_name.lower(),
            Person.birth_date == birth_date,
        )
    ).first()


def new_provisional_id(session: Session, tenant: Tenant) -> str:
    """A provisional identifier not yet used in the tenant."""
    while True:
        candidate = provisional_identifier(tenant.code)
        taken = session.exec(
            select(Person.id).where(Person.tenant_id == tenant.id, Person.provisional_id == candidate)
        ).first()
        if taken is None:
            return candidate


def create_person(
    session: Session,
    actor: Actor,
    tenant: Tenant,
    *,
    surname: str,
    given_name: str,
    sex: str | None,
    birth_date: date | None,
    codice_fiscale: str | None = None,
    birthplace: str | None = None,
    address: str | None = None,
    residence_tenant_code: str | None = None,
) -> Person:
    """Insert a person (caller's transaction); without a code they get a provisional identifier."""
    perm.require(actor, "intake.use", tenant.id)
    person = Person(
        tenant_id=tenant.id,
        codice_fiscale=codice_fiscale or None,
        provisional_id=None if codice_fiscale else new_provisional_id(session, tenant),
        surname=surname[:120],
        given_name=given_name[:120],
        sex=sex if sex in ("M", "F") else None,
        birth_date=birth_date,
        birthplace=(birthplace or None) and birthplace[:120],
        address=(address or None) and address[:300],
        residence_tenant_code=residence_tenant_code,
    )
    session.add(person)
    session.flush()
    audit.record(session, actor, "create", "person", person.id, tenant_id=tenant.id, person_id=person.id,
                 detail="intake")
    return person
