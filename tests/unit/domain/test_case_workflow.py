"""Case stages and transition rules (see the module docstring of case_workflow)."""

import pytest

from tutela_app.domain.case_workflow import (
    CLOSURE_REASONS,
    KEY_NETWORK_CONTACTS,
    STAGE_LABELS,
    DiaryTag,
    InterventionKind,
    NetworkContactKind,
    ServiceKind,
    TransitionFacts,
    allowed_targets,
    check_transition,
    stages,
)

TM = ServiceKind.TUTELA_MINORI
SSP = ServiceKind.SERVIZIO_SOCIALE
FULL = TransitionFacts(
    has_responsible_worker=True,
    interventions_count=1,
    goals_with_baseline=1,
    closure_reason="obiettivi_raggiunti",
    actor_is_coordinator=True,
)
NONE = TransitionFacts()


def test_stage_sequences_and_labels():
    assert stages("tutela_minori") == ("segnalazione", "indagine", "progetto", "monitoraggio", "chiusura")
    assert stages(SSP) == ("valutazione", "progetto_individualizzato", "interventi", "verifica", "chiusura")
    assert all(stage in STAGE_LABELS for s in ServiceKind for stage in stages(s))
    assert TM.label == "Tutela Minori" and SSP.label == "Servizio Sociale Professionale"


def test_allowed_targets_structure():
    assert allowed_targets(TM, "segnalazione") == ["indagine", "chiusura"]
    assert allowed_targets(TM, "indagine") == ["progetto", "segnalazione", "chiusura"]
    assert allowed_targets(TM, "monitoraggio") == ["chiusura", "progetto"]
    assert allowed_targets(TM, "chiusura") == ["monitoraggio"]
    assert allowed_targets(SSP, "verifica") == ["chiusura", "interventi"]
    assert allowed_targets(TM, "valutazione") == []


def test_forward_and_back_one_step_allowed_with_facts():
    assert check_transition(TM, "segnalazione", "indagine", NONE) == []
    assert check_transition(TM, "indagine", "segnalazione", NONE) == []
    assert check_transition(SSP, "progetto_individualizzato", "interventi", NONE) == []
    assert check_transition(SSP, "verifica", "interventi", NONE) == []


def test_jumps_refused():
    reasons = check_transition(TM, "segnalazione", "monitoraggio", FULL)
    assert len(reasons) == 1 and "una fase alla volta" in reasons[0]


def test_same_stage_and_unknown_stage_and_service():
    assert check_transition(TM, "indagine", "indagine", FULL) == ["La pratica è già in questa fase."]
    assert "non esiste" in check_transition(TM, "indagine", "verifica", FULL)[0]
    assert check_transition("altro", "a", "b", FULL) == ["Servizio sconosciuto: «altro»."]


def test_tm_indagine_to_progetto_requires_intervention_and_worker():
    reasons = check_transition(TM, "indagine", "progetto", NONE)
    assert reasons == [
        "Per passare al progetto registra almeno un intervento.",
        "Per passare al progetto nomina l'operatore responsabile del caso.",
    ]
    only_worker = TransitionFacts(has_responsible_worker=True)
    assert check_transition(TM, "indagine", "progetto", only_worker) == [
        "Per passare al progetto registra almeno un intervento."
    ]
    assert check_transition(TM, "indagine", "progetto", FULL) == []


def test_tm_progetto_to_monitoraggio_requires_goal_with_baseline():
    facts = TransitionFacts(has_responsible_worker=True, interventions_count=3)
    assert check_transition(TM, "progetto", "monitoraggio", facts) == [
        "Per passare al monitoraggio serve almeno un obiettivo con la valutazione iniziale."
    ]
    assert check_transition(TM, "progetto", "monitoraggio", TransitionFacts(goals_with_baseline=1)) == []


def test_ssp_valutazione_to_progetto_requires_worker():
    assert check_transition(SSP, "valutazione", "progetto_individualizzato", NONE) == [
        "Per passare al progetto individualizzato nomina l'operatore responsabile."
    ]
    assert (
        check_transition(
            SSP, "valutazione", "progetto_individualizzato", TransitionFacts(has_responsible_worker=True)
        )
        == []
    )


@pytest.mark.parametrize("stage", ["segnalazione", "indagine", "progetto", "monitoraggio"])
def test_closure_from_any_open_stage_requires_reason(stage):
    assert check_transition(TM, stage, "chiusura", NONE) == [
        "Per chiudere la pratica indica il motivo della chiusura."
    ]
    bad = TransitionFacts(closure_reason="boh")
    assert check_transition(TM, stage, "chiusura", bad) != []
    for reason in CLOSURE_REASONS:
        assert check_transition(TM, stage, "chiusura", TransitionFacts(closure_reason=reason)) == []


def test_closure_reasons_labels():
    assert CLOSURE_REASONS["maggiore_eta"] == "Maggiore età"
    assert CLOSURE_REASONS["decreto_tribunale"] == "Decreto di archiviazione/chiusura del Tribunale"
    assert len(CLOSURE_REASONS) == 7


def test_reopening_only_for_coordinators():
    assert check_transition(TM, "chiusura", "monitoraggio", NONE) == [
        "Solo il coordinatore può riaprire una pratica chiusa."
    ]
    assert check_transition(TM, "chiusura", "monitoraggio", TransitionFacts(actor_is_coordinator=True)) == []
    assert check_transition(SSP, "chiusura", "verifica", TransitionFacts(actor_is_coordinator=True)) == []
    assert check_transition(SSP, "chiusura", "valutazione", FULL) != []


def test_vocabularies():
    assert len(InterventionKind) == 8
    assert InterventionKind.PEI.label == "Progetto educativo individualizzato (PEI)"
    assert InterventionKind("messa_alla_prova").label == "Messa alla prova"
    assert NetworkContactKind.NPI_UONPIA.key_by_default
    assert not NetworkContactKind.VOLONTARIATO.key_by_default
    assert NetworkContactKind.SCUOLA in KEY_NETWORK_CONTACTS
    assert {t.value for t in DiaryTag} == {"fatto", "dichiarazione", "valutazione"}
    assert DiaryTag.FATTO.label == "Fatto accertato"
    assert all(k.label for k in NetworkContactKind)
