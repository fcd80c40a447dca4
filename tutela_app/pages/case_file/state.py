"""CaseFileState: one case file, its add/edit forms, conflicts (both versions) and live refresh."""

from __future__ import annotations

import asyncio
import re

import reflex as rx

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db
from tutela_app.domain import case_workflow as wf
from tutela_app.pages.case_file import calls
from tutela_app.pages.live import (
    LIVE_INTERVAL_SECONDS,
    LIVE_MAX_POLLS,
    LIVE_SESSION_RECHECK_POLLS,
    client_connected,
    resolve_actor,
)
from tutela_app.services.case_access import CONFLICT_MESSAGE, EditConflict, InvalidInput
from tutela_app.services.cases import MoveRefused
from tutela_app.services.timeline import MAX_ITEMS, TIMELINE_PAGE
from tutela_app.state.page_data import register_heavy
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

_PATH = re.compile(r"^/casi/(\d{1,12})/?$")
#: the vars a (re)load publishes, each only when its value changed
_PUBLISHED = ("header", "child", "household", "team", "interventions", "goals", "evaluations", "contacts",
              "timeline", "timeline_total", "targets", "candidates")


class CaseFileState(rx.State):
    found: bool = False
    not_found: bool = False
    header: dict[str, str] = {}
    child: dict[str, str] = {}
    household: list[dict[str, str]] = []
    team: list[dict[str, str]] = []
    interventions: list[dict[str, str]] = []
    goals: list[dict[str, str]] = []
    evaluations: list[dict[str, str]] = []
    contacts: list[dict[str, str]] = []
    timeline: list[dict[str, str]] = []  # the newest ``_timeline_limit`` events
    timeline_total: int = 0  # how many events the case has in all
    targets: list[dict[str, str]] = []
    message: str = ""
    errors: dict[str, str] = {}
    form_keys: dict[str, int] = {"intervention": 0, "goal": 0, "evaluation": 0, "contact": 0, "member": 0}
    # editing snapshots: what the user loaded when they started editing (kept across live refreshes)
    edit_summary: dict[str, str] = {}
    edit_responsible: dict[str, str] = {}
    candidates: list[dict[str, str]] = []
    edit_intervention: dict[str, str] = {}
    edit_contact: dict[str, str] = {}
    conflict_fields: list[dict[str, str]] = []
    conflict_kind: str = ""

    _case_id: int = 0
    _marker: str = ""
    _timeline_limit: int = TIMELINE_PAGE
    _pending: dict = {}
    _watch_id: int = 0
    _watch_running: int = 0

    @rx.var
    def team_options(self) -> list[dict[str, str]]:
        return [{"value": t["staff_id"], "label": t["name"]} for t in self.team if not t["until"]]

    @rx.var
    def intervention_options(self) -> list[dict[str, str]]:
        return [{"value": i["id"], "label": f"{i['kind']} (dal {i['start_on']})"} for i in self.interventions]

    @rx.var
    def goal_options(self) -> list[dict[str, str]]:
        return [{"value": g["id"], "label": g["description"]} for g in self.goals]

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    def _set_if_changed(self, name: str, value: object) -> None:
        # Reflex sends every assigned var in the delta, even when its value is unchanged
        if getattr(self, name) != value:
            setattr(self, name, value)

    def _publish(self, data: dict) -> None:
        """Show a freshly read file; only the vars whose value changed go to the browser."""
        for key in _PUBLISHED:
            if key in data:  # a refresh leaves out what cannot have changed (candidates)
                self._set_if_changed(key, data[key])
        for key, value in (("_marker", data["marker"]), ("found", True), ("not_found", False)):
            self._set_if_changed(key, value)

    def _gone(self) -> None:
        self.found, self.not_found, self.header, self._case_id = False, True, {}, 0

    async def _reload(self, *, audit_read: bool = False):
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        try:
            self._publish(await run_db(calls.load_case_file, actor, self._case_id, audit_read, self._timeline_limit,
                                       with_candidates=audit_read))
        except NotFoundOrForbidden:
            self._gone()
        return None

    @rx.event
    async def load(self):
        self.message, self.errors, self.conflict_fields, self.conflict_kind, self._pending = "", {}, [], "", {}
        self._reset_edits()
        self._timeline_limit = TIMELINE_PAGE
        match = _PATH.match(self.router.url.path or "")
        if match is None:
            self._gone()
            return None
        self._case_id = int(match.group(1))
        redirect = await self._reload(audit_read=True)
        if redirect is not None or not self.found:
            return redirect
        self._watch_id += 1
        return CaseFileState.watch(self._watch_id)

    @rx.event
    async def show_more_timeline(self):
        """Show the next ``TIMELINE_PAGE`` events of the timeline (never more than ``MAX_ITEMS``)."""
        if not self.found or len(self.timeline) >= min(self.timeline_total, MAX_ITEMS):
            return None
        self._timeline_limit = min(self._timeline_limit + TIMELINE_PAGE, MAX_ITEMS)
        return await self._reload()

    async def _call(self, fn, *args):  # noqa: ANN001, ANN202
        """Run a write; returns (result, redirect). Errors land in ``errors``/``conflict_*``."""
        try:
            actor = await self._actor()
        except SessionExpired:
            return None, login_redirect(self.router.url.path)
        try:
            return await run_db(fn, actor, *args), None
        except NotFoundOrForbidden:
            self.errors = {"form": "Elemento non trovato o non accessibile."}
        except InvalidInput as exc:
            self.errors = dict(exc.errors)
        except MoveRefused as exc:
            self.errors = {"move": " ".join(exc.reasons)}
        return None, None

    @rx.event
    async def add_record(self, form: str, form_data: dict):
        if not isinstance(form, str) or form not in calls.ADD_FORMS or not self.found:
            return None
        values = calls.clean_form(form_data, calls.ADD_FORMS[form][1])
        if values is None:
            return None
        self.message, self.errors = "", {}
        result, redirect = await self._call(calls.add, self._case_id, form, values)
        if result is not None:
            self.message = calls.SAVED[form]
            self.form_keys = {**self.form_keys, form: self.form_keys.get(form, 0) + 1}  # clears that form only
        return redirect or await self._reload()

    @rx.event
    def start_edit(self, kind: str, record_id: str):
        """Snapshot the record being edited (its version travels with the edit)."""
        summary = [{"id": self.header.get("id", ""), "version": self.header.get("version", ""),
                    "summary": self.header.get("summary", "")}]
        rows = {"summary": summary, "responsible": summary, "intervention": self.interventions,
                "contact": self.contacts}.get(kind) \
            if isinstance(kind, str) else None
        row = next((r for r in rows or [] if r["id"] == record_id), None)
        if row is None:
            return
        setattr(self, f"edit_{kind}", dict(row))
        self.errors = {}

    def _reset_edits(self) -> None:
        self.edit_summary, self.edit_responsible, self.edit_intervention, self.edit_contact = {}, {}, {}, {}
        self.errors = {}

    @rx.event
    def cancel_edit(self):
        self._reset_edits()

    @rx.event
    async def save_edit(self, kind: str, form_data: dict):
        if not isinstance(kind, str) or kind not in calls.EDIT_FORMS or not self.found:
            return None
        values = calls.clean_form(form_data, calls.EDIT_FORMS[kind][1])
        if values is None:
            return None
        snapshot = getattr(self, f"edit_{kind}")
        record_id, version = snapshot.get("id", ""), snapshot.get("version", "")
        if not record_id:
            return None
        return await self._save(kind, record_id, version, values)

    async def _save(self, kind: str, record_id: str, version: str, values: dict[str, str]):
        self.message, self.errors = "", {}
        try:
            result, redirect = await self._call(calls.edit, kind, record_id, version, values)
        except EditConflict as exc:
            names = {t["staff_id"]: t["name"] for t in self.team}
            self.conflict_fields = calls.conflict_rows(kind, exc.theirs, values, names)
            self.conflict_kind = kind
            self._pending = {"kind": kind, "id": record_id, "version": str(exc.their_version), "values": values}
            return await self._reload()
        if result is not None:
            self.message, self.conflict_fields, self.conflict_kind, self._pending = "Modifica salvata.", [], "", {}
            setattr(self, f"edit_{kind}", {})
        return redirect or await self._reload()

    @rx.event
    async def keep_theirs(self):
        """Drop my pending values: the colleague's version stays, the form shows it again."""
        kind = self._pending.get("kind", "")
        self.conflict_fields, self.conflict_kind, self._pending = [], "", {}
        redirect = await self._reload()
        if kind:
            setattr(self, f"edit_{kind}", {})
        self.message = "Hai mantenuto la versione del collega."
        return redirect

    @rx.event
    async def reapply_mine(self):
        """Save my values on top of the colleague's version (which stays in the audit trail)."""
        pending = dict(self._pending)
        if not pending:
            return None
        setattr(self, f"edit_{pending['kind']}", {"id": pending["id"], "version": pending["version"]})
        return await self._save(pending["kind"], pending["id"], pending["version"], pending["values"])

    @rx.event
    async def end_member(self, staff_id: str):
        if not isinstance(staff_id, str) or not staff_id.isdigit() or not self.found:
            return None
        self.message, self.errors = "", {}
        result, redirect = await self._call(calls.end_member, self._case_id, staff_id)
        if result is not None:
            self.message = "Operatore tolto dall'équipe."
        return redirect or await self._reload()

    @rx.event
    async def move(self, form_data: dict):
        values = calls.clean_form(form_data, ("to_stage", "closure_reason"))
        if values is None or not self.found:
            return None
        self.message, self.errors = "", {}
        try:
            result, redirect = await self._call(calls.move, self._case_id, values["to_stage"],
                                                self.header.get("version", ""), values["closure_reason"])
        except EditConflict:
            self.errors = {"move": f"{CONFLICT_MESSAGE} La scheda è stata aggiornata: riprova."}
            return await self._reload()
        if result is not None:
            self.message = f"Pratica spostata in «{wf.stage_label(result['stage'])}»."
        return redirect or await self._reload()

    @rx.event(background=True)
    async def watch(self, watch_id: int):
        """Poll the case's change marker while this file is open; reload it when it changes."""
        if not isinstance(watch_id, int) or isinstance(watch_id, bool):
            return
        async with self:
            if watch_id != self._watch_id or self._watch_running == watch_id:
                return
            self._watch_running = watch_id
        actor = None
        for poll in range(LIVE_MAX_POLLS):
            await asyncio.sleep(LIVE_INTERVAL_SECONDS)
            async with self:
                if watch_id != self._watch_id or not self.found or not _PATH.match(self.router.url.path or ""):
                    return
                if not await client_connected(self.router.session.client_token):
                    return
                case_id, known = self._case_id, self._marker
                cookie = self.router.headers.cookie
            if actor is None or poll % LIVE_SESSION_RECHECK_POLLS == 0:
                # the marker is only a fingerprint: the session is re-resolved every few polls
                # (and on every reload it triggers), not on each one, and outside the state lock
                actor = await resolve_actor(cookie)
                if actor is None:
                    return
            try:
                current = await run_db(calls.marker, actor, case_id)
            except NotFoundOrForbidden:
                current = ""
            if current != known:
                async with self:
                    if watch_id != self._watch_id:
                        return
                    await self._reload()


register_heavy(CaseFileState, _PATH.pattern, lambda: {
    "found": False, "header": {}, "child": {}, "household": [], "team": [], "interventions": [], "goals": [],
    "evaluations": [], "contacts": [], "timeline": [], "timeline_total": 0, "targets": [], "candidates": [],
})
perm.register_handlers("CaseFileState", {
    "load": "case.read", "add_record": "case.edit", "start_edit": "case.edit", "cancel_edit": "case.edit",
    "save_edit": "case.edit", "keep_theirs": "case.edit", "reapply_mine": "case.edit", "move": "case.move",
    "end_member": "case.assign",
    "watch": "case.read", "show_more_timeline": "case.read",
})
