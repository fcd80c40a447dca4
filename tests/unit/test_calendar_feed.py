"""iCalendar feed and "Le mie scadenze": case numbers and initials only, never names;
revoked or unknown tokens answer 404; only the person's own cases appear."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from tests.unit.case_factory import World, build_world
from tutela_app.calendar_feed import build_calendar_app
from tutela_app.db import read_session, write_session
from tutela_app.services import measures, my_deadlines


@pytest.fixture
def world(engine) -> World:  # noqa: ANN001
    with write_session() as session:
        w = build_world(session)
    with write_session() as s:
        measures.enter_measure(s, w.as_demo, w.cases["mine"], {
            "measure_type": "affidamento_servizio_sociale", "court": "TM Milano", "docket_number": "1/2026",
            "issued_on": (date.today() - timedelta(days=10)).isoformat(), "report_period_months": "6",
            "decree_deadlines": [{"kind": "decree_task", "title": "Sentire la nonna Rossi", "due":
                                  (date.today() + timedelta(days=3)).isoformat()}]})
        measures.enter_measure(s, w.psi_demo, w.cases["not_mine"], {
            "measure_type": "affido_familiare", "court": "TM Milano", "docket_number": "2/2026",
            "issued_on": (date.today() - timedelta(days=10)).isoformat()})
    return w


def test_feed_has_case_numbers_and_initials_never_names(world: World) -> None:
    with write_session() as s:
        token = my_deadlines.create_feed_token(s, world.as_demo)
    client = TestClient(build_calendar_app())
    resp = client.get(f"/calendario/{token}.ics")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/calendar")
    body = resp.text
    assert body.startswith("BEGIN:VCALENDAR") and body.count("BEGIN:VEVENT") >= 5
    assert "M. R." in body and "TM-2026-" in body
    for name in ("Mario", "Rossi", "Anna", "nonna", "Paolo", "Conti", "Giulia"):
        assert name not in body
    assert "Adempimento disposto dal decreto" in body  # fixed label instead of the typed title
    with read_session() as s:
        case_numbers = {r["case_id"] for r in my_deadlines.feed_rows(s, world.as_demo)}
    assert case_numbers == {world.cases["mine"]}  # not the colleague's case


def test_revoked_or_unknown_token_is_404(world: World) -> None:
    with write_session() as s:
        token = my_deadlines.create_feed_token(s, world.as_demo)
    client = TestClient(build_calendar_app())
    assert client.get(f"/calendario/{token}.ics").status_code == 200
    with write_session() as s:
        assert my_deadlines.revoke_feed_tokens(s, world.as_demo) == 1
    assert client.get(f"/calendario/{token}.ics").status_code == 404
    assert client.get("/calendario/" + "x" * 43 + ".ics").status_code == 404
    with write_session() as s:
        new = my_deadlines.create_feed_token(s, world.as_demo)
        newer = my_deadlines.create_feed_token(s, world.as_demo)  # creating again revokes the previous
    assert client.get(f"/calendario/{new}.ics").status_code == 404
    assert client.get(f"/calendario/{newer}.ics").status_code == 200


def test_home_list_shows_overdue_and_next_14_days_of_own_cases(world: World) -> None:
    with read_session() as s:
        rows = my_deadlines.my_deadlines(s, world.as_demo)
        coord_rows = my_deadlines.my_deadlines(s, world.coord)
    assert rows, "the decree task due in 3 days must be listed"
    assert {r["case_id"] for r in rows} == {str(world.cases["mine"])}
    assert all(r["initials"] == "M. R." and r["url"].endswith("/tribunale") for r in rows)
    assert {r["urgency"] for r in rows} <= {"overdue", "this_week", "later"}
    assert any(r["title"] == "Adempimento disposto dal decreto" and r["urgency"] == "this_week" for r in rows)
    assert coord_rows == []  # the coordinator is not in these équipes and holds no assignment
