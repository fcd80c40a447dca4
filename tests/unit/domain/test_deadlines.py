"""Obligations computed from court measures; every test states its legal basis.

Day-based dates are hand-computed; due moments are 23:59 Europe/Rome.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tutela_app.domain.deadlines import (
    DEFAULT_RULES,
    DeadlineRules,
    DecreeDeadline,
    HolidayCalendar,
    MeasureInput,
    MeasureType,
    add_months,
    obligations_for_measure,
    urgency,
)

ROME = ZoneInfo("Europe/Rome")


def eod(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, tzinfo=ROME)


def by_kind(obligations, kind):
    return [o for o in obligations if o.kind == kind]


def due_dates(obligations, kind):
    return [o.due for o in by_kind(obligations, kind)]


def test_measure_labels_and_legal_basis():
    assert MeasureType.COLLOCAMENTO_403.legal_basis == "art. 403 c.c."
    assert MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE.legal_basis == "art. 5-bis L. 184/1983"
    assert MeasureType.MESSA_ALLA_PROVA.legal_basis == "art. 28 DPR 448/1988"
    assert MeasureType.DECADENZA_RESPONSABILITA.label == "Decadenza dalla responsabilità genitoriale"
    assert all(m.label and m.legal_basis for m in MeasureType)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_art_403_cc_chain_in_hours_never_shifted():
    """Art. 403 c.c.: notice 24 h, PM request +72 h, TM decision +48 h, hearing within 15 days."""
    m = MeasureInput(
        MeasureType.COLLOCAMENTO_403,
        issued_on=date(2026, 12, 24),
        effective_at=datetime(2026, 12, 24, 10, 0, tzinfo=ROME),
    )
    obs = obligations_for_measure(m)
    assert [o.kind for o in obs] == ["403_notice_pm", "403_pm_request_tm", "403_tm_decision", "403_hearing"]
    # 25 December is Christmas: hour terms are not shifted.
    assert obs[0].due == datetime(2026, 12, 25, 10, 0, tzinfo=ROME)
    assert obs[1].due == datetime(2026, 12, 28, 10, 0, tzinfo=ROME)
    assert obs[2].due == datetime(2026, 12, 30, 10, 0, tzinfo=ROME)
    # 30/12/2026 + 15 days = Thursday 14/01/2027.
    assert obs[3].due == eod(2027, 1, 14)
    assert all(o.legal_basis == "art. 403 c.c." for o in obs)
    assert "24 ore" in obs[0].title


def test_art_403_cc_hearing_landing_on_santo_stefano_moves_to_monday():
    """Art. 403 c.c. + art. 155 c.p.c.: decision 11/12/2026, +15 days = Sat 26/12 (Santo Stefano)."""
    m = MeasureInput(
        MeasureType.COLLOCAMENTO_403,
        issued_on=date(2026, 12, 5),
        effective_at=datetime(2026, 12, 5, 9, 30, tzinfo=ROME),
    )
    obs = obligations_for_measure(m)
    assert due_dates(obs, "403_tm_decision") == [datetime(2026, 12, 11, 9, 30, tzinfo=ROME)]
    assert due_dates(obs, "403_hearing") == [eod(2026, 12, 28)]


def test_art_403_cc_hours_are_elapsed_hours_across_dst():
    """Art. 403 c.c.: 24 elapsed hours across the 29/03/2026 clock change end at 13:00 CEST."""
    m = MeasureInput(
        MeasureType.COLLOCAMENTO_403, issued_on=date(2026, 3, 28), effective_at=datetime(2026, 3, 28, 12, 0)
    )  # naive = Europe/Rome
    notice = by_kind(obligations_for_measure(m), "403_notice_pm")[0].due
    assert notice == datetime(2026, 3, 29, 13, 0, tzinfo=ROME)
    utc = ZoneInfo("UTC")
    elapsed = notice.astimezone(utc) - datetime(2026, 3, 28, 12, 0, tzinfo=ROME).astimezone(utc)
    assert elapsed == timedelta(hours=24)


def test_art_403_cc_hearing_set_by_court_and_missing_effective_time():
    """Art. 403 c.c.: a hearing date fixed in the convalida decree replaces the computed one."""
    m = MeasureInput(
        MeasureType.COLLOCAMENTO_403,
        issued_on=date(2026, 12, 5),
        effective_at=datetime(2026, 12, 5, 9, 30, tzinfo=ROME),
        next_hearing=date(2026, 12, 22),
    )
    assert due_dates(obligations_for_measure(m), "403_hearing") == [eod(2026, 12, 22)]
    assert obligations_for_measure(MeasureInput(MeasureType.COLLOCAMENTO_403, date(2026, 12, 5))) == []


def test_art_403_cc_hours_are_administrator_changeable():
    rules = DeadlineRules(notice_pm_hours=12, hearing_days=11)
    m = MeasureInput(
        MeasureType.COLLOCAMENTO_403,
        issued_on=date(2026, 12, 24),
        effective_at=datetime(2026, 12, 24, 10, 0, tzinfo=ROME),
    )
    obs = obligations_for_measure(m, rules)
    assert obs[0].due == datetime(2026, 12, 24, 22, 0, tzinfo=ROME)
    # notice 24/12 22:00, request 27/12 22:00, decision 29/12 22:00;
    # +11 days = Sat 09/01/2027 -> Mon 11/01/2027
    assert obs[2].due == datetime(2026, 12, 29, 22, 0, tzinfo=ROME)
    assert obs[3].due == eod(2027, 1, 11)


def affidamento(**kw):
    base = dict(issued_on=date(2026, 3, 20), notified_on=date(2026, 3, 21))
    base.update(kw)
    return MeasureInput(MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE, **base)


def test_art_5bis_l184_responsible_worker_within_15_days_easter_shift():
    """Art. 5-bis L. 184/1983: notified 21/03/2026 + 15 days = Easter Sunday 05/04 -> Tue 07/04."""
    obs = obligations_for_measure(affidamento())
    worker = by_kind(obs, "name_responsible_worker")
    assert [o.due for o in worker] == [eod(2026, 4, 7)]
    assert worker[0].legal_basis == "art. 5-bis L. 184/1983"


def test_art_5bis_l184_six_monthly_reports_for_24_months():
    """Art. 5-bis L. 184/1983: reports every 6 months from notice, up to the 24-month limit."""
    obs = obligations_for_measure(affidamento())
    reports = by_kind(obs, "periodic_report")
    assert [o.due for o in reports] == [
        eod(2026, 9, 21),
        eod(2027, 3, 22),  # 21/03/2027 is a Sunday
        eod(2027, 9, 21),
        eod(2028, 3, 21),
    ]
    assert [o.sequence for o in reports] == [1, 2, 3, 4]
    assert reports[0].title == "Relazione periodica n. 1 all'Autorità Giudiziaria"


def test_art_5bis_l184_decree_period_capped_at_six_months():
    """Art. 5-bis L. 184/1983: reports at most every 6 months, so a 12-month period becomes 6."""
    assert len(by_kind(obligations_for_measure(affidamento(report_period_months=12)), "periodic_report")) == 4
    quarterly = by_kind(obligations_for_measure(affidamento(report_period_months=3)), "periodic_report")
    assert len(quarterly) == 8
    assert quarterly[0].due == eod(2026, 6, 22)  # 21/06/2026 is a Sunday


def test_art_4_l184_24_month_limit_and_extension_reminder_for_affidamento():
    """Art. 4 c. 4 L. 184/1983: expiry 21/03/2028, extension reminder 60 days before = 21/01/2028."""
    obs = obligations_for_measure(affidamento())
    assert due_dates(obs, "measure_expiry") == [eod(2028, 3, 21)]
    extension = by_kind(obs, "extension_request")
    assert [o.due for o in extension] == [eod(2028, 1, 21)]
    assert "21/03/2028" in extension[0].title
    lead90 = obligations_for_measure(affidamento(), DeadlineRules(extension_lead_days=90))
    assert due_dates(lead90, "extension_request") == [eod(2027, 12, 22)]  # Wed 22/12/2027


def affido(**kw):
    base = dict(issued_on=date(2026, 6, 20), notified_on=date(2026, 6, 26))
    base.update(kw)
    return MeasureInput(MeasureType.AFFIDO_FAMILIARE, **base)


def test_art_4_l184_affido_familiare_semestral_reports_with_holiday_shifts():
    """Art. 4 c. 3 L. 184/1983: report every 6 months; 26/12/2026 (Sat, Santo Stefano) -> Mon 28/12."""
    obs = obligations_for_measure(affido())
    assert due_dates(obs, "periodic_report") == [
        eod(2026, 12, 28),
        eod(2027, 6, 28),
        eod(2027, 12, 27),
        eod(2028, 6, 26),
    ]
    assert by_kind(obs, "periodic_report")[0].legal_basis == "art. 4 c. 3 L. 184/1983"
    assert by_kind(obs, "name_responsible_worker") == []


def test_art_4_l184_affido_familiare_24_months_unless_extended():
    """Art. 4 c. 4 L. 184/1983: expiry 26/06/2028; reminder 60 days before = Thu 27/04/2028."""
    obs = obligations_for_measure(affido())
    assert due_dates(obs, "measure_expiry") == [eod(2028, 6, 26)]
    assert due_dates(obs, "extension_request") == [eod(2028, 4, 27)]


def test_art_4_l184_affido_with_decree_end_date_limits_reports():
    """Art. 4 L. 184/1983: end 30/06/2027; reminder 01/05/2027 (Sat, Labour Day) -> Mon 03/05."""
    obs = obligations_for_measure(affido(end_date=date(2027, 6, 30)))
    assert due_dates(obs, "periodic_report") == [eod(2026, 12, 28), eod(2027, 6, 28)]
    assert due_dates(obs, "measure_expiry") == [eod(2027, 6, 30)]
    assert due_dates(obs, "extension_request") == [eod(2027, 5, 3)]


def test_l184_collocamento_comunita_default_reports_no_24_month_reminder():
    """L. 184/1983: placement in a community gets 6-monthly reports; expiry only when set."""
    m = MeasureInput(MeasureType.COLLOCAMENTO_COMUNITA, issued_on=date(2026, 6, 26))
    obs = obligations_for_measure(m)
    assert len(by_kind(obs, "periodic_report")) == 4
    assert by_kind(obs, "extension_request") == [] and by_kind(obs, "measure_expiry") == []
    ended = obligations_for_measure(
        MeasureInput(MeasureType.COLLOCAMENTO_COMUNITA, date(2026, 6, 26), end_date=date(2026, 12, 31))
    )
    assert due_dates(ended, "periodic_report") == [eod(2026, 12, 28)]
    assert due_dates(ended, "measure_expiry") == [eod(2026, 12, 31)]


def test_art_333_cc_only_decree_deadlines_not_shifted():
    """Art. 333 c.c. / art. 473-bis.27 c.p.c.: the decree sets the tasks; its dates are taken as given."""
    m = MeasureInput(
        MeasureType.LIMITAZIONE_RESPONSABILITA,
        issued_on=date(2026, 11, 2),
        decree_deadlines=[
            DecreeDeadline("decree_task", "Relazione sul percorso dei genitori", date(2027, 2, 13))
        ],
    )  # a Saturday
    obs = obligations_for_measure(m)
    assert [(o.kind, o.title, o.due) for o in obs] == [
        ("decree_task", "Relazione sul percorso dei genitori", eod(2027, 2, 13))
    ]
    assert obs[0].legal_basis.startswith("art. 473-bis.27 c.p.c.")


def test_art_330_cc_decree_report_period_generates_reports():
    """Art. 330 c.c.: with a decree report period of 4 months, reports until the end date."""
    m = MeasureInput(
        MeasureType.DECADENZA_RESPONSABILITA,
        issued_on=date(2026, 1, 10),
        notified_on=date(2026, 1, 15),
        report_period_months=4,
        end_date=date(2026, 12, 31),
    )
    obs = obligations_for_measure(m)
    assert due_dates(obs, "periodic_report") == [eod(2026, 5, 15), eod(2026, 9, 15)]
    assert due_dates(obs, "measure_expiry") == [eod(2026, 12, 31)]


def test_art_336_cc_next_hearing():
    """Art. 336 c.c.: the provisional decree's next hearing is an obligation on its date."""
    m = MeasureInput(
        MeasureType.DECRETO_PROVVISORIO, issued_on=date(2026, 12, 1), next_hearing=date(2027, 1, 12)
    )
    assert [(o.kind, o.due) for o in obligations_for_measure(m)] == [("next_hearing", eod(2027, 1, 12))]
    assert obligations_for_measure(MeasureInput(MeasureType.DECRETO_PROVVISORIO, date(2026, 12, 1))) == []


def test_art_473bis27_cpc_decree_deadline_overrides_computed_reports():
    """Art. 473-bis.27 c.p.c.: decree report deadlines replace the default periodic reports."""
    m = affidamento(
        decree_deadlines=[
            DecreeDeadline("periodic_report", "Seconda relazione", date(2027, 1, 31)),
            DecreeDeadline("periodic_report", "Prima relazione", date(2026, 8, 31)),
            DecreeDeadline("decree_task", "Incontro protetto con la madre", date(2026, 5, 4)),
        ]
    )
    obs = obligations_for_measure(m)
    reports = by_kind(obs, "periodic_report")
    assert [(o.title, o.due, o.sequence) for o in reports] == [
        ("Prima relazione", eod(2026, 8, 31), 1),
        ("Seconda relazione", eod(2027, 1, 31), 2),
    ]
    assert due_dates(obs, "decree_task") == [eod(2026, 5, 4)]
    assert due_dates(obs, "name_responsible_worker") == [eod(2026, 4, 7)]  # untouched
    assert [o.due for o in obs] == sorted(o.due for o in obs)


def test_art_28_dpr_448_1988_map_end_and_outcome_hearing():
    """Art. 28-29 DPR 448/1988: suspension of 12 months from 10/02/2026; outcome hearing +30 days."""
    m = MeasureInput(MeasureType.MESSA_ALLA_PROVA, issued_on=date(2026, 2, 10), suspension_months=12)
    obs = obligations_for_measure(m)
    assert [(o.kind, o.due) for o in obs] == [
        ("map_end", eod(2027, 2, 10)),
        ("map_outcome_hearing", eod(2027, 3, 12)),
    ]
    assert obs[0].legal_basis == "art. 28 DPR 448/1988"
    assert obs[1].legal_basis == "art. 29 DPR 448/1988"


def test_art_28_dpr_448_1988_hearing_date_and_end_date_given():
    m = MeasureInput(
        MeasureType.MESSA_ALLA_PROVA,
        issued_on=date(2026, 2, 10),
        end_date=date(2026, 11, 30),
        next_hearing=date(2027, 1, 19),
    )
    obs = obligations_for_measure(m)
    assert [(o.kind, o.due) for o in obs] == [
        ("map_end", eod(2026, 11, 30)),
        ("map_outcome_hearing", eod(2027, 1, 19)),
    ]
    offset = DeadlineRules(map_outcome_hearing_offset_days=26)  # 30/11 + 26 = Sat 26/12 -> Mon 28/12
    m2 = MeasureInput(MeasureType.MESSA_ALLA_PROVA, issued_on=date(2026, 2, 10), end_date=date(2026, 11, 30))
    assert due_dates(obligations_for_measure(m2, offset), "map_outcome_hearing") == [eod(2026, 12, 28)]
    assert obligations_for_measure(MeasureInput(MeasureType.MESSA_ALLA_PROVA, date(2026, 2, 10))) == []


def test_art_155_cpc_patron_saint_calendar_shifts_day_deadlines():
    """Art. 155 c.p.c.: a local patron-saint day is a holiday for the Comune's calendar."""
    cal = HolidayCalendar(extra_dates=[date(2026, 4, 7)])
    obs = obligations_for_measure(affidamento(), holidays=cal)
    assert due_dates(obs, "name_responsible_worker") == [eod(2026, 4, 8)]


def test_due_moments_are_timezone_aware_rome():
    for o in obligations_for_measure(affidamento()):
        assert o.due.tzinfo is not None and o.due.utcoffset() in (timedelta(hours=1), timedelta(hours=2))


def test_default_rules_values():
    r = DEFAULT_RULES
    assert (r.notice_pm_hours, r.pm_request_tm_hours, r.tm_decision_hours, r.hearing_days) == (24, 72, 48, 15)
    assert (
        r.responsible_worker_days,
        r.report_period_months,
        r.max_duration_months,
        r.extension_lead_days,
    ) == (15, 6, 24, 60)
    with pytest.raises(ValueError):
        DeadlineRules(notice_pm_hours=0)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (datetime(2026, 12, 1, 9, 59, tzinfo=ROME), "overdue"),
        (datetime(2026, 12, 1, 10, 0, tzinfo=ROME), "this_week"),
        (datetime(2026, 12, 8, 10, 0, tzinfo=ROME), "this_week"),
        (datetime(2026, 12, 8, 10, 1, tzinfo=ROME), "later"),
        (datetime(2026, 12, 1, 9, 0), "overdue"),  # naive = Europe/Rome
        (datetime(2026, 12, 20, 9, 0), "later"),
    ],
)
def test_urgency(due, expected):
    now = datetime(2026, 12, 1, 10, 0, tzinfo=ROME)
    assert urgency(due, now) == expected


def test_urgency_mixed_timezones():
    now = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Rome
    assert urgency(datetime(2026, 12, 1, 10, 30, tzinfo=ROME), now) == "this_week"
    assert urgency(datetime(2026, 12, 1, 9, 30, tzinfo=ROME), now) == "overdue"
