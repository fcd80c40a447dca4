"""Shared data and helpers for the intake questionnaire tests."""

from datetime import date

from tutela_app.domain.intake_flow import Flow, next_question, validate_answer

TODAY = date(2026, 5, 4)
SERVED = [("demo", "Comune Demo"), ("cantu", "Cantù"), ("pioltello", "Pioltello")]

ADULT_SCRIPT: dict = {
    "who_comes": "persona",
    "surname": "Rossi",
    "name": "Mario",
    "sex": "M",
    "birth_date": "01/01/1980",
    "birthplace": "",
    "has_cf": "sì",
    "codice_fiscale": "rssmra80a01f205x",
    "residence_comune": "demo",
    "residence_address": "Via Roma 1",
    "members": [],
    "need_area": "poverta_disagio_adulti",
    "need_description": "Ho perso il lavoro e non riesco a pagare l'affitto.",
    "isee_relevant": "no",
    "services_involved": [],
    "privacy_notice_given": "true",
    "outcome": "informazione",
    "notes": "",
}
ADULT_PATH = [
    "who_comes",
    "surname",
    "name",
    "sex",
    "birth_date",
    "birthplace",
    "has_cf",
    "codice_fiscale",
    "residence_comune",
    "residence_address",
    "members",
    "need_area",
    "need_description",
    "isee_relevant",
    "services_involved",
    "privacy_notice_given",
    "outcome",
    "notes",
]
RISK_IDS = [
    "risk_maltreatment",
    "risk_domestic_violence",
    "risk_parental_difficulty",
    "risk_school_dropout",
    "risk_urgent",
]


def walk(flow: Flow, script: dict, today: date = TODAY) -> tuple[list[str], dict]:
    """Answer next_question from ``script`` until the flow is complete."""
    answers: dict = {}
    path: list[str] = []
    while (q := next_question(flow, answers, today)) is not None:
        assert q.id in script, f"unexpected question {q.id}"
        result = validate_answer(q, script[q.id], today, answers)
        assert result.ok, (q.id, result.error)
        answers[q.id] = result.value
        path.append(q.id)
        assert len(path) < 100
    return path, answers
