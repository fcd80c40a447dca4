"""Court measures, the obligations (deadlines) they create, and placement episodes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field

from tutela_app.models.base import SQLModel, Timestamps, Versioned, ts_field

MEASURE_STATUSES = ("in_vigore", "modificata", "prorogata", "revocata", "cessata")
OBLIGATION_STATUSES = ("aperto", "adempiuto", "annullato")


class CourtMeasure(Versioned, Timestamps, table=True):
    """A decree (provvedimento) of the Autorità Giudiziaria on a case.

    Amendments and extensions create a new row pointing at the one it supersedes,
    which keeps the history; the superseded row's status says why it ended.
    """

    __table_args__ = (
        CheckConstraint(f"status IN {MEASURE_STATUSES!r}", name="ck_measure_status"),
        Index("ix_measure_case", "case_id", "issued_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE")
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    measure_type: str = Field(max_length=40)
    court: str = Field(max_length=200)
    docket_number: str = Field(max_length=60)
    issued_on: date
    notified_on: date | None = None
    effective_at: datetime | None = ts_field(nullable=True)
    tasks: str | None = Field(default=None, max_length=4000)
    report_period_months: int | None = None
    end_date: date | None = None
    next_hearing: date | None = None
    decree_deadlines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="in_vigore", max_length=20)
    supersedes_id: int | None = Field(default=None, foreign_key="courtmeasure.id")
    created_by: int | None = Field(default=None, foreign_key="staff.id")


class Obligation(Versioned, Timestamps, table=True):
    """A legal deadline the service must meet, closed by the act that fulfils it."""

    __table_args__ = (
        CheckConstraint(f"status IN {OBLIGATION_STATUSES!r}", name="ck_obligation_status"),
        Index("ix_obligation_tenant_due", "tenant_id", "status", "due_at"),
        Index("ix_obligation_case_due", "case_id", "status", "due_at"),
        Index("ix_obligation_staff_due", "assigned_staff_id", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE")
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT")
    measure_id: int | None = Field(default=None, foreign_key="courtmeasure.id", ondelete="CASCADE")
    kind: str = Field(max_length=40)
    title: str = Field(max_length=300)
    legal_basis: str | None = Field(default=None, max_length=200)
    sequence: int = 0
    due_at: datetime = ts_field()
    status: str = Field(default="aperto", max_length=20)
    assigned_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    fulfilled_on: date | None = None
    fulfilled_by: int | None = Field(default=None, foreign_key="staff.id")
    fulfilling_act: str | None = Field(default=None, max_length=200)
    protocol_number: str | None = Field(default=None, max_length=60)


class Placement(Versioned, Timestamps, table=True):
    """An out-of-home placement episode (comunità or affido familiare)."""

    __table_args__ = (
        CheckConstraint("kind IN ('comunita', 'affido_familiare')", name="ck_placement_kind"),
        Index("ix_placement_tenant_start", "tenant_id", "start_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE", index=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT")
    measure_id: int | None = Field(default=None, foreign_key="courtmeasure.id", ondelete="SET NULL")
    kind: str = Field(max_length=20)
    host_name: str = Field(max_length=200)
    start_on: date
    end_on: date | None = None
    outcome: str | None = Field(default=None, max_length=40)  # rientro_famiglia, altro_collocamento, adozione, maggiore_eta


class DeadlineRuleSet(SQLModel, table=True):
    """Administrator-editable defaults of the obligation engine (one active row)."""

    id: int | None = Field(default=None, primary_key=True)
    rules: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="staff.id")
    updated_at: datetime = ts_field(default_now=True)


class ProbationProject(Versioned, Timestamps, table=True):
    """Messa alla prova (art. 28 DPR 448/1988): the project and its outcome."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE", index=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    measure_id: int | None = Field(default=None, foreign_key="courtmeasure.id", ondelete="SET NULL")
    ussm_contact: str | None = Field(default=None, max_length=200)
    start_on: date
    end_on: date
    outcome: str | None = Field(default=None, max_length=40)  # esito_positivo, esito_negativo, in_corso
    outcome_on: date | None = None


class ProbationPrescription(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="probationproject.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=40)  # studio_lavoro, volontariato, riparazione, mediazione, altro
    description: str = Field(max_length=2000)


class ProbationLogEntry(SQLModel, table=True):
    """Attendance, compliance, breaches (trasgressioni) and interim notes."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="probationproject.id", ondelete="CASCADE", index=True)
    occurred_on: date
    kind: str = Field(max_length=30)  # presenza, adempimento, trasgressione, nota_intermedia
    text: str = Field(max_length=4000)
    author_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = ts_field(default_now=True)
