"""Case file state: the paged timeline and the deltas of a reload, on a real database.

The root state is built as Reflex does (the router data a browser would send), the actor
comes from a real server-side session, as in ``test_board_state.py``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.support.root_state import root_for
from tests.unit.case_factory import World, build_world
from tutela_app.db import read_session, write_session
from tutela_app.models import Case, DiaryEntry
from tutela_app.pages.case_file.state import _PUBLISHED, CaseFileState
from tutela_app.services import case_work
from tutela_app.services.case_access import load_case
from tutela_app.services.timeline import MAX_ITEMS, TIMELINE_PAGE, case_timeline
from tutela_app.state.page_data import release_other_pages

#: events of the factory's "mine" case before the tests add any: its opening, two network
#: contacts and two diary notes (one restricted to psychologists)
FACTORY_EVENTS = 5
FIRST_NEW_NOTE = date(2026, 3, 1)  # after every factory event
SECRET = "SEGRETO-RECENTE"


@pytest.fixture
def world(engine) -> World:  # noqa: ANN001
    with write_session() as session:
        return build_world(session)


_root = root_for


def _file(staff_id: int, case_id: int) -> CaseFileState:
    return _root(staff_id, f"/casi/{case_id}").substates[CaseFileState.get_name()]


def _add_notes(world: World, count: int, *, restricted_last: bool = False) -> int:
    """``count`` diary notes on "mine", one a day from FIRST_NEW_NOTE; with ``restricted_last``
    the newest one is a psychologist's restricted note. Returns the case's event count."""
    cid = world.cases["mine"]
    with write_session() as s:
        for i in range(count):
            restricted = restricted_last and i == count - 1
            s.add(DiaryEntry(
                case_id=cid, tenant_id=world.demo, occurred_on=FIRST_NEW_NOTE + timedelta(days=i), tag="fatto",
                text=f"{SECRET} colloquio" if restricted else f"Evento numero {i}",
                author_id=(world.psi_demo if restricted else world.as_demo).staff_id,
                author_profession="psicologo" if restricted else "assistente_sociale",
                restricted_to_profession=restricted,
            ))
    return FACTORY_EVENTS + count


def _full_timeline(world: World, actor) -> list[dict[str, str]]:  # noqa: ANN001
    with read_session() as s:
        return case_timeline(s, actor, load_case(s, actor, world.cases["mine"], "case.read"))


def _dates(items: list[dict[str, str]]) -> list[date]:
    return [datetime.strptime(i["when"], "%d/%m/%Y").date() for i in items]


async def test_first_load_shows_the_newest_page_and_counts_every_event(world: World) -> None:
    total = _add_notes(world, 60)
    page = _file(world.coord.staff_id, world.cases["mine"])
    await page.load()
    assert len(page.timeline) == TIMELINE_PAGE == 25 and page.timeline_total == total == 65
    assert page.timeline == _full_timeline(world, world.coord)[:TIMELINE_PAGE]
    assert _dates(page.timeline) == sorted(_dates(page.timeline), reverse=True)
    assert page.timeline[0]["title"] == "Fatto accertato" and page.timeline[0]["detail"] == "Evento numero 59"
    assert _dates(page.timeline)[0] == FIRST_NEW_NOTE + timedelta(days=59)


async def test_show_more_adds_a_page_until_every_event_is_shown(world: World) -> None:
    total = _add_notes(world, 60)
    page = _file(world.coord.staff_id, world.cases["mine"])
    await page.load()
    await page.show_more_timeline()
    assert len(page.timeline) == 50 and page.timeline_total == total
    await page.show_more_timeline()
    assert len(page.timeline) == total == 65
    assert page.timeline == _full_timeline(world, world.coord)
    for _ in range(3):  # nothing more to show: the file is not even read again
        await page.show_more_timeline()
    assert len(page.timeline) == total and page._timeline_limit == 75


async def test_a_live_refresh_keeps_the_limit_and_opening_the_file_resets_it(world: World) -> None:
    _add_notes(world, 60)
    page = _file(world.coord.staff_id, world.cases["mine"])
    await page.load()
    await page.show_more_timeline()
    await page._reload()  # what ``watch`` does when the case changes
    assert len(page.timeline) == 50
    await page.load()
    assert len(page.timeline) == TIMELINE_PAGE and page._timeline_limit == TIMELINE_PAGE


async def test_show_more_never_goes_past_the_cap(world: World) -> None:
    total = _add_notes(world, MAX_ITEMS + 20)
    page = _file(world.coord.staff_id, world.cases["mine"])
    await page.load()
    for _ in range(MAX_ITEMS // TIMELINE_PAGE + 5):  # a client hammering the button
        await page.show_more_timeline()
    assert len(page.timeline) == MAX_ITEMS and page._timeline_limit == MAX_ITEMS
    assert page.timeline_total == total > MAX_ITEMS


async def test_show_more_without_a_file_does_nothing(world: World) -> None:
    _add_notes(world, 60)
    never_loaded = _file(world.coord.staff_id, world.cases["mine"])
    await never_loaded.show_more_timeline()
    assert (never_loaded.found, never_loaded.timeline, never_loaded._timeline_limit) == (False, [], TIMELINE_PAGE)
    assert not never_loaded.dirty_vars
    foreign = _file(world.as_demo.staff_id, world.cases["other_comune"])
    await foreign.load()
    await foreign.show_more_timeline()
    assert (foreign.found, foreign.timeline, foreign.timeline_total) == (False, [], 0)
    left = _file(world.coord.staff_id, world.cases["mine"])
    await left.load()
    await release_other_pages(left, "/casi")  # the tab moved to the board: the file's data is dropped
    await left.show_more_timeline()
    assert (left.found, left.timeline, left.timeline_total) == (False, [], 0)


async def test_restricted_note_stays_hidden_in_the_paged_timeline(world: World) -> None:
    _add_notes(world, 30, restricted_last=True)
    social_worker = _file(world.as_demo.staff_id, world.cases["mine"])
    await social_worker.load()
    newest = social_worker.timeline[0]
    assert (newest["title"], newest["detail"]) == ("Nota riservata", "Visibile solo a: Psicologo/a e coordinatori")
    await social_worker.show_more_timeline()
    shown = " ".join(f"{i['title']} {i['detail']}" for i in social_worker.timeline)
    assert len(social_worker.timeline) == social_worker.timeline_total and "SEGRETO" not in shown
    psychologist = _file(world.psi_demo.staff_id, world.cases["mine"])
    await psychologist.load()
    assert SECRET in psychologist.timeline[0]["detail"]


async def test_reloading_unchanged_data_sends_nothing(world: World) -> None:
    page = _file(world.coord.staff_id, world.cases["mine"])
    await page.load()
    assert {"header", "timeline", "timeline_total", "candidates"} <= page.dirty_vars
    page._clean()  # what Reflex does once the delta is sent
    await page._reload()
    assert page.dirty_vars == set()


async def test_reload_after_a_summary_change_marks_only_the_header(world: World) -> None:
    cid = world.cases["mine"]
    page = _file(world.coord.staff_id, cid)
    await page.load()
    page._clean()
    with write_session() as s:
        case_work.update_case_summary(s, world.coord, cid, s.get(Case, cid).version, "Nuova sintesi")
    await page._reload()
    assert page.dirty_vars == {"header", "_marker"}
    assert page.header["summary"] == "Nuova sintesi"


async def test_saving_an_edit_does_not_resend_the_whole_file(world: World) -> None:
    cid = world.cases["mine"]
    page = _file(world.as_demo.staff_id, cid)
    await page.load()
    page.start_edit("summary", str(cid))
    page._clean()
    await page.save_edit("summary", {"summary": "Sintesi salvata"})
    assert page.message == "Modifica salvata." and page.header["summary"] == "Sintesi salvata"
    # the form's own vars change too; of the file's data only the header does
    assert page.dirty_vars & set(_PUBLISHED) == {"header"}
    assert {"message", "edit_summary"} <= page.dirty_vars


async def test_candidates_come_with_the_page_load_and_survive_refreshes(world: World) -> None:
    page = _file(world.coord.staff_id, world.cases["mine"])
    await page.load()
    names = {c["label"] for c in page.candidates}
    assert {"Giulia Bianchi", "Luca Verdi", "Sara Rossi", "Franco Ferrari"} <= names and "Olga Neri" not in names
    await page._reload()  # a live refresh or a save: candidates are kept, not read again
    assert {c["label"] for c in page.candidates} == names
    await release_other_pages(page, "/casi")  # leaving the page drops them; opening it again reads them
    assert page.candidates == []
    await page.load()
    assert {c["label"] for c in page.candidates} == names
