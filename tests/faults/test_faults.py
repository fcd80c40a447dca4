"""Faults: a worker killed mid-save, the database cut or locked, Redis restarted, the
identity provider down. Each on instances these tests start themselves."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date

import httpx
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from tests.support import seeded
from tests.support.databases import migrated_database, use_database
from tests.support.ports import free_port
from tests.support.tcp_proxy import TcpProxy
from tutela_app import db
from tutela_app.auth.oidc_client import reset_oidc_clients
from tutela_app.auth.responses import MSG_UNAVAILABLE
from tutela_app.auth.routes import build_auth_app
from tutela_app.auth.sessions import actor_from_cookie
from tutela_app.db import write_session
from tutela_app.errors import MSG_DATABASE, backend_exception_handler, is_database_unavailable
from tutela_app.manage import migrate
from tutela_app.models import Accesso, Household, Referral, Staff, Tenant
from tutela_app.seed import seed_database
from tutela_app.settings import PROJECT_ROOT, get_settings

DRAFT = {"chi_si_presenta": "diretto", "area_bisogno": "casa"}


@contextlib.contextmanager
def private_database(kind: str, private_postgres, tmp_path):  # noqa: ANN001, ANN201
    if kind == "sqlite":
        with migrated_database("sqlite", tmp_path) as url:
            yield url
        return
    name = f"f_{os.getpid()}_{free_port()}"
    admin = create_engine(private_postgres.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(private_postgres.url).set(database=name).render_as_string(hide_password=False)
    migrate(url)
    try:
        yield url
    finally:
        db._engine_for.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _draft(engine) -> tuple[int, int, int]:  # noqa: ANN001
    """A saved intake draft (answers stored as given): (accesso id, tenant id, operator id)."""
    seed_database(engine, scale="tiny", today=date(2026, 6, 1))
    with write_session(engine) as s:
        tenant = s.execute(select(Tenant.id).where(Tenant.code == "demo")).scalar_one()
        operator = seeded.staff_id(engine, "operatore.demo")
        row = Accesso(tenant_id=tenant, number="F-1", operator_id=operator, answers=dict(DRAFT))
        s.add(row)
        s.flush()
        return row.id, tenant, operator  # type: ignore[return-value]


SAVER = textwrap.dedent("""
    import sys, time
    from tests.support.databases import use_database
    from tutela_app.db import write_session
    from tutela_app.models import Accesso, Household, Referral
    use_database(sys.argv[1])
    accesso_id, tenant_id = int(sys.argv[2]), int(sys.argv[3])
    with write_session() as s:
        row = s.get(Accesso, accesso_id)
        row.answers = {**row.answers, "esito": "invio"}
        s.add(row)
        s.add(Household(tenant_id=tenant_id, label="Nucleo a meta"))
        s.add(Referral(tenant_id=tenant_id, accesso_id=accesso_id, destination_type="casa", destination_name="ALER"))
        s.flush()
        print("READY", flush=True)
        time.sleep(120)
""")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_worker_killed_mid_save_leaves_no_partial_record(kind, private_postgres, tmp_path) -> None:  # noqa: ANN001
    with private_database(kind, private_postgres, tmp_path) as url:
        use_database(url)
        engine = db.get_engine()
        accesso_id, tenant_id, _op = _draft(engine)
        households = seeded.count(engine, Household)
        worker = subprocess.Popen([sys.executable, "-c", SAVER, url, str(accesso_id), str(tenant_id)],
                                  cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
        assert worker.stdout.readline().strip() == "READY"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        engine.dispose()
        with Session(engine) as s:
            assert s.get(Accesso, accesso_id).answers == DRAFT  # the saved draft is intact and recoverable
        assert seeded.count(engine, Household) == households
        assert seeded.count(engine, Referral, Referral.accesso_id == accesso_id) == 0
        with write_session(engine) as s:  # nothing is left locked by the dead worker
            if kind == "postgresql":
                s.execute(text("SET LOCAL lock_timeout = '5s'"))
            row = s.get(Accesso, accesso_id)
            row.answers = {**row.answers, "esito": "informazione"}
            s.add(row)
        engine.dispose()


def test_database_cut_gives_italian_error_and_keeps_the_draft(private_postgres) -> None:  # noqa: ANN001
    proxy = TcpProxy("127.0.0.1", private_postgres.port).start()
    try:
        with private_database("postgresql", private_postgres, None) as direct_url:
            url = make_url(direct_url).set(port=proxy.port).render_as_string(hide_password=False)
            use_database(url)
            engine = db.get_engine()
            accesso_id, _t, _o = _draft(engine)
            proxy.cut()
            with pytest.raises(OperationalError) as failure, write_session(engine) as s:
                row = s.get(Accesso, accesso_id)
                row.answers = {**row.answers, "nota": "nuova risposta"}
                s.add(row)
            assert is_database_unavailable(failure.value)
            toast = backend_exception_handler(failure.value)
            assert MSG_DATABASE in str(toast.args) and "non è andato perso" in MSG_DATABASE
            proxy.resume()
            with write_session(engine) as s:  # the pool recovers; the retry saves
                row = s.get(Accesso, accesso_id)
                assert row.answers == DRAFT
                row.answers = {**row.answers, "nota": "nuova risposta"}
                s.add(row)
            engine.dispose()
    finally:
        proxy.stop()


def test_locked_row_gives_italian_error_and_keeps_the_draft(private_postgres, tmp_path) -> None:  # noqa: ANN001
    with private_database("postgresql", private_postgres, tmp_path) as url:
        use_database(url)
        engine = db.get_engine()
        accesso_id, _t, _o = _draft(engine)
        blocker = engine.connect()
        blocker.begin()
        blocker.execute(text("SELECT id FROM accesso WHERE id = :i FOR UPDATE"), {"i": accesso_id})
        try:
            with pytest.raises(OperationalError) as failure, write_session(engine) as s:
                s.execute(text("SET LOCAL lock_timeout = '500ms'"))
                row = s.get(Accesso, accesso_id)
                row.answers = {**row.answers, "nota": "x"}
                s.add(row)
            assert MSG_DATABASE in str(backend_exception_handler(failure.value).args)
        finally:
            blocker.rollback()
            blocker.close()
        with Session(engine) as s:
            assert s.get(Accesso, accesso_id).answers == DRAFT
        engine.dispose()


def test_redis_restart_keeps_sessions_and_drafts(private_redis, sqlite_engine) -> None:  # noqa: ANN001
    """Sessions and drafts live in the database; Redis holds only per-tab UI state."""
    accesso_id, _t, _o = _draft(sqlite_engine)
    token = seeded.session_cookie(sqlite_engine, "operatore.demo")
    client = __import__("redis").Redis.from_url(private_redis.url)
    client.set("tutela-tab-state", "ui state")
    private_redis.kill()
    private_redis.start()  # same port, empty: the UI state is gone
    assert client.get("tutela-tab-state") is None
    with Session(sqlite_engine) as s:
        assert actor_from_cookie(s, token) is not None  # still signed in
        assert s.get(Accesso, accesso_id).answers == DRAFT  # draft intact


async def test_provider_outage_keeps_sessions_and_explains_login(sqlite_engine, monkeypatch) -> None:  # noqa: ANN001
    seed_database(sqlite_engine, scale="tiny", today=date(2026, 6, 1))
    token = seeded.session_cookie(sqlite_engine, "coord.demo")
    monkeypatch.setenv("TUTELA_OIDC_ISSUER", f"http://127.0.0.1:{free_port()}")  # nobody listens there
    monkeypatch.setenv("TUTELA_PUBLIC_URL", "http://localhost:3999")
    get_settings.cache_clear()
    reset_oidc_clients()
    try:
        with Session(sqlite_engine) as s:
            assert actor_from_cookie(s, token) is not None
            assert s.execute(select(Staff.id)).first()
        transport = httpx.ASGITransport(app=build_auth_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost:3999") as http:
            response = await http.get("/auth/login?next=/casi")
        assert response.status_code == 503
        assert MSG_UNAVAILABLE in response.text
        assert "Traceback" not in response.text
    finally:
        get_settings.cache_clear()
        reset_oidc_clients()
