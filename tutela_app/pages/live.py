"""Live refresh helpers for pages that poll a cheap change marker in a background task.

A page's ``watch`` task polls every ``LIVE_INTERVAL_SECONDS`` while the page is open and
stops when the user leaves the page, when a newer watcher replaced it (page reloaded),
when the browser disconnected, or after ``LIVE_MAX_POLLS`` polls (a long-idle tab
reconnects and restarts it through ``on_load``).
"""

from __future__ import annotations

import logging

from tutela_app.auth.permissions import Actor
from tutela_app.db import run_db

LIVE_INTERVAL_SECONDS = 2.0
LIVE_MAX_POLLS = 4 * 60 * 30  # 4 hours at one poll every 2 s
#: a watcher re-resolves the session every this many polls (20 s), not on each poll: a poll
#: only reads a change fingerprint, and the reload it triggers resolves the session itself
LIVE_SESSION_RECHECK_POLLS = 10

log = logging.getLogger("tutela.live")


async def client_connected(token: str) -> bool:
    """Whether the browser tab behind ``token`` still has a websocket (any worker)."""
    try:
        from reflex_base.registry import RegistrationContext  # noqa: PLC0415

        namespace = RegistrationContext.get().app.event_namespace
        if namespace is None:
            return True
        return bool(await namespace._token_manager.is_token_connected(token))  # noqa: SLF001
    except Exception:  # noqa: BLE001 - internals may move between Reflex releases: keep polling
        log.debug("live: connection check unavailable")
        return True


async def resolve_actor(cookie_header: str) -> Actor | None:
    """The tab's actor from its cookie header (``None``: the session ended), resolved in a
    worker thread — callable from a background task outside ``async with self``."""
    from tutela_app.state.session import _cookie_value, _load_actor  # noqa: PLC0415

    return await run_db(_load_actor, _cookie_value(cookie_header))
