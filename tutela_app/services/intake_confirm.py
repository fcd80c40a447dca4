"""Confirmation of an accesso: persons, household, ISEE and the outcome, in one transaction.

Outcomes:

* ``informazione``: nothing else;
* ``invio``: a tracked Referral to the named service (printable letter);
* ``presa_in_carico``: a Servizio Sociale Professionale case in stage ``valutazione`` with a
  first IndividualProject record;
* ``segnalazione_tm``: when the Comune buys Tutela Minori, a Tutela Minori case in stage
  ``segnalazione`` about the minor, linked to the household (plus a segnalazione referral
  recorded as taken up); otherwise a segnalazione Referral to the competent service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor
from tutela_app.domain import intake_flow as engine
from tutela_app.domain.intake_members import RELATIONS
from tutela_app.domain.intake_values import is_minor, parse_date
from tutela_app.models import (
    Case,
    CaseStageChange,
    Household,
    HouseholdMember,
    IndividualProject,
    IseeDeclaration,
    Person,
    Referral,
    Tenant,
    utcnow,
)
from tutela_app.services import audit
from tutela_app.services.intake import IntakeError, draft_for_write, flow_for, today_rome
from tutela_app.services.intake_view import wizard_view
from tutela_app.services.persons import create_person, find_existing, get_person_in_tenant

RELATIONSHIP_TEXT = {
    "coniuge": "coniuge/partner", "figlio": "figlio/a", "genitore": "genitore", "fratello": "fratello/sorella",
    "nonno": "nonno/a", "altro_parente": "altro parente", "altro": "convivente",
}
MSG_INCOMPLETE = "Mancano ancora delle risposte: completa l'intervista prima di confermare."
MSG_NO_MINOR = (
    "Per la segnalazione alla Tutela Minori serve il minore interessato: indica la persona come minorenne "
    "oppure aggiungi il minore nel nucleo familiare."
)


def _next_case_number(session: Session, tenant_id: int, prefix: str, year: int) -> str:
    head = f"{prefix}-{year}-"
    last = session.exec(
        select(func.max(Case.number)).where(Case.tenant_id == tenant_id, Case.number.like(f"{head}%"))
    ).one()
    tail = last[len(head):] if last else ""
    seq = int(tail) + 1 if tail.isdigit() else 1
    return f"{head}{seq:05d}"


def _main_person(session: Session, actor: Actor, tenant: Tenant, accesso, a: dict) -> Person:  # noqa: ANN001
    if accesso.person_id:
        person = get_person_in_tenant(session, tenant.id, accesso.person_id)
        if person is not None:
            return person
    cf = a.get("codice_fiscale") if a.get("has_cf") is True else None
    birth = parse_date(a.get("birth_date"))
    existing = find_existing(session, tenant.id, cf, a["surname"], a["name"], birth)
    if existing is not None:
        return existing
    residence = a.get("residence_comune")
    return create_person(
        session, actor, tenant, surname=a["surname"], given_name=a["name"], sex=a.get("sex"), birth_date=birth,
        codice_fiscale=cf, birthplace=a.get("birthplace"), address=a.get("residence_address"),
        residence_tenant_code=residence if residence != engine.OTHER_COMUNE else None,
    )


def _household(session: Session, actor: Actor, tenant: Tenant, person: Person, a: dict) -> tuple[int | None, list[Person]]:
    """Household of the person (existing or new) with the declared members; returns minors listed."""
    members = [m for m in a.get("members") or [] if isinstance(m, dict)]
    current = session.exec(
        select(HouseholdMember).where(HouseholdMember.person_id == person.id, HouseholdMember.until.is_(None))
    ).first()
    if not members and current is None:
        return None, []
    if current is not None:
        household_id = current.household_id
    else:
        hh = Household(tenant_id=tenant.id, label=f"Nucleo {person.surname}", address=a.get("residence_address"))
        session.add(hh)
        session.flush()
        household_id = hh.id
        session.add(HouseholdMember(household_id=household_id, person_id=person.id, relationship="richiedente",
                                    is_reference_person=True, since=today_rome()))
        audit.record(session, actor, "create", "household", household_id, tenant_id=tenant.id, person_id=person.id)
    in_household = set(session.exec(select(HouseholdMember.person_id).where(
        HouseholdMember.household_id == household_id, HouseholdMember.until.is_(None))).all())
    minors: list[Person] = []
    for m in members:
        birth = parse_date(m.get("data_nascita"))
        member = find_existing(session, tenant.id, m.get("codice_fiscale"), m["cognome"], m["nome"], birth) or \
            create_person(session, actor, tenant, surname=m["cognome"], given_name=m["nome"], sex=m.get("sesso"),
                          birth_date=birth, codice_fiscale=m.get("codice_fiscale"), address=a.get("residence_address"))
        if member.id not in in_household:
            session.add(HouseholdMember(household_id=household_id, person_id=member.id,
                                        relationship=RELATIONSHIP_TEXT.get(m.get("relazione"), "convivente"),
                                        since=today_rome()))
            in_household.add(member.id)
        if is_minor(m.get("data_nascita"), today_rome()) and m.get("relazione") in RELATIONS:
            minors.append(member)
    return household_id, minors


def _open_case(session: Session, actor: Actor, tenant: Tenant, *, service: str, stage: str, origin: str,
               subject: Person, household_id: int | None, accesso_id: int, summary: str | None) -> Case:
    today = today_rome()
    prefix = "TM" if service == "tutela_minori" else "SSP"
    case = Case(
        tenant_id=tenant.id, number=_next_case_number(session, tenant.id, prefix, today.year), service=service,
        stage=stage, origin=origin, subject_person_id=subject.id, household_id=household_id, accesso_id=accesso_id,
        summary=(summary or None) and summary[:4000], opened_on=today,
    )
    session.add(case)
    session.flush()
    session.add(CaseStageChange(case_id=case.id, tenant_id=tenant.id, from_stage=None, to_stage=stage,
                                changed_by=actor.staff_id, note="Aperto dallo sportello"))
    audit.record(session, actor, "create", "case", case.id, tenant_id=tenant.id, person_id=subject.id,
                 detail=f"from_accesso:{accesso_id}")
    return case


def _referral(session: Session, actor: Actor, tenant: Tenant, accesso_id: int, person: Person, dtype: str,
              name: str, segnalazione: bool, taken_up: bool | None = None) -> Referral:
    ref = Referral(tenant_id=tenant.id, accesso_id=accesso_id, person_id=person.id, destination_type=dtype,
                   destination_name=name[:200], is_segnalazione=segnalazione, taken_up=taken_up,
                   taken_up_on=today_rome() if taken_up else None)
    session.add(ref)
    session.flush()
    audit.record(session, actor, "create", "referral", ref.id, tenant_id=tenant.id, person_id=person.id)
    return ref


def _outcome(session: Session, actor: Actor, tenant: Tenant, accesso, a: dict, person: Person,  # noqa: ANN001
             household_id: int | None, minors: list[Person], day: date) -> None:
    outcome = a["outcome"]
    if outcome == "invio":
        _referral(session, actor, tenant, accesso.id, person, a["referral_service_type"], a["referral_destination"], False)
    elif outcome == "presa_in_carico":
        case = _open_case(session, actor, tenant, service="servizio_sociale", stage="valutazione",
                          origin="presa_in_carico", subject=person, household_id=household_id,
                          accesso_id=accesso.id, summary=a.get("need_description"))
        project = IndividualProject(case_id=case.id, tenant_id=tenant.id, objectives=(
            "Primo progetto individualizzato, da concordare con la persona. Richiesta espressa all'accesso: "
            + str(a.get("need_description") or ""))[:4000])
        session.add(project)
        session.flush()
        audit.record(session, actor, "create", "individual_project", project.id, tenant_id=tenant.id,
                     person_id=person.id)
    elif outcome == "segnalazione_tm":
        subject = person if is_minor(a.get("birth_date"), day) else (minors[0] if minors else None)
        if subject is None:
            raise IntakeError(MSG_NO_MINOR)
        if tenant.buys_tutela_minori:
            _open_case(session, actor, tenant, service="tutela_minori", stage="segnalazione", origin="segnalazione",
                       subject=subject, household_id=household_id, accesso_id=accesso.id,
                       summary=a.get("risk_details") or a.get("need_description"))
            _referral(session, actor, tenant, accesso.id, subject, "tutela_minori",
                      f"Servizio Tutela Minori - {tenant.name}", True, taken_up=True)
        else:
            _referral(session, actor, tenant, accesso.id, subject, "tutela_minori",
                      "Servizio Tutela Minori competente per territorio", True)


def confirm_accesso(session: Session, actor: Actor, accesso_id: Any, expected_version: Any) -> dict:
    """Confirm a complete draft; returns the wizard view of the confirmed accesso."""
    accesso, tenant = draft_for_write(session, actor, accesso_id, expected_version)
    day = today_rome()
    flow = flow_for(session, tenant)
    a = engine.prune_answers(flow, dict(accesso.answers or {}), day)
    if engine.next_question(flow, a, day) is not None or a.get("privacy_notice_given") is not True:
        raise IntakeError(MSG_INCOMPLETE)
    person = _main_person(session, actor, tenant, accesso, a)
    household_id, minors = _household(session, actor, tenant, person, a)
    if a.get("isee_relevant") is True:
        isee = IseeDeclaration(
            tenant_id=tenant.id, person_id=person.id, accesso_id=accesso.id, value_eur=float(a["isee_value"]),
            dsu_protocol=str(a.get("isee_dsu_protocol") or "non indicato")[:60], isee_type=a["isee_type"],
            expires_on=parse_date(a["isee_expiry"]) or day,
        )
        session.add(isee)
    _outcome(session, actor, tenant, accesso, a, person, household_id, minors, day)
    accesso.person_id = person.id
    accesso.household_id = household_id
    accesso.status = "confermato"
    accesso.outcome = a["outcome"]
    accesso.answers = a
    accesso.current_question = None
    accesso.risk_to_minor = engine.risk_assessment(a).at_risk
    accesso.last_operator_id = actor.staff_id
    accesso.confirmed_at = accesso.updated_at = utcnow()
    session.add(accesso)
    session.flush()
    audit.record(session, actor, "update", "accesso", accesso.id, tenant_id=tenant.id, person_id=person.id,
                 detail=f"confirm:{accesso.outcome}")
    return wizard_view(session, accesso, tenant, flow, day)
