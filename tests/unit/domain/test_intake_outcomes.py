"""Progress path, risk screening, suggested outcome and the human-readable summary."""

from tests.unit.domain.intake_helpers import ADULT_SCRIPT, RISK_IDS, TODAY, walk
from tutela_app.domain.intake_flow import progress, risk_assessment, suggested_outcome, summary

SERVED_CODES = ["demo", "cantu", "pioltello"]


def statuses(p):
    return [(s.name, s.status) for s in p.sections]


def test_progress_at_start(flow):
    p = progress(flow, {}, TODAY)
    assert (p.answered, p.total, p.current_section_index) == (0, 18, 0)
    assert p.sections[0].status == "current"
    assert all(s.status == "todo" for s in p.sections[1:])
    assert "Rischio minori" not in [s.name for s in p.sections]


def test_progress_midway_and_after_going_back(flow):
    _, answers = walk(flow, ADULT_SCRIPT)
    partial = {
        k: answers[k]
        for k in [
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
        ]
    }
    p = progress(flow, partial, TODAY)
    assert (p.answered, p.total) == (10, 18)
    assert statuses(p)[:4] == [
        ("Chi si presenta", "done"),
        ("Identità", "done"),
        ("Residenza", "done"),
        ("Nucleo familiare", "current"),
    ]
    assert p.current_section_index == 3
    # Going back: a new question opens in Identità while later sections stay done.
    reopened = dict(answers, has_cf=True)
    del reopened["codice_fiscale"]
    p2 = progress(flow, reopened, TODAY)
    assert p2.current_section_index == 1 and statuses(p2)[1] == ("Identità", "current")
    assert statuses(p2)[-1] == ("Esito", "done")


def test_progress_complete(flow):
    _, answers = walk(flow, ADULT_SCRIPT)
    p = progress(flow, answers, TODAY)
    assert p.answered == p.total == 18
    assert p.current_section_index == len(p.sections) == 9
    assert all(s.status == "done" for s in p.sections)


def test_progress_counts_risk_section_when_minor_present(flow):
    p = progress(flow, {"members": [{"data_nascita": "2020-01-01"}]}, TODAY)
    assert "Rischio minori" in [s.name for s in p.sections] and p.total == 18 + 5


def test_risk_assessment():
    none = risk_assessment({r: False for r in RISK_IDS})
    assert (none.at_risk, none.urgent, none.reasons) == (False, False, [])
    some = risk_assessment({"risk_maltreatment": True, "risk_domestic_violence": True, "risk_urgent": False})
    assert some.at_risk and not some.urgent
    assert some.reasons == [
        "Segnali di maltrattamento, trascuratezza o abuso su un minore.",
        "Minore esposto a violenza domestica.",
    ]
    urgent = risk_assessment({"risk_urgent": True})
    assert urgent.at_risk and urgent.urgent and urgent.reasons == ["Urgenza di protezione immediata."]
    assert risk_assessment({"risk_urgent": "true"}).at_risk is False  # only normalised booleans count
    assert risk_assessment("nonsense").at_risk is False  # type: ignore[arg-type]


def test_suggested_outcome():
    assert suggested_outcome({"residence_comune": "demo"}, SERVED_CODES) is None
    assert suggested_outcome({"residence_comune": "altro"}, SERVED_CODES) == "invio"
    assert suggested_outcome({"residence_comune": "brugherio"}, SERVED_CODES) == "invio"
    assert suggested_outcome({}, SERVED_CODES) is None
    at_risk = {"residence_comune": "altro", "risk_school_dropout": True}
    assert suggested_outcome(at_risk, SERVED_CODES) == "segnalazione_tm"
    assert suggested_outcome({"residence_comune": "demo"}, None) == "invio"


def test_summary_formats_values(flow):
    script = dict(
        ADULT_SCRIPT,
        who_comes="scuola",
        referrer_name="I.C. Manzoni",
        referrer_phone="",
        isee_relevant="sì",
        isee_value="12345,6",
        isee_dsu_protocol="",
        isee_type="minorenni",
        isee_expiry="31/12/2026",
        services_involved=["npi_uonpia", "scuola"],
        members=[
            {
                "nome": "Luca",
                "cognome": "Rossi",
                "data_nascita": "2015-06-10",
                "sesso": "M",
                "relazione": "figlio",
            }
        ],
        **{r: "no" for r in RISK_IDS},
    )
    _, answers = walk(flow, script)
    rows = {prompt: value for _, prompt, value in summary(flow, answers, TODAY)}
    q = flow.question
    assert rows[q("who_comes").prompt] == "La scuola"
    assert rows[q("referrer_phone").prompt] == "Non indicato"
    assert rows[q("birth_date").prompt] == "01/01/1980"
    assert rows[q("has_cf").prompt] == "Sì"
    assert rows[q("risk_urgent").prompt] == "No"
    assert rows[q("residence_comune").prompt] == "Comune Demo"
    assert rows[q("isee_value").prompt] == "12.345,60 €"
    assert rows[q("isee_expiry").prompt] == "31/12/2026"
    assert rows[q("services_involved").prompt] == "NPI / UONPIA, Scuola"
    assert rows[q("members").prompt] == "Rossi Luca (Figlio/a, nato/a il 10/06/2015)"
    assert rows[q("codice_fiscale").prompt] == "RSSMRA80A01F205X"
    sections = [s for s, _, _ in summary(flow, answers, TODAY)]
    assert sections[0] == "Chi si presenta" and sections[-1] == "Esito"


def test_summary_skips_inapplicable_and_shows_empty_lists(flow):
    _, answers = walk(flow, ADULT_SCRIPT)
    answers["referrer_name"] = "stale"
    rows = summary(flow, answers, TODAY)
    assert len(rows) == 18
    assert ("Nucleo familiare", flow.question("members").prompt, "Nessuno") in rows
