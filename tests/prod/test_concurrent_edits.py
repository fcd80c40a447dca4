"""Many concurrent conflicting edits of one case, through the case-edit service.

Each round, every editor loads the same version and saves a different summary at once,
from threads (one worker) and from separate processes (several workers, each with its own
connection pool). Per round exactly one save wins; every other editor gets an
EditConflict carrying the winner's text and version; nothing else fails (no "database is
locked", no deadlock); the final row and the audit trail match the winners exactly.
Runs on SQLite and, when TUTELA_TEST_POSTGRES_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.support import seeded
from tests.support.databases import use_database
from tutela_app.auth.permissions import Actor
from tutela_app.db import get_engine, read_session, write_session
from tutela_app.models import AuditEvent, Case, Tenant
from tutela_app.seed import seed_database
from tutela_app.services.case_access import EditConflict
from tutela_app.services.case_work import update_case_summary

pytestmark = pytest.mark.prod

EDITORS = 6
ROUNDS = 8


def _attempt(actor: Actor, case_id: int, version: int, text: str) -> tuple[str, object]:
    """One save; returns ('won', new_version) / ('conflict', (their_text, their_version)) / ('error', repr)."""
    try:
        with write_session() as session:
            result = update_case_summary(session, actor, case_id, version, text)
        return "won", result["version"]
    except EditConflict as conflict:
        return "conflict", (conflict.theirs.get("Sintesi del caso"), conflict.their_version)
    except Exception as exc:  # noqa: BLE001 - any other failure is what the test looks for
        return "error", f"{type(exc).__name__}: {exc}"


def _current_version(case_id: int) -> int:
    with read_session() as session:
        return session.get(Case, case_id).version  # type: ignore[union-attr]


def _editor_loop(url: str, actor: Actor, case_id: int, who: int, barrier, results) -> None:  # noqa: ANN001
    """Body of one editor (thread or process): load, wait for all, save; ROUNDS times."""
    if url:
        use_database(url)
    for rnd in range(ROUNDS):
        barrier.wait()
        version = _current_version(case_id)
        barrier.wait()  # everyone holds the same version now
        outcome, detail = _attempt(actor, case_id, version, f"round {rnd} editor {who}")
        results.put((rnd, version, who, outcome, detail)) if hasattr(results, "put") else results.append(
            (rnd, version, who, outcome, detail))


@pytest.fixture
def case_and_editor(engine):  # noqa: ANN001, ANN201
    seed_database(engine, scale="tiny", today=date(2026, 6, 1))
    with Session(engine) as s:
        demo = s.execute(select(Tenant.id).where(Tenant.code == "demo")).scalar_one()
        case_id = s.execute(select(Case.id).where(Case.tenant_id == demo, Case.closed_on.is_(None))).scalars().first()
    return case_id, seeded.actor(engine, "coord.demo")


def _check(results: list[tuple], case_id: int, start_version: int, engine) -> None:  # noqa: ANN001
    errors = [r for r in results if r[3] == "error"]
    assert not errors, errors[:5]
    assert len(results) == EDITORS * ROUNDS
    winners = {}
    for rnd in range(ROUNDS):
        in_round = [r for r in results if r[0] == rnd]
        assert len({r[1] for r in in_round}) == 1, "editors of a round loaded different versions"
        won = [r for r in in_round if r[3] == "won"]
        assert len(won) == 1, f"round {rnd}: {Counter(r[3] for r in in_round)}"
        winners[rnd] = won[0]
        winner_text = f"round {rnd} editor {won[0][2]}"
        for loser in (r for r in in_round if r[3] == "conflict"):
            assert loser[4] == (winner_text, won[0][4]), "a loser must see the winner's text and version"
    with Session(engine) as s:
        case = s.get(Case, case_id)
        updates = s.execute(select(AuditEvent).where(
            AuditEvent.entity_type == "case", AuditEvent.entity_id == str(case_id), AuditEvent.action == "update",
            AuditEvent.detail == "summary")).scalars().all()
    assert case.version == start_version + ROUNDS  # no lost update: every winning save counted once
    last = winners[ROUNDS - 1]
    assert case.summary == f"round {ROUNDS - 1} editor {last[2]}"
    assert len(updates) == ROUNDS  # no partial write: losers left no audit trace


def test_concurrent_edits_from_threads(case_and_editor, engine) -> None:  # noqa: ANN001
    case_id, actor = case_and_editor
    start = _current_version(case_id)
    barrier, results = threading.Barrier(EDITORS), []
    threads = [threading.Thread(target=_editor_loop, args=("", actor, case_id, i, barrier, results)) for i in range(EDITORS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    _check(results, case_id, start, engine)


def test_concurrent_edits_from_worker_processes(case_and_editor, engine, database_url) -> None:  # noqa: ANN001
    case_id, actor = case_and_editor
    start = _current_version(case_id)
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(EDITORS), ctx.Queue()
    procs = [ctx.Process(target=_editor_loop, args=(database_url, actor, case_id, i, barrier, queue)) for i in range(EDITORS)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=180) for _ in range(EDITORS * ROUNDS)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    get_engine().dispose()
    _check(results, case_id, start, engine)
