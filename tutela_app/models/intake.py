"""Front-desk intake records (accessi / schede di primo accesso) and referrals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field

from tutela_app.models.base import SQLModel, Timestamps, Versioned, ts_field

ACCESSO_STATUSES = ("bozza", "confermato", "annullato")
OUTCOMES = ("informazione", "invio", "presa_in_carico", "segnalazione_tm")


class Accesso(Versioned, Timestamps, table=True):
    """One visit to the Segretariato Sociale, from first question to outcome.

    While ``status == 'bozza'`` the answers are a draft saved answer by answer; the
    draft belongs to its tenant, so any front-desk operator of that tenant may resume it.
    """

    __table_args__ = (
        UniqueConstraint("tenant_id", "number", name="uq_accesso_number"),
        CheckConstraint(f"status IN {ACCESSO_STATUSES!r}", name="ck_accesso_status"),
        CheckConstraint(f"outcome IN {OUTCOMES!r} OR outcome IS NULL", name="ck_accesso_outcome"),
        Index("ix_accesso_tenant_status_updated", "tenant_id", "status", "updated_at"),
        Index("ix_accesso_tenant_started", "tenant_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    number: str = Field(max_length=40)
    status: str = Field(default="bozza", max_length=20)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL", index=True)
    household_id: int | None = Field(default=None, foreign_key="household.id", ondelete="SET NULL")
    operator_id: int = Field(foreign_key="staff.id")
    last_operator_id: int | None = Field(default=None, foreign_key="staff.id")
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    current_question: str | None = Field(default=None, max_length=60)
    who_comes: str | None = Field(default=None, max_length=40)
    need_area: str | None = Field(default=None, max_length=40)
    outcome: str | None = Field(default=None, max_length=30)
    risk_to_minor: bool = False
    started_at: datetime = ts_field(default_now=True)
    confirmed_at: datetime | None = ts_field(nullable=True)


class Referral(Versioned, Timestamps, table=True):
    """An invio to another service, or a segnalazione to a competent Tutela Minori service."""

    __table_args__ = (Index("ix_referral_tenant_created", "tenant_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    accesso_id: int = Field(foreign_key="accesso.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    destination_type: str = Field(max_length=40)  # sociale, socio_sanitario, lavoro, casa, tempo_libero, tutela_minori
    destination_name: str = Field(max_length=200)
    is_segnalazione: bool = False
    taken_up: bool | None = None
    taken_up_on: date | None = None
    note: str | None = Field(default=None, max_length=2000)


class IseeDeclaration(SQLModel, table=True):
    """ISEE summary as declared at intake (never the whole DSU)."""

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    accesso_id: int | None = Field(default=None, foreign_key="accesso.id", ondelete="SET NULL")
    value_eur: float
    dsu_protocol: str = Field(max_length=60)
    isee_type: str = Field(max_length=30)
    expires_on: date
