"""Reading the audit log: filtered, scoped to the actor's Comuni, paged, exported as CSV.

Scope: events of the tenants where the actor holds ``audit.view``, plus tenant-less
events (login, logout) of staff who hold a role in one of those tenants. Searching and
exporting are themselves audited.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import AuditEvent, RoleGrant, Staff, Tenant
from tutela_app.services import audit
from tutela_app.services.staff import InvalidRequest

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000
LOCAL_TZ = ZoneInfo("Europe/Rome")
ENTITY_TYPE_RE = re.compile(r"^[a-z][a-z_]{0,39}$")
ENTITY_ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,40}$")
MAX_ID = 2**63 - 1
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class AuditFilters:
    person_id: int | None = None
    staff_id: int | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def parse(cls, raw: Any) -> AuditFilters:
        """Validate untrusted form data (strings) into filters; :class:`InvalidRequest` on error."""
        if not isinstance(raw, dict):
            raise InvalidRequest("Filtri non validi.")

        def text(name: str) -> str:
            value = raw.get(name, "")
            if value is None:
                return ""
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise InvalidRequest("Filtri non validi.")
            return str(value).strip()[:100]

        def ident(name: str, label: str) -> int | None:
            value = text(name)
            if not value:
                return None
            if not value.isdigit() or not 0 < int(value) <= MAX_ID:
                raise InvalidRequest(f"{label}: inserisci un numero identificativo valido.")
            return int(value)

        def day(name: str, label: str) -> date | None:
            value = text(name)
            if not value:
                return None
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                raise InvalidRequest(f"{label}: data non valida (usa il formato AAAA-MM-GG).") from None
            if parsed < EARLIEST or parsed > date.today() + timedelta(days=1):
                raise InvalidRequest(f"{label}: data fuori dall'intervallo ammesso.")
            return parsed

        entity_type = text("entity_type") or None
        if entity_type is not None and not ENTITY_TYPE_RE.match(entity_type):
            raise InvalidRequest("Tipo di record non valido.")
        entity_id = text("entity_id") or None
        if entity_id is not None:
            if not ENTITY_ID_RE.match(entity_id):
                raise InvalidRequest("Identificativo del record non valido.")
            if entity_type is None:
                raise InvalidRequest("Per cercare un record indica anche il tipo di record.")
        action = text("action") or None
        if action is not None and action not in audit.ACTIONS:
            raise InvalidRequest("Azione non valida.")
        filters = cls(
            person_id=ident("person_id", "Persona"),
            staff_id=ident("staff_id", "Operatore"),
            entity_type=entity_type,
            entity_id=entity_id,
            action=action,
            date_from=day("date_from", "Dal"),
            date_to=day("date_to", "Al"),
        )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise InvalidRequest("Il periodo non è valido: la data iniziale è successiva a quella finale.")
        return filters

    def summary(self) -> str:
        """Codes only (ids and dates), for the audit trail of the audit log."""
        parts = [f"{k}={v}" for k, v in self.__dict__.items() if v is not None]
        return " ".join(parts)[:400] or "all"


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    session_ref: str
    tenant_code: str
    action: str
    entity_type: str
    entity_id: str
    person_id: int | None
    detail: str

    @property
    def at_local(self) -> str:
        return self.at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S")


def _scope(actor: Actor) -> frozenset[int]:
    tenants = perm.tenants_for(actor, "audit.view")
    if not tenants:
        raise NotFoundOrForbidden
    return tenants


def _local_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)


def _conditions(scope: frozenset[int], filters: AuditFilters) -> list:
    staff_in_scope = select(RoleGrant.staff_id).where(RoleGrant.tenant_id.in_(scope))
    conds: list = [
        or_(
            AuditEvent.tenant_id.in_(scope),
            and_(AuditEvent.tenant_id.is_(None), AuditEvent.actor_id.in_(staff_in_scope)),
        )
    ]
    if filters.person_id is not None:
        conds.append(AuditEvent.person_id == filters.person_id)
    if filters.staff_id is not None:
        conds.append(AuditEvent.actor_id == filters.staff_id)
    if filters.entity_type is not None:
        conds.append(AuditEvent.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        conds.append(AuditEvent.entity_id == filters.entity_id)
    if filters.action is not None:
        conds.append(AuditEvent.action == filters.action)
    if filters.date_from is not None:
        conds.append(AuditEvent.at >= _local_start(filters.date_from))
    if filters.date_to is not None:
        conds.append(AuditEvent.at < _local_start(filters.date_to + timedelta(days=1)))
    return conds


def _rows(session: Session, conds: list, offset: int, limit: int) -> list[AuditRow]:
    result = session.exec(
        select(AuditEvent, Staff.display_name, Tenant.code)
        .join(Staff, Staff.id == AuditEvent.actor_id, isouter=True)
        .join(Tenant, Tenant.id == AuditEvent.tenant_id, isouter=True)
        .where(*conds)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        AuditRow(
            id=e.id,
            at=e.at,
            actor_id=e.actor_id,
            actor_name=name or "",
            session_ref=e.session_ref or "",
            tenant_code=code or "",
            action=e.action,
            entity_type=e.entity_type,
            entity_id=e.entity_id or "",
            person_id=e.person_id,
            detail=e.detail or "",
        )
        for e, name, code in result
    ]


def search_audit(
    session: Session, actor: Actor, filters: AuditFilters, page: Any = 0, *, record_read: bool = True
) -> tuple[list[AuditRow], int]:
    """One page (``PAGE_SIZE`` rows, newest first) and the total count."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 0 or page > 1_000_000:
        raise InvalidRequest("Pagina non valida.")
    scope = _scope(actor)
    conds = _conditions(scope, filters)
    total = session.exec(select(func.count(AuditEvent.id)).where(*conds)).one()
    rows = _rows(session, conds, page * PAGE_SIZE, PAGE_SIZE)
    if record_read:
        audit.record(session, actor, "read", "audit_log", detail=filters.summary())
    return rows, total


def staff_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Staff holding a role in the actor's audit tenants (for the "operatore" filter)."""
    scope = _scope(actor)
    rows = session.exec(
        select(Staff.id, Staff.display_name)
        .where(Staff.id.in_(select(RoleGrant.staff_id).where(RoleGrant.tenant_id.in_(scope))))
        .order_by(Staff.display_name, Staff.id)
    ).all()
    return [(i, n) for i, n in rows]


CSV_HEADER = [
    "id",
    "data_ora_utc",
    "operatore_id",
    "operatore",
    "sessione",
    "comune",
    "azione",
    "tipo_record",
    "id_record",
    "persona_id",
    "dettaglio",
]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # CSV/formula injection: a spreadsheet must never evaluate a cell
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def export_audit_csv(session: Session, actor: Actor, filters: AuditFilters) -> tuple[str, int]:
    """CSV (UTF-8 with BOM for spreadsheet programs, ``;`` separated) and its row count."""
    scope = _scope(actor)
    conds = _conditions(scope, filters)
    rows = _rows(session, conds, 0, EXPORT_MAX_ROWS)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    r.id,
                    r.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    r.actor_id,
                    r.actor_name,
                    r.session_ref,
                    r.tenant_code,
                    r.action,
                    r.entity_type,
                    r.entity_id,
                    r.person_id,
                    r.detail,
                )
            ]
        )
    audit.record(session, actor, "export", "audit_log", detail=f"rows={len(rows)} {filters.summary()}")
    return out.getvalue(), len(rows)
