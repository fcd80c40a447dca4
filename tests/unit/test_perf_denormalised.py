"""What the performance work keeps in step: scores kept on goal, the dashboard cache and its
data marker, and reads audited in their own short write transaction."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.unit.case_factory import build_world
from tests.unit.metrics_dataset import PERIOD, Ids, build
from tutela_app.auth.permissions import Actor
from tutela_app.db import read_session, write_session
from tutela_app.models import AuditEvent, Case, Evaluation, Goal
from tutela_app.pages.board.state import _load as load_board
from tutela_app.pages.case_file.calls import load_case_file
from tutela_app.seed import seed_database
from tutela_app.services import case_work, cases, metrics
from tutela_app.services.goal_scores import refresh_goal_scores
from tutela_app.services.metrics_cache import ResultCache, data_marker
from tutela_app.services.metrics_filters import DashboardFilter


def _scores(engine: Engine) -> dict[int, tuple]:
    with Session(engine) as s:
        return {g.id: (g.baseline_score, g.latest_score, g.latest_on) for g in s.exec(select(Goal)).all()}


def test_evaluation_service_keeps_baseline_and_latest_review_on_the_goal(engine: Engine) -> None:
    with write_session() as session:
        world = build_world(session)
    cid = world.cases["mine"]
    today = date.today()
    with write_session() as session:
        iv = case_work.add_intervention(session, world.as_demo, cid, "pei", (today - timedelta(days=60)).isoformat())
    with write_session() as session:
        goal = case_work.add_goal(session, world.as_demo, iv["id"], "Frequenza", "3", (today - timedelta(days=50)).isoformat())
    assert _scores(engine)[goal["goal_id"]] == (3, None, None)
    for days, score in ((20, 6), (40, 5)):  # the second review is older: the latest stays the first
        with write_session() as session:
            case_work.add_evaluation(session, world.as_demo, goal["goal_id"], (today - timedelta(days=days)).isoformat(), score)
    assert _scores(engine)[goal["goal_id"]] == (3, 6, today - timedelta(days=20))
    with write_session() as session:  # the edit version of the goal is not bumped by the bookkeeping
        assert session.get(Goal, goal["goal_id"]).version == 1


def test_seeded_goals_carry_the_same_scores_as_their_evaluations(engine: Engine) -> None:
    seed_database(engine, scale="tiny", today=date(2026, 3, 1))
    seeded = _scores(engine)
    assert any(v[1] is not None for v in seeded.values()) and any(v[0] is not None for v in seeded.values())
    with write_session() as session:
        refresh_goal_scores(session, seeded)
    assert _scores(engine) == seeded


def test_dashboard_cache_reuses_results_until_a_write_is_audited(engine: Engine) -> None:
    data: Ids = build(engine)
    actor = Actor(staff_id=data.s1, display_name="T", profession=None,
                  roles_by_tenant={data.alfa: frozenset({"coordinatore"})})
    flt = DashboardFilter(*PERIOD)
    calls: list[int] = []

    def render(tables):  # noqa: ANN001, ANN202
        calls.append(1)
        return {t.key: t.rows for t in tables}

    with read_session() as s:
        first = metrics.cached_dashboard(s, actor, flt, render)
        again = metrics.cached_dashboard(s, actor, flt, render)
        marker = data_marker(s)
    assert again is first and len(calls) == 1
    assert first["casi_per_comune"] == (("Comune Alfa", 1, 1),)  # only the actor's Comune
    with write_session() as s:
        s.add(AuditEvent(action="update", entity_type="case", entity_id="1"))
    with read_session() as s:
        assert data_marker(s) != marker
        metrics.cached_dashboard(s, actor, flt, render)
    assert len(calls) == 2
    with write_session() as s:  # a read does not invalidate
        s.add(AuditEvent(action="read", entity_type="case", entity_id="1"))
    with read_session() as s:
        metrics.cached_dashboard(s, actor, flt, render)
    assert len(calls) == 2


def test_result_cache_is_bounded_and_expires() -> None:
    cache = ResultCache(max_entries=2, ttl=60)
    for key in ("a", "b", "c"):
        cache.get_or_compute(key, lambda k=key: k.upper())
    assert cache.get_or_compute("a", lambda: "recomputed") == "recomputed"  # "a" was evicted
    assert cache.get_or_compute("c", lambda: "stale") == "C"
    expired = ResultCache(ttl=-1)
    expired.get_or_compute("k", lambda: 1)
    assert expired.get_or_compute("k", lambda: 2) == 2


def _reads(entity_type: str) -> int:
    with read_session() as s:
        return s.exec(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "read", AuditEvent.entity_type == entity_type)).one()


def test_board_and_case_file_reads_are_audited_in_their_own_transaction(engine: Engine) -> None:
    with write_session() as session:
        world = build_world(session)
    page = load_board(world.coord, cases.BoardFilters(), {}, True)
    assert page["read_tenants"] == [world.demo] and _reads("case_board") == 1
    load_board(world.coord, cases.BoardFilters(), {}, False)  # live refresh: not audited again
    assert _reads("case_board") == 1
    data = load_case_file(world.as_demo, world.cases["mine"], True)
    assert data["header"]["id"] == str(world.cases["mine"]) and _reads("case") == 1
    load_case_file(world.as_demo, world.cases["mine"], False)
    assert _reads("case") == 1
    with read_session() as s:
        assert s.get(Case, world.cases["mine"]).version == 1  # reading wrote nothing else
    with write_session() as s:
        assert s.exec(select(func.count()).select_from(Evaluation)).one() == 0
