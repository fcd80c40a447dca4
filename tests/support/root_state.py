"""A Reflex root state as a browser tab would have it, for state tests without a browser.

The router carries what the browser sends (the session cookie of a real server-side
session, the origin, the page URL); the handlers resolve the actor from it like in the app.
"""

from __future__ import annotations

from reflex.istate.data import RouterData
from reflex.state import State

from tutela_app.auth.sessions import COOKIE_NAME, create_session
from tutela_app.db import write_session


def root_for(staff_id: int, path: str) -> State:
    """A root state for a new session of ``staff_id`` showing ``path``."""
    with write_session() as s:
        token = create_session(s, staff_id, "urn:test", None, None)
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({
        "headers": {"cookie": f"{COOKIE_NAME}={token}", "origin": "http://localhost:3000"},
        "asPath": path, "pathname": path,
    })
    return root
