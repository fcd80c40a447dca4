"""Persons and households, always owned by one tenant."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, func, text
from sqlmodel import Field

from tutela_app.models.base import SQLModel, Timestamps, Versioned


class Person(Versioned, Timestamps, table=True):
    """A citizen or child known to a tenant's services.

    Either ``codice_fiscale`` or ``provisional_id`` identifies them within the tenant.
    """

    __table_args__ = (
        UniqueConstraint("tenant_id", "codice_fiscale", name="uq_person_cf"),
        UniqueConstraint("tenant_id", "provisional_id", name="uq_person_provisional"),
        CheckConstraint(
            "codice_fiscale IS NOT NULL OR provisional_id IS NOT NULL", name="ck_person_identifier"
        ),
        CheckConstraint("sex IN ('M', 'F') OR sex IS NULL", name="ck_person_sex"),
        # Identity searches compare names case-insensitively (intake matches, person
        # lookup): the index is on the lower-cased names so those are seeks, not scans.
        Index("ix_person_name_birth_ci", "tenant_id", func.lower(text("surname")), func.lower(text("given_name")),
              "birth_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    codice_fiscale: str | None = Field(default=None, max_length=16)
    provisional_id: str | None = Field(default=None, max_length=40)
    surname: str = Field(max_length=120)
    given_name: str = Field(max_length=120)
    sex: str | None = Field(default=None, max_length=1)
    birth_date: date | None = None
    birthplace: str | None = Field(default=None, max_length=120)
    citizenship: str | None = Field(default=None, max_length=80)
    residence_tenant_code: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=40)


class Household(Versioned, Timestamps, table=True):
    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", ondelete="RESTRICT", index=True)
    label: str = Field(max_length=200)
    address: str | None = Field(default=None, max_length=300)


class HouseholdMember(SQLModel, table=True):
    """Membership of a person in a household, with the relationship to the reference person."""

    __table_args__ = (UniqueConstraint("household_id", "person_id", name="uq_household_member"),)

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="household.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    relationship: str = Field(max_length=40)  # e.g. richiedente, madre, padre, figlio/a, nonno/a
    is_reference_person: bool = False
    since: date | None = None
    until: date | None = None
