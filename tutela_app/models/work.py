"""Interventions, goals and evaluations, diary entries and reports to the court."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field

from tutela_app.models.base import SQLModel, Timestamps, Versioned, ts_field

INTERVENTION_STATUSES = ("pianificato", "in_corso", "concluso", "interrotto")
DIARY_TAGS = ("fatto", "dichiarazione", "valutazione")


class Intervention(Versioned, Timestamps, table=True):
    __table_args__ = (
        CheckConstraint(f"status IN {INTERVENTION_STATUSES!r}", name="ck_intervention_status"),
        Index("ix_intervention_case", "case_id", "start_on"),
        Index("ix_intervention_tenant_kind", "tenant_id", "kind", "start_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE")
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT")
    kind: str = Field(max_length=40)
    status: str = Field(default="in_corso", max_length=20)
    start_on: date
    end_on: date | None = None
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    description: str | None = Field(default=None, max_length=4000)


class Goal(Versioned, Timestamps, table=True):
    """A goal of an intervention. ``baseline_score`` (the first baseline evaluation) and
    ``latest_score``/``latest_on`` (the latest review) are kept in step with its evaluations
    by ``services.case_work.refresh_goal_scores`` so goal attainment is one GROUP BY."""

    __table_args__ = (Index("ix_goal_attainment", "tenant_id", "latest_on"),)

    id: int | None = Field(default=None, primary_key=True)
    intervention_id: int = Field(foreign_key="intervention.id", ondelete="CASCADE", index=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE", index=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT")
    description: str = Field(max_length=1000)
    baseline_score: int | None = None
    latest_score: int | None = None
    latest_on: date | None = None


class Evaluation(SQLModel, table=True):
    """A score (0-10) of a goal at start (baseline) or at a review."""

    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 10", name="ck_evaluation_score"),
        Index("ix_evaluation_goal_date", "goal_id", "evaluated_on"),
        Index("ix_evaluation_tenant_date", "tenant_id", "evaluated_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE")
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT")
    evaluated_on: date
    score: int
    is_baseline: bool = False
    note: str | None = Field(default=None, max_length=1000)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = ts_field(default_now=True)


class DiaryEntry(Versioned, Timestamps, table=True):
    """Case diary, tagged as art. 473-bis.27 c.p.c. requires for reports to the court."""

    __table_args__ = (
        CheckConstraint(f"tag IN {DIARY_TAGS!r}", name="ck_diary_tag"),
        CheckConstraint("tag != 'dichiarazione' OR source IS NOT NULL", name="ck_diary_statement_source"),
        CheckConstraint("tag != 'valutazione' OR method IS NOT NULL", name="ck_diary_evaluation_method"),
        Index("ix_diary_case_date", "case_id", "occurred_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE")
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT")
    occurred_on: date
    tag: str = Field(max_length=20)
    text: str = Field(max_length=8000)
    source: str | None = Field(default=None, max_length=200)  # whose statement
    method: str | None = Field(default=None, max_length=200)  # method or instrument of the evaluation
    author_id: int | None = Field(default=None, foreign_key="staff.id")
    author_profession: str | None = Field(default=None, max_length=40)
    restricted_to_profession: bool = False  # e.g. psychological notes
    confidential: bool = False  # third-party data hidden in the parties' preview


class CourtReport(Versioned, Timestamps, table=True):
    """Relazione to the court: drafted from the diary, signed off, finalised, sent (locked)."""

    __table_args__ = (
        CheckConstraint(
            "status IN ('bozza', 'in_revisione', 'finalizzata', 'inviata')", name="ck_court_report_status"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", ondelete="CASCADE", index=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT")
    obligation_id: int | None = Field(default=None, foreign_key="obligation.id", ondelete="SET NULL")
    period_from: date
    period_to: date
    status: str = Field(default="bozza", max_length=20)
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    protocol_number: str | None = Field(default=None, max_length=60)
    sent_on: date | None = None
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    finalised_by: int | None = Field(default=None, foreign_key="staff.id")


class CourtReportSignoff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="courtreport.id", ondelete="CASCADE", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    profession: str | None = Field(default=None, max_length=40)
    section_text: str | None = None
    signed_at: datetime = ts_field(default_now=True)


class ServiceReport(SQLModel, table=True):
    """Archived PDF 'relazione sull'andamento del servizio' for a tenant and period."""

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    period_from: date
    period_to: date
    status: str = Field(default="in_corso", max_length=20)
    file_name: str | None = Field(default=None, max_length=200)
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = ts_field(default_now=True)
