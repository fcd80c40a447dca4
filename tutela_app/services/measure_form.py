"""Validation of the decree form (untrusted strings in, a clean ``MeasureData`` out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tutela_app.domain.deadlines import ROME
from tutela_app.domain.measures import MeasureType, add_months
from tutela_app.services.court_access import FormErrors, parse_date

DECREE_KINDS: dict[str, str] = {
    "decree_task": "Adempimento disposto dal decreto",
    "periodic_report": "Relazione periodica",
    "name_responsible_worker": "Nomina dell'operatore responsabile",
    "extension_request": "Richiesta di proroga",
    "next_hearing": "Udienza",
}
MAX_DECREE_DEADLINES = 20
MAP_MAX_MONTHS = 36  # art. 28 c. 1 DPR 448/1988: up to 3 years for the gravest offences


@dataclass
class MeasureData:
    measure_type: str
    court: str
    docket_number: str
    issued_on: date
    notified_on: date | None = None
    effective_at: datetime | None = None
    tasks: str | None = None
    report_period_months: int | None = None
    end_date: date | None = None
    next_hearing: date | None = None
    decree_deadlines: list[dict[str, str]] = field(default_factory=list)

    def columns(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _text(raw: dict, key: str, errors: dict[str, str], max_len: int, *, required: bool = False, label: str = "") -> str | None:
    value = raw.get(key)
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[key] = "Valore non valido."
        return None
    if not text:
        if required:
            errors[key] = f"Campo obbligatorio: {label}."
        return None
    if len(text) > max_len:
        errors[key] = f"Massimo {max_len} caratteri."
        return None
    return text


def _effective(raw: Any, errors: dict[str, str]) -> datetime | None:
    text = str(raw or "").strip()
    if not text:
        errors["effective_at"] = "Per l'art. 403 c.c. indica data e ora dell'allontanamento."
        return None
    try:
        dt = datetime.fromisoformat(text[:16])
    except ValueError:
        errors["effective_at"] = "Data e ora non valide."
        return None
    return dt.replace(tzinfo=ROME) if dt.tzinfo is None else dt


def _deadlines(raw: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_DECREE_DEADLINES:
        errors["decree_deadlines"] = f"Al massimo {MAX_DECREE_DEADLINES} termini."
        return []
    out: list[dict[str, str]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            errors["decree_deadlines"] = "Termine non valido."
            continue
        kind = item.get("kind") if item.get("kind") in DECREE_KINDS else None
        title = str(item.get("title") or "").strip()[:300]
        due = parse_date(item.get("due"), f"decree_deadlines.{i}", errors, required=True)
        if kind is None:
            errors["decree_deadlines"] = "Scegli il tipo di ogni termine del decreto."
        elif not title:
            errors["decree_deadlines"] = "Descrivi ogni termine del decreto."
        elif due is not None:
            out.append({"kind": kind, "title": title, "due": due.isoformat()})
    if any(k.startswith("decree_deadlines.") for k in errors):
        errors.setdefault("decree_deadlines", "Indica una data valida per ogni termine del decreto.")
    return out


def parse_measure(raw: Any) -> MeasureData:
    """Validate the decree form; raise :class:`FormErrors` with Italian messages."""
    if not isinstance(raw, dict):
        raise FormErrors({"_": "Dati del decreto non validi."})
    errors: dict[str, str] = {}
    mtype = raw.get("measure_type")
    if mtype not in {m.value for m in MeasureType}:
        errors["measure_type"] = "Scegli il tipo di provvedimento."
    court = _text(raw, "court", errors, 200, required=True, label="autorità giudiziaria")
    docket = _text(raw, "docket_number", errors, 60, required=True, label="numero del provvedimento")
    issued = parse_date(raw.get("issued_on"), "issued_on", errors, required=True)
    notified = parse_date(raw.get("notified_on"), "notified_on", errors)
    end = parse_date(raw.get("end_date"), "end_date", errors)
    hearing = parse_date(raw.get("next_hearing"), "next_hearing", errors)
    tasks = _text(raw, "tasks", errors, 4000)
    period: int | None = None
    period_raw = str(raw.get("report_period_months") or "").strip()
    if period_raw:
        if not period_raw.isdigit() or not 1 <= int(period_raw) <= 24:
            errors["report_period_months"] = "Indica un numero di mesi tra 1 e 24."
        else:
            period = int(period_raw)
    effective = _effective(raw.get("effective_at"), errors) if mtype == MeasureType.COLLOCAMENTO_403 else None
    deadlines = _deadlines(raw.get("decree_deadlines"), errors)
    if issued and issued > date.today():
        errors["issued_on"] = "La data del provvedimento non può essere nel futuro."
    if issued and notified and notified < issued:
        errors["notified_on"] = "La notifica non può precedere l'emissione."
    if issued and end and end <= issued:
        errors["end_date"] = "La scadenza deve seguire la data del provvedimento."
    if mtype == MeasureType.MESSA_ALLA_PROVA and issued:
        if end is None:
            errors["end_date"] = "Per la messa alla prova indica la fine del periodo di sospensione."
        elif end > add_months(issued, MAP_MAX_MONTHS):
            errors["end_date"] = "La messa alla prova dura al massimo 3 anni (art. 28 DPR 448/1988)."
    if errors:
        raise FormErrors(errors)
    return MeasureData(
        measure_type=str(mtype), court=court or "", docket_number=docket or "", issued_on=issued,  # type: ignore[arg-type]
        notified_on=notified, effective_at=effective, tasks=tasks, report_period_months=period,
        end_date=end, next_hearing=hearing, decree_deadlines=deadlines,
    )
