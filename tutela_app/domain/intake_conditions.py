"""Evaluation of ``when`` conditions over answers (never raises)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .intake_schema import Condition
from .intake_values import has_minor, is_minor

_MISSING = object()


def _safe_in(value: Any, candidates: list[Any]) -> bool:
    try:
        return any(value == c and type(value) is type(c) for c in candidates)
    except Exception:
        return False


def _leaf(cond: Condition, answers: dict[str, Any], today: date) -> bool:
    value = answers.get(cond.answer or "", _MISSING)
    if value is _MISSING:
        return False
    op = cond.operator
    if op == "equals":
        return _safe_in(value, [cond.equals])
    if op == "in":
        return _safe_in(value, cond.in_ or [])
    if op == "contains":
        return isinstance(value, list) and _safe_in(cond.contains, value)
    if op == "has_minor":
        return has_minor(value, today) == cond.has_minor
    return is_minor(value, today) == cond.is_minor


def evaluate(cond: Condition | None, answers: dict[str, Any], today: date) -> bool:
    """Whether ``cond`` holds; a missing answer makes a simple condition false."""
    if cond is None:
        return True
    if cond.all_ is not None:
        return all(evaluate(c, answers, today) for c in cond.all_)
    if cond.any_ is not None:
        return any(evaluate(c, answers, today) for c in cond.any_)
    if cond.not_ is not None:
        return not evaluate(cond.not_, answers, today)
    return _leaf(cond, answers, today)
