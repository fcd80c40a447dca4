"""Referrals (invii) and segnalazioni made at the front desk, and whether they were taken up."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import Accesso, Person, Referral, Tenant, utcnow
from tutela_app.services import audit
from tutela_app.services.intake import IntakeError, VersionConflict, today_rome

MAX_ROWS = 50
DESTINATION_LABELS = {
    "sociale": "Sociale", "socio_sanitario": "Socio-sanitario", "lavoro": "Lavoro", "casa": "Casa",
    "tempo_libero": "Tempo libero", "tutela_minori": "Tutela Minori",
}


def _status(r: Referral) -> str:
    if r.taken_up is None:
        return "In attesa di riscontro"
    when = r.taken_up_on.strftime("%d/%m/%Y") if r.taken_up_on else ""
    return f"Preso in carico il {when}" if r.taken_up else f"Non preso in carico ({when})" if when else "Non preso in carico"


def list_referrals(session: Session, actor: Actor, *, pending_only: bool = False) -> list[dict]:
    """Latest referrals of the actor's Comuni (the person's name is shown to the operator)."""
    tenants = perm.tenants_for(actor, "referral.update")
    if not tenants:
        return []
    query = (
        select(Referral, Accesso.number, Tenant.name, Person.surname, Person.given_name)
        .join(Accesso, Accesso.id == Referral.accesso_id)
        .join(Tenant, Tenant.id == Referral.tenant_id)
        .outerjoin(Person, Person.id == Referral.person_id)
        .where(Referral.tenant_id.in_(tenants))
    )
    if pending_only:
        query = query.where(Referral.taken_up.is_(None))
    rows = session.exec(query.order_by(Referral.created_at.desc(), Referral.id.desc()).limit(MAX_ROWS)).all()
    return [
        {
            "id": str(r.id), "version": str(r.version), "accesso": number, "tenant": tenant,
            "person": f"{surname or ''} {given or ''}".strip() or "Persona non indicata",
            "kind": "Segnalazione" if r.is_segnalazione else "Invio",
            "destination": f"{DESTINATION_LABELS.get(r.destination_type, r.destination_type)}: {r.destination_name}",
            "created": r.created_at.strftime("%d/%m/%Y"), "status": _status(r), "pending": r.taken_up is None,
        }
        for r, number, tenant, surname, given in rows
    ]


def get_referral(session: Session, actor: Actor, referral_id: Any, action: str = "referral.update") -> Referral:
    if isinstance(referral_id, bool) or not isinstance(referral_id, int) or referral_id <= 0:
        raise NotFoundOrForbidden
    ref = session.get(Referral, referral_id)
    if ref is None or not perm.can(actor, action, ref.tenant_id):
        raise NotFoundOrForbidden
    return ref


def mark_referral(
    session: Session, actor: Actor, referral_id: Any, taken_up: Any, on: Any, expected_version: Any
) -> dict:
    """Record whether the destination took the person on, and when."""
    ref = get_referral(session, actor, referral_id)
    if not isinstance(taken_up, bool):
        raise IntakeError("Indica se l'invio è stato preso in carico oppure no.")
    if not isinstance(on, date):
        raise IntakeError("Data non valida: usa il formato gg/mm/aaaa.")
    if on > today_rome():
        raise IntakeError("La data non può essere nel futuro.")
    if on < ref.created_at.date():
        raise IntakeError("La data non può essere precedente all'invio.")
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise IntakeError("Versione non valida: ricarica la pagina.")
    if ref.version != expected_version:
        raise VersionConflict(theirs=ref.version, yours=expected_version)
    ref.taken_up = taken_up
    ref.taken_up_on = on
    ref.updated_at = utcnow()
    session.add(ref)
    session.flush()
    audit.record(session, actor, "update", "referral", ref.id, tenant_id=ref.tenant_id, person_id=ref.person_id,
                 detail=f"taken_up={taken_up}")
    return {"id": str(ref.id), "status": _status(ref)}
