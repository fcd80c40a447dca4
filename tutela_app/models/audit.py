"""Append-only audit log. The migration adds triggers refusing UPDATE and DELETE."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field

from tutela_app.models.base import SQLModel, ts_field


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, when, from which session. Never personal data."""

    __table_args__ = (
        Index("ix_audit_tenant_at", "tenant_id", "at"),
        Index("ix_audit_entity", "entity_type", "entity_id", "at"),
        Index("ix_audit_actor_at", "actor_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = ts_field(default_now=True)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    session_ref: str | None = Field(default=None, max_length=16)  # prefix of the session hash
    tenant_id: int | None = Field(default=None, foreign_key="tenant.id")
    action: str = Field(max_length=40)  # read, create, update, delete, login, logout, denied, export
    entity_type: str = Field(max_length=40)
    entity_id: str | None = Field(default=None, max_length=40)
    person_id: int | None = Field(default=None, index=True)  # the person the record is about
    detail: str | None = Field(default=None, max_length=500)  # codes only, no free text about people
