"""The read-only session check (``peek_actor``) answers exactly like the write path.

Every event resolves its session; the cheap path must never let through a session the
full path would refuse, nor refuse one it would accept, and must hand over to the write
path whenever something has to be written (``last_seen_at`` due, a timeout to record).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.case_factory import World, build_world
from tutela_app.auth.sessions import TOUCH_INTERVAL, actor_from_cookie, create_session, hash_token, peek_actor
from tutela_app.db import read_session, write_session
from tutela_app.models import AuthSession, Staff, Tenant, utcnow
from tutela_app.state.session import _load_actor
from tutela_app.settings import get_settings


@pytest.fixture
def world(engine) -> World:  # noqa: ANN001
    with write_session() as session:
        return build_world(session)


def _session_for(staff_id: int) -> str:
    with write_session() as session:
        return create_session(session, staff_id, "urn:test", None, None)


def _edit(token: str, **values) -> None:  # noqa: ANN003
    with write_session() as session:
        row = session.get(AuthSession, hash_token(token))
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)


def _peek(token: str | None) -> tuple[bool, object]:
    with read_session() as session:
        return peek_actor(session, token)


def test_a_live_session_is_answered_without_writing_and_like_the_full_path(world: World) -> None:
    token = _session_for(world.coord.staff_id)
    settled, actor = _peek(token)
    with read_session() as session:
        full = actor_from_cookie(session, token)
    assert settled and actor == full
    assert actor.roles_by_tenant == {world.demo: frozenset({"coordinatore"})}


@pytest.mark.parametrize("token", [None, "", "x" * 201, "not-a-session"])
def test_no_session_is_settled_as_anonymous(world: World, token: str | None) -> None:  # noqa: ARG001
    assert _peek(token) == (True, None)


def test_a_due_touch_goes_to_the_write_path_which_refreshes_last_seen(world: World) -> None:
    token = _session_for(world.as_demo.staff_id)
    _edit(token, last_seen_at=utcnow() - TOUCH_INTERVAL - timedelta(seconds=1))
    assert _peek(token) == (False, None)
    assert _load_actor(token).staff_id == world.as_demo.staff_id
    assert _peek(token)[0] is True  # touched: the cheap path answers again


def test_timeouts_and_ended_sessions_are_refused_and_recorded_once(world: World) -> None:
    idle = _session_for(world.coord.staff_id)
    _edit(idle, last_seen_at=utcnow() - timedelta(minutes=get_settings().session_idle_minutes + 1))
    assert _peek(idle) == (False, None)  # the timeout must be written first
    assert _load_actor(idle) is None
    assert _peek(idle) == (True, None)
    with read_session() as session:
        assert session.get(AuthSession, hash_token(idle)).end_reason == "idle_timeout"
    absolute = _session_for(world.coord.staff_id)
    _edit(absolute, expires_at=utcnow() - timedelta(seconds=1))
    assert _load_actor(absolute) is None and _peek(absolute) == (True, None)


def test_inactive_staff_and_inactive_comuni_give_no_rights(world: World) -> None:
    token = _session_for(world.coord.staff_id)
    with write_session() as session:
        tenant = session.get(Tenant, world.demo)
        tenant.active = False
        session.add(tenant)
    settled, actor = _peek(token)
    assert settled and actor.roles_by_tenant == {}
    with write_session() as session:
        staff = session.get(Staff, world.coord.staff_id)
        staff.active = False
        session.add(staff)
    assert _peek(token) == (True, None) and _load_actor(token) is None
