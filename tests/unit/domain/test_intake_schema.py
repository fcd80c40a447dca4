"""Flow definition errors raise FlowDefinitionError with a clear message."""

import copy
import json

import pytest

from tutela_app.domain.intake_flow import FlowDefinitionError, flow_from_dict, load_flow, with_served_comuni


def q(qid, **kw):
    base = {"id": qid, "section": "Bisogno", "prompt": "Domanda?", "kind": "text"}
    base.update(kw)
    return base


def flow_dict(*questions):
    return {"questions": list(questions)}


def test_minimal_flow_loads():
    flow = flow_from_dict(flow_dict(q("a"), q("b", when={"answer": "a", "equals": "x"})))
    assert [x.id for x in flow.questions] == ["a", "b"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (flow_dict(q("a"), q("a")), "L'identificativo «a» è usato da più domande."),
        (
            flow_dict(q("a", when={"answer": "b", "equals": 1}), q("b")),
            "si riferisce a «b», che non è una domanda precedente",
        ),
        (flow_dict(q("a", when={"answer": "a", "equals": 1})), "si riferisce a «a»"),
        (flow_dict(q("a", when={"all": [{"answer": "zz", "equals": 1}]})), "si riferisce a «zz»"),
        (flow_dict(q("a", when={"not": {"any": [{"answer": "zz", "equals": 1}]}})), "si riferisce a «zz»"),
        (flow_dict(q("a", kind="choice")), "La domanda «a» è a scelta ma non ha opzioni."),
        (
            flow_dict(
                q(
                    "a",
                    kind="multichoice",
                    options=[{"value": "x", "label": "X"}, {"value": "x", "label": "Y"}],
                )
            ),
            "opzioni con valori ripetuti",
        ),
        (flow_dict(q("a", options=[{"value": "x", "label": "X"}])), "ha opzioni ma non è a scelta"),
        (
            flow_dict(q("a"), q("b", when={"answer": "a", "contains": "x"})),
            "La condizione «contains» della domanda «b»",
        ),
        (
            flow_dict(q("a"), q("b", when={"answer": "a", "has_minor": True})),
            "non si applica alla domanda «a» di tipo text",
        ),
    ],
)
def test_cross_question_errors(data, fragment):
    with pytest.raises(FlowDefinitionError) as exc:
        flow_from_dict(data)
    assert fragment in str(exc.value)


@pytest.mark.parametrize(
    "bad",
    [
        q("a", kind="slider"),
        q("a", section="Altro"),
        q("A b"),
        q("a", prompt=""),
        q("a", unknown=1),
        q("a", validation={"pattern": "("}),
        q("a", when={"answer": "x"}),
        q("a", when={"answer": "x", "equals": 1, "in": [1]}),
        q("a", when={"all": [], "answer": "x"}),
    ],
)
def test_schema_errors(bad):
    with pytest.raises(FlowDefinitionError, match="Definizione del questionario non valida"):
        flow_from_dict(flow_dict(bad))


def test_empty_and_non_dict():
    with pytest.raises(FlowDefinitionError):
        flow_from_dict({"questions": []})
    with pytest.raises(FlowDefinitionError):
        flow_from_dict([1, 2])


def test_load_flow_file_errors(tmp_path):
    with pytest.raises(FlowDefinitionError, match="Impossibile leggere"):
        load_flow(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(FlowDefinitionError, match="Impossibile leggere"):
        load_flow(broken)


def test_load_flow_from_path_roundtrip(tmp_path, base_flow):
    data = json.loads(base_flow.model_dump_json(by_alias=True, exclude_unset=True))
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_flow(path) == base_flow
    swapped = copy.deepcopy(data)
    swapped["questions"][0], swapped["questions"][1] = swapped["questions"][1], swapped["questions"][0]
    path.write_text(json.dumps(swapped), encoding="utf-8")
    with pytest.raises(FlowDefinitionError, match="referrer_name"):
        load_flow(path)


def test_served_comuni_are_listed_before_other(base_flow):
    assert [o.value for o in base_flow.question("residence_comune").options] == ["altro"]
    flow = with_served_comuni(base_flow, [("demo", "Comune Demo"), ("altro", "Altro comune")])
    values = [o.value for o in flow.question("residence_comune").options]
    assert values == ["demo", "altro"]
    assert flow.question("residence_comune").option_label("demo") == "Comune Demo"
    assert base_flow.question("residence_comune").option_label("demo") is None  # original untouched


def test_every_user_visible_string_is_present(base_flow):
    for question in base_flow.questions:
        assert question.prompt.strip() and question.help.strip()
        assert all(o.label.strip() for o in question.options)
