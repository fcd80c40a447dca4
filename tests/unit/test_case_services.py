"""Board queries, stage moves with workflow rules, case work with optimistic locking, audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, text
from sqlmodel import select

from tests.unit.case_factory import World, build_world, make_case
from tutela_app.db import read_session, write_session
from tutela_app.models import AuditEvent, Case, CaseStageChange, Evaluation, utcnow
from tutela_app.services import case_work, cases
from tutela_app.services.case_access import EditConflict, InvalidInput, load_case
from tutela_app.services.case_file import case_marker, read_case_file
from tutela_app.services.timeline import MAX_ITEMS, TIMELINE_PAGE, case_timeline


@pytest.fixture
def world(engine) -> World:  # noqa: ANN001
    with write_session() as session:
        return build_world(session)


def _page(actor, limits=None, **filters) -> dict:  # noqa: ANN001
    with read_session() as session:
        return cases.board_page(session, actor, cases.BoardFilters(**filters), limits, audit_read=False)


def _ids(page: dict) -> list[int]:
    return [int(c["id"]) for col in page["columns"] for c in col["cards"]]


def test_board_columns_follow_the_service_stages_with_sql_counts(world: World) -> None:
    page = _page(world.coord)
    assert [c["stage"] for c in page["columns"]] == ["segnalazione", "indagine", "progetto", "monitoraggio", "chiusura"]
    assert {c["stage"]: c["count"] for c in page["columns"]}["indagine"] == 2
    ssp = _page(world.coord, service="servizio_sociale")
    assert ssp["columns"][0]["stage"] == "valutazione" and ssp["total"] == 0


def test_card_shows_initials_age_team_measure_and_urgency_not_the_name(world: World) -> None:
    card = next(c for col in _page(world.coord)["columns"] for c in col["cards"] if c["id"] == str(world.cases["mine"]))
    assert card["initials"] == "M. R." and card["age"].endswith("anni")
    assert "Rossi" not in str(card) and "Mario" not in str(card)
    assert card["measure"] == "Affido familiare"
    assert (card["urgency"], card["urgency_label"]) == ("overdue", "Scaduta")
    assert "G.B. (AS)" in card["team"] and "L.V. (Psi)" in card["team"]


def test_filters_deadline_measure_stage_staff_and_comune(world: World) -> None:
    c = world.cases
    assert _ids(_page(world.coord, deadline="scaduta")) == [c["mine"]]
    assert _ids(_page(world.coord, deadline="settimana")) == [c["mine_resp"]]
    assert _ids(_page(world.coord, deadline="oltre")) == [c["not_mine"]]
    assert _ids(_page(world.coord, measure_type="affido_familiare")) == [c["mine"]]
    assert set(_ids(_page(world.coord, stage="indagine"))) == {c["mine"], c["not_mine"]}
    assert set(_ids(_page(world.coord, staff_id=world.as_demo.staff_id))) == {c["mine"], c["mine_resp"]}
    assert set(_ids(_page(world.coord, tenant_id=world.demo))) == {c["mine"], c["mine_resp"], c["not_mine"]}


def test_search_by_surname_given_name_or_case_number(world: World) -> None:
    c = world.cases
    assert _ids(_page(world.coord, q="ross")) == [c["mine"]]
    assert _ids(_page(world.coord, q="LUCIA esp")) == [c["mine_resp"]]
    with read_session() as session:
        number = session.get(Case, c["not_mine"]).number
    assert _ids(_page(world.coord, q=number[-5:])) == [c["not_mine"]]
    assert _ids(_page(world.coord, q="100%_")) == []


@pytest.mark.parametrize("bad", [{"service": "x"}, {"stage": "valutazione"}, {"measure_type": "x"},
                                 {"deadline": "ieri"}, {"q": "x" * 81}, {"sort": "id"}, {"tenant_id": -3}])
def test_bad_filters_are_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        cases.BoardFilters(**bad)


def test_only_the_first_cards_of_a_column_are_sent(world: World) -> None:
    with write_session() as session:
        for i in range(30):
            make_case(session, world.demo, surname=f"Extra{i}", stage="monitoraggio")
    page = _page(world.coord)
    col = next(c for c in page["columns"] if c["stage"] == "monitoraggio")
    assert col["count"] == 30 and len(col["cards"]) == 25
    more = next(c for c in _page(world.coord, {"monitoraggio": 50})["columns"] if c["stage"] == "monitoraggio")
    assert len(more["cards"]) == 30


def test_move_applies_workflow_rules_and_records_who_and_when(world: World) -> None:
    cid = world.cases["mine"]  # indagine, no responsible, no intervention
    with write_session() as session, pytest.raises(cases.MoveRefused) as refused:
        cases.move_case_to_stage(session, world.as_demo, cid, "progetto", 1)
    assert any("intervento" in r for r in refused.value.reasons)
    with write_session() as session, pytest.raises(cases.MoveRefused):
        cases.move_case_to_stage(session, world.as_demo, cid, "chiusura", 1)  # no closure reason
    with write_session() as session, pytest.raises(cases.MoveRefused):
        cases.move_case_to_stage(session, world.as_demo, cid, "monitoraggio", 1)  # jump
    with write_session() as session:
        session.get(Case, cid).responsible_staff_id = world.as_demo.staff_id
    with write_session() as session:
        case_work.add_intervention(session, world.as_demo, cid, "osservazione", "2026-02-01")
    with write_session() as session:
        moved = cases.move_case_to_stage(session, world.as_demo, cid, "progetto", 2)
    assert moved == {"case_id": cid, "stage": "progetto", "version": 3, "from_stage": "indagine"}
    with read_session() as session:
        change = session.exec(select(CaseStageChange).where(CaseStageChange.case_id == cid)).one()
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "move")).one()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("indagine", "progetto", world.as_demo.staff_id)
    assert audit.detail == "indagine->progetto" and audit.entity_id == str(cid)


def test_move_with_a_stale_version_is_a_conflict(world: World) -> None:
    with write_session() as session:
        case_work.update_case_summary(session, world.psi_demo, world.cases["mine"], 1, "Aggiornata")
    with write_session() as session, pytest.raises(EditConflict) as conflict:
        cases.move_case_to_stage(session, world.as_demo, world.cases["mine"], "segnalazione", 1)
    assert conflict.value.their_version == 2


def test_goal_with_baseline_then_review_unlocks_monitoring(world: World) -> None:
    cid = world.cases["mine"]
    with write_session() as session:
        session.get(Case, cid).stage = "progetto"
    with write_session() as session:
        iv = case_work.add_intervention(session, world.as_demo, cid, "pei", "2026-02-01",
                                        staff_id=world.psi_demo.staff_id, description="PEI scuola")
    with write_session() as session:
        goal = case_work.add_goal(session, world.as_demo, iv["id"], "Frequenza regolare", "3", "2026-02-02", "base")
    with write_session() as session:
        review = case_work.add_evaluation(session, world.as_demo, goal["goal_id"], "2026-03-02", 6, "meglio")
    assert review["is_baseline"] is False
    with write_session() as session:
        assert cases.move_case_to_stage(session, world.as_demo, cid, "monitoraggio", 2)["stage"] == "monitoraggio"
    with read_session() as session:
        data = read_case_file(session, world.as_demo, cid)
    assert [e["score"] for e in data["evaluations"]] == ["3", "6"]
    assert data["interventions"][0]["who"] == "Luca Verdi"
    titles = [t["title"] for t in data["timeline"]]
    assert titles.index("Passaggio a «Monitoraggio»") < titles.index("Valutazione di verifica: 6/10")


@pytest.mark.parametrize("score", [-1, 11, "x", None, True])
def test_evaluation_score_must_be_0_to_10(world: World, score: object) -> None:
    with write_session() as session:
        iv = case_work.add_intervention(session, world.as_demo, world.cases["mine"], "pei", "2026-02-01")
    with write_session() as session, pytest.raises(InvalidInput) as bad:
        case_work.add_goal(session, world.as_demo, iv["id"], "Obiettivo", score, "2026-02-02")
    assert "0 a 10" in bad.value.errors["baseline_score"]
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Evaluation)).one() == 0


def test_bad_intervention_input_is_refused_in_italian(world: World) -> None:
    with write_session() as session, pytest.raises(InvalidInput) as bad:
        case_work.add_intervention(session, world.as_demo, world.cases["mine"], "magia", "2026-02-01")
    assert "tipo" in bad.value.errors["kind"]
    with write_session() as session, pytest.raises(InvalidInput) as bad:
        case_work.add_intervention(session, world.as_demo, world.cases["mine"], "pei", "31/02/2026")
    assert "start_on" in bad.value.errors
    with write_session() as session, pytest.raises(InvalidInput):  # staff outside the équipe
        case_work.add_intervention(session, world.as_demo, world.cases["mine"], "pei", "2026-02-01",
                                   staff_id=world.edu_demo.staff_id)


def test_concurrent_summary_edits_keep_both_versions(world: World) -> None:
    cid = world.cases["mine"]
    with write_session() as session:
        case_work.update_case_summary(session, world.as_demo, cid, 1, "Versione di Giulia")
    with write_session() as session, pytest.raises(EditConflict) as conflict:
        case_work.update_case_summary(session, world.psi_demo, cid, 1, "Versione di Luca")
    assert conflict.value.theirs == {"Sintesi del caso": "Versione di Giulia"}
    with write_session() as session:  # re-apply mine on top of theirs
        case_work.update_case_summary(session, world.psi_demo, cid, conflict.value.their_version, "Versione di Luca")
    with read_session() as session:
        assert session.get(Case, cid).summary == "Versione di Luca"
        updates = session.exec(select(AuditEvent).where(AuditEvent.action == "update")).all()
    assert len(updates) == 2 and all(u.detail == "summary" for u in updates)


def test_intervention_and_contact_edits_are_version_checked(world: World) -> None:
    cid = world.cases["mine"]
    with write_session() as session:
        iv = case_work.add_intervention(session, world.as_demo, cid, "osservazione", "2026-02-01")
    with write_session() as session:
        case_work.update_intervention(session, world.psi_demo, iv["id"], 1, "concluso", "2026-03-01")
    with write_session() as session, pytest.raises(EditConflict) as conflict:
        case_work.update_intervention(session, world.as_demo, iv["id"], 1, "interrotto", "2026-03-05")
    assert conflict.value.theirs == {"Stato": "Concluso", "Data di fine": "01/03/2026"}
    with read_session() as session:
        contact_id = int(read_case_file(session, world.coord, cid)["contacts"][0]["id"])
    with write_session() as session:
        case_work.update_contact(session, world.as_demo, contact_id, 1, date.today().isoformat(), "Sentita la maestra")
    with write_session() as session, pytest.raises(EditConflict):
        case_work.update_contact(session, world.psi_demo, contact_id, 1, "2026-01-01")


def test_silent_key_contact_warns_but_informal_one_does_not(world: World) -> None:
    with read_session() as session:
        contacts = read_case_file(session, world.coord, world.cases["mine"])["contacts"]
    by_org = {c["organisation"]: c for c in contacts}
    assert by_org["IC Manzoni"]["warning"].startswith("Nessun contatto da oltre 90 giorni")
    assert by_org["Vicina"]["warning"] == ""
    with write_session() as session:
        case_work.update_contact(session, world.as_demo, int(by_org["IC Manzoni"]["id"]), 1,
                                 (date.today() - timedelta(days=2)).isoformat())
    with read_session() as session:
        contacts = read_case_file(session, world.coord, world.cases["mine"])["contacts"]
    assert next(c for c in contacts if c["organisation"] == "IC Manzoni")["warning"] == ""


def test_markers_change_when_a_colleague_writes(world: World) -> None:
    cid = world.cases["mine"]
    with read_session() as session:
        board_before = cases.board_marker(session, world.coord, "tutela_minori")
        case_before = case_marker(session, world.coord, cid)
    with write_session() as session:
        case_work.add_contact(session, world.as_demo, cid, "npi_uonpia", "UONPIA Milano")
    with read_session() as session:
        assert case_marker(session, world.coord, cid) != case_before
        assert cases.board_marker(session, world.coord, "tutela_minori") != board_before


def _shared(actor, **filters) -> dict:  # noqa: ANN001
    f = cases.BoardFilters(**filters)
    with read_session() as session:
        marker = cases.board_marker(session, actor, f.service)
        return cases.shared_board_page(session, actor, f, {}, marker)


def test_board_marker_sees_a_new_case_and_a_change_and_ignores_other_comuni(world: World) -> None:
    def marker(actor) -> str:  # noqa: ANN001
        with read_session() as session:
            return cases.board_marker(session, actor, "tutela_minori")

    coord_before, as_before, other_before = marker(world.coord), marker(world.as_demo), marker(world.coord_other)
    with write_session() as session:
        make_case(session, world.demo, given="Nuovo", surname="Caso")  # nobody's équipe yet
    assert marker(world.coord) != coord_before
    assert marker(world.as_demo).split("|")[1:] == as_before.split("|")[1:]  # not their case: only the global id moved
    coord_before = marker(world.coord)
    with write_session() as session:
        case_work.update_case_summary(session, world.as_demo, world.cases["mine"], 1, "Sintesi nuova")
    assert marker(world.coord) != coord_before
    assert marker(world.as_demo) != as_before
    assert marker(world.coord_other).split("|")[1:] == other_before.split("|")[1:]


def test_shared_board_page_is_reused_only_within_one_scope_and_rebuilt_after_a_change(world: World) -> None:
    first = _shared(world.coord)
    assert _shared(world.coord) is first  # same scope, filters and data: the same page object
    team_page = _shared(world.as_demo)  # équipe member: only their cases, never the coordinator's page
    assert team_page is not first
    assert set(_ids(team_page)) == {world.cases["mine"], world.cases["mine_resp"]}
    assert world.cases["not_mine"] in _ids(first)
    assert _shared(world.coord_other)["total"] == 1 and _ids(_shared(world.coord_other)) == [world.cases["other_comune"]]
    assert _shared(world.coord, stage="indagine") is not first  # other filters: another page
    with write_session() as session:
        cases.move_case_to_stage(session, world.coord, world.cases["mine_resp"], "indagine", None)
    moved = _shared(world.coord)
    assert moved is not first
    stage_of = {c["id"]: col["stage"] for col in moved["columns"] for c in col["cards"]}
    assert stage_of[str(world.cases["mine_resp"])] == "indagine"


def test_board_queries_use_the_board_index(sqlite_engine) -> None:  # noqa: ANN001
    with write_session() as session:
        world = build_world(session)
    now = utcnow()
    filters = [cases.BoardFilters(), cases.BoardFilters(deadline="scaduta", measure_type="affido_familiare"),
               cases.BoardFilters(q="ross"), cases.BoardFilters(staff_id=world.as_demo.staff_id)]
    with read_session() as session:
        for actor in (world.coord, world.as_demo):
            for f in filters:
                for stmt in (cases.counts_statement(actor, f, now), cases.column_statement(actor, f, "indagine", 25, now)):
                    compiled = stmt.compile(sqlite_engine, compile_kwargs={"literal_binds": True})
                    plan = " | ".join(r[-1] for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
                    assert "ix_case_board" in plan, plan
                    assert "SCAN case_file" not in plan, plan


def test_naming_the_responsible_is_version_checked_and_limited_to_the_equipe(world: World) -> None:
    from tutela_app.services import case_team  # noqa: PLC0415

    cid = world.cases["mine"]
    with write_session() as session, pytest.raises(InvalidInput):
        case_team.set_responsible(session, world.coord, cid, 1, world.edu_demo.staff_id)  # not in the équipe
    with write_session() as session:
        case_team.set_responsible(session, world.coord, cid, 1, world.as_demo.staff_id)
    with write_session() as session, pytest.raises(EditConflict) as conflict:
        case_team.set_responsible(session, world.coord, cid, 1, world.psi_demo.staff_id)
    assert conflict.value.theirs == {"Responsabile": "Giulia Bianchi"}
    with write_session() as session, pytest.raises(InvalidInput):  # the responsible cannot leave the équipe
        case_team.end_member(session, world.coord, cid, world.as_demo.staff_id)
    with read_session() as session:
        assert session.get(Case, cid).responsible_staff_id == world.as_demo.staff_id


def test_case_file_shows_the_newest_timeline_page_and_case_timeline_stays_complete(world: World) -> None:
    cid = world.cases["mine"]
    first_day = date.today() - timedelta(days=40)
    with write_session() as session:
        iv = case_work.add_intervention(session, world.as_demo, cid, "osservazione", first_day.isoformat(),
                                        staff_id=world.psi_demo.staff_id)
    with write_session() as session:
        goal = case_work.add_goal(session, world.as_demo, iv["id"], "Frequenza regolare", "3", first_day.isoformat())
    for day in range(1, 29):
        with write_session() as session:
            case_work.add_evaluation(session, world.as_demo, goal["goal_id"],
                                     (first_day + timedelta(days=day)).isoformat(), day % 11)
    with read_session() as session:
        first = read_case_file(session, world.coord, cid, audit_read=False)
        everything = read_case_file(session, world.coord, cid, audit_read=False, timeline_limit=MAX_ITEMS)
        alone = case_timeline(session, world.coord, load_case(session, world.coord, cid, "case.read"))
    total = 5 + 1 + 1 + 28  # the factory's events, the intervention, its baseline and 28 reviews
    assert len(alone) == len(everything["timeline"]) == first["timeline_total"] == everything["timeline_total"] == total
    assert everything["timeline"] == alone and first["timeline"] == alone[:TIMELINE_PAGE]
    assert {k: v for k, v in first.items() if k != "timeline"} == {k: v for k, v in everything.items() if k != "timeline"}
    assert (first["timeline"][0]["title"], first["timeline"][0]["detail"]) == ("Valutazione di verifica: 6/10",
                                                                             "Frequenza regolare")
    start = next(i for i in alone if i["title"].startswith("Avvio:"))
    assert start["detail"] == "Luca Verdi" == first["interventions"][0]["who"]
