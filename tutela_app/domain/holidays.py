"""Italian public holidays and the working-day shift of day-based deadlines.

Policy (art. 155 c.p.c., commi 4-5): a term counted in days that ends on a public
holiday or on a Saturday is extended to the next working day. Sundays are always
non-working. National holidays (L. 260/1949 and later amendments):

* 1 January (Capodanno), 6 January (Epifania), Easter Monday (Lunedì dell'Angelo,
  computed), 25 April (Liberazione), 1 May (Lavoro), 2 June (Repubblica),
  15 August (Assunzione), 1 November (Ognissanti), 8 December (Immacolata),
  25 and 26 December (Natale, Santo Stefano);
* 4 October (San Francesco d'Assisi e Santa Caterina da Siena) from 2026,
  as re-established by L. 151/2025 — can be disabled if an administrator decides so.

Local holidays (the patron saint of a Comune) are added per calendar, either as
recurring (month, day) pairs or as single dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

FIXED_NATIONAL_HOLIDAYS: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 6),
    (4, 25),
    (5, 1),
    (6, 2),
    (8, 15),
    (11, 1),
    (12, 8),
    (12, 25),
    (12, 26),
)
SAINT_FRANCIS = (10, 4)
SAINT_FRANCIS_FROM_YEAR = 2026
SATURDAY = 5
SUNDAY = 6


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian / Meeus-Jones-Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def easter_monday(year: int) -> date:
    return easter_sunday(year) + timedelta(days=1)


class HolidayCalendar:
    """Italian national holidays plus optional local ones."""

    def __init__(
        self,
        extra_dates: Iterable[date] = (),
        recurring: Iterable[tuple[int, int]] = (),
        saturday_is_holiday: bool = True,
        include_saint_francis: bool = True,
    ) -> None:
        self.extra_dates = frozenset(extra_dates)
        self.recurring = frozenset(recurring)
        self.saturday_is_holiday = saturday_is_holiday
        self.include_saint_francis = include_saint_francis

    def is_holiday(self, d: date) -> bool:
        """True on national or local public holidays (weekends excluded)."""
        md = (d.month, d.day)
        if md in FIXED_NATIONAL_HOLIDAYS or md in self.recurring or d in self.extra_dates:
            return True
        if self.include_saint_francis and md == SAINT_FRANCIS and d.year >= SAINT_FRANCIS_FROM_YEAR:
            return True
        return d == easter_monday(d.year)

    def is_working_day(self, d: date) -> bool:
        if d.weekday() == SUNDAY:
            return False
        if d.weekday() == SATURDAY and self.saturday_is_holiday:
            return False
        return not self.is_holiday(d)

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, otherwise the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d


NATIONAL_CALENDAR = HolidayCalendar()
