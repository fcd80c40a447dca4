"""Board cards: small display DTOs (no full names) built from the visible rows only."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, select

from tutela_app.domain import deadlines
from tutela_app.domain.measures import MeasureType
from tutela_app.models import CaseAssignment, Staff, Tenant
from tutela_app.services.case_access import PROFESSION_SHORT, age_on, initials

URGENCY_LABELS = {"overdue": "Scaduta", "this_week": "Questa settimana", "later": "Più avanti"}


def measure_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return MeasureType(code).label
    except ValueError:
        return code


def urgency_of(due: datetime | None, now: datetime) -> str:
    return deadlines.urgency(due, now) if due is not None else ""


def _teams(session: Session, case_ids: list[int], responsible: dict[int, int | None]) -> dict[int, str]:
    """'G.B. (AS, resp.) · L.V. (Psi)' per case, from one query over the visible cases."""
    if not case_ids:
        return {}
    rows = session.exec(
        select(CaseAssignment.case_id, Staff.id, Staff.display_name, Staff.profession)
        .join(Staff, Staff.id == CaseAssignment.staff_id)  # type: ignore[arg-type]
        .where(CaseAssignment.case_id.in_(case_ids), CaseAssignment.until.is_(None))  # type: ignore[attr-defined, union-attr]
        .order_by(CaseAssignment.case_id, Staff.display_name)
    ).all()
    members: dict[int, dict[int, str]] = defaultdict(dict)
    for case_id, staff_id, name, profession in rows:
        parts = (name or "").split()
        short = initials(parts[0] if parts else "", parts[-1] if len(parts) > 1 else "").replace(" ", "")
        tag = PROFESSION_SHORT.get(profession or "", "")
        if responsible.get(case_id) == staff_id:
            tag = f"{tag}, resp." if tag else "resp."
        members[case_id][staff_id] = f"{short} ({tag})" if tag else short
    return {cid: " · ".join(m.values()) for cid, m in members.items()}


def build_cards(session: Session, rows: list, now: datetime) -> list[dict]:
    """One DTO per row, in the same order. Rows come from ``cases._column_rows``."""
    case_ids = [r.id for r in rows]
    tenant_ids = sorted({r.tenant_id for r in rows})
    names = dict(session.exec(select(Tenant.id, Tenant.name).where(Tenant.id.in_(tenant_ids))).all()) if tenant_ids else {}  # type: ignore[union-attr]
    teams = _teams(session, case_ids, {r.id: r.responsible_staff_id for r in rows})
    today = now.astimezone(deadlines.ROME).date()
    cards = []
    for r in rows:
        age = age_on(r.birth_date, today)
        urgency = urgency_of(r.next_deadline_at, now)
        due = r.next_deadline_at.astimezone(deadlines.ROME).strftime("%d/%m/%Y") if r.next_deadline_at else ""
        cards.append({
            "id": str(r.id),
            "number": r.number,
            "stage": r.stage,
            "version": str(r.version),
            "initials": initials(r.given_name, r.surname),
            "age": f"{age} anni" if age is not None else "età n.d.",
            "tenant": names.get(r.tenant_id, ""),
            "team": teams.get(r.id, "Nessun operatore assegnato"),
            "measure": measure_label(r.current_measure_type),
            "deadline": due,
            "urgency": urgency,
            "urgency_label": URGENCY_LABELS.get(urgency, ""),
        })
    return cards
