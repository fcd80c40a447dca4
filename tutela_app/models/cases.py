"""Cases of Tutela Minori and of the Servizio Sociale Professionale, with their équipe."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field

from tutela_app.models.base import SQLModel, Timestamps, Versioned, ts_field

SERVICES = ("tutela_minori", "servizio_sociale")


class Case(Versioned, Timestamps, table=True):
    """A case file. ``next_deadline_at`` is the earliest open obligation, kept for the board."""

    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_case_number"),
        CheckConstraint(f"service IN {SERVICES!r}", name="ck_case_service"),
        Index("ix_case_board", "tenant_id", "service", "stage", "next_deadline_at"),
        Index("ix_case_changed", "tenant_id", "service", "updated_at"),  # board live marker
        Index("ix_case_responsible", "responsible_staff_id", "stage"),
        Index("ix_case_opened", "tenant_id", "opened_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    number: str = Field(max_length=40)
    service: str = Field(max_length=30)
    stage: str = Field(max_length=40)
    origin: str = Field(max_length=40)  # autorita_giudiziaria, procura, segnalazione, presa_in_carico
    subject_person_id: int = Field(foreign_key="person.id", ondelete="RESTRICT", index=True)
    household_id: int | None = Field(default=None, foreign_key="household.id", ondelete="SET NULL")
    accesso_id: int | None = Field(default=None, foreign_key="accesso.id", ondelete="SET NULL")
    responsible_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    summary: str | None = Field(default=None, max_length=4000)
    opened_on: date
    closed_on: date | None = None
    closure_reason: str | None = Field(default=None, max_length=60)
    next_deadline_at: datetime | None = ts_field(nullable=True)
    current_measure_type: str | None = Field(default=None, max_length=40)


class CaseAssignment(SQLModel, table=True):
    """Membership of a staff member in a case's équipe."""

    __table_args__ = (
        UniqueConstraint("case_id", "staff_id", "role_in_case", name="uq_case_assignment"),
        Index("ix_assignment_staff", "staff_id", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE", index=True)
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE")
    role_in_case: str = Field(max_length=40)  # responsabile, assistente_sociale, psicologo, educatore
    since: date
    until: date | None = None


class CaseStageChange(SQLModel, table=True):
    """Stage history: who moved the case, from where to where, when."""

    __table_args__ = (Index("ix_stage_change_case", "case_id", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE")
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    from_stage: str | None = Field(default=None, max_length=40)
    to_stage: str = Field(max_length=40)
    changed_by: int | None = Field(default=None, foreign_key="staff.id")
    changed_at: datetime = ts_field(default_now=True)
    closure_reason: str | None = Field(default=None, max_length=60)
    note: str | None = Field(default=None, max_length=2000)


class IndividualProject(Versioned, Timestamps, table=True):
    """Progetto individualizzato of a Servizio Sociale Professionale case."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE", index=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    objectives: str = Field(max_length=4000)
    agreed_on: date | None = None
    review_on: date | None = None


class NetworkContact(Versioned, Timestamps, table=True):
    """A node of the case's network (school, NPI/UONPIA, consultorio, CPS, SerD, ...)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE", index=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    kind: str = Field(max_length=40)
    organisation: str = Field(max_length=200)
    contact_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    is_key: bool = False
    last_contact_on: date | None = None
    note: str | None = Field(default=None, max_length=2000)
