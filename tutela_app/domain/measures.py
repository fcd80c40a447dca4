"""Data types for court measures and their obligations (see ``deadlines``)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class MeasureType(StrEnum):
    COLLOCAMENTO_403 = "collocamento_403"
    AFFIDAMENTO_SERVIZIO_SOCIALE = "affidamento_servizio_sociale"
    AFFIDO_FAMILIARE = "affido_familiare"
    COLLOCAMENTO_COMUNITA = "collocamento_comunita"
    LIMITAZIONE_RESPONSABILITA = "limitazione_responsabilita"
    DECADENZA_RESPONSABILITA = "decadenza_responsabilita"
    DECRETO_PROVVISORIO = "decreto_provvisorio"
    MESSA_ALLA_PROVA = "messa_alla_prova"

    @property
    def label(self) -> str:
        return _MEASURE_INFO[self][0]

    @property
    def legal_basis(self) -> str:
        return _MEASURE_INFO[self][1]


_MEASURE_INFO: dict[MeasureType, tuple[str, str]] = {
    MeasureType.COLLOCAMENTO_403: ("Collocamento in luogo sicuro", "art. 403 c.c."),
    MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE: ("Affidamento al servizio sociale", "art. 5-bis L. 184/1983"),
    MeasureType.AFFIDO_FAMILIARE: ("Affido familiare", "art. 4 L. 184/1983"),
    MeasureType.COLLOCAMENTO_COMUNITA: ("Collocamento in comunità", "L. 184/1983"),
    MeasureType.LIMITAZIONE_RESPONSABILITA: ("Limitazione della responsabilità genitoriale", "art. 333 c.c."),
    MeasureType.DECADENZA_RESPONSABILITA: ("Decadenza dalla responsabilità genitoriale", "art. 330 c.c."),
    MeasureType.DECRETO_PROVVISORIO: ("Decreto provvisorio e urgente", "art. 336 c.c."),
    MeasureType.MESSA_ALLA_PROVA: ("Messa alla prova", "art. 28 DPR 448/1988"),
}

# Measures that get periodic reports even when the decree sets no period.
DEFAULT_REPORTING = {
    MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE,
    MeasureType.AFFIDO_FAMILIARE,
    MeasureType.COLLOCAMENTO_COMUNITA,
}
# Measures limited to 24 months unless extended (art. 4 c. 4 L. 184/1983).
TIME_LIMITED = {MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE, MeasureType.AFFIDO_FAMILIARE}


@dataclass(frozen=True)
class DecreeDeadline:
    kind: str
    title: str
    due: date


@dataclass(frozen=True)
class MeasureInput:
    measure_type: MeasureType
    issued_on: date
    notified_on: date | None = None
    effective_at: datetime | None = None
    report_period_months: int | None = None
    end_date: date | None = None
    decree_deadlines: list[DecreeDeadline] = field(default_factory=list)
    next_hearing: date | None = None
    suspension_months: int | None = None

    @property
    def start(self) -> date:
        """Terms run from notification to the service, or from issue when unknown."""
        return self.notified_on or self.issued_on


class DeadlineRules(BaseModel):
    """Default terms; administrator-changeable ("verify" items in DOMAIN.md)."""

    notice_pm_hours: int = Field(24, ge=1)
    pm_request_tm_hours: int = Field(72, ge=1)
    tm_decision_hours: int = Field(48, ge=1)
    hearing_days: int = Field(15, ge=1)
    responsible_worker_days: int = Field(15, ge=1)
    report_period_months: int = Field(6, ge=1)
    max_report_period_affidamento: int = Field(6, ge=1)
    max_duration_months: int = Field(24, ge=1)
    extension_lead_days: int = Field(60, ge=0)
    map_outcome_hearing_offset_days: int = Field(30, ge=0)


DEFAULT_RULES = DeadlineRules()


@dataclass(frozen=True)
class ObligationSpec:
    kind: str
    title: str
    due: datetime
    legal_basis: str
    sequence: int | None = None


def add_months(d: date, months: int) -> date:
    """Calendar month arithmetic, clamped to the last day of the target month."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
