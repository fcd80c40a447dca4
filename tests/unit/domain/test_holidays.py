"""Italian holidays and the next-working-day shift (art. 155 c.p.c., commi 4-5)."""

from datetime import date

import pytest

from tutela_app.domain.deadlines import HolidayCalendar, easter_monday, easter_sunday, next_working_day


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday_known_dates(year, easter):
    assert easter_sunday(year) == easter


def test_easter_monday_is_a_holiday_l_260_1949():
    cal = HolidayCalendar()
    assert easter_monday(2026) == date(2026, 4, 6)
    assert cal.is_holiday(date(2026, 4, 6))
    assert not cal.is_holiday(date(2026, 4, 7))


@pytest.mark.parametrize(
    "day",
    [
        "2026-01-01",
        "2026-01-06",
        "2026-04-25",
        "2026-05-01",
        "2026-06-02",
        "2026-08-15",
        "2026-11-01",
        "2026-12-08",
        "2026-12-25",
        "2026-12-26",
        "2027-10-04",
    ],
)
def test_national_holidays(day):
    assert HolidayCalendar().is_holiday(date.fromisoformat(day))


def test_saint_francis_only_from_2026_and_can_be_disabled():
    assert not HolidayCalendar().is_holiday(date(2025, 10, 4))
    assert not HolidayCalendar(include_saint_francis=False).is_holiday(date(2027, 10, 4))


def test_next_working_day_art_155_cpc_saturday_sunday_holidays():
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 24)  # Thursday, working
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)  # Fri Christmas, Sat+St Stephen, Sun
    assert next_working_day(date(2026, 4, 5)) == date(2026, 4, 7)  # Easter Sunday -> Easter Monday -> Tue
    assert next_working_day(date(2027, 10, 4)) == date(2027, 10, 5)  # Monday, San Francesco
    assert next_working_day(date(2026, 12, 31)) == date(2026, 12, 31)


def test_saturday_can_be_treated_as_working_by_choice():
    cal = HolidayCalendar(saturday_is_holiday=False)
    assert cal.next_working_day(date(2027, 6, 26)) == date(2027, 6, 26)
    assert HolidayCalendar().next_working_day(date(2027, 6, 26)) == date(2027, 6, 28)


def test_patron_saint_recurring_and_single_extra_dates():
    milano = HolidayCalendar(recurring=[(12, 7)])  # Sant'Ambrogio
    assert milano.next_working_day(date(2026, 12, 7)) == date(2026, 12, 9)  # 7 patron, 8 Immacolata
    assert HolidayCalendar().next_working_day(date(2026, 12, 7)) == date(2026, 12, 7)
    once = HolidayCalendar(extra_dates=[date(2026, 9, 21)])
    assert once.next_working_day(date(2026, 9, 21)) == date(2026, 9, 22)
    assert next_working_day(date(2026, 9, 21), once) == date(2026, 9, 22)
