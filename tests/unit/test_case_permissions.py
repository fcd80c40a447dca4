"""Who sees and edits which case: équipe members only their assigned cases, coordinators all
cases of their Comuni, nobody another Comune's case; restricted notes in the timeline."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.unit.case_factory import World, build_world
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import read_session, write_session
from tutela_app.models import AuditEvent
from tutela_app.services import case_work, cases
from tutela_app.services.case_file import read_case_file


@pytest.fixture
def world(engine) -> World:  # noqa: ANN001
    with write_session() as session:
        return build_world(session)


def _board_numbers(actor, **filters) -> set[int]:  # noqa: ANN001
    with read_session() as session:
        page = cases.board_page(session, actor, cases.BoardFilters(**filters), audit_read=False)
    return {int(card["id"]) for col in page["columns"] for card in col["cards"]}


def test_equipe_member_sees_only_assigned_or_responsible_cases(world: World) -> None:
    assert _board_numbers(world.as_demo) == {world.cases["mine"], world.cases["mine_resp"]}
    assert _board_numbers(world.psi_demo) == {world.cases["mine"], world.cases["not_mine"]}
    assert _board_numbers(world.edu_demo) == set()


def test_coordinator_sees_every_case_of_own_comuni_only(world: World) -> None:
    assert _board_numbers(world.coord) == {world.cases["mine"], world.cases["mine_resp"], world.cases["not_mine"]}
    assert _board_numbers(world.coord_other) == {world.cases["other_comune"]}


def test_filter_on_a_comune_not_granted_shows_nothing(world: World) -> None:
    assert _board_numbers(world.coord, tenant_id=world.other) == set()


@pytest.mark.parametrize("key", ["not_mine", "other_comune"])
def test_unassigned_or_foreign_case_looks_missing(world: World, key: str) -> None:
    with read_session() as session:
        with pytest.raises(NotFoundOrForbidden):
            read_case_file(session, world.as_demo, world.cases[key])
        with pytest.raises(NotFoundOrForbidden):
            read_case_file(session, world.as_demo, 999_999)
    with write_session() as session, pytest.raises(NotFoundOrForbidden):
        case_work.add_intervention(session, world.as_demo, world.cases[key], "osservazione", "2026-02-01")
    with write_session() as session, pytest.raises(NotFoundOrForbidden):
        cases.move_case_to_stage(session, world.as_demo, world.cases[key], "progetto", None)


@pytest.mark.parametrize("bad", ["abc", -1, 0, None, True, {"x": 1}, "1; drop table"])
def test_hostile_case_ids_are_not_found(world: World, bad: object) -> None:
    with read_session() as session, pytest.raises(NotFoundOrForbidden):
        read_case_file(session, world.coord, bad)


def test_restricted_note_only_for_author_profession_and_coordinator(world: World) -> None:
    def timeline_text(actor) -> str:  # noqa: ANN001
        with read_session() as session:
            data = read_case_file(session, actor, world.cases["mine"])
        return " ".join(f"{i['title']} {i['detail']}" for i in data["timeline"])

    assert "SEGRETO-PSI" in timeline_text(world.psi_demo)
    assert "SEGRETO-PSI" in timeline_text(world.coord)
    social_worker_view = timeline_text(world.as_demo)
    assert "SEGRETO-PSI" not in social_worker_view
    assert "Nota riservata" in social_worker_view
    assert "Visita domiciliare svolta" in social_worker_view


def test_reading_a_case_file_is_audited_with_the_subject(world: World) -> None:
    with read_session() as session:
        read_case_file(session, world.as_demo, world.cases["mine"])
    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "case",
                                                       AuditEvent.action == "read")).all()
    assert [(e.entity_id, e.actor_id) for e in events] == [(str(world.cases["mine"]), world.as_demo.staff_id)]
    assert events[0].person_id is not None and events[0].detail is None


def test_reopening_a_closed_case_is_reserved_to_coordinators(world: World) -> None:
    with write_session() as session:
        cases.move_case_to_stage(session, world.as_demo, world.cases["mine"], "chiusura", 1, "obiettivi_raggiunti")
    with write_session() as session, pytest.raises(cases.MoveRefused) as refused:
        cases.move_case_to_stage(session, world.as_demo, world.cases["mine"], "monitoraggio", 2)
    assert "coordinatore" in refused.value.reasons[0]
    with write_session() as session:
        moved = cases.move_case_to_stage(session, world.coord, world.cases["mine"], "monitoraggio", 2)
    assert moved["stage"] == "monitoraggio"


def test_only_coordinators_change_the_equipe(world: World) -> None:
    from tutela_app.services import case_team  # noqa: PLC0415

    cid = world.cases["mine"]
    with write_session() as session, pytest.raises(NotFoundOrForbidden):
        case_team.add_member(session, world.as_demo, cid, world.edu_demo.staff_id, "educatore")
    with write_session() as session, pytest.raises(NotFoundOrForbidden):
        case_team.set_responsible(session, world.as_demo, cid, 1, world.as_demo.staff_id)
    with read_session() as session:
        assert case_team.candidates(session, world.as_demo, cid) == []
        assert {c["label"] for c in case_team.candidates(session, world.coord, cid)} >= {"Sara Rossi", "Giulia Bianchi"}
    with write_session() as session:
        case_team.add_member(session, world.coord, cid, world.edu_demo.staff_id, "educatore")
    assert world.cases["mine"] in _board_numbers(world.edu_demo)  # the new member now sees the case
    with write_session() as session, pytest.raises(case_work.InvalidInput):
        case_team.add_member(session, world.coord, cid, world.coord_other.staff_id, "educatore")  # other Comune
    with write_session() as session:
        case_team.end_member(session, world.coord, cid, world.edu_demo.staff_id)
    assert world.cases["mine"] not in _board_numbers(world.edu_demo)
