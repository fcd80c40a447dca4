"""Tenants (Comuni and ambiti served), staff, role grants and login sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from tutela_app.models.base import Timestamps, Versioned, ts_field

ROLES = ("operatore_sportello", "equipe", "coordinatore", "amministratore", "referente_comunale")
PROFESSIONS = ("assistente_sociale", "psicologo", "educatore")


class Tenant(Versioned, Timestamps, table=True):
    """A Comune or ambito that buys one or both services from the cooperative."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default="comune", max_length=20)  # comune | ambito
    buys_tutela_minori: bool = False
    buys_segretariato: bool = False
    retention_years: int = Field(default=10)
    active: bool = True


class Staff(Timestamps, table=True):
    """A person who signs in. Identity is (issuer, subject) from the OpenID provider."""

    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_staff_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=300)
    subject: str = Field(max_length=255)
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=200)
    profession: str | None = Field(default=None, max_length=40)
    active: bool = True
    last_login_at: datetime | None = ts_field(nullable=True)


class RoleGrant(SQLModel, table=True):
    """A role held by a staff member in one tenant.

    ``source`` is ``claim`` (mirrored from the provider at each login; removed when
    the claim disappears) or ``app`` (granted by an administrator inside Tutela).
    """

    __table_args__ = (
        UniqueConstraint("staff_id", "tenant_id", "role", "source", name="uq_role_grant"),
        CheckConstraint(f"role IN {ROLES!r}", name="ck_role_grant_role"),
        CheckConstraint("source IN ('claim', 'app')", name="ck_role_grant_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE", index=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="CASCADE", index=True)
    role: str = Field(max_length=40)
    source: str = Field(default="app", max_length=10)
    granted_by: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = ts_field(default_now=True)


class AuthSession(SQLModel, table=True):
    """Server-side login session. The browser only holds a random id; we store its hash."""

    id: str = Field(primary_key=True, max_length=64)  # sha256 hex of the cookie value
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE", index=True)
    issuer: str = Field(max_length=300)
    idp_session_id: str | None = Field(default=None, max_length=255, index=True)
    id_token: str | None = None  # kept server-side only, as id_token_hint for logout
    created_at: datetime = ts_field(default_now=True)
    last_seen_at: datetime = ts_field(default_now=True)
    expires_at: datetime = ts_field()
    ended_at: datetime | None = ts_field(nullable=True)
    end_reason: str | None = Field(default=None, max_length=40)


class CalendarFeedToken(SQLModel, table=True):
    """Revocable secret for a staff member's iCalendar deadline feed (hash stored)."""

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = ts_field(default_now=True)
    revoked_at: datetime | None = ts_field(nullable=True)
