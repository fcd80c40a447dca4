"""Small factories for the case services tests: two Comuni, an équipe, a coordinator, cases."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from tutela_app.auth.permissions import Actor
from tutela_app.models import (
    Case,
    CaseAssignment,
    DiaryEntry,
    Household,
    HouseholdMember,
    NetworkContact,
    Person,
    RoleGrant,
    Staff,
    Tenant,
    utcnow,
)

_seq = itertools.count(1)


@dataclass
class World:
    demo: int
    other: int
    as_demo: Actor  # équipe member (assistente sociale) of demo
    psi_demo: Actor  # équipe member (psicologo) of demo
    edu_demo: Actor  # équipe member of demo, assigned to nothing
    coord: Actor  # coordinator of demo
    coord_other: Actor  # coordinator of the other Comune only
    cases: dict[str, int] = field(default_factory=dict)


def _tenant(session: Session, code: str) -> int:
    t = Tenant(code=code, name=f"Comune {code.title()}", buys_tutela_minori=True, buys_segretariato=True)
    session.add(t)
    session.flush()
    return t.id  # type: ignore[return-value]


def _staff(session: Session, name: str, profession: str | None, grants: dict[int, str]) -> Actor:
    s = Staff(issuer="urn:test", subject=f"s-{next(_seq)}", display_name=name, profession=profession)
    session.add(s)
    session.flush()
    for tenant_id, role in grants.items():
        session.add(RoleGrant(staff_id=s.id, tenant_id=tenant_id, role=role, source="app"))
    session.flush()
    return Actor(staff_id=s.id, display_name=name, profession=profession,  # type: ignore[arg-type]
                 roles_by_tenant={t: frozenset({r}) for t, r in grants.items()})


def make_case(session: Session, tenant_id: int, *, given: str = "Mario", surname: str = "Rossi",
              stage: str = "segnalazione", service: str = "tutela_minori", team: tuple[int, ...] = (),
              responsible: int | None = None, deadline: datetime | None = None, measure: str | None = None,
              birth: date = date(2014, 5, 2)) -> int:
    n = next(_seq)
    child = Person(tenant_id=tenant_id, provisional_id=f"P-{n}", surname=surname, given_name=given, birth_date=birth)
    session.add(child)
    session.flush()
    household = Household(tenant_id=tenant_id, label=f"Nucleo {surname}")
    session.add(household)
    session.flush()
    mother = Person(tenant_id=tenant_id, provisional_id=f"M-{n}", surname=surname, given_name="Anna", birth_date=date(1985, 1, 1))
    session.add(mother)
    session.flush()
    session.add(HouseholdMember(household_id=household.id, person_id=child.id, relationship="figlio"))  # type: ignore[arg-type]
    session.add(HouseholdMember(household_id=household.id, person_id=mother.id, relationship="madre", is_reference_person=True))  # type: ignore[arg-type]
    case = Case(tenant_id=tenant_id, number=f"TM-2026-{n:05d}", service=service, stage=stage, origin="segnalazione",
                subject_person_id=child.id, household_id=household.id, responsible_staff_id=responsible,  # type: ignore[arg-type]
                opened_on=date(2026, 1, 10), next_deadline_at=deadline, current_measure_type=measure)
    session.add(case)
    session.flush()
    for staff_id in team:
        session.add(CaseAssignment(case_id=case.id, staff_id=staff_id, role_in_case="equipe", since=date(2026, 1, 10)))  # type: ignore[arg-type]
    session.flush()
    return case.id  # type: ignore[return-value]


def build_world(session: Session) -> World:
    demo, other = _tenant(session, "demo"), _tenant(session, "altro")
    as_demo = _staff(session, "Giulia Bianchi", "assistente_sociale", {demo: "equipe"})
    psi = _staff(session, "Luca Verdi", "psicologo", {demo: "equipe"})
    edu = _staff(session, "Sara Rossi", "educatore", {demo: "equipe"})
    coord = _staff(session, "Franco Ferrari", "assistente_sociale", {demo: "coordinatore"})
    coord_other = _staff(session, "Olga Neri", "assistente_sociale", {other: "coordinatore"})
    w = World(demo, other, as_demo, psi, edu, coord, coord_other)
    now = utcnow()
    w.cases["mine"] = make_case(session, demo, given="Mario", surname="Rossi", stage="indagine",
                                team=(as_demo.staff_id, psi.staff_id), deadline=now - timedelta(days=1),
                                measure="affido_familiare")
    w.cases["mine_resp"] = make_case(session, demo, given="Lucia", surname="Esposito", stage="segnalazione",
                                     responsible=as_demo.staff_id, deadline=now + timedelta(days=3))
    w.cases["not_mine"] = make_case(session, demo, given="Paolo", surname="Conti", stage="indagine",
                                    team=(psi.staff_id,), deadline=now + timedelta(days=40))
    w.cases["other_comune"] = make_case(session, other, given="Nina", surname="Galli", stage="indagine",
                                        team=(as_demo.staff_id,))
    session.add(NetworkContact(case_id=w.cases["mine"], tenant_id=demo, kind="scuola", organisation="IC Manzoni",
                               is_key=True, last_contact_on=date.today() - timedelta(days=400)))
    session.add(NetworkContact(case_id=w.cases["mine"], tenant_id=demo, kind="risorsa_informale", organisation="Vicina",
                               is_key=False, last_contact_on=date.today() - timedelta(days=400)))
    session.add(DiaryEntry(case_id=w.cases["mine"], tenant_id=demo, occurred_on=date(2026, 2, 1), tag="valutazione",
                           text="Colloquio psicologico: SEGRETO-PSI", method="colloquio clinico",
                           author_id=psi.staff_id, author_profession="psicologo", restricted_to_profession=True))
    session.add(DiaryEntry(case_id=w.cases["mine"], tenant_id=demo, occurred_on=date(2026, 2, 2), tag="fatto",
                           text="Visita domiciliare svolta", author_id=as_demo.staff_id, author_profession="assistente_sociale"))
    session.flush()
    return w
