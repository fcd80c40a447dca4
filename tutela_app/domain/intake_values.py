"""Lenient parsing of stored answer values (shared by conditions, validation, summary).

Every helper returns None instead of raising on unexpected input.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_IT_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ADULT_AGE = 18


def parse_date(raw: Any) -> date | None:
    """A date from a ``date``, an ISO string (YYYY-MM-DD) or an Italian one (gg/mm/aaaa)."""
    if isinstance(raw, date):
        return raw if type(raw) is date else raw.date()  # type: ignore[attr-defined]
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    text = raw.strip()
    if m := _ISO_RE.match(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _IT_RE.match(text):
        d, mo, y = (int(g) for g in m.groups())
    else:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def age_on(birth: date, today: date) -> int:
    """Completed years of age on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def is_minor(birth_raw: Any, today: date) -> bool:
    birth = parse_date(birth_raw)
    return birth is not None and birth <= today and age_on(birth, today) < ADULT_AGE


def has_minor(members: Any, today: date) -> bool:
    if not isinstance(members, list):
        return False
    return any(isinstance(m, dict) and is_minor(m.get("data_nascita"), today) for m in members)


def as_bool(raw: Any) -> bool | None:
    """True/False from a bool or a yes/no string as sent by a browser."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and len(raw) < 10:
        text = raw.strip().lower()
        if text in ("true", "sì", "si", "yes", "1", "s"):
            return True
        if text in ("false", "no", "0", "n"):
            return False
    return None


def format_date_it(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def format_euro(amount: float) -> str:
    """Italian euro format: 12.345,67 €."""
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} €"
