"""Validation and normalisation of one raw answer (as sent by a browser).

``validate_answer`` never raises: any unexpected input becomes a clean Italian error.
Normalised values are JSON-serialisable (dates as ISO strings, money as a float).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .codice_fiscale import compare_with_declared, validate_cf
from .intake_members import validate_members
from .intake_schema import Question
from .intake_values import as_bool, format_date_it, parse_date

MAX_RAW_CHARS = 10_000
DEFAULT_MAX_LENGTH = {"text": 200, "longtext": 4000}
MIN_YEAR = 1900
_MONEY_RE = re.compile(r"^\d+(?:[.,]\d+)?$")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+$")

MSG_REQUIRED = "Questa risposta è obbligatoria."
MSG_INVALID = "Valore non valido."


@dataclass
class AnswerResult:
    ok: bool
    value: Any = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def _fail(message: str) -> AnswerResult:
    return AnswerResult(ok=False, error=message)


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)


def _fmt_num(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".") if float(x).is_integer() else str(x).replace(".", ",")


def _check_range(q: Question, value: float) -> str | None:
    v = q.validation
    if v.min is not None and value < v.min:
        return v.message or f"Il valore deve essere almeno {_fmt_num(v.min)}."
    if v.max is not None and value > v.max:
        return v.message or f"Il valore non può superare {_fmt_num(v.max)}."
    return None


def _text(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    if not isinstance(raw, str):
        return _fail("Scrivi la risposta come testo.")
    text = raw.strip()
    v = q.validation
    limit = v.max_length or DEFAULT_MAX_LENGTH.get(q.kind, 200)
    if len(text) > limit:
        return _fail(f"Il testo è troppo lungo: al massimo {limit} caratteri (ora sono {len(text)}).")
    if v.min_length is not None and len(text) < v.min_length:
        return _fail(f"Il testo è troppo corto: almeno {v.min_length} caratteri.")
    if v.pattern is not None and not re.fullmatch(v.pattern, text):
        return _fail(v.message or "Il formato della risposta non è valido.")
    return AnswerResult(ok=True, value=text)


def _choice(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    if not isinstance(raw, str) or q.option_label(raw) is None:
        return _fail("Scegli una delle opzioni proposte.")
    return AnswerResult(ok=True, value=raw)


def _multichoice(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        return _fail("Scegli una o più delle opzioni proposte.")
    if any(not isinstance(i, str) or q.option_label(i) is None for i in items):
        return _fail("Una delle scelte non è tra le opzioni proposte.")
    return AnswerResult(ok=True, value=[o.value for o in q.options if o.value in items])


def _yesno(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    value = as_bool(raw)
    if value is None:
        return _fail("Rispondi Sì o No.")
    if value is False and q.validation.must_be_true:
        return _fail(q.validation.must_be_true)
    return AnswerResult(ok=True, value=value)


def _date(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    d = parse_date(raw)
    if d is None:
        return _fail("Data non valida: usa il formato gg/mm/aaaa.")
    if d.year < MIN_YEAR:
        return _fail(f"La data è troppo lontana nel passato (prima del {MIN_YEAR}).")
    if q.validation.not_future and d > today:
        return _fail("La data non può essere nel futuro.")
    warnings = [q.validation.warn_past] if q.validation.warn_past and d < today else []
    return AnswerResult(ok=True, value=d.isoformat(), warnings=warnings)


def _integer(raw: Any) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"-?\d{1,15}", raw.strip()):
        return int(raw.strip())
    return None


def _number(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    value = _integer(raw)
    if value is None or abs(value) > 10**15:
        return _fail("Inserisci un numero intero, senza lettere né decimali.")
    error = _check_range(q, value)
    return _fail(error) if error else AnswerResult(ok=True, value=value)


def parse_money(raw: Any) -> float | None:
    """Euro amount from '12.345,67', '12345.67', '€ 1.234', 1234.5 ... (None if unparsable)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw) if math.isfinite(raw) and abs(raw) < 1e12 else None
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    text = re.sub(r"[\s€']", "", raw).removeprefix("EUR")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS_RE.match(text):
        text = text.replace(".", "")
    if not _MONEY_RE.match(text) or len(text.partition(".")[2]) > 2:
        return None
    return float(text)


def _money(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    value = parse_money(raw)
    if value is None:
        return _fail("Importo non valido: scrivi una cifra in euro, ad esempio 8.500,00.")
    error = _check_range(q, value)
    return _fail(error) if error else AnswerResult(ok=True, value=round(value, 2))


def _codice_fiscale(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    if not isinstance(raw, str):
        return _fail("Scrivi il codice fiscale come testo.")
    check = validate_cf(raw, today)
    if not check.valid:
        return _fail(check.error or MSG_INVALID)
    declared_birth = parse_date(context.get("birth_date"))
    declared_sex = context.get("sex") if isinstance(context.get("sex"), str) else None
    return AnswerResult(
        ok=True, value=check.normalized, warnings=compare_with_declared(check, declared_birth, declared_sex)
    )


def _members(q: Question, raw: Any, today: date, context: dict[str, Any]) -> AnswerResult:
    value, error, warnings = validate_members(raw, today)
    return (
        AnswerResult(ok=False, error=error)
        if error
        else AnswerResult(ok=True, value=value, warnings=warnings)
    )


_VALIDATORS: dict[str, Callable[[Question, Any, date, dict[str, Any]], AnswerResult]] = {
    "text": _text,
    "longtext": _text,
    "choice": _choice,
    "multichoice": _multichoice,
    "yesno": _yesno,
    "date": _date,
    "number": _number,
    "money": _money,
    "codice_fiscale": _codice_fiscale,
    "members": _members,
}


def _too_big(raw: Any) -> bool:
    if isinstance(raw, str):
        return len(raw) > MAX_RAW_CHARS
    if isinstance(raw, list | tuple | dict):
        return len(raw) > 100
    return False


def validate_answer(
    question: Question, raw: Any, today: date, context: dict[str, Any] | None = None
) -> AnswerResult:
    """Validate and normalise ``raw`` for ``question``; ``context`` holds earlier answers."""
    try:
        if _too_big(raw):
            return _fail("La risposta è troppo lunga.")
        if _is_empty(raw):
            return (
                _fail(MSG_REQUIRED)
                if question.required
                else AnswerResult(ok=True, value=[] if question.kind in ("multichoice", "members") else None)
            )
        return _VALIDATORS[question.kind](question, raw, today, context if isinstance(context, dict) else {})
    except Exception:  # last line of defence against hostile input
        return _fail(MSG_INVALID)


__all__ = ["AnswerResult", "validate_answer", "parse_money", "format_date_it"]
