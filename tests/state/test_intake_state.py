"""Intake wizard and front-desk state handlers, without a browser, on a real database.

The root state is built as Reflex does, with the router data a browser would send (the
session cookie in the headers, the wizard URL); the actor is resolved from a real
server-side session.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from sqlalchemy import text
from sqlmodel import select

from tests.unit.intake_factory import ADULT_INVIO_CASA, make_world, session_for, start
from tutela_app.auth.sessions import COOKIE_NAME, create_session
from tutela_app.db import write_session
from tutela_app.models import Accesso, Referral
from tutela_app.pages.intake.desk_state import IntakeDeskState
from tutela_app.pages.intake.wizard_state import SAVE_FAILED, IntakeWizardState
from tutela_app.services.intake import today_rome


def _states(engine, staff_id: int, path: str):  # noqa: ANN001
    with write_session(engine) as s:
        token = create_session(s, staff_id, "urn:test", None, None)
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({
        "headers": {"cookie": f"{COOKIE_NAME}={token}", "origin": "http://localhost:3000"},
        "asPath": path, "pathname": path,
    })
    return root.substates[IntakeWizardState.get_name()], root.substates[IntakeDeskState.get_name()]


@pytest.fixture
def world(engine):  # noqa: ANN001
    return make_world(engine)


async def _answer(wiz: IntakeWizardState, raw) -> None:  # noqa: ANN001
    if wiz.q_kind in ("choice", "yesno"):
        await wiz.choose(raw)
    elif wiz.q_kind == "members":
        await wiz.confirm_members()
    elif wiz.q_kind == "multichoice":
        await wiz.submit_answer({f"scelta_{v}": "on" for v in raw})
    else:
        await wiz.submit_answer({"answer": raw})


async def test_wizard_walks_saves_and_keeps_bad_input(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    wiz, _ = _states(engine, world["op_demo"].staff_id, f"/sportello/accesso/{aid}")
    await wiz.load()
    assert (wiz.q_id, wiz.q_kind, wiz.number) == ("who_comes", "choice", wiz.number)
    await wiz.choose("persona")
    await wiz.submit_answer({"answer": "Rossi"})
    await wiz.submit_answer({"answer": "Mario"})
    await wiz.choose("M")
    await wiz.submit_answer({"answer": "31/02/1980"})
    assert wiz.q_id == "birth_date"
    assert wiz.error == "Data non valida: usa il formato gg/mm/aaaa."
    assert wiz.input_text == "31/02/1980"  # nothing typed is lost
    assert [t["display"] for t in wiz.transcript] == ["La persona stessa", "Rossi", "Mario", "Maschile"]
    # Going back to an earlier answer shows it for editing, then the flow continues.
    wiz.edit_question("surname")
    assert (wiz.q_id, wiz.input_text, wiz.editing) == ("surname", "Rossi", True)
    await wiz.submit_answer({"answer": "Rossini"})
    assert wiz.q_id == "birth_date" and not wiz.editing
    with session_for(engine) as s:
        assert s.get(Accesso, aid).answers["surname"] == "Rossini"


async def test_whole_interview_to_confirmation_and_downloads(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    wiz, _ = _states(engine, world["op_demo"].staff_id, f"/sportello/accesso/{aid}")
    await wiz.load()
    for _ in range(40):
        if not wiz.q_id:
            break
        await _answer(wiz, ADULT_INVIO_CASA[wiz.q_id])
        assert wiz.error == "", (wiz.q_id, wiz.error)
    assert wiz.is_summary
    await wiz.confirm()
    assert wiz.is_confirmed and wiz.referral_id > 0 and wiz.referral_label == "Invio a Ufficio casa comunale"
    assert await wiz.download_letter() is not None
    assert await wiz.download_scheda() is not None


async def test_second_operator_resumes_and_a_stale_tab_keeps_its_answer(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    first, _ = _states(engine, world["op_demo"].staff_id, f"/sportello/accesso/{aid}")
    second, _ = _states(engine, world["op2_demo"].staff_id, f"/sportello/accesso/{aid}")
    await first.load()
    await second.load()
    await second.choose("persona")
    await first.choose("familiare")  # first tab still holds version 1
    assert "versione 2" in first.error and "la tua era 1" in first.error
    assert first.input_text == "familiare" and first.q_id == "who_comes"
    await first.choose("familiare")  # retry on the reloaded version
    assert first.q_id == "referrer_name" and first.error == ""


async def test_database_error_during_save_keeps_the_answer(sqlite_engine) -> None:
    world = make_world(sqlite_engine)
    aid = start(sqlite_engine, world["op_demo"], world["demo"])
    wiz, _ = _states(sqlite_engine, world["op_demo"].staff_id, f"/sportello/accesso/{aid}")
    await wiz.load()
    await wiz.choose("persona")
    with sqlite_engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER fail_save BEFORE UPDATE ON accesso BEGIN SELECT RAISE(ABORT, 'disk'); END"))
    await wiz.submit_answer({"answer": "Bianchi"})
    assert wiz.error == SAVE_FAILED
    assert (wiz.q_id, wiz.input_text) == ("surname", "Bianchi")
    with sqlite_engine.begin() as conn:
        conn.execute(text("DROP TRIGGER fail_save"))
    await wiz.submit_answer({"answer": "Bianchi"})
    assert wiz.q_id == "name" and wiz.error == ""


async def test_hostile_payloads_are_refused_cleanly(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    wiz, _ = _states(engine, world["op_demo"].staff_id, f"/sportello/accesso/{aid}")
    await wiz.load()
    await wiz.submit_answer("not a form")
    assert wiz.error == "Risposta non valida: riprova."
    await wiz.choose({"value": "persona"})
    assert wiz.error == "Scelta non valida."
    await wiz.choose("polizia_segreta")
    assert wiz.error == "Scegli una delle opzioni proposte." and wiz.q_id == "who_comes"
    wiz.edit_question({"qid": "surname"})
    wiz.remove_member("0")
    await wiz.link_person("-1")
    assert wiz.not_found  # reported like a missing record


async def test_draft_of_another_comune_is_not_found(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    wiz, _ = _states(engine, world["op_cantu"].staff_id, f"/sportello/accesso/{aid}")
    await wiz.load()
    assert wiz.not_found and wiz.number == "" and wiz.transcript == []


async def test_desk_lists_starts_and_marks_referrals(engine, world) -> None:
    aid = start(engine, world["op_demo"], world["demo"])
    _, desk = _states(engine, world["op_demo"].staff_id, "/sportello")
    await desk.load()
    assert [d["id"] for d in desk.drafts] == [str(aid)] and desk.tenants == [{"id": str(world["demo"]), "name": "Comune Demo"}]
    await desk.start({"comune": str(world["cantu"])})
    assert desk.error == "Non puoi aprire accessi in questo Comune."
    assert await desk.start({"comune": str(world["demo"])}) is not None
    with session_for(engine) as s:
        assert len(s.exec(select(Accesso).where(Accesso.tenant_id == world["demo"])).all()) == 2
    # a confirmed referral, then its follow-up
    wiz, _ = _states(engine, world["op_demo"].staff_id, f"/sportello/accesso/{aid}")
    await wiz.load()
    while wiz.q_id:
        await _answer(wiz, ADULT_INVIO_CASA[wiz.q_id])
    await wiz.confirm()
    await desk.load()
    ref = desk.referrals[0]
    await desk.mark_referral({"referral_id": ref["id"], "version": ref["version"], "esito": "si", "data": "32/01/2026"})
    assert desk.referral_error == "Data non valida: usa il formato gg/mm/aaaa."
    future = (today_rome() + timedelta(days=2)).strftime("%d/%m/%Y")
    await desk.mark_referral({"referral_id": ref["id"], "version": ref["version"], "esito": "si", "data": future})
    assert desk.referral_error == "La data non può essere nel futuro."
    today = today_rome().strftime("%d/%m/%Y")
    await desk.mark_referral({"referral_id": ref["id"], "version": ref["version"], "esito": "si", "data": today})
    assert desk.referral_error == "" and desk.referrals[0]["status"].startswith("Preso in carico il")
    with session_for(engine) as s:
        assert s.exec(select(Referral)).one().taken_up is True
