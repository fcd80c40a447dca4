"""Schema of the front-desk intake questionnaire (``intake_flow.json``) and its loader.

A flow is an ordered list of questions; each may carry a declarative ``when`` condition
over *earlier* answers. Condition grammar (one operator per node):

* ``{"answer": id, "equals": v}`` / ``{"answer": id, "in": [..]}``
* ``{"answer": id, "contains": v}`` (a multichoice answer includes ``v``)
* ``{"answer": id, "has_minor": true}`` (a ``members`` answer lists someone under 18 today)
* ``{"answer": id, "is_minor": true}`` (a ``date`` answer is a birth date under 18 today)
* ``{"all": [..]}``, ``{"any": [..]}``, ``{"not": {..}}``
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DEFAULT_FLOW_PATH = Path(__file__).with_name("intake_flow.json")

Kind = Literal[
    "text",
    "longtext",
    "choice",
    "multichoice",
    "yesno",
    "date",
    "number",
    "money",
    "codice_fiscale",
    "members",
]
SECTIONS: tuple[str, ...] = (
    "Chi si presenta",
    "Identità",
    "Residenza",
    "Nucleo familiare",
    "Bisogno",
    "ISEE",
    "Servizi coinvolti",
    "Rischio minori",
    "Privacy",
    "Esito",
)
Section = Literal[
    "Chi si presenta",
    "Identità",
    "Residenza",
    "Nucleo familiare",
    "Bisogno",
    "ISEE",
    "Servizi coinvolti",
    "Rischio minori",
    "Privacy",
    "Esito",
]
CHOICE_KINDS = ("choice", "multichoice")
_LEAF_OPS = ("equals", "in", "contains", "has_minor", "is_minor")
# Which question kind each special operator needs.
_OP_KINDS = {"contains": ("multichoice",), "has_minor": ("members",), "is_minor": ("date",)}


class FlowDefinitionError(ValueError):
    """The questionnaire definition is inconsistent."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Option(_Strict):
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)


class Validation(_Strict):
    min: float | None = None
    max: float | None = None
    min_length: int | None = Field(None, ge=0)
    max_length: int | None = Field(None, ge=1)
    pattern: str | None = None
    message: str | None = None
    not_future: bool = False
    warn_past: str | None = None
    must_be_true: str | None = None

    @model_validator(mode="after")
    def _pattern_compiles(self) -> Validation:
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"espressione regolare non valida: {exc}") from exc
        return self


class Condition(_Strict):
    answer: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(None, alias="in")
    contains: Any = None
    has_minor: bool | None = None
    is_minor: bool | None = None
    all_: list[Condition] | None = Field(None, alias="all")
    any_: list[Condition] | None = Field(None, alias="any")
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        given = {self._field_key(name) for name in self.model_fields_set}
        groups = given & {"all", "any", "not"}
        leaf_ops = given & set(_LEAF_OPS)
        if groups:
            if len(given) != 1:
                raise ValueError("una condizione 'all'/'any'/'not' non può avere altre chiavi")
        elif "answer" not in given or len(leaf_ops) != 1:
            raise ValueError("una condizione semplice richiede 'answer' e un solo operatore")
        return self

    @staticmethod
    def _field_key(name: str) -> str:
        return name.rstrip("_")

    @property
    def operator(self) -> str:
        given = {self._field_key(n) for n in self.model_fields_set}
        return next(op for op in ("all", "any", "not", *_LEAF_OPS) if op in given)

    def referenced(self) -> list[tuple[str, str]]:
        """(answer id, operator) pairs used anywhere in this condition."""
        if self.all_ is not None or self.any_ is not None:
            return [ref for c in (self.all_ or self.any_ or []) for ref in c.referenced()]
        if self.not_ is not None:
            return self.not_.referenced()
        return [(self.answer or "", self.operator)]


class Question(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)
    section: Section
    prompt: str = Field(min_length=1)
    help: str = ""
    kind: Kind
    options: list[Option] = Field(default_factory=list)
    options_source: Literal["served_comuni"] | None = None
    required: bool = True
    validation: Validation = Field(default_factory=Validation)
    when: Condition | None = None

    def option_label(self, value: Any) -> str | None:
        return next((o.label for o in self.options if o.value == value), None)


class Flow(_Strict):
    version: int = 1
    questions: list[Question] = Field(min_length=1)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    @property
    def sections(self) -> list[str]:
        return list(dict.fromkeys(q.section for q in self.questions))


def _check_question(q: Question, earlier: dict[str, Question]) -> None:
    if q.kind in CHOICE_KINDS:
        values = [o.value for o in q.options]
        if not values:
            raise FlowDefinitionError(f"La domanda «{q.id}» è a scelta ma non ha opzioni.")
        if len(set(values)) != len(values):
            raise FlowDefinitionError(f"La domanda «{q.id}» ha opzioni con valori ripetuti.")
    elif q.options:
        raise FlowDefinitionError(f"La domanda «{q.id}» ha opzioni ma non è a scelta.")
    for ref, op in q.when.referenced() if q.when else []:
        if ref not in earlier:
            raise FlowDefinitionError(
                f"La condizione della domanda «{q.id}» si riferisce a «{ref}», "
                "che non è una domanda precedente."
            )
        if op in _OP_KINDS and earlier[ref].kind not in _OP_KINDS[op]:
            raise FlowDefinitionError(
                f"La condizione «{op}» della domanda «{q.id}» non si applica "
                f"alla domanda «{ref}» di tipo {earlier[ref].kind}."
            )


def check_flow(flow: Flow) -> Flow:
    """Cross-question checks: unique ids, backward-only references, options."""
    seen: dict[str, Question] = {}
    for q in flow.questions:
        if q.id in seen:
            raise FlowDefinitionError(f"L'identificativo «{q.id}» è usato da più domande.")
        _check_question(q, seen)
        seen[q.id] = q
    return flow


def flow_from_dict(data: Any) -> Flow:
    try:
        flow = Flow.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FlowDefinitionError(
            f"Definizione del questionario non valida in «{where}»: {first['msg']}"
        ) from exc
    return check_flow(flow)


def load_flow(path: Path | None = None) -> Flow:
    """Load and validate a questionnaire (the bundled one by default)."""
    source = path or DEFAULT_FLOW_PATH
    try:
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FlowDefinitionError(f"Impossibile leggere il questionario {source}: {exc}") from exc
    return flow_from_dict(data)


def with_served_comuni(flow: Flow, comuni: list[tuple[str, str]]) -> Flow:
    """Copy of ``flow`` whose ``served_comuni`` questions list the given (code, name) pairs first."""
    served = [Option(value=code, label=name) for code, name in comuni]
    questions = []
    for q in flow.questions:
        if q.options_source == "served_comuni":
            codes = {o.value for o in served}
            q = q.model_copy(update={"options": served + [o for o in q.options if o.value not in codes]})
        questions.append(q)
    return check_flow(flow.model_copy(update={"questions": questions}))
