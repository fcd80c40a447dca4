"""Retention (per Comune) and the data subject's right of access (GDPR art. 15).

* :func:`retention_report` is a dry run: which closed case files, confirmed accessi and
  persons have passed the Comune's retention period. It reports counts and ids only
  (never names) and changes nothing.
* :func:`set_retention_years` changes a Comune's retention period (optimistic locking).
* :func:`export_person_data` (in ``privacy_export``) gathers everything about one person.

All are permission-gated (``privacy.retention`` / ``privacy.subject_export``) and audited.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden, require, tenants_for
from tutela_app.models import (
    Accesso,
    Case,
    HouseholdMember,
    IseeDeclaration,
    Person,
    Referral,
    Tenant,
    utcnow,
)
from tutela_app.services import audit
from tutela_app.services.case_access import EditConflict, InvalidInput, check_id

MIN_RETENTION_YEARS = 1
MAX_RETENTION_YEARS = 100


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _tenant(session: Session, actor: Actor | None, tenant_id: object, action: str) -> Tenant:
    tid = check_id(tenant_id)
    require(actor, action, tid)
    tenant = session.get(Tenant, tid)
    if tenant is None:
        raise NotFoundOrForbidden
    return tenant


def retention_settings(session: Session, actor: Actor | None) -> list[dict]:
    """The retention period of every Comune the actor administers."""
    ids = tenants_for(actor, "privacy.retention")
    if not ids:
        return []
    rows = session.execute(select(Tenant).where(Tenant.id.in_(ids)).order_by(Tenant.code)).scalars().all()
    return [{"tenant_id": t.id, "code": t.code, "retention_years": t.retention_years, "version": t.version} for t in rows]


def set_retention_years(session: Session, actor: Actor | None, tenant_id: object, years: object,
                        expected_version: object) -> dict:
    tenant = _tenant(session, actor, tenant_id, "privacy.retention")
    if isinstance(years, bool) or not isinstance(years, (int, str)) or not str(years).strip().isdigit():
        raise InvalidInput({"retention_years": "Indica un numero intero di anni."})
    value = int(str(years).strip())
    if not MIN_RETENTION_YEARS <= value <= MAX_RETENTION_YEARS:
        raise InvalidInput({"retention_years": f"Il periodo va da {MIN_RETENTION_YEARS} a {MAX_RETENTION_YEARS} anni."})
    if tenant.version != check_id(expected_version):
        raise EditConflict({"Anni di conservazione": str(tenant.retention_years)}, tenant.version)
    tenant.retention_years, tenant.updated_at = value, utcnow()
    session.add(tenant)
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        fresh = session.get(Tenant, tenant.id)
        raise EditConflict({"Anni di conservazione": str(fresh.retention_years if fresh else "")},
                           fresh.version if fresh else 0) from exc
    audit.record(session, actor, "update", "tenant", tenant.id, tenant_id=tenant.id, detail=f"retention_years={value}")
    return {"retention_years": value, "version": tenant.version}


def _ids(session: Session, stmt) -> list[int]:  # noqa: ANN001
    return sorted(int(i) for i in session.execute(stmt).scalars().all())


def retention_report(session: Session, actor: Actor | None, tenant_id: object, today: date | None = None) -> dict:
    """Dry run of the retention rule for one Comune: counts and ids, nothing changed."""
    tenant = _tenant(session, actor, tenant_id, "privacy.retention")
    today = today or datetime.now(UTC).date()
    cutoff = _years_before(today, tenant.retention_years)
    cutoff_at = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC)
    tid = tenant.id
    expiring_cases = _ids(session, select(Case.id).where(
        Case.tenant_id == tid, Case.closed_on.is_not(None), Case.closed_on < cutoff))
    retained_case_accessi = select(Case.accesso_id).where(
        Case.tenant_id == tid, Case.accesso_id.is_not(None), Case.id.not_in(expiring_cases or [0]))
    expiring_accessi = _ids(session, select(Accesso.id).where(
        Accesso.tenant_id == tid, Accesso.status == "confermato", Accesso.confirmed_at < cutoff_at,
        Accesso.id.not_in(retained_case_accessi)))
    orphans = _orphans(session, tid, expiring_cases, expiring_accessi)
    audit.record(session, actor, "read", "retention_report", tid, tenant_id=tid,
                 detail=f"cases={len(expiring_cases)} accessi={len(expiring_accessi)} persons={len(orphans)}")
    return {
        "tenant_id": tid,
        "tenant_code": tenant.code,
        "retention_years": tenant.retention_years,
        "cutoff": cutoff.isoformat(),
        "dry_run": True,
        "cases_to_archive": {"count": len(expiring_cases), "ids": expiring_cases},
        "accessi_to_delete": {"count": len(expiring_accessi), "ids": expiring_accessi},
        "persons_without_records": {"count": len(orphans), "ids": orphans},
    }


def _orphans(session: Session, tid: int, expiring_cases: list[int], expiring_accessi: list[int]) -> list[int]:
    """Persons of the tenant with no record left once the expiring ones are gone."""
    live_cases = select(Case).where(Case.tenant_id == tid, Case.id.not_in(expiring_cases or [0])).subquery()
    live_accessi = select(Accesso).where(Accesso.tenant_id == tid, Accesso.id.not_in(expiring_accessi or [0])).subquery()
    kept_households = select(live_cases.c.household_id).union(select(live_accessi.c.household_id))
    kept = or_(
        Person.id.in_(select(live_cases.c.subject_person_id)),
        Person.id.in_(select(live_accessi.c.person_id).where(live_accessi.c.person_id.is_not(None))),
        Person.id.in_(select(Referral.person_id).where(
            Referral.person_id.is_not(None), Referral.accesso_id.in_(select(live_accessi.c.id)))),
        Person.id.in_(select(HouseholdMember.person_id).where(HouseholdMember.household_id.in_(kept_households))),
        Person.id.in_(select(IseeDeclaration.person_id).where(
            or_(IseeDeclaration.accesso_id.is_(None), IseeDeclaration.accesso_id.in_(select(live_accessi.c.id))))),
    )
    return _ids(session, select(Person.id).where(Person.tenant_id == tid, ~kept))
