"""Hostile clients on the event websocket, against the app on embedded defaults.

Each abuse is refused without a crash (the server keeps serving), without a stack trace
reaching the client, without any change of data, and the server log stays free of
personal data and session cookies.
"""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.support import seeded
from tests.support.reflex_client import ROOT_STATE, Refused, connect
from tutela_app.models import Case, CaseAssignment, Person, Staff, Tenant
from tutela_app.pages.case_file.state import CaseFileState
from tutela_app.state.session import SessionState
from tutela_app.tools.table_checksums import table_checksums

CF = CaseFileState.get_full_name()
SS = SessionState.get_full_name()
MARKER = "Marcatore Riservato RSSMRA80A01F205X"
LEAK_SIGNS = ("Traceback", 'File "', "KeyError", "sqlalchemy", "site-packages", "Exception:")
#: Tables a refused event may still touch: the audit trail (denials) and session activity.
VOLATILE = {"auditevent", "authsession"}

cookies_used: list[str] = []


def _snapshot(engine) -> dict:  # noqa: ANN001
    with engine.connect() as conn:
        return {k: v for k, v in table_checksums(conn).items() if k not in VOLATILE}


def _cookie(target, username: str) -> str:  # noqa: ANN001
    token = seeded.session_cookie(target.engine, username)
    cookies_used.append(token)
    return f"tutela_session={token}"


def _case(target, tenant_code: str, *, assigned_to: str | None = None, not_assigned_to: str | None = None) -> int:  # noqa: ANN001
    with Session(target.engine) as s:
        stmt = select(Case.id).join(Tenant, Tenant.id == Case.tenant_id).where(Tenant.code == tenant_code)
        if not_assigned_to:
            sid = seeded.staff_id(target.engine, not_assigned_to)
            mine = select(CaseAssignment.case_id).where(CaseAssignment.staff_id == sid)
            stmt = stmt.where(Case.id.not_in(mine), Case.responsible_staff_id != sid)
        return s.execute(stmt.order_by(Case.id)).scalars().first()


def _no_leak(client) -> None:  # noqa: ANN001
    text = json.dumps(client.received)
    assert not [s for s in LEAK_SIGNS if s in text], text[:2000]
    assert MARKER not in text


async def _loads_case(client) -> dict:  # noqa: ANN001
    await client.hydrate()
    delta = client.deltas(await client.send_event(CF, "load", {})).get(CF, {})
    return delta


@pytest.fixture
def unchanged(target):  # noqa: ANN001, ANN201
    before = _snapshot(target.engine)
    yield
    assert _snapshot(target.engine) == before, "a refused event changed data"
    assert httpx.get(f"{target.url}/ping", timeout=10).status_code == 200, "the server stopped answering"


async def test_handlers_that_do_not_exist_or_are_private_are_refused(target, unchanged) -> None:  # noqa: ANN001
    case_id = _case(target, "demo")
    client = await connect(target.url, _cookie(target, "coord.demo"), path=f"/casi/{case_id}")
    try:
        assert (await _loads_case(client)).get("found_rx_state_") is True
        for name, payload in [
            (f"{CF}.nope", {}), (f"{CF}._reload", {"audit_read": True}),
            (f"{CF}._save", {"kind": "summary", "record_id": str(case_id), "version": "1", "values": {"summary": MARKER}}),
            (f"{CF}._call", {"fn": "print"}), (f"{SS}._actor", {}), (f"{SS}._publish", {"actor": {}}),
            (f"{ROOT_STATE}.nonexistent.handler", {}), ("evil", {}), ("", {}), (f"{CF}.__init__", {}),
            (f"{CF}.__class__", {}), (f"{ROOT_STATE}.get_state", {"state_cls": "x"}),
        ]:
            await client.send_raw(client.event_packet(name, payload))
        await client.collect(timeout=3)
        assert not client.closed
        assert (await client.send_event(CF, "load", {})), "the connection must keep working"
    finally:
        await client.close()
    _no_leak(client)


async def test_wrong_argument_types_are_refused(target, unchanged) -> None:  # noqa: ANN001
    case_id = _case(target, "demo")
    client = await connect(target.url, _cookie(target, "coord.demo"), path=f"/casi/{case_id}")
    try:
        await _loads_case(client)
        bad_calls = [
            ("save_edit", {"kind": 5, "form_data": "x"}), ("save_edit", {"kind": "summary", "form_data": [MARKER]}),
            ("save_edit", {"kind": ["summary"], "form_data": {"summary": MARKER}}), ("save_edit", {}),
            ("save_edit", {"kind": "summary", "form_data": {"summary": {"$ne": MARKER}}, "extra": 1}),
            ("add_record", {"form": "../../etc", "form_data": {}}), ("add_record", {"form": None, "form_data": None}),
            ("add_record", {"form": "contact", "form_data": {"kind": [1], "organisation": {"a": MARKER}}}),
            ("start_edit", {"kind": None, "record_id": [1]}), ("start_edit", {"kind": "__class__", "record_id": "1"}),
            ("keep_theirs", {"unexpected": MARKER}), ("load", {"case_id": "1 OR 1=1"}),
        ]
        for handler, payload in bad_calls:
            await client.send_raw(client.event_packet(f"{CF}.{handler}", payload))
        for raw in ('42/_event,["event","not a dict"]', '42/_event,["event",123]', '42/_event,["event",{"name":7}]',
                    '42/_event,["event",{"name":"x","payload":[1,2]}]', "42/_event,{{{", '42/_event,["other_event",{}]'):
            await client.send_raw(raw)
        await client.collect(timeout=3)
    finally:
        await client.close()
    _no_leak(client)
    fresh = await connect(target.url, _cookie(target, "coord.demo"), path=f"/casi/{case_id}")
    try:
        assert (await _loads_case(fresh)).get("found_rx_state_") is True
    finally:
        await fresh.close()


async def test_oversized_payload_is_dropped_with_its_socket_only(target, unchanged) -> None:  # noqa: ANN001
    case_id = _case(target, "demo")
    client = await connect(target.url, _cookie(target, "coord.demo"), path=f"/casi/{case_id}")
    try:
        await _loads_case(client)
        await client.send_raw(client.event_packet(f"{CF}.save_edit", {"kind": "summary", "form_data": {"summary": "x" * 5_000_000}}))
        await client.collect(timeout=10)
        assert client.closed, "a 5 MB frame must be refused by closing that socket"
    finally:
        await client.close()
    other = await connect(target.url, _cookie(target, "coord.demo"), path=f"/casi/{case_id}")
    try:
        assert (await _loads_case(other)).get("found_rx_state_") is True
    finally:
        await other.close()


async def test_records_of_another_comune_or_not_assigned_are_not_found(target, unchanged) -> None:  # noqa: ANN001
    foreign = _case(target, "cantu") or _case(target, "corsichese")
    not_mine = _case(target, "demo", not_assigned_to="as.demo")
    for username, case_id in (("coord.demo", foreign), ("as.demo", not_mine)):
        client = await connect(target.url, _cookie(target, username), path=f"/casi/{case_id}")
        try:
            delta = await _loads_case(client)
            assert delta.get("found_rx_state_") is not True and delta.get("not_found_rx_state_") is True
            assert not delta.get("header_rx_state_")
            await client.send_event(CF, "start_edit", {"kind": "summary", "record_id": str(case_id)})
            await client.send_event(CF, "save_edit", {"kind": "summary", "form_data": {"summary": MARKER}})
            await client.send_event(CF, "add_record", {"form": "contact", "form_data": {"kind": "scuola", "organisation": MARKER}})
        finally:
            await client.close()
        _no_leak(client)


async def test_events_without_a_session_get_nothing(target, unchanged) -> None:  # noqa: ANN001
    case_id = _case(target, "demo")
    for cookie in (None, "tutela_session=forged-" + "a" * 40, "tutela_session=" + "b" * 5000):
        client = await connect(target.url, cookie, path=f"/casi/{case_id}")
        try:
            updates = await client.hydrate() + await client.send_event(CF, "load", {})
            await client.send_event(CF, "save_edit", {"kind": "summary", "form_data": {"summary": MARKER}})
            delta = client.deltas(updates).get(CF, {})
            assert delta.get("found_rx_state_") is not True and not delta.get("header_rx_state_")
            assert "/auth/login" in json.dumps([u.get("events") for u in updates]), "anonymous users go to login"
        finally:
            await client.close()
        _no_leak(client)


async def test_events_after_logout_get_nothing(target, unchanged) -> None:  # noqa: ANN001
    case_id = _case(target, "demo")
    cookie = _cookie(target, "coord.demo")
    client = await connect(target.url, cookie, path=f"/casi/{case_id}")
    try:
        assert (await _loads_case(client)).get("found_rx_state_") is True
        logout = httpx.get(f"{target.url}/auth/logout", headers={"Cookie": cookie, "Origin": target.url}, timeout=15)
        assert logout.status_code in (303, 302)
        updates = await client.send_event(CF, "load", {})
        delta = client.deltas(updates).get(CF, {})
        assert delta.get("found_rx_state_") is not True
        assert "/auth/login" in json.dumps([u.get("events") for u in updates])
        await client.send_event(CF, "save_edit", {"kind": "summary", "form_data": {"summary": MARKER}})
    finally:
        await client.close()
    _no_leak(client)


async def test_foreign_origin_cannot_open_the_event_socket(target) -> None:  # noqa: ANN001
    with pytest.raises(Refused):
        await connect(target.url, _cookie(target, "coord.demo"), origin="https://evil.example.com")


def test_server_log_holds_no_personal_data_nor_cookies(target) -> None:  # noqa: ANN001
    log = target.server.log_text()
    assert log, "the server log is empty: the hostile tests did not run against this server"
    with Session(target.engine) as s:
        people = s.execute(select(Person.given_name, Person.surname, Person.codice_fiscale)).all()
        staff = s.execute(select(Staff.display_name)).scalars().all()
    leaks = [cf for _g, _s, cf in people if cf and cf in log]
    leaks += [f"{g} {sn}" for g, sn, _cf in people if f"{g} {sn}" in log or f"{sn} {g}" in log]
    leaks += [name for name in staff if name in log]
    leaks += [c[:8] + "..." for c in cookies_used if c in log]
    leaks += [MARKER] if MARKER in log or "RSSMRA80A01F205X" in log else []
    assert not leaks, f"personal data or credentials in the server log: {leaks[:10]}"
    assert "Traceback (most recent call last)" not in log


def test_app_handlers_validated_every_hostile_argument(target) -> None:  # noqa: ANN001
    """A handler that raised on bad input (instead of refusing it) shows up as a failure in app code."""
    failures = [line for line in target.server.log_text().splitlines()
                if "event handler failed" in line and line.split(" at ", 1)[-1].startswith("tutela_app/")]
    assert not failures, "handlers raised on hostile input instead of validating it:\n" + "\n".join(failures[:10])
