"""Goal attainment helpers for monitoraggio e valutazione dell'efficacia.

Goals are scored on an ordinal scale (e.g. 1-5) at the start (baseline) and at each
review; the change is ``latest - baseline`` and is grouped in Italian bands.
"""

from __future__ import annotations

import calendar
from datetime import date

BAND_WORSENED = "Peggioramento"
BAND_UNCHANGED = "Nessun cambiamento"
BAND_SLIGHT = "Miglioramento lieve"
BAND_SIGNIFICANT = "Miglioramento significativo"

SIGNIFICANT_THRESHOLD = 2


def score_change(baseline: int, latest: int) -> int:
    """Difference between the latest review score and the baseline score."""
    return int(latest) - int(baseline)


def attainment_band(change: int) -> str:
    """Italian label for a score change."""
    if change < 0:
        return BAND_WORSENED
    if change == 0:
        return BAND_UNCHANGED
    if change < SIGNIFICANT_THRESHOLD:
        return BAND_SLIGHT
    return BAND_SIGNIFICANT


def _is_last_day(d: date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def months_between(a: date, b: date) -> int:
    """Whole calendar months elapsed from ``a`` to ``b`` (negative when ``b`` < ``a``).

    A month is complete when the day of month is reached again; when the start day
    does not exist in the end month (31 Jan -> 28/29 Feb) the month's last day counts.
    """
    if b < a:
        return -months_between(b, a)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if b.day < a.day and not _is_last_day(b):
        months -= 1
    return months
