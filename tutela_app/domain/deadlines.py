"""Obligations (deadlines) created by court measures.

Time policy:

* All due moments are timezone-aware datetimes in Europe/Rome.
* Hour-based terms (the art. 403 c.c. chain: 24 h, 72 h, 48 h) are added to the exact
  moment of the previous step and are never shifted, whatever the day.
* Day- and month-based terms computed by the app exclude the starting day, and when
  they end on a Sunday, a Saturday or a public holiday they move to the next working
  day (art. 155 c.p.c., commi 4-5; see ``holidays.HolidayCalendar``). Their due moment
  is 23:59 of that day. Months are calendar months (31 Jan + 1 month = 28/29 Feb).
* Dates set by the court (decree deadlines, hearing dates) and the natural end of a
  measure or of a messa alla prova period are facts, not terms: taken as given.
* Deadlines entered from a decree (art. 473-bis.27 c.p.c.) override the computed default
  of the same ``kind``; other decree deadlines become ``decree_task`` obligations.
* ``DeadlineRules`` holds the defaults; an administrator may change them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from .holidays import NATIONAL_CALENDAR, HolidayCalendar, easter_monday, easter_sunday
from .measures import (
    DEFAULT_REPORTING,
    DEFAULT_RULES,
    TIME_LIMITED,
    DeadlineRules,
    DecreeDeadline,
    MeasureInput,
    MeasureType,
    ObligationSpec,
    add_months,
)

# fmt: off
__all__ = [
    "ROME", "MeasureType", "DecreeDeadline", "MeasureInput", "DeadlineRules", "DEFAULT_RULES",
    "ObligationSpec", "obligations_for_measure", "urgency", "add_months", "next_working_day",
    "HolidayCalendar", "easter_sunday", "easter_monday",
]
# fmt: on

ROME = ZoneInfo("Europe/Rome")
DAY_DEADLINE_TIME = time(23, 59)
Urgency = Literal["overdue", "this_week", "later"]


def next_working_day(d: date, holidays: HolidayCalendar | None = None) -> date:
    return (holidays or NATIONAL_CALENDAR).next_working_day(d)


def _end_of_day(d: date) -> datetime:
    return datetime.combine(d, DAY_DEADLINE_TIME, tzinfo=ROME)


def _as_rome(dt: datetime) -> datetime:
    return dt.replace(tzinfo=ROME) if dt.tzinfo is None else dt.astimezone(ROME)


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _add_hours(moment: datetime, hours: int) -> datetime:
    """Add elapsed hours (absolute time, so a DST change neither shortens nor lengthens)."""
    return (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(ROME)


def _shifted(d: date, cal: HolidayCalendar) -> datetime:
    return _end_of_day(cal.next_working_day(d))


def _chain_403(m: MeasureInput, rules: DeadlineRules, cal: HolidayCalendar) -> list[ObligationSpec]:
    if m.effective_at is None:
        return []
    basis = MeasureType.COLLOCAMENTO_403.legal_basis
    notice = _add_hours(_as_rome(m.effective_at), rules.notice_pm_hours)
    request = _add_hours(notice, rules.pm_request_tm_hours)
    decision = _add_hours(request, rules.tm_decision_hours)
    if m.next_hearing:
        hearing = _end_of_day(m.next_hearing)
    else:
        hearing = _shifted(decision.date() + timedelta(days=rules.hearing_days), cal)
    return [
        ObligationSpec(
            "403_notice_pm",
            "Trasmettere al PM presso il Tribunale per i Minorenni il provvedimento di "
            f"collocamento con la relazione (entro {rules.notice_pm_hours} ore)",
            notice,
            basis,
        ),
        ObligationSpec(
            "403_pm_request_tm",
            "Termine per la richiesta di convalida del PM al Tribunale per i Minorenni "
            f"(entro {rules.pm_request_tm_hours} ore)",
            request,
            basis,
        ),
        ObligationSpec(
            "403_tm_decision",
            f"Termine per la decisione del Tribunale sulla convalida (entro {rules.tm_decision_hours} ore)",
            decision,
            basis,
        ),
        ObligationSpec(
            "403_hearing",
            f"Udienza di comparizione delle parti (entro {rules.hearing_days} giorni dalla convalida)",
            hearing,
            basis,
        ),
    ]


def _report_period(m: MeasureInput, rules: DeadlineRules) -> int | None:
    period = m.report_period_months
    if period is None and m.measure_type in DEFAULT_REPORTING:
        period = rules.report_period_months
    if period is None or period < 1:
        return None
    if m.measure_type is MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE:
        period = min(period, rules.max_report_period_affidamento)
    return period


def _horizon(m: MeasureInput, rules: DeadlineRules) -> date:
    return m.end_date or add_months(m.start, rules.max_duration_months)


def _periodic_reports(m: MeasureInput, rules: DeadlineRules, cal: HolidayCalendar) -> list[ObligationSpec]:
    period = _report_period(m, rules)
    if period is None:
        return []
    basis = (
        "art. 4 c. 3 L. 184/1983"
        if m.measure_type is MeasureType.AFFIDO_FAMILIARE
        else (f"{m.measure_type.legal_basis}; art. 473-bis.27 c.p.c.")
    )
    out: list[ObligationSpec] = []
    limit = _horizon(m, rules)
    seq = 1
    while (raw := add_months(m.start, seq * period)) <= limit:
        out.append(
            ObligationSpec(
                "periodic_report",
                f"Relazione periodica n. {seq} all'Autorità Giudiziaria",
                _shifted(raw, cal),
                basis,
                seq,
            )
        )
        seq += 1
    return out


def _responsible_worker(m: MeasureInput, rules: DeadlineRules, cal: HolidayCalendar) -> list[ObligationSpec]:
    due = _shifted(m.start + timedelta(days=rules.responsible_worker_days), cal)
    return [
        ObligationSpec(
            "name_responsible_worker",
            f"Nominare l'operatore responsabile del caso (entro {rules.responsible_worker_days} giorni dalla notifica)",
            due,
            m.measure_type.legal_basis,
        )
    ]


def _time_limit(m: MeasureInput, rules: DeadlineRules, cal: HolidayCalendar) -> list[ObligationSpec]:
    expiry = _horizon(m, rules)
    basis = "art. 4 c. 4 L. 184/1983"
    return [
        ObligationSpec(
            "extension_request",
            f"Valutare la richiesta di proroga al Tribunale: la misura scade il {_fmt(expiry)}",
            _shifted(expiry - timedelta(days=rules.extension_lead_days), cal),
            basis,
        ),
        ObligationSpec(
            "measure_expiry", f"Scadenza della misura: {m.measure_type.label}", _end_of_day(expiry), basis
        ),
    ]


def _messa_alla_prova(m: MeasureInput, rules: DeadlineRules, cal: HolidayCalendar) -> list[ObligationSpec]:
    end = m.end_date
    if end is None and m.suspension_months:
        end = add_months(m.issued_on, m.suspension_months)
    out: list[ObligationSpec] = []
    if end is not None:
        out.append(
            ObligationSpec(
                "map_end",
                "Fine del periodo di sospensione per la messa alla prova",
                _end_of_day(end),
                "art. 28 DPR 448/1988",
            )
        )
    if m.next_hearing is not None:
        hearing = _end_of_day(m.next_hearing)
    elif end is not None:
        hearing = _shifted(end + timedelta(days=rules.map_outcome_hearing_offset_days), cal)
    else:
        return out
    out.append(
        ObligationSpec(
            "map_outcome_hearing",
            "Udienza sull'esito della messa alla prova (relazione finale)",
            hearing,
            "art. 29 DPR 448/1988",
        )
    )
    return out


def _computed(m: MeasureInput, rules: DeadlineRules, cal: HolidayCalendar) -> list[ObligationSpec]:
    kind = m.measure_type
    if kind is MeasureType.COLLOCAMENTO_403:
        return _chain_403(m, rules, cal)
    if kind is MeasureType.MESSA_ALLA_PROVA:
        return _messa_alla_prova(m, rules, cal)
    out = _periodic_reports(m, rules, cal)
    if kind is MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE:
        out += _responsible_worker(m, rules, cal)
    if kind in TIME_LIMITED:
        out += _time_limit(m, rules, cal)
    elif m.end_date is not None:
        out.append(
            ObligationSpec(
                "measure_expiry",
                f"Scadenza della misura: {kind.label}",
                _end_of_day(m.end_date),
                kind.legal_basis,
            )
        )
    if m.next_hearing is not None:
        out.append(
            ObligationSpec("next_hearing", "Prossima udienza", _end_of_day(m.next_hearing), kind.legal_basis)
        )
    return out


def _from_decree(m: MeasureInput) -> list[ObligationSpec]:
    out: list[ObligationSpec] = []
    counters: dict[str, int] = {}
    for d in sorted(m.decree_deadlines, key=lambda x: x.due):
        counters[d.kind] = counters.get(d.kind, 0) + 1
        seq = counters[d.kind] if d.kind == "periodic_report" else None
        out.append(
            ObligationSpec(
                d.kind or "decree_task", d.title, _end_of_day(d.due), "art. 473-bis.27 c.p.c. (decreto)", seq
            )
        )
    return out


def obligations_for_measure(
    m: MeasureInput, rules: DeadlineRules = DEFAULT_RULES, holidays: HolidayCalendar | None = None
) -> list[ObligationSpec]:
    """All obligations a measure creates, sorted by due moment.

    Decree deadlines replace computed obligations of the same kind.
    """
    cal = holidays or NATIONAL_CALENDAR
    decree = _from_decree(m)
    overridden = {o.kind for o in decree}
    computed = [o for o in _computed(m, rules, cal) if o.kind not in overridden]
    return sorted(computed + decree, key=lambda o: (o.due, o.kind, o.sequence or 0))


def urgency(due: datetime, now: datetime) -> Urgency:
    """``overdue`` when past, ``this_week`` when due within 7 days, else ``later``."""
    due, now = _as_rome(due), _as_rome(now)
    if due < now:
        return "overdue"
    if due - now <= timedelta(days=7):
        return "this_week"
    return "later"
