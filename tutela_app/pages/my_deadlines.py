"""Home section "Le mie scadenze" and the calendar subscription control."""

from __future__ import annotations

import reflex as rx

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db, write_session
from tutela_app.services import my_deadlines as svc
from tutela_app.settings import get_settings
from tutela_app.state.session import SessionExpired, SessionState, login_redirect


def _load(actor: perm.Actor) -> tuple[list[dict[str, str]], bool]:
    with write_session() as s:
        return svc.my_deadlines(s, actor), svc.has_feed_token(s, actor)


def _tx(fn, actor: perm.Actor):  # noqa: ANN001, ANN202
    with write_session() as s:
        return fn(s, actor)


class MyDeadlinesState(rx.State):
    rows: list[dict[str, str]] = []
    visible: bool = False
    has_feed: bool = False
    feed_url: str = ""
    message: str = ""

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    @rx.event
    async def load(self):
        self.feed_url, self.message = "", ""
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        self.visible = bool(perm.tenants_for(actor, "obligation.list_own"))
        if self.visible:
            self.rows, self.has_feed = await run_db(_load, actor)
        return None

    @rx.event
    async def create_feed(self):
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        try:
            token = await run_db(_tx, svc.create_feed_token, actor)
        except NotFoundOrForbidden:
            return None
        self.feed_url = f"{get_settings().public_url.rstrip('/')}/calendario/{token}.ics"
        self.has_feed, self.message = True, "Copia ora questo indirizzo nel tuo calendario: non verrà più mostrato."
        return None

    @rx.event
    async def revoke_feed(self):
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        await run_db(_tx, svc.revoke_feed_tokens, actor)
        self.has_feed, self.feed_url, self.message = False, "", "Abbonamento al calendario revocato: il vecchio indirizzo non funziona più."
        return None


perm.register_handlers("MyDeadlinesState", {
    "load": "authenticated", "create_feed": "obligation.list_own", "revoke_feed": "authenticated",
})

BADGE = {"overdue": "red", "this_week": "orange", "later": "gray"}


def _row(r: rx.Var) -> rx.Component:
    cell = {"padding": "0.4em 0.6em", "border_bottom": "1px solid #ccc", "text_align": "left"}
    return rx.el.tr(
        rx.el.td(rx.match(r["urgency"],
                          ("overdue", rx.badge(r["urgency_label"], color_scheme="red", variant="solid", high_contrast=True)),
                          ("this_week", rx.badge(r["urgency_label"], color_scheme="orange", variant="solid", high_contrast=True)),
                          rx.badge(r["urgency_label"], color_scheme="gray", high_contrast=True)), style=cell),
        rx.el.td(r["due"], style=cell),
        rx.el.td(rx.link(r["case_number"], href=r["url"]), " (", r["initials"], ")", style=cell),
        rx.el.td(rx.text.strong(r["title"]), rx.text(r["detail"], size="2"), style=cell),
    )


def my_deadlines_section() -> rx.Component:
    S = MyDeadlinesState
    return rx.cond(
        S.visible,
        rx.el.section(
            rx.heading("Le mie scadenze", as_="h2", size="5", id="mie-scadenze"),
            rx.text("Scadute e in scadenza nei prossimi 14 giorni, sui casi di cui fai parte."),
            rx.cond(
                S.rows.length() == 0,
                rx.text("Nessuna scadenza nei prossimi 14 giorni."),
                rx.el.table(
                    rx.el.thead(rx.el.tr(*[rx.el.th(x, scope="col", style={"text_align": "left", "padding": "0.4em 0.6em"})
                                           for x in ("Urgenza", "Entro", "Caso", "Adempimento")])),
                    rx.el.tbody(rx.foreach(S.rows, _row)),
                    style={"width": "100%", "border_collapse": "collapse"}, id="tabella-mie-scadenze",
                ),
            ),
            rx.heading("Calendario", as_="h3", size="3", margin_top="0.8em"),
            rx.text("Abbonati alle tue scadenze dal calendario del telefono o di Outlook: gli eventi riportano solo "
                    "numero del caso e iniziali, mai i nomi."),
            rx.hstack(
                rx.button(rx.cond(S.has_feed, "Crea un nuovo indirizzo (revoca il precedente)", "Crea l'indirizzo del calendario"),
                          on_click=S.create_feed),
                rx.cond(S.has_feed, rx.button("Revoca l'abbonamento", color_scheme="red", variant="outline", on_click=S.revoke_feed), rx.fragment()),
                wrap="wrap",
            ),
            rx.cond(S.message, rx.callout(S.message, role="status", high_contrast=True), rx.fragment()),
            rx.cond(S.feed_url, rx.vstack(
                rx.el.label("Indirizzo del calendario", html_for="indirizzo-calendario", style={"font_weight": "600"}),
                rx.el.input(id="indirizzo-calendario", value=S.feed_url, read_only=True, style={"width": "100%", "border": "1px solid #4a4a4a", "padding": "0.3em"}),
                width="100%",
            ), rx.fragment()),
            aria_labelledby="mie-scadenze", style={"width": "100%"},
        ),
        rx.fragment(),
    )
