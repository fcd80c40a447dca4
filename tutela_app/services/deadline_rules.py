"""Administrator-editable defaults of the obligation engine (``DeadlineRuleSet``).

Each save appends a row (the history); the newest row is the one in force. The JSON
holds the :class:`~tutela_app.domain.measures.DeadlineRules` fields plus two calendar
switches: ``saturday_is_holiday`` and ``include_saint_francis`` (see ``docs/deadlines.md``).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain.holidays import HolidayCalendar
from tutela_app.domain.measures import DEFAULT_RULES, DeadlineRules
from tutela_app.models import DeadlineRuleSet
from tutela_app.services import audit
from tutela_app.services.court_access import FormErrors

RULE_LABELS: dict[str, str] = {
    "notice_pm_hours": "Art. 403 c.c.: ore per la comunicazione al PM",
    "pm_request_tm_hours": "Art. 403 c.c.: ore per la richiesta del PM al Tribunale",
    "tm_decision_hours": "Art. 403 c.c.: ore per la decisione del Tribunale",
    "hearing_days": "Art. 403 c.c.: giorni per l'udienza dopo la convalida",
    "responsible_worker_days": "Giorni per nominare l'operatore responsabile",
    "report_period_months": "Periodicità predefinita delle relazioni (mesi)",
    "max_report_period_affidamento": "Periodicità massima per l'affidamento al servizio sociale (mesi)",
    "max_duration_months": "Durata massima della misura (mesi)",
    "extension_lead_days": "Giorni di anticipo per chiedere la proroga",
    "map_outcome_hearing_offset_days": "Messa alla prova: giorni tra la fine e l'udienza di esito",
}
CALENDAR_FLAGS: dict[str, str] = {
    "saturday_is_holiday": "Il sabato conta come festivo (art. 155 c. 5 c.p.c.)",
    "include_saint_francis": "4 ottobre festivo dal 2026 (L. 151/2025)",
}
MAX_VALUE = 1000


def _latest(session: Session) -> DeadlineRuleSet | None:
    return session.exec(select(DeadlineRuleSet).order_by(DeadlineRuleSet.id.desc()).limit(1)).first()


def current_rules(session: Session) -> tuple[DeadlineRules, HolidayCalendar]:
    """The rules and calendar in force (defaults when nobody changed them)."""
    row = _latest(session)
    data = dict(row.rules) if row else {}
    fields = {k: v for k, v in data.items() if k in DeadlineRules.model_fields}
    try:
        rules = DeadlineRules(**fields)
    except ValidationError:
        rules = DEFAULT_RULES
    cal = HolidayCalendar(
        saturday_is_holiday=bool(data.get("saturday_is_holiday", True)),
        include_saint_francis=bool(data.get("include_saint_francis", True)),
    )
    return rules, cal


def _require_admin(actor: Actor) -> None:
    if not perm.tenants_for(actor, "admin.deadline_rules"):
        raise NotFoundOrForbidden


def rules_form(session: Session, actor: Actor) -> dict[str, Any]:
    """Values for the administration form: numbers as strings, flags as booleans."""
    _require_admin(actor)
    rules, cal = current_rules(session)
    row = _latest(session)
    return {
        "values": {k: str(getattr(rules, k)) for k in RULE_LABELS},
        "flags": {"saturday_is_holiday": cal.saturday_is_holiday, "include_saint_francis": cal.include_saint_francis},
        "rule_set_id": row.id if row else 0,
    }


def save_rules(session: Session, actor: Actor, values: Any, flags: Any, loaded_rule_set_id: Any) -> DeadlineRuleSet:
    """Validate and store a new rule set. Refuses when another administrator saved meanwhile."""
    _require_admin(actor)
    if not isinstance(values, dict) or not isinstance(flags, dict):
        raise FormErrors({"_": "Dati non validi."})
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for key in RULE_LABELS:
        raw = str(values.get(key, "")).strip()
        if not raw.isdigit() or len(raw) > 4:
            errors[key] = "Inserisci un numero intero."
            continue
        number = int(raw)
        minimum = 0 if key in ("extension_lead_days", "map_outcome_hearing_offset_days") else 1
        if not minimum <= number <= MAX_VALUE:
            errors[key] = f"Inserisci un numero tra {minimum} e {MAX_VALUE}."
            continue
        parsed[key] = number
    if errors:
        raise FormErrors(errors)
    latest = _latest(session)
    if (latest.id if latest else 0) != int(loaded_rule_set_id or 0):
        raise FormErrors({"_": "Un altro amministratore ha salvato le regole nel frattempo: ricarica la pagina."})
    for key in CALENDAR_FLAGS:
        parsed[key] = bool(flags.get(key, False) is True)
    row = DeadlineRuleSet(rules=parsed, updated_by=actor.staff_id)
    session.add(row)
    session.flush()
    audit.record(session, actor, "update", "deadline_rules", row.id)
    return row
