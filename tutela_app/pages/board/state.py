"""BoardState: filters, paged columns, moves and live refresh of the case board."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx
from pydantic import ValidationError

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import read_session, run_db, write_session
from tutela_app.domain import case_workflow as wf
from tutela_app.pages.live import (
    LIVE_INTERVAL_SECONDS,
    LIVE_MAX_POLLS,
    LIVE_SESSION_RECHECK_POLLS,
    client_connected,
    resolve_actor,
)
from tutela_app.services import cases
from tutela_app.services.case_access import CONFLICT_MESSAGE, EditConflict
from tutela_app.state.page_data import register_heavy
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

FILTER_KEYS = ("tenant_id", "staff_id", "stage", "measure_type", "deadline", "q")
PAGE_STEP = 25


@dataclasses.dataclass
class Card:
    id: str = ""
    number: str = ""
    stage: str = ""
    version: str = ""
    initials: str = ""
    age: str = ""
    tenant: str = ""
    team: str = ""
    measure: str = ""
    deadline: str = ""
    urgency: str = ""
    urgency_label: str = ""
    error: str = ""
    href: str = ""


@dataclasses.dataclass
class Column:
    stage: str = ""
    label: str = ""
    count: int = 0
    shown: int = 0
    cards: list[Card] = dataclasses.field(default_factory=list)
    targets: list[dict[str, str]] = dataclasses.field(default_factory=list)


def _load(actor: perm.Actor, filters: cases.BoardFilters, limits: dict[str, int], audit_read: bool) -> dict:
    """Query in a read-only transaction (the page may come from another tab with the same
    scope, see ``cases.shared_board_page``); audit the board read in its own short write."""
    with read_session() as session:
        marker = cases.board_marker(session, actor, filters.service)
        page = {**cases.shared_board_page(session, actor, filters, limits, marker), "marker": marker}
    if audit_read and page["read_tenants"]:
        with write_session() as session:
            cases.record_board_read(session, actor, page["read_tenants"], filters.service)
    return page


def _options(actor: perm.Actor) -> dict:
    with read_session() as session:
        return {"services": cases.board_services(session, actor), "tenants": cases.tenant_filter_options(session, actor),
                "staff": cases.staff_filter_options(session, actor)}


def _marker(actor: perm.Actor, service: str) -> str:
    with read_session() as session:
        return cases.board_marker(session, actor, service)


def _move(actor: perm.Actor, case_id: str, to_stage: str, version: str, reason: str) -> dict:
    with write_session() as session:
        return cases.move_case_to_stage(session, actor, case_id, to_stage, version, reason or None)


class BoardState(rx.State):
    service: str = "tutela_minori"
    service_options: list[dict[str, str]] = []
    columns: list[Column] = []
    total: int = 0
    tenant_options: list[dict[str, str]] = []
    staff_options: list[dict[str, str]] = []
    filters: dict[str, str] = {}
    message: str = ""
    error: str = ""
    loaded: bool = False

    _limits: dict[str, int] = {}
    _card_errors: dict[str, str] = {}
    _marker: str = ""
    _watch_id: int = 0
    _watch_running: int = 0

    @rx.var
    def service_label(self) -> str:
        return wf.SERVICE_LABELS.get(wf.ServiceKind(self.service), "") if self.service in wf.STAGES else ""

    @rx.var
    def stage_options(self) -> list[dict[str, str]]:
        if self.service not in wf.STAGES:
            return []
        return [{"value": s, "label": wf.stage_label(s)} for s in wf.stages(self.service)]

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    def _filters(self) -> cases.BoardFilters:
        raw: dict[str, Any] = {k: v for k, v in self.filters.items() if v}
        return cases.BoardFilters(service=self.service, **raw)

    def _publish(self, page: dict) -> None:
        columns = []
        for col in page["columns"]:
            cards = [Card(**card, error=self._card_errors.get(card["id"], ""), href=routes.case_file_url(int(card["id"])))
                     for card in col["cards"]]
            columns.append(Column(stage=col["stage"], label=col["label"], count=col["count"], shown=len(cards),
                                  cards=cards, targets=col["targets"]))
        self.columns, self.total, self._marker, self.loaded = columns, page["total"], page["marker"], True

    async def _refresh(self, *, audit_read: bool = True):
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.BOARD)
        try:
            page = await run_db(_load, actor, self._filters(), dict(self._limits), audit_read)
        except NotFoundOrForbidden:
            self.columns, self.total, self.error = [], 0, "Non hai accesso alla bacheca dei casi."
            return None
        self._publish(page)
        return None

    @rx.event
    async def load(self):
        self.message, self.error, self.filters, self._limits, self._card_errors = "", "", {}, {}, {}
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.BOARD)
        options = await run_db(_options, actor)
        self.tenant_options, self.staff_options = options["tenants"], options["staff"]
        self.service_options = [{"value": s, "label": wf.SERVICE_LABELS[wf.ServiceKind(s)]} for s in options["services"]]
        if options["services"] and self.service not in options["services"]:
            self.service = options["services"][0]
        redirect = await self._refresh()
        self._watch_id += 1
        return redirect or BoardState.watch(self._watch_id)

    @rx.event
    async def set_service(self, service: str):
        if not isinstance(service, str) or service == self.service \
                or service not in {o["value"] for o in self.service_options}:
            return None
        self.service, self.filters, self._limits, self._card_errors, self.message = service, {}, {}, {}, ""
        return await self._refresh()

    @rx.event
    async def apply_filters(self, form_data: dict):
        if not isinstance(form_data, dict):
            return None
        raw = {k: form_data.get(k, "") for k in FILTER_KEYS}
        if any(not isinstance(v, str) or len(v) > 80 for v in raw.values()):
            self.error = "Filtri non validi."
            return None
        candidate = {k: v.strip() for k, v in raw.items() if v.strip()}
        try:
            cases.BoardFilters(service=self.service, **candidate)
        except ValidationError:
            self.error = "Filtri non validi: controlla i valori scelti (la ricerca ammette al massimo 80 caratteri)."
            return None
        self.filters, self._limits, self.error, self.message = candidate, {}, "", ""
        return await self._refresh()

    @rx.event
    async def clear_filters(self):
        self.filters, self._limits, self.error, self.message = {}, {}, "", ""
        return await self._refresh()

    @rx.event
    async def show_more(self, stage: str):
        if not isinstance(stage, str) or stage not in wf.stages(self.service):
            return None
        self._limits[stage] = min(cases.MAX_COLUMN_LIMIT, self._limits.get(stage, PAGE_STEP) + PAGE_STEP)
        return await self._refresh(audit_read=False)

    @rx.event
    async def move_card(self, form_data: dict):
        if not isinstance(form_data, dict):
            return None
        case_id, version = form_data.get("case_id", ""), form_data.get("version", "")
        to_stage, reason = form_data.get("to_stage", ""), form_data.get("closure_reason", "")
        if not all(isinstance(v, str) and len(v) <= 60 for v in (case_id, version, to_stage, reason)):
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.BOARD)
        self._card_errors.pop(case_id, None)
        try:
            moved = await run_db(_move, actor, case_id, to_stage, version, reason)
        except NotFoundOrForbidden:
            self._card_errors[case_id] = "Pratica non trovata o non accessibile."
        except cases.MoveRefused as exc:
            self._card_errors[case_id] = " ".join(exc.reasons)
        except EditConflict:
            self._card_errors[case_id] = f"{CONFLICT_MESSAGE} La scheda è stata aggiornata: riprova."
        else:
            self.message = f"Pratica spostata in «{wf.stage_label(moved['stage'])}»."
        return await self._refresh(audit_read=False)

    @rx.event(background=True)
    async def watch(self, watch_id: int):
        """Poll a cheap marker while this board is open; reload the visible cards on change."""
        if not isinstance(watch_id, int) or isinstance(watch_id, bool):
            return
        async with self:
            if watch_id != self._watch_id or self._watch_running == watch_id:
                return  # stale id, or a watcher for this page load already runs
            self._watch_running = watch_id
        actor = None
        for poll in range(LIVE_MAX_POLLS):
            await asyncio.sleep(LIVE_INTERVAL_SECONDS)
            async with self:
                if watch_id != self._watch_id or self.router.url.path.rstrip("/") != routes.BOARD:
                    return
                if not await client_connected(self.router.session.client_token):
                    return
                service, known = self.service, self._marker
                cookie = self.router.headers.cookie
            if actor is None or poll % LIVE_SESSION_RECHECK_POLLS == 0:
                # the marker is only a fingerprint: the session is re-resolved every few polls
                # (and on every refresh it triggers), not on each one, and outside the state lock
                actor = await resolve_actor(cookie)
                if actor is None:
                    return
            marker = await run_db(_marker, actor, service)
            if marker != known:
                async with self:
                    if watch_id != self._watch_id:
                        return
                    await self._refresh(audit_read=False)


register_heavy(BoardState, r"^/casi/?$", lambda: {"columns": [], "total": 0, "loaded": False})
perm.register_handlers("BoardState", {
    "load": "case.list", "set_service": "case.list", "apply_filters": "case.list", "clear_filters": "case.list",
    "show_more": "case.list", "move_card": "case.move", "watch": "case.list",
})
