"""Walk every branch of the intake questionnaire: each ``when`` both ways."""

import pytest

from tests.unit.domain.intake_helpers import ADULT_PATH, ADULT_SCRIPT, RISK_IDS, TODAY, walk
from tutela_app.domain.intake_flow import applicable_questions, next_question, prune_answers


def script(**changes):
    s = dict(ADULT_SCRIPT)
    s.update(changes)
    return s


def child(birth="2015-09-01"):
    return {"nome": "Luca", "cognome": "Rossi", "data_nascita": birth, "sesso": "M", "relazione": "figlio"}


def adult_member():
    return {
        "nome": "Anna",
        "cognome": "Bianchi",
        "data_nascita": "1982-02-02",
        "sesso": "F",
        "relazione": "coniuge",
    }


def test_bundled_flow_has_all_sections_in_order(base_flow):
    assert base_flow.sections == [
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


def test_adult_person_shortest_path(flow):
    path, answers = walk(flow, ADULT_SCRIPT)
    assert path == ADULT_PATH
    assert answers["codice_fiscale"] == "RSSMRA80A01F205X"
    assert answers["birthplace"] is None and answers["notes"] is None
    assert answers["members"] == [] and answers["services_involved"] == []


def test_relative_asks_referrer_name_relation_and_phone(flow):
    s = script(
        who_comes="familiare",
        referrer_name="Giulia Rossi",
        referrer_relation="sorella",
        referrer_phone="+39 333 1234567",
    )
    path, _ = walk(flow, s)
    assert path[:4] == ["who_comes", "referrer_name", "referrer_relation", "referrer_phone"]


@pytest.mark.parametrize("who", ["scuola", "servizio", "forze_ordine"])
def test_institutional_referrer_asks_name_and_phone_not_relation(flow, who):
    path, _ = walk(flow, script(who_comes=who, referrer_name="I.C. Manzoni", referrer_phone=""))
    assert path[:3] == ["who_comes", "referrer_name", "referrer_phone"]
    assert "referrer_relation" not in path


def test_other_referrer_asks_relation(flow):
    path, _ = walk(
        flow,
        script(
            who_comes="altro", referrer_name="Paolo", referrer_relation="vicino di casa", referrer_phone=""
        ),
    )
    assert "referrer_relation" in path


def test_without_codice_fiscale_skips_cf_question(flow):
    path, answers = walk(flow, script(has_cf="no"))
    assert "codice_fiscale" not in path and answers["has_cf"] is False


def test_other_comune_asks_which_one(flow):
    path, _ = walk(flow, script(residence_comune="altro", residence_other_comune="Gorgonzola"))
    assert path[path.index("residence_comune") + 1] == "residence_other_comune"
    path2, _ = walk(flow, ADULT_SCRIPT)
    assert "residence_other_comune" not in path2


def test_minor_in_household_opens_risk_screening_without_details_when_all_no(flow):
    s = script(members=[adult_member(), child()], **{r: "no" for r in RISK_IDS})
    path, _ = walk(flow, s)
    assert path[path.index("services_involved") + 1 : path.index("privacy_notice_given")] == RISK_IDS


@pytest.mark.parametrize("yes", RISK_IDS)
def test_any_risk_yes_asks_for_details(flow, yes):
    answers = {r: "no" for r in RISK_IDS}
    answers[yes] = "sì"
    s = script(members=[child()], risk_details="Il bambino riferisce di essere picchiato.", **answers)
    path, _ = walk(flow, s)
    assert path[path.index("risk_urgent") + 1] == "risk_details"


def test_person_who_is_a_minor_opens_risk_screening(flow):
    s = script(birth_date="10/06/2012", has_cf="no", **{r: "no" for r in RISK_IDS})
    path, _ = walk(flow, s)
    assert all(r in path for r in RISK_IDS)


def test_need_area_family_opens_risk_screening_without_minors(flow):
    s = script(members=[adult_member()], need_area="famiglia_minori", **{r: "no" for r in RISK_IDS})
    path, _ = walk(flow, s)
    assert "risk_maltreatment" in path


def test_adult_household_skips_risk_screening(flow):
    path, _ = walk(flow, script(members=[adult_member(), child(birth="2008-05-04")]))  # 18 today
    assert not any(r in path for r in RISK_IDS)


def test_member_turning_18_tomorrow_is_still_a_minor(flow):
    answers = {"members": [child(birth="2008-05-05")]}
    ids = [q.id for q in applicable_questions(flow, answers, TODAY)]
    assert "risk_maltreatment" in ids


def test_isee_relevant_asks_value_protocol_type_expiry(flow):
    s = script(
        isee_relevant="sì",
        isee_value="8.500,00",
        isee_dsu_protocol="INPS-ISEE-2026-00012345A-00",
        isee_type="ordinario",
        isee_expiry="31/12/2026",
    )
    path, answers = walk(flow, s)
    i = path.index("isee_relevant")
    assert path[i + 1 : i + 5] == ["isee_value", "isee_dsu_protocol", "isee_type", "isee_expiry"]
    assert answers["isee_value"] == 8500.0 and answers["isee_expiry"] == "2026-12-31"


def test_other_service_involved_asks_which(flow):
    path, answers = walk(flow, script(services_involved=["altro", "cps"], services_other="Caritas"))
    assert path[path.index("services_involved") + 1] == "services_other"
    assert answers["services_involved"] == ["cps", "altro"]
    path2, _ = walk(flow, script(services_involved=["scuola"]))
    assert "services_other" not in path2


def test_referral_outcome_asks_type_and_destination(flow):
    s = script(outcome="invio", referral_service_type="casa", referral_destination="Agenzia per la casa")
    path, _ = walk(flow, s)
    assert path[-3:] == ["referral_service_type", "referral_destination", "notes"]
    for outcome in ("informazione", "presa_in_carico", "segnalazione_tm"):
        p, _ = walk(flow, script(outcome=outcome))
        assert "referral_service_type" not in p


def test_full_path_with_every_branch_open(flow):
    s = script(
        who_comes="familiare",
        referrer_name="Giulia",
        referrer_relation="madre",
        referrer_phone="",
        members=[child()],
        isee_relevant="si",
        isee_value="0",
        isee_dsu_protocol="",
        isee_type="minorenni",
        isee_expiry="2026-12-31",
        services_involved=["altro"],
        services_other="Caritas",
        risk_details="Riferiti litigi violenti.",
        outcome="invio",
        referral_service_type="sociale",
        referral_destination="Servizio sociale di Gorgonzola",
        residence_comune="altro",
        residence_other_comune="Gorgonzola",
        **{r: "sì" for r in RISK_IDS},
    )
    path, answers = walk(flow, s)
    assert len(path) == len(flow.questions)


def test_prune_after_changing_who_comes_to_the_person(flow):
    _, answers = walk(
        flow,
        script(
            who_comes="familiare",
            referrer_name="Giulia",
            referrer_relation="madre",
            referrer_phone="3331234567",
        ),
    )
    answers["who_comes"] = "persona"
    pruned = prune_answers(flow, answers, TODAY)
    assert not any(k.startswith("referrer_") for k in pruned)
    assert next_question(flow, pruned, TODAY) is None


def test_prune_after_removing_the_minor_drops_risk_chain(flow):
    s = script(members=[child()], risk_details="Dettagli", **{r: "sì" for r in RISK_IDS})
    _, answers = walk(flow, s)
    assert "risk_details" in answers
    answers["members"] = [adult_member()]
    pruned = prune_answers(flow, answers, TODAY)
    assert not any(k.startswith("risk_") for k in pruned)
    assert set(pruned) == set(ADULT_PATH)


def test_changing_has_cf_and_isee_and_outcome_prunes_dependants(flow):
    s = script(
        isee_relevant="sì",
        isee_value="100",
        isee_dsu_protocol="",
        isee_type="corrente",
        isee_expiry="2026-12-31",
        outcome="invio",
        referral_service_type="lavoro",
        referral_destination="Centro per l'impiego",
    )
    _, answers = walk(flow, s)
    answers.update(has_cf=False, isee_relevant=False, outcome="informazione")
    pruned = prune_answers(flow, answers, TODAY)
    assert set(pruned) == set(ADULT_PATH) - {"codice_fiscale"}


def test_changing_back_reopens_questions(flow):
    _, answers = walk(flow, ADULT_SCRIPT)
    answers["isee_relevant"] = True
    assert next_question(flow, answers, TODAY).id == "isee_value"


def test_stale_answers_of_skipped_questions_do_not_open_later_ones(flow):
    answers = {"members": [adult_member()], "need_area": "disabili", "risk_maltreatment": True}
    ids = [q.id for q in applicable_questions(flow, answers, TODAY)]
    assert "risk_details" not in ids and "risk_maltreatment" not in ids


def test_unknown_keys_are_pruned(flow):
    assert prune_answers(flow, {"who_comes": "persona", "boh": 1, 3: "x"}, TODAY) == {"who_comes": "persona"}
