"""Live refresh helpers for pages that poll a cheap change marker in a background task.

A page's ``watch`` task polls every ``LIVE_INTERVAL_SECONDS`` while the page is open and
stops when the user leaves the page, when a newer watcher replaced it (page reloaded),
when the browser disconnected, or after ``LIVE_MAX_POLLS`` polls (a long-idle tab
reconnects and restarts it through ``on_load``).
"""

from __future__ import annotations

import logging

LIVE_INTERVAL_SECONDS = 2.0
LIVE_MAX_POLLS = 4 * 60 * 30  # 4 hours at one poll every 2 s

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
