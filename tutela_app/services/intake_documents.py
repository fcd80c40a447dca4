"""Printable documents of the front desk: scheda di accesso and referral letters (audited exports)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain import intake_flow as engine
from tutela_app.models import Accesso, Case, Person, Referral, Staff
from tutela_app.reports.intake_pdf import LetterData, SchedaData, referral_letter_pdf, scheda_accesso_pdf
from tutela_app.services import audit
from tutela_app.services.intake import ROME, flow_for, get_accesso
from tutela_app.services.persons import OUTCOME_LABELS
from tutela_app.services.referrals import DESTINATION_LABELS, get_referral


def _person_line(person: Person | None) -> tuple[str, str, str]:
    if person is None:
        return "Persona non indicata", "", ""
    born = person.birth_date.strftime("%d/%m/%Y") if person.birth_date else "data non indicata"
    return f"{person.surname} {person.given_name}", born, person.codice_fiscale or person.provisional_id or ""


def scheda_pdf(session: Session, actor: Actor, accesso_id: Any) -> tuple[bytes, str]:
    """(PDF bytes, file name) of a confirmed accesso."""
    accesso, tenant = get_accesso(session, actor, accesso_id)
    if accesso.status != "confermato" or accesso.confirmed_at is None:
        raise NotFoundOrForbidden
    flow = flow_for(session, tenant)
    day = accesso.confirmed_at.astimezone(ROME).date()
    person = session.get(Person, accesso.person_id) if accesso.person_id else None
    name, _born, ident = _person_line(person)
    operator = session.get(Staff, accesso.last_operator_id or accesso.operator_id)
    follow: list[str] = []
    for ref in accesso_referrals(session, accesso):
        follow.append(("Segnalazione a " if ref.is_segnalazione else "Invio a ") + ref.destination_name)
    case = session.exec(select(Case).where(Case.accesso_id == accesso.id)).first()
    if case is not None:
        follow.append(f"Aperto il caso {case.number}")
    data = SchedaData(
        number=accesso.number, tenant_name=tenant.name, confirmed_on=accesso.confirmed_at.astimezone(ROME).strftime(
            "%d/%m/%Y %H:%M"), operator=operator.display_name if operator else "", person=name, identifier=ident,
        outcome=OUTCOME_LABELS.get(accesso.outcome or "", ""), rows=engine.summary(flow, accesso.answers or {}, day),
        follow_up=follow,
    )
    audit.record(session, actor, "export", "accesso", accesso.id, tenant_id=tenant.id, person_id=accesso.person_id,
                 detail="scheda_pdf")
    return scheda_accesso_pdf(data), f"scheda-accesso-{accesso.number}.pdf"


def accesso_referrals(session: Session, accesso: Accesso) -> list[Referral]:
    return list(session.exec(select(Referral).where(Referral.accesso_id == accesso.id).order_by(Referral.id)))


def letter_pdf(session: Session, actor: Actor, referral_id: Any) -> tuple[bytes, str]:
    """(PDF bytes, file name) of the letter accompanying a referral or segnalazione."""
    ref = get_referral(session, actor, referral_id, action="intake.use")
    accesso, tenant = get_accesso(session, actor, ref.accesso_id)
    person = session.get(Person, ref.person_id) if ref.person_id else None
    name, born, ident = _person_line(person)
    answers = accesso.answers or {}
    operator = session.get(Staff, accesso.last_operator_id or accesso.operator_id)
    data = LetterData(
        tenant_name=tenant.name, date=ref.created_at.astimezone(ROME).strftime("%d/%m/%Y"),
        destination_type=DESTINATION_LABELS.get(ref.destination_type, ref.destination_type),
        destination_name=ref.destination_name, person=name, birth_date=born, identifier=ident,
        accesso_number=accesso.number, need=str(answers.get("need_description") or ""),
        operator=operator.display_name if operator else "", segnalazione=ref.is_segnalazione,
        reasons=engine.risk_assessment(answers).reasons, details=str(answers.get("risk_details") or ""),
    )
    audit.record(session, actor, "export", "referral", ref.id, tenant_id=tenant.id, person_id=ref.person_id,
                 detail="letter_pdf")
    kind = "segnalazione" if ref.is_segnalazione else "invio"
    return referral_letter_pdf(data), f"{kind}-{accesso.number}.pdf"
