"""Keep Reflex's disk state manager from listing its directory on every write.

In single-worker mode (``make run``, the benchmark, the embedded end-to-end tests) Reflex
0.10 keeps tab states in memory and writes them to ``.states/`` after a 2 s debounce. Its
write-queue task wakes up whenever a queued state becomes due — with 50 active tabs about
25 times a second — and each time calls ``_purge_expired_states``, which lists the
directory and stats every state file (one per tab seen in the last hour, per substate
tree) to delete expired ones. Measured on the benchmark's 550 files: 3.7 ms per call,
~90 ms of CPU per second on the one worker, in a thread that competes for the GIL with
every event. Expiry is counted in hours, so purging once a minute loses nothing.
"""

from __future__ import annotations

import functools
import time

from reflex.istate.manager.disk import StateManagerDisk

PURGE_INTERVAL_SECONDS = 60.0


def throttle_disk_state_purge(interval: float = PURGE_INTERVAL_SECONDS) -> None:
    """Let ``StateManagerDisk._purge_expired_states`` run at most once per ``interval``
    seconds per manager (the first call, at start-up, always runs). Idempotent."""
    original = StateManagerDisk._purge_expired_states
    if getattr(original, "_tutela_throttled", False):
        return

    @functools.wraps(original)
    def purge(self: StateManagerDisk) -> None:
        now = time.monotonic()
        last = self.__dict__.get("_tutela_last_purge")
        if last is not None and now - last < interval:
            return
        self.__dict__["_tutela_last_purge"] = now
        original(self)

    purge._tutela_throttled = True  # type: ignore[attr-defined]
    StateManagerDisk._purge_expired_states = purge  # type: ignore[method-assign]
