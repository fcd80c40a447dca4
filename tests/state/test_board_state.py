"""Board and case file state handlers without a browser, on a real database.

The root state is built as Reflex does, with the router data a browser would send (the
session cookie, the page URL); the actor comes from a real server-side session.
"""

from __future__ import annotations

import pytest
from reflex.istate.data import RouterData
from sqlmodel import select

from tests.support.root_state import root_for
from tests.unit.case_factory import World, build_world
from tutela_app.auth import permissions as perm
from tutela_app.db import read_session, write_session
from tutela_app.models import Case, Intervention
from tutela_app.pages.board.state import BoardState
from tutela_app.pages.case_file.state import CaseFileState


@pytest.fixture
def world(engine) -> World:  # noqa: ANN001
    with write_session() as session:
        return build_world(session)


_root = root_for


def _board(staff_id: int) -> BoardState:
    return _root(staff_id, "/casi").substates[BoardState.get_name()]


def _file(staff_id: int, case_id: int) -> CaseFileState:
    return _root(staff_id, f"/casi/{case_id}").substates[CaseFileState.get_name()]


def _card_ids(board: BoardState) -> set[str]:
    return {c.id for col in board.columns for c in col.cards}


async def test_board_load_filter_and_clear(world: World) -> None:
    board = _board(world.coord.staff_id)
    await board.load()
    assert board.total == 3 and [c.stage for c in board.columns][0] == "segnalazione"
    assert {o["label"] for o in board.tenant_options} == {"Comune Demo"}
    await board.apply_filters({"q": "ross", "stage": "", "deadline": ""})
    assert _card_ids(board) == {str(world.cases["mine"])} and board.filters == {"q": "ross"}
    await board.clear_filters()
    assert len(_card_ids(board)) == 3


@pytest.mark.parametrize("payload", [
    {"stage": "valutazione"}, {"deadline": "domani"}, {"tenant_id": "abc"}, {"q": "x" * 81}, {"q": ["ross"]},
])
async def test_board_refuses_bad_filters_and_keeps_the_previous_ones(world: World, payload: dict) -> None:
    board = _board(world.coord.staff_id)
    await board.load()
    await board.apply_filters({"q": "ross"})
    await board.apply_filters(payload)
    assert board.filters == {"q": "ross"} and _card_ids(board) == {str(world.cases["mine"])}
    assert board.error.startswith("Filtri non validi")


async def test_board_switches_service_and_ignores_unknown_ones(world: World) -> None:
    board = _board(world.coord.staff_id)
    await board.load()
    await board.set_service("servizio_sociale")
    assert board.service == "servizio_sociale" and board.columns[0].stage == "valutazione"
    await board.set_service("DROP TABLE")
    assert board.service == "servizio_sociale"


async def test_board_move_refusal_is_shown_on_the_card(world: World) -> None:
    board = _board(world.as_demo.staff_id)
    await board.load()
    cid = str(world.cases["mine"])
    await board.move_card({"case_id": cid, "version": "1", "to_stage": "progetto", "closure_reason": ""})
    card = next(c for col in board.columns for c in col.cards if c.id == cid)
    assert "intervento" in card.error and card.stage == "indagine"
    await board.move_card({"case_id": cid, "version": "1", "to_stage": "segnalazione", "closure_reason": ""})
    assert board.message == "Pratica spostata in «Segnalazione / mandato»."
    with read_session() as s:
        assert s.get(Case, world.cases["mine"]).stage == "segnalazione"


async def test_board_move_of_a_case_not_visible_changes_nothing(world: World) -> None:
    board = _board(world.as_demo.staff_id)
    await board.load()
    cid = str(world.cases["not_mine"])
    await board.move_card({"case_id": cid, "version": "1", "to_stage": "segnalazione", "closure_reason": ""})
    await board.move_card({"case_id": {"$ne": 1}, "version": 1})  # hostile payload: ignored
    with read_session() as s:
        assert s.get(Case, world.cases["not_mine"]).stage == "indagine"


async def test_case_file_loads_and_foreign_case_looks_missing(world: World) -> None:
    page = _file(world.as_demo.staff_id, world.cases["mine"])
    await page.load()
    assert page.found and page.header["number"].startswith("TM-") and page.child["name"] == "Mario Rossi"
    other = _file(world.as_demo.staff_id, world.cases["other_comune"])
    await other.load()
    missing = _file(world.as_demo.staff_id, 987654)
    await missing.load()
    assert (other.found, other.not_found) == (missing.found, missing.not_found) == (False, True)


async def test_add_intervention_keeps_input_on_error_and_clears_on_success(world: World) -> None:
    page = _file(world.as_demo.staff_id, world.cases["mine"])
    await page.load()
    await page.add_record("intervention", {"kind": "", "start_on": "2026-02-01", "description": "Osservare"})
    assert page.errors == {"kind": "Scegli il tipo di intervento."} and page.form_keys["intervention"] == 0
    await page.add_record("intervention", {"kind": "osservazione", "start_on": "2026-02-01", "status": "in_corso"})
    assert page.message == "Intervento aggiunto." and page.form_keys["intervention"] == 1
    assert [i["kind"] for i in page.interventions] == ["Osservazione (domicilio, scuola, altri contesti)"]
    await page.add_record("goal", {"intervention_id": page.interventions[0]["id"], "goal_description": "Frequenza",
                                   "baseline_score": "4", "baseline_on": "2026-02-02"})
    assert [e["score"] for e in page.evaluations] == ["4"]
    await page.add_record("nonsense", {"x": "y"})
    await page.add_record("intervention", "not a dict")
    with read_session() as s:
        assert len(s.exec(select(Intervention)).all()) == 1


async def test_conflicting_summary_edit_shows_both_versions_and_reapplies(world: World) -> None:
    mine = _file(world.as_demo.staff_id, world.cases["mine"])
    theirs = _file(world.psi_demo.staff_id, world.cases["mine"])
    await mine.load()
    await theirs.load()
    mine.start_edit("summary", str(world.cases["mine"]))
    theirs.start_edit("summary", str(world.cases["mine"]))
    await theirs.save_edit("summary", {"summary": "Testo di Luca"})
    assert theirs.edit_summary == {} and theirs.message == "Modifica salvata."
    await mine.save_edit("summary", {"summary": "Testo di Giulia"})
    assert mine.conflict_fields == [{"label": "Sintesi del caso", "theirs": "Testo di Luca", "yours": "Testo di Giulia"}]
    assert mine.header["summary"] == "Testo di Luca"  # the file shows the stored version meanwhile
    await mine.reapply_mine()
    assert mine.conflict_fields == [] and mine.message == "Modifica salvata."
    with read_session() as s:
        assert s.get(Case, world.cases["mine"]).summary == "Testo di Giulia"


async def test_conflict_keep_theirs_discards_mine(world: World) -> None:
    mine = _file(world.as_demo.staff_id, world.cases["mine"])
    theirs = _file(world.psi_demo.staff_id, world.cases["mine"])
    await mine.load()
    await theirs.load()
    theirs.start_edit("intervention", "nope")  # unknown id: nothing to edit
    assert theirs.edit_intervention == {}
    await mine.save_edit("summary", {"summary": "Senza aprire la modifica"})  # no snapshot: ignored
    assert mine.message == ""
    mine.start_edit("summary", str(world.cases["mine"]))
    theirs.start_edit("summary", str(world.cases["mine"]))
    await theirs.save_edit("summary", {"summary": "Testo di Luca"})
    await mine.save_edit("summary", {"summary": "Testo di Giulia"})
    assert mine.conflict_kind == "summary"
    await mine.keep_theirs()
    assert mine.conflict_fields == [] and mine.edit_summary == {} and mine.header["summary"] == "Testo di Luca"
    with read_session() as s:
        assert s.get(Case, world.cases["mine"]).summary == "Testo di Luca"


def test_every_public_handler_is_registered() -> None:
    for state in (BoardState, CaseFileState):
        public = {n for n in state.event_handlers if not n.startswith("_") and n != "setvar"}
        missing = {n for n in public if f"{state.__name__}.{n}" not in perm.HANDLER_ACTIONS}
        assert not missing, missing


async def test_responsible_conflict_shows_names_not_ids(world: World) -> None:
    cid = world.cases["mine"]
    first, second = _file(world.coord.staff_id, cid), _file(world.coord.staff_id, cid)
    await first.load()
    await second.load()
    assert {c["label"] for c in first.candidates} >= {"Giulia Bianchi", "Luca Verdi"}
    first.start_edit("responsible", str(cid))
    second.start_edit("responsible", str(cid))
    await first.save_edit("responsible", {"staff_id": str(world.as_demo.staff_id)})
    assert first.header["responsible"] == "Giulia Bianchi"
    await second.save_edit("responsible", {"staff_id": str(world.psi_demo.staff_id)})
    assert second.conflict_fields == [{"label": "Responsabile", "theirs": "Giulia Bianchi", "yours": "Luca Verdi"}]
    await second.add_record("member", {"staff_id": str(world.edu_demo.staff_id), "role_in_case": "educatore"})
    assert any(t["name"] == "Sara Rossi" for t in second.team)
    await second.end_member(str(world.edu_demo.staff_id))
    assert second.message == "Operatore tolto dall'équipe."
    equipe = _file(world.as_demo.staff_id, cid)
    await equipe.load()
    await equipe.end_member(str(world.psi_demo.staff_id))  # not a coordinator: refused
    assert equipe.errors == {"form": "Elemento non trovato o non accessibile."}


async def test_opening_another_page_drops_the_board_cards_but_not_on_the_board(world: World) -> None:
    """``check_session`` (first on_load of every page) releases the data of pages the tab
    left, so a reconnect never resends them; on the board itself the cards stay."""
    from tutela_app.state.session import SessionState

    root = _root(world.coord.staff_id, "/casi")
    board = root.substates[BoardState.get_name()]
    session_state = root.substates[SessionState.get_name()]
    await board.load()
    await session_state.check_session()
    assert board.loaded and _card_ids(board)
    root.router = RouterData.from_router_data({
        "headers": {"cookie": root.router.headers.cookie, "origin": "http://localhost:3000"},
        "asPath": "/cruscotti", "pathname": "/cruscotti",
    })
    await session_state.check_session()
    assert session_state.is_authenticated
    assert board.columns == [] and board.total == 0 and not board.loaded
