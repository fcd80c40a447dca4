"""Front-desk intake (scheda di primo accesso): the questionnaire engine.

The questions live in ``intake_flow.json`` (see ``intake_schema`` for the format and the
condition grammar). Everything here is a pure function of (flow, answers, today):

* a question *applies* when its ``when`` holds over the answers of earlier questions that
  themselves apply (stale answers to skipped questions never count);
* a question is *answered* when its id is a key of ``answers`` (an optional question the
  operator skipped is stored as None / []);
* ``prune_answers`` keeps only answers of applicable questions (unknown keys are dropped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from .intake_conditions import evaluate
from .intake_members import RELATIONS
from .intake_schema import (
    DEFAULT_FLOW_PATH,
    SECTIONS,
    Flow,
    FlowDefinitionError,
    Question,
    flow_from_dict,
    load_flow,
    with_served_comuni,
)
from .intake_validation import AnswerResult, parse_money, validate_answer
from .intake_values import format_date_it, format_euro, parse_date

__all__ = [
    "DEFAULT_FLOW_PATH",
    "SECTIONS",
    "Flow",
    "FlowDefinitionError",
    "Question",
    "AnswerResult",
    "Progress",
    "SectionStatus",
    "RiskResult",
    "load_flow",
    "flow_from_dict",
    "with_served_comuni",
    "applicable_questions",
    "prune_answers",
    "next_question",
    "validate_answer",
    "progress",
    "risk_assessment",
    "suggested_outcome",
    "summary",
]

RISK_QUESTIONS: dict[str, str] = {
    "risk_maltreatment": "Segnali di maltrattamento, trascuratezza o abuso su un minore.",
    "risk_domestic_violence": "Minore esposto a violenza domestica.",
    "risk_parental_difficulty": "Gravi difficoltà dei genitori nella cura del minore.",
    "risk_school_dropout": "Abbandono o frequenza scolastica molto irregolare.",
}
URGENT_QUESTION = "risk_urgent"
URGENT_REASON = "Urgenza di protezione immediata."
OTHER_COMUNE = "altro"
EMPTY_DISPLAY = "Non indicato"

Status = Literal["done", "current", "todo"]


def _answers(answers: Any) -> dict[str, Any]:
    return {k: v for k, v in answers.items() if isinstance(k, str)} if isinstance(answers, dict) else {}


def applicable_questions(flow: Flow, answers: dict[str, Any], today: date) -> list[Question]:
    """Questions that apply given the answers, in flow order."""
    given = _answers(answers)
    effective: dict[str, Any] = {}
    result: list[Question] = []
    for q in flow.questions:
        if evaluate(q.when, effective, today):
            result.append(q)
            if q.id in given:
                effective[q.id] = given[q.id]
    return result


def prune_answers(flow: Flow, answers: dict[str, Any], today: date) -> dict[str, Any]:
    """Answers restricted to the questions that still apply."""
    given = _answers(answers)
    return {q.id: given[q.id] for q in applicable_questions(flow, given, today) if q.id in given}


def next_question(flow: Flow, answers: dict[str, Any], today: date) -> Question | None:
    """First applicable unanswered question; None means ready for the summary."""
    given = _answers(answers)
    return next((q for q in applicable_questions(flow, given, today) if q.id not in given), None)


@dataclass(frozen=True)
class SectionStatus:
    name: str
    status: Status


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    current_section_index: int  # == len(sections) when every section is done
    sections: list[SectionStatus] = field(default_factory=list)


def progress(flow: Flow, answers: dict[str, Any], today: date) -> Progress:
    """Answered / applicable counts and the section path (only sections that apply)."""
    given = _answers(answers)
    applicable = applicable_questions(flow, given, today)
    current = next((q for q in applicable if q.id not in given), None)
    names = list(dict.fromkeys(q.section for q in applicable))
    statuses: list[SectionStatus] = []
    for name in names:
        if current is not None and current.section == name:
            status: Status = "current"
        elif all(q.id in given for q in applicable if q.section == name):
            status = "done"
        else:
            status = "todo"
        statuses.append(SectionStatus(name, status))
    index = names.index(current.section) if current else len(names)
    answered = sum(1 for q in applicable if q.id in given)
    return Progress(answered=answered, total=len(applicable), current_section_index=index, sections=statuses)


@dataclass(frozen=True)
class RiskResult:
    at_risk: bool
    urgent: bool
    reasons: list[str] = field(default_factory=list)


def risk_assessment(answers: dict[str, Any]) -> RiskResult:
    """Minor-at-risk screening from the yes/no risk questions."""
    given = _answers(answers)
    reasons = [reason for qid, reason in RISK_QUESTIONS.items() if given.get(qid) is True]
    urgent = given.get(URGENT_QUESTION) is True
    if urgent:
        reasons.append(URGENT_REASON)
    return RiskResult(at_risk=bool(reasons), urgent=urgent, reasons=reasons)


def suggested_outcome(answers: dict[str, Any], served_tenant_codes: Any) -> str | None:
    """``segnalazione_tm`` when a minor may be at risk; ``invio`` when residence is outside
    the served Comuni; otherwise no suggestion."""
    given = _answers(answers)
    if risk_assessment(given).at_risk:
        return "segnalazione_tm"
    comune = given.get("residence_comune")
    if not isinstance(comune, str) or not comune:
        return None
    served = {c for c in (served_tenant_codes or []) if isinstance(c, str)}
    if comune == OTHER_COMUNE or comune not in served:
        return "invio"
    return None


def _display_member(m: Any) -> str:
    if not isinstance(m, dict):
        return str(m)
    born = parse_date(m.get("data_nascita"))
    parts = [RELATIONS.get(str(m.get("relazione")), str(m.get("relazione") or ""))]
    if born:
        parts.append(f"nato/a il {format_date_it(born)}")
    return f"{m.get('cognome', '')} {m.get('nome', '')} ({', '.join(p for p in parts if p)})".strip()


def display_value(q: Question, value: Any) -> str:
    """Human-readable Italian rendering of a stored answer."""
    if value is None or value == "" or value == []:
        return "Nessuno" if q.kind in ("multichoice", "members") else EMPTY_DISPLAY
    if q.kind == "yesno":
        return "Sì" if value is True else "No" if value is False else str(value)
    if q.kind == "choice":
        return q.option_label(value) or str(value)
    if q.kind == "multichoice" and isinstance(value, list):
        return ", ".join(q.option_label(v) or str(v) for v in value)
    if q.kind == "date":
        d = parse_date(value)
        return format_date_it(d) if d else str(value)
    if q.kind == "money":
        amount = parse_money(value)
        return format_euro(amount) if amount is not None else str(value)
    if q.kind == "members" and isinstance(value, list):
        return "; ".join(_display_member(m) for m in value)
    return str(value)


def summary(flow: Flow, answers: dict[str, Any], today: date) -> list[tuple[str, str, str]]:
    """(section, prompt, display value) for every applicable answered question."""
    given = _answers(answers)
    return [
        (q.section, q.prompt, display_value(q, given[q.id]))
        for q in applicable_questions(flow, given, today)
        if q.id in given
    ]
