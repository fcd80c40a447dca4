"""The disk state manager's purge of expired tab states runs at most once a minute."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from reflex.istate.manager.disk import StateManagerDisk

from tutela_app.tools.reflex_state import PURGE_INTERVAL_SECONDS, throttle_disk_state_purge


@pytest.fixture
def manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StateManagerDisk:
    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path))
    throttle_disk_state_purge()
    throttle_disk_state_purge()  # idempotent: wrapping twice would not change the outcome, but must not stack
    m = StateManagerDisk(token_expiration=3600)  # its start-up purge runs here
    assert m.states_directory == tmp_path
    return m


def _expired_file(directory: Path) -> Path:
    path = directory / "0123456789abcdef.pkl"
    path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(path, (two_hours_ago, two_hours_ago))
    return path


def test_purge_runs_at_most_once_per_interval_then_deletes_expired_states(manager: StateManagerDisk) -> None:
    assert getattr(StateManagerDisk._purge_expired_states, "_tutela_throttled", False)
    assert not hasattr(StateManagerDisk._purge_expired_states.__wrapped__, "_tutela_throttled")  # wrapped once
    expired = _expired_file(manager.states_directory)
    manager._purge_expired_states()
    assert expired.exists()  # the start-up purge ran a moment ago: this call is skipped
    manager.__dict__["_tutela_last_purge"] -= PURGE_INTERVAL_SECONDS + 1
    manager._purge_expired_states()
    assert not expired.exists()
