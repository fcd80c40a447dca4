"""Faults against the whole running app in production mode (PostgreSQL + Redis state
manager + several Granian workers, started with `manage run-prod`).

1. The Redis behind the app's state manager restarts empty: users stay signed in (sessions
   are database rows, D2) and intake drafts are resumable at the same question.
2. A Granian worker is SIGKILLed while a tab is saving answers: every acknowledged answer is
   in the database and no accesso row is half-written (answers and version move together
   with the audit trail, in one transaction) nor left locked.
3. The app keeps serving after that kill and the tab reconnects and goes on saving: Granian
   respawns the dead worker (``tools/reflex_prod.py``; Reflex 0.10 alone would let one dead
   worker stop the whole app).

The Redis is a private redis-server on a free port (tests/faults/conftest.py); the
machine's Redis is never used by the app here and PostgreSQL only gets a fresh database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.faults.conftest import PrivateRedis
from tests.support import seeded
from tests.support.ports import free_port
from tests.support.prod_server import ProdServer, production_app, require_production_services
from tests.support.reflex_client import ReflexClient, Refused, connect
from tutela_app.auth.sessions import COOKIE_NAME
from tutela_app.models import Accesso, AuditEvent
from tutela_app.pages.intake.desk_state import IntakeDeskState
from tutela_app.pages.intake.wizard_state import IntakeWizardState
from tutela_app.state.session import SessionState

pytestmark = pytest.mark.prod

SS = SessionState.get_full_name()
DESK = IntakeDeskState.get_full_name()
WIZ = IntakeWizardState.get_full_name()
OPERATOR = "operatore.demo"


def _var(delta: dict, state: str, name: str, default=None):  # noqa: ANN001, ANN202
    return delta.get(state, {}).get(f"{name}_rx_state_", default)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ProdServer, PrivateRedis, Engine]]:
    require_production_services()
    private = PrivateRedis(free_port())
    private.start()
    try:
        with production_app(tmp_path_factory.mktemp("full-stack"), redis_url=private.url) as server:
            engine = create_engine(server.env["TUTELA_DATABASE_URL"])
            try:
                yield server, private, engine
            finally:
                engine.dispose()
    finally:
        private.kill()


async def _client(server: ProdServer, cookie: str, path: str, timeout: float = 60.0) -> ReflexClient:
    """Connect and hydrate like a browser tab, retrying while the app recovers (as the browser does)."""
    deadline = time.monotonic() + timeout
    while True:
        client = None
        try:
            client = await connect(server.url, cookie, path=path)
            await client.hydrate()
            if not client.closed:
                return client
        except (OSError, Refused, ConnectionError):
            pass
        if client is not None:
            await client.close()
        if time.monotonic() > deadline:
            raise AssertionError(f"could not reconnect to the app within {timeout} s:\n{server.log_tail()}")
        await asyncio.sleep(0.5)


async def _authenticated(client: ReflexClient) -> bool:
    return _var(client.deltas(await client.send_event(SS, "check_session", {}, timeout=30)), SS, "is_authenticated") is True


async def _start_draft(server: ProdServer, cookie: str) -> int:
    desk = await _client(server, cookie, "/sportello")
    try:
        delta = desk.deltas(await desk.send_event(DESK, "load", {}, timeout=30))
        tenants = _var(delta, DESK, "tenants")
        assert tenants, f"operatore.demo sees no Comune to open an accesso in: {delta}"
        updates = await desk.send_event(DESK, "start", {"form_data": {"comune": tenants[0]["id"]}}, timeout=30)
        found = re.search(r"/sportello/accesso/(\d+)", json.dumps(updates))
        assert found, f"start did not redirect to the wizard: {updates}"
        return int(found.group(1))
    finally:
        await desk.close()


async def _wizard(server: ProdServer, cookie: str, accesso_id: int) -> tuple[ReflexClient, dict]:
    wiz = await _client(server, cookie, f"/sportello/accesso/{accesso_id}")
    delta = wiz.deltas(await wiz.send_event(WIZ, "load", {}, timeout=30))
    assert _var(delta, WIZ, "loaded") is True and not _var(delta, WIZ, "not_found"), delta
    return wiz, delta[WIZ]


def _row(engine: Engine, accesso_id: int) -> tuple[int, str, dict, str | None]:
    """(version, raw answers JSON text, parsed answers, current question) straight from PostgreSQL."""
    with engine.connect() as conn:
        version, raw, current = conn.execute(
            text("SELECT version, answers::text, current_question FROM accesso WHERE id = :i"), {"i": accesso_id}).one()
    return version, raw, json.loads(raw), current


def _answer_audits(engine: Engine, accesso_id: int) -> int:
    with Session(engine) as s:
        return int(s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_type == "accesso", AuditEvent.entity_id == str(accesso_id),
            AuditEvent.action == "update", AuditEvent.detail.like("answer:%"))).scalar_one())


def _cookie(engine: Engine) -> str:
    return f"{COOKIE_NAME}=" + seeded.session_cookie(engine, OPERATOR)


async def test_redis_restart_keeps_sessions_and_drafts(stack) -> None:  # noqa: ANN001
    server, private, engine = stack
    cookie = _cookie(engine)
    accesso_id = await _start_draft(server, cookie)
    wiz, view = await _wizard(server, cookie, accesso_id)
    try:
        assert await _authenticated(wiz)
        assert view["q_id_rx_state_"] == "who_comes"
        delta = wiz.deltas(await wiz.send_event(WIZ, "choose", {"value": "persona"}, timeout=30))
        assert _var(delta, WIZ, "error", "") == "" and _var(delta, WIZ, "q_id") == "surname", delta
    finally:
        await wiz.close()
    version, _raw, answers, current = _row(engine, accesso_id)
    assert answers.get("who_comes") == "persona" and current == "surname"

    private.kill()
    private.start()  # same port, empty: every tab's Reflex state is gone
    assert private.process is not None and not __import__("redis").Redis(port=private.port).dbsize()

    # A new tab with the same cookie: still signed in, the draft listed and resumed where it was.
    desk = await _client(server, cookie, "/sportello")
    try:
        assert await _authenticated(desk), "a Redis restart must not sign the user out"
        drafts = _var(desk.deltas(await desk.send_event(DESK, "load", {}, timeout=30)), DESK, "drafts")
        assert any(d["id"] == str(accesso_id) and d["can_resume"] for d in drafts or []), drafts
    finally:
        await desk.close()
    wiz, view = await _wizard(server, cookie, accesso_id)
    try:
        assert await _authenticated(wiz)
        assert (view["q_id_rx_state_"], view["version_rx_state_"]) == ("surname", version)
        delta = wiz.deltas(await wiz.send_event(WIZ, "submit_answer", {"form_data": {"answer": "Rossi"}}, timeout=30))
        assert _var(delta, WIZ, "error", "") == "" and _var(delta, WIZ, "q_id") == "name", delta
    finally:
        await wiz.close()
    _v, _raw, answers, current = _row(engine, accesso_id)
    assert (answers.get("who_comes"), answers.get("surname"), current) == ("persona", "Rossi", "name")


def _worker_serving(server: ProdServer, client: ReflexClient) -> int | None:
    """Pid of the Granian worker holding the client's websocket (from the kernel's socket table)."""
    assert client._writer is not None  # noqa: SLF001
    local_port = client._writer.get_extra_info("sockname")[1]  # noqa: SLF001
    out = subprocess.run(["ss", "-Htnp", "state", "established", f"( sport = :{server.port} and dport = :{local_port} )"],
                         capture_output=True, text=True, check=False).stdout
    pids = {int(p) for p in re.findall(r"pid=(\d+)", out)}
    return pids.pop() if len(pids) == 1 else None


def _group_pids(pgid: int) -> list[tuple[int, int, str]]:
    out = subprocess.run(["ps", "-o", "pid=,ppid=,args=", "-g", str(pgid)], capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        pid, ppid, *args = line.split(None, 2)
        rows.append((int(pid), int(ppid), args[0] if args else ""))
    return rows


def _kill_a_worker(server: ProdServer, client: ReflexClient | None = None) -> int:
    """SIGKILL the Granian worker holding ``client``'s websocket (else any worker); returns its pid."""
    assert server.process is not None
    group = _group_pids(server.process.pid)
    reflex_pids = {pid for pid, ppid, _a in group if ppid == server.process.pid}
    workers = [pid for pid, ppid, args in group if ppid in reflex_pids and "python" in args
               and "resource_tracker" not in args]
    victim = _worker_serving(server, client) if client is not None else None
    assert victim is None or victim in workers, (victim, group)
    victim = victim or workers[0]
    os.kill(victim, signal.SIGKILL)
    KILLED["pid"] = victim
    return victim


KILLED: dict[str, int] = {}


async def test_worker_killed_mid_save_leaves_no_partial_record(stack) -> None:  # noqa: ANN001
    server, _private, engine = stack
    cookie = _cookie(engine)
    accesso_id = await _start_draft(server, cookie)
    wiz, _view = await _wizard(server, cookie, accesso_id)
    delta = wiz.deltas(await wiz.send_event(WIZ, "choose", {"value": "persona"}, timeout=30))
    assert _var(delta, WIZ, "q_id") == "surname", delta

    acked: list[tuple[int, str]] = []  # (version, surname) of every save the app acknowledged
    stop = asyncio.Event()

    async def typist() -> None:
        """One tab saving answer after answer (edit the surname, submit), as fast as acknowledged."""
        for i in range(1000):
            if stop.is_set() or wiz.closed:
                return
            surname = f"Rossi{i}"
            try:
                await wiz.send_raw(wiz.event_packet(f"{WIZ}.edit_question", {"question_id": "surname"}))
                updates = await wiz.send_event(WIZ, "submit_answer", {"form_data": {"answer": surname}}, timeout=30)
            except (ConnectionError, OSError):
                return
            d = wiz.deltas(updates)
            if _var(d, WIZ, "q_id") == "name" and _var(d, WIZ, "error", "") == "" and _var(d, WIZ, "version"):
                acked.append((_var(d, WIZ, "version"), surname))

    task = asyncio.create_task(typist())
    try:
        while len(acked) < 5:
            assert not task.done(), f"the typist stopped early: {task}"
            await asyncio.sleep(0.01)
        victim = _kill_a_worker(server, wiz)  # while a save is in flight (the typist never pauses)
        killed_at = len(acked)
        deadline = time.monotonic() + 30
        while not wiz.closed and len(acked) < killed_at + 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 40)
        await wiz.close()

    version, raw, answers, current = _row(engine, accesso_id)
    versions = [v for v, _s in acked]
    # Every acknowledged answer reached the database, in order; at most the one in flight
    # when the worker died was committed without an acknowledgement.
    assert versions == sorted(set(versions)) and versions[0] >= 3, versions
    assert versions[-1] <= version <= versions[-1] + 1, (versions[-1], version)
    if version == versions[-1]:
        assert answers["surname"] == acked[-1][1]
    # Nothing half-written: valid JSON, the flow consistent, and the row's version moved
    # exactly once per saved answer (row and audit event committed together or not at all).
    assert isinstance(answers, dict) and answers.get("who_comes") == "persona" and current == "name", raw
    assert re.fullmatch(r"Rossi\d+", answers["surname"]), raw
    assert version == 1 + _answer_audits(engine, accesso_id), (version, _answer_audits(engine, accesso_id))
    with Session(engine) as s:
        row = s.get(Accesso, accesso_id)
        assert row is not None and row.status == "bozza" and row.version == version
    with engine.begin() as conn:  # the dead worker left no lock on the row
        conn.execute(text("SET LOCAL lock_timeout = '5s'"))
        conn.execute(text("SELECT id FROM accesso WHERE id = :i FOR UPDATE"), {"i": accesso_id})
    STATE["accesso_id"] = accesso_id
    print(f"\nworker {victim} killed after {killed_at} acknowledged saves; {len(acked)} acknowledged in all; "
          f"row at version {version}")


STATE: dict[str, int] = {}


async def test_app_keeps_serving_after_a_worker_is_killed(stack) -> None:  # noqa: ANN001
    server, _private, engine = stack
    if "pid" not in KILLED:  # run alone: kill one now
        _kill_a_worker(server)
    cookie = _cookie(engine)
    await asyncio.sleep(3)
    assert server.process is not None and server.process.poll() is None, "run-prod exited:\n" + server.log_tail()
    assert httpx.get(f"{server.url}/ping", timeout=10).status_code == 200
    other = await _client(server, cookie, "/sportello", timeout=30)
    try:
        assert await _authenticated(other)
    finally:
        await other.close()
    if "accesso_id" in STATE:  # the tab of the killed worker reconnects and goes on saving
        wiz, view = await _wizard(server, cookie, STATE["accesso_id"])
        try:
            await wiz.send_raw(wiz.event_packet(f"{WIZ}.edit_question", {"question_id": "surname"}))
            d = wiz.deltas(await wiz.send_event(WIZ, "submit_answer", {"form_data": {"answer": "Verdi"}}, timeout=30))
            assert _var(d, WIZ, "version") == view["version_rx_state_"] + 1 and _var(d, WIZ, "error", "") == "", d
        finally:
            await wiz.close()
