"""Property tests: the intake engine never raises and stays consistent on arbitrary input."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.domain.intake_helpers import SERVED
from tutela_app.domain.intake_flow import (
    applicable_questions,
    load_flow,
    next_question,
    progress,
    prune_answers,
    risk_assessment,
    suggested_outcome,
    summary,
    validate_answer,
    with_served_comuni,
)

FLOW = with_served_comuni(load_flow(), SERVED)
IDS = [q.id for q in FLOW.questions]
OPTION_VALUES = sorted({o.value for q in FLOW.questions for o in q.options})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(OPTION_VALUES),
    st.sampled_from(["2015-01-01", "01/01/1980", "sì", "no", "8.500,00"]),
    st.dates().map(date.isoformat),
)
members = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "nome": st.text(max_size=5),
            "cognome": st.text(max_size=5),
            "sesso": st.sampled_from(["M", "F", "X"]),
            "data_nascita": st.one_of(st.dates().map(date.isoformat), st.text(max_size=12), st.integers()),
            "relazione": st.sampled_from(["figlio", "coniuge", "zz"]),
            "codice_fiscale": scalars,
        },
    ),
    max_size=4,
)
values = st.recursive(
    st.one_of(scalars, members),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)
answer_dicts = st.dictionaries(
    st.one_of(st.sampled_from(IDS), st.text(max_size=8), st.integers()), values, max_size=len(IDS)
)
todays = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
settings_ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings_
@given(answers=answer_dicts, today=todays)
def test_engine_never_raises(answers, today):
    applicable_questions(FLOW, answers, today)
    progress(FLOW, answers, today)
    summary(FLOW, answers, today)
    risk_assessment(answers)
    assert suggested_outcome(answers, ["demo"]) in (None, "invio", "segnalazione_tm")


@settings_
@given(answers=answer_dicts, today=todays)
def test_next_question_is_applicable_and_unanswered_or_none(answers, today):
    q = next_question(FLOW, answers, today)
    applicable = applicable_questions(FLOW, answers, today)
    if q is None:
        assert all(a.id in answers for a in applicable)
    else:
        assert q in applicable and q.id not in answers


@settings_
@given(answers=answer_dicts, today=todays)
def test_pruning_is_idempotent_and_keeps_applicability(answers, today):
    once = prune_answers(FLOW, answers, today)
    assert prune_answers(FLOW, once, today) == once
    assert applicable_questions(FLOW, once, today) == applicable_questions(FLOW, answers, today)
    assert next_question(FLOW, once, today) == next_question(FLOW, answers, today)


@settings_
@given(
    question=st.sampled_from(FLOW.questions),
    raw=values,
    context=st.one_of(answer_dicts, values),
    today=todays,
)
def test_validate_answer_never_raises(question, raw, context, today):
    result = validate_answer(question, raw, today, context)
    assert result.ok != (result.error is not None)
    assert all(isinstance(w, str) for w in result.warnings)
    if result.ok:
        # A normalised value is accepted again unchanged (round trip).
        again = validate_answer(question, result.value, today, {})
        if result.value not in (None, []):
            assert again.ok and again.value == result.value


@settings_
@given(raw=st.text(max_size=60), today=todays)
def test_validate_text_like_input_never_raises(raw, today):
    for question in FLOW.questions:
        validate_answer(question, raw, today)
