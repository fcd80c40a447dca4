"""Front-desk intake services: drafts, answers, person search, confirmation, outcomes, documents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.unit.intake_factory import (
    ADULT_CF,
    ADULT_INVIO_CASA,
    MOTHER_TWO_MINORS,
    add_person,
    answer_all,
    make_world,
    session_for,
    start,
)
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import write_session
from tutela_app.models import (
    Accesso,
    AuditEvent,
    Case,
    CaseStageChange,
    HouseholdMember,
    IndividualProject,
    IseeDeclaration,
    Person,
    Referral,
)
from tutela_app.services import intake, intake_confirm, intake_documents, intake_lists, referrals


@pytest.fixture
def world(engine):  # noqa: ANN001
    return make_world(engine)


def _confirm(engine, actor, accesso_id, version):  # noqa: ANN001
    with write_session(engine) as s:
        return intake_confirm.confirm_accesso(s, actor, accesso_id, version)


def test_each_answer_is_saved_and_a_second_operator_resumes_at_the_same_question(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    with write_session(engine) as s:
        view = intake.open_accesso(s, world["op_demo"], aid)
        assert view["current_id"] == "who_comes"
        view = intake.save_answer(s, world["op_demo"], aid, "who_comes", "persona", view["version"])["view"]
        view = intake.save_answer(s, world["op_demo"], aid, "surname", "  Rossi ", view["version"])["view"]
    with session_for(engine) as s:
        row = s.get(Accesso, aid)
        assert row.answers == {"who_comes": "persona", "surname": "Rossi"}
        assert row.current_question == "name"
    with write_session(engine) as s:
        resumed = intake.open_accesso(s, world["op2_demo"], aid)
    assert resumed["current_id"] == "name"
    assert [t["display"] for t in resumed["transcript"]] == ["La persona stessa", "Rossi"]
    with session_for(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "resume", AuditEvent.entity_id == str(aid))).all()
    assert [e.actor_id for e in events] == [world["op2_demo"].staff_id]


def test_invalid_answer_returns_the_engine_message_and_writes_nothing(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    with write_session(engine) as s:
        v = intake.open_accesso(s, world["op_demo"], aid)["version"]
        for qid, raw in (("who_comes", "persona"), ("surname", "Rossi"), ("name", "Mario"), ("sex", "M")):
            v = intake.save_answer(s, world["op_demo"], aid, qid, raw, v)["view"]["version"]
        result = intake.save_answer(s, world["op_demo"], aid, "birth_date", "31/02/1980", v)
    assert result == {"ok": False, "error": "Data non valida: usa il formato gg/mm/aaaa.", "warnings": [], "view": None}
    with session_for(engine) as s:
        row = s.get(Accesso, aid)
        assert row.version == v and "birth_date" not in row.answers


def test_stale_version_is_refused_showing_both_versions(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    with write_session(engine) as s:
        intake.save_answer(s, world["op_demo"], aid, "who_comes", "persona", 1)
    with pytest.raises(intake.VersionConflict) as err, write_session(engine) as s:
        intake.save_answer(s, world["op2_demo"], aid, "who_comes", "familiare", 1)
    assert (err.value.theirs, err.value.yours) == (2, 1)
    assert "versione 2" in err.value.message_it and "la tua era 1" in err.value.message_it


def test_drafts_of_another_comune_are_not_found(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    for actor in (world["op_cantu"], world["as_demo"], world["admin"]):
        with pytest.raises(NotFoundOrForbidden), write_session(engine) as s:
            intake.open_accesso(s, actor, aid)
        with pytest.raises(NotFoundOrForbidden), write_session(engine) as s:
            intake.save_answer(s, actor, aid, "who_comes", "persona", 1)
    with pytest.raises(NotFoundOrForbidden), write_session(engine) as s:
        intake.start_accesso(s, world["op_cantu"], world["demo"])


def test_changing_an_earlier_answer_drops_answers_that_no_longer_apply(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    view = answer_all(engine, world["op_demo"], aid, ADULT_INVIO_CASA)
    assert "codice_fiscale" in view["questions"]
    with write_session(engine) as s:
        view = intake.save_answer(s, world["op_demo"], aid, "has_cf", "false", view["version"])["view"]
    assert "codice_fiscale" not in [t["qid"] for t in view["transcript"]]
    assert view["current_id"] == ""  # everything else still applies
    with write_session(engine) as s:
        view = intake.save_answer(s, world["op_demo"], aid, "outcome", "informazione", view["version"])["view"]
    assert "referral_destination" not in [t["qid"] for t in view["transcript"]]


def test_returning_person_is_found_by_codice_fiscale_only_in_the_same_comune(engine, world) -> None:
    pid = add_person(engine, world["demo"], codice_fiscale=ADULT_CF, surname="Rossi", given_name="Mario", sex="M",
                     birth_date=date(1980, 1, 1), address="Via Verdi 3")
    add_person(engine, world["cantu"], codice_fiscale=ADULT_CF, surname="Rossi", given_name="Mario")
    aid = start(engine, world["op_demo"], world["demo"])
    script = {"who_comes": "persona", "surname": "Verdi", "name": "Giuseppe", "sex": "M", "birth_date": "01/01/1980",
              "birthplace": "", "has_cf": "true", "codice_fiscale": ADULT_CF}
    with write_session(engine) as s:
        v = 1
        for qid, raw in script.items():
            v = intake.save_answer(s, world["op_demo"], aid, qid, raw, v)["view"]["version"]
        matches = intake.find_matches(s, world["op_demo"], aid)
    assert [(m["person_id"], m["matched_by"]) for m in matches] == [(pid, "codice fiscale")]
    with write_session(engine) as s:
        view = intake.link_person(s, world["op_demo"], aid, pid, v)
    assert view["person"]["identifier"] == ADULT_CF
    assert view["questions"]["residence_address"]["value"] == "Via Verdi 3"  # taken from the record
    with session_for(engine) as s:
        reads = s.exec(select(AuditEvent).where(AuditEvent.action == "read", AuditEvent.entity_type == "person")).all()
    assert [r.person_id for r in reads] == [pid]


def test_search_by_name_and_birth_date_finds_a_person_without_codice_fiscale(engine, world) -> None:
    pid = add_person(engine, world["demo"], provisional_id="PROV-DEMO-ABCDEF", surname="Bianchi", given_name="Anna",
                     birth_date=date(1988, 3, 12))
    aid = start(engine, world["op_demo"], world["demo"])
    with write_session(engine) as s:
        v = 1
        for qid, raw in MOTHER_TWO_MINORS.items():
            if qid == "birthplace":
                break
            v = intake.save_answer(s, world["op_demo"], aid, qid, raw.lower() if qid == "surname" else raw, v)["view"]["version"]
        matches = intake.find_matches(s, world["op_demo"], aid)
    assert [m["person_id"] for m in matches] == [pid]


def test_adult_referred_to_housing_gets_a_referral_a_letter_and_a_scheda(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    view = answer_all(engine, world["op_demo"], aid, ADULT_INVIO_CASA)
    view = _confirm(engine, world["op_demo"], aid, view["version"])
    assert view["status"] == "confermato" and view["referral_id"]
    with session_for(engine) as s:
        person = s.exec(select(Person).where(Person.codice_fiscale == ADULT_CF)).one()
        ref = s.get(Referral, view["referral_id"])
        assert (ref.destination_type, ref.destination_name, ref.is_segnalazione) == ("casa", "Ufficio casa comunale", False)
        isee = s.exec(select(IseeDeclaration).where(IseeDeclaration.accesso_id == aid)).one()
        assert (isee.value_eur, isee.isee_type, isee.person_id) == (8500.0, "ordinario", person.id)
    with write_session(engine) as s:
        pdf, name = intake_documents.letter_pdf(s, world["op_demo"], view["referral_id"])
        scheda, scheda_name = intake_documents.scheda_pdf(s, world["op_demo"], aid)
    assert pdf.startswith(b"%PDF") and name.startswith("invio-ACC-")
    assert scheda.startswith(b"%PDF") and len(scheda) > 1500 and scheda_name.endswith(".pdf")
    with pytest.raises(NotFoundOrForbidden), write_session(engine) as s:
        intake_documents.letter_pdf(s, world["op_cantu"], view["referral_id"])


def test_risk_to_minors_in_a_tutela_minori_comune_opens_a_case_about_the_minor(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    view = answer_all(engine, world["op_demo"], aid, MOTHER_TWO_MINORS)
    assert view["risk_at_risk"] and view["suggested_outcome"] == "segnalazione_tm"
    view = _confirm(engine, world["op_demo"], aid, view["version"])
    with session_for(engine) as s:
        case = s.get(Case, view["case_id"])
        subject = s.get(Person, case.subject_person_id)
        assert (case.service, case.stage, case.origin) == ("tutela_minori", "segnalazione", "segnalazione")
        assert case.number == f"TM-{date.today().year}-00001" or case.number.startswith("TM-")
        assert (subject.given_name, subject.birth_date) == ("Luca", date(2016, 2, 2))
        members = s.exec(select(HouseholdMember).where(HouseholdMember.household_id == case.household_id)).all()
        assert len(members) == 3
        mother = s.exec(select(Person).where(Person.given_name == "Anna")).one()
        assert mother.codice_fiscale is None and mother.provisional_id.startswith("PROV-DEMO-")
        changes = s.exec(select(CaseStageChange).where(CaseStageChange.case_id == case.id)).all()
        assert [(c.from_stage, c.to_stage) for c in changes] == [(None, "segnalazione")]
        assert s.get(Accesso, aid).risk_to_minor is True


def test_risk_to_minors_where_tutela_minori_is_not_bought_becomes_a_tracked_segnalazione(engine, world) -> None:
    aid = start(engine, world["op_cantu"], world["cantu"])
    view = answer_all(engine, world["op_cantu"], aid, {**MOTHER_TWO_MINORS, "residence_comune": "cantu"})
    view = _confirm(engine, world["op_cantu"], aid, view["version"])
    assert view["case_id"] == 0
    with session_for(engine) as s:
        ref = s.get(Referral, view["referral_id"])
        assert ref.is_segnalazione and ref.taken_up is None and ref.destination_type == "tutela_minori"
        assert s.exec(select(Case)).all() == []
    with write_session(engine) as s:
        pdf, name = intake_documents.letter_pdf(s, world["op_cantu"], ref.id)
    assert pdf.startswith(b"%PDF") and name.startswith("segnalazione-")


def test_presa_in_carico_opens_a_servizio_sociale_case_with_a_first_project(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    script = {**ADULT_INVIO_CASA, "outcome": "presa_in_carico", "isee_relevant": "false"}
    view = _confirm(engine, world["op_demo"], aid, answer_all(engine, world["op_demo"], aid, script)["version"])
    with session_for(engine) as s:
        case = s.get(Case, view["case_id"])
        assert (case.service, case.stage, case.origin) == ("servizio_sociale", "valutazione", "presa_in_carico")
        project = s.exec(select(IndividualProject).where(IndividualProject.case_id == case.id)).one()
        assert "pagare l'affitto" in project.objectives


def test_confirming_an_incomplete_draft_is_refused(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    with pytest.raises(intake.IntakeError, match="Mancano ancora"):
        _confirm(engine, world["op_demo"], aid, 1)


def test_residence_outside_the_comune_suggests_a_referral(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    script = {**ADULT_INVIO_CASA, "residence_comune": "altro", "residence_other_comune": "Bergamo"}
    view = answer_all(engine, world["op_demo"], aid, script)
    assert view["suggested_outcome"] == "invio"
    assert view["questions"]["residence_comune"]["options"][0] == {"value": "demo", "label": "Comune Demo"}


def test_drafts_list_scoped_and_stale_drafts_for_administrators(engine, world) -> None:
    fresh = start(engine, world["op_demo"], world["demo"])
    old = start(engine, world["op_demo"], world["demo"])
    start(engine, world["op_cantu"], world["cantu"])
    with write_session(engine) as s:
        row = s.get(Accesso, old)
        row.updated_at = row.updated_at - timedelta(hours=72)
    with session_for(engine) as s:
        op = intake_lists.list_drafts(s, world["op_demo"])
        admin = intake_lists.list_drafts(s, world["admin"])
        coord = intake_lists.list_drafts(s, world["coord_demo"])
    assert {d["id"]: d["stale"] for d in op} == {str(fresh): False, str(old): True}
    assert [(d["id"], d["can_resume"]) for d in admin] == [(str(old), False)]
    assert {d["id"] for d in coord} == {str(fresh), str(old)}


def test_referral_marked_taken_up_with_date_and_checks(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    view = _confirm(engine, world["op_demo"], aid, answer_all(engine, world["op_demo"], aid, ADULT_INVIO_CASA)["version"])
    rid = view["referral_id"]
    today = intake.today_rome()
    with pytest.raises(intake.IntakeError, match="futuro"), write_session(engine) as s:
        referrals.mark_referral(s, world["op_demo"], rid, True, today + timedelta(days=1), 1)
    with pytest.raises(NotFoundOrForbidden), write_session(engine) as s:
        referrals.mark_referral(s, world["op_cantu"], rid, True, today, 1)
    with write_session(engine) as s:
        out = referrals.mark_referral(s, world["op_demo"], rid, False, today, 1)
    assert out["status"].startswith("Non preso in carico")
    with pytest.raises(intake.VersionConflict), write_session(engine) as s:
        referrals.mark_referral(s, world["op_demo"], rid, True, today, 1)
    with session_for(engine) as s:
        listed = referrals.list_referrals(s, world["op_demo"])
        assert [(r["id"], r["pending"]) for r in listed] == [(str(rid), False)]
        assert referrals.list_referrals(s, world["op_cantu"]) == []
