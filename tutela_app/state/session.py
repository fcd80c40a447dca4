"""SessionState: who is signed in, re-checked on every event.

The session cookie is HttpOnly; the server reads it from the websocket's request headers
(``self.router.headers.cookie``). Every protected handler calls :meth:`_actor`, which
resolves the server-side session again, so a session ended elsewhere (logout, back-channel
logout, timeout) stops working on the very next action.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from urllib.parse import quote

import reflex as rx

from tutela_app.auth import permissions as perm
from tutela_app.auth.sessions import COOKIE_NAME, actor_from_cookie, peek_actor
from tutela_app.db import read_session, run_db, write_session
from tutela_app.routes import LOGIN, NOT_AUTHORISED, safe_next_path
from tutela_app.state.page_data import release_other_pages


class SessionExpired(Exception):
    """The tab's session ended: the page must go back to login."""


def _cookie_value(cookie_header: str) -> str | None:
    try:
        jar = SimpleCookie()
        jar.load(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(COOKIE_NAME)
    return morsel.value if morsel else None


def _load_actor(token: str | None) -> perm.Actor | None:
    """Resolve the session in a read transaction; write only when something must change.

    Every event of every user passes here: taking SQLite's write lock each time would
    serialise the whole app. A write happens only when ``last_seen_at`` is due for its
    (once a minute) refresh or when the session has just timed out.
    """
    with read_session() as session:
        settled, actor = peek_actor(session, token)
    if settled:
        return actor
    with write_session() as session:
        return actor_from_cookie(session, token)


def login_redirect(path: str) -> rx.event.EventSpec:
    """A full page load to the login route (the callback sets an HttpOnly cookie)."""
    target = f"{LOGIN}?next={quote(safe_next_path(path), safe='/')}"
    return rx.call_script(f"window.location.assign({target!r})")


class SessionState(rx.State):
    """Identity of the tab's user and what the navigation may show."""

    display_name: str = ""
    is_authenticated: bool = False
    nav_intake: bool = False
    nav_cases: bool = False
    nav_dashboards: bool = False
    nav_audit: bool = False
    nav_admin: bool = False
    nav_privacy: bool = False

    async def _actor(self) -> perm.Actor:
        """The current actor, or :class:`SessionExpired`."""
        actor = await run_db(_load_actor, _cookie_value(self.router.headers.cookie))
        if actor is None:
            self.is_authenticated = False
            raise SessionExpired
        return actor

    async def _actor_or_none(self) -> perm.Actor | None:
        try:
            return await self._actor()
        except SessionExpired:
            return None

    def _publish(self, actor: perm.Actor) -> None:
        self.display_name = actor.display_name
        self.is_authenticated = True
        self.nav_intake = bool(perm.tenants_for(actor, "intake.use"))
        self.nav_cases = bool(perm.tenants_for(actor, "case.list"))
        self.nav_dashboards = bool(perm.tenants_for(actor, "dashboard.view"))
        self.nav_audit = bool(perm.tenants_for(actor, "audit.view"))
        self.nav_admin = bool(perm.tenants_for(actor, "admin.tenants"))
        self.nav_privacy = bool(perm.tenants_for(actor, "privacy.retention") or perm.tenants_for(actor, "privacy.subject_export"))

    @rx.event
    async def check_session(self):
        """on_load of every protected page: drop the data of the pages the tab left (see
        ``state/page_data.py``; done here rather than in an event of its own, so a page
        change costs one event less), then send anonymous users to login."""
        await release_other_pages(self, self.router.url.path or "")
        actor = await self._actor_or_none()
        if actor is None:
            return login_redirect(self.router.url.path)
        if not actor.is_authorised:
            return rx.redirect(NOT_AUTHORISED)
        self._publish(actor)
        return None


perm.register_handlers("SessionState", {"check_session": "public"})
