"""Board filters: validated input and the SQL conditions they produce (allowlisted only)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor
from tutela_app.domain import case_workflow as wf
from tutela_app.domain.measures import MeasureType
from tutela_app.models import Case, CaseAssignment, Person
from tutela_app.services.case_access import visible_cases

DEADLINE_FILTERS = {
    "scaduta": "Scaduta",
    "settimana": "Entro 7 giorni",
    "oltre": "Più avanti",
    "nessuna": "Nessuna scadenza",
}
_NUMBERISH = re.compile(r"\d")


class BoardFilters(BaseModel):
    """What the board is asked to show. Unknown keys and values are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    service: Literal["tutela_minori", "servizio_sociale"] = "tutela_minori"
    tenant_id: int | None = Field(default=None, gt=0)
    staff_id: int | None = Field(default=None, gt=0)
    stage: str = ""
    measure_type: str = ""
    deadline: Literal["", "scaduta", "settimana", "oltre", "nessuna"] = ""
    q: str = Field(default="", max_length=80)

    @field_validator("measure_type")
    @classmethod
    def _known_measure(cls, value: str) -> str:
        if value and value not in {m.value for m in MeasureType}:
            raise ValueError("misura sconosciuta")
        return value

    @model_validator(mode="after")
    def _known_stage(self) -> BoardFilters:
        if self.stage and self.stage not in wf.stages(self.service):
            raise ValueError("fase sconosciuta per il servizio")
        return self


def needs_person_join(filters: BoardFilters) -> bool:
    return bool(filters.q) and not _NUMBERISH.search(filters.q)


def _like_prefix(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _search(q: str) -> ColumnElement[bool]:
    if _NUMBERISH.search(q):
        return func.lower(Case.number).like("%" + _like_prefix(q), escape="\\")
    words = [w for w in q.split() if w][:4]
    return and_(*[
        or_(
            func.lower(Person.surname).like(_like_prefix(w), escape="\\"),
            func.lower(Person.given_name).like(_like_prefix(w), escape="\\"),
        )
        for w in words
    ])


def _deadline(kind: str, now: datetime) -> ColumnElement[bool]:
    week = now + timedelta(days=7)
    col = Case.next_deadline_at
    return {
        "scaduta": col < now,
        "settimana": and_(col >= now, col <= week),
        "oltre": col > week,
        "nessuna": col.is_(None),  # type: ignore[union-attr]
    }[kind]


def _staff(staff_id: int) -> ColumnElement[bool]:
    member = exists(select(CaseAssignment.id).where(
        CaseAssignment.case_id == Case.id, CaseAssignment.staff_id == staff_id,
        CaseAssignment.until.is_(None),  # type: ignore[union-attr]
    ))
    return or_(Case.responsible_staff_id == staff_id, member)


def board_conditions(actor: Actor, filters: BoardFilters, now: datetime) -> list[ColumnElement[bool]]:
    """WHERE conditions: the actor's scope first (tenant, service: ix_case_board), then filters."""
    tenants = perm.tenants_for(actor, "case.list")
    if filters.tenant_id is not None:
        tenants = tenants & {filters.tenant_id}
    if not tenants:
        return [false()]
    conds: list[ColumnElement[bool]] = [
        Case.tenant_id.in_(sorted(tenants)),  # type: ignore[attr-defined]
        Case.service == filters.service,
        visible_cases(actor),
    ]
    if filters.stage:
        conds.append(Case.stage == filters.stage)
    if filters.measure_type:
        conds.append(Case.current_measure_type == filters.measure_type)
    if filters.deadline:
        conds.append(_deadline(filters.deadline, now))
    if filters.staff_id is not None:
        conds.append(_staff(filters.staff_id))
    if filters.q:
        conds.append(_search(filters.q))
    return conds
