"""CourtState: measures (decrees) with history, obligations and placements of a case."""

from __future__ import annotations

from typing import Any

import reflex as rx

from tutela_app.auth import permissions as perm
from tutela_app.db import run_db
from tutela_app.domain.measures import MeasureType
from tutela_app.pages.court.base import NOT_FOUND, CallResult, CourtBase, clean_form, pairs, short_id
from tutela_app.pages.court.io import load_court
from tutela_app.pages.court.measure_payload import MODES, decree_payload, form_defaults
from tutela_app.services import measures, obligations, placements
from tutela_app.services.court_access import NotFoundOrForbidden
from tutela_app.state.session import SessionExpired, login_redirect


class CourtState(CourtBase):
    header: dict[str, str] = {}
    measures: list[dict[str, str]] = []
    obligations: list[dict[str, str]] = []
    placements: list[dict[str, str]] = []
    has_map: bool = False
    can_edit: bool = False
    loaded: bool = False
    not_found: bool = False
    message: str = ""
    measure_mode: str = ""
    measure_target: str = ""
    measure_defaults: dict[str, str] = {}
    measure_type_sel: str = ""
    measure_form_key: int = 0
    placement_form_key: int = 0
    measure_errors: dict[str, str] = {}
    close_target: str = ""
    close_errors: dict[str, str] = {}
    revoke_target: str = ""
    revoke_errors: dict[str, str] = {}
    placement_errors: dict[str, str] = {}
    close_pl_target: str = ""
    close_pl_errors: dict[str, str] = {}
    conflict_message: str = ""
    conflict_theirs: list[dict[str, str]] = []
    conflict_yours: list[dict[str, str]] = []

    _form_values: dict[str, dict[str, Any]] = {}

    @rx.var
    def measure_mode_label(self) -> str:
        return MODES.get(self.measure_mode, "")

    @rx.var
    def close_title(self) -> str:
        return next((o["title"] for o in self.obligations if o["id"] == self.close_target), "")

    async def _reload(self, actor: perm.Actor) -> None:
        try:
            data = await run_db(load_court, actor, self.case_id)
        except NotFoundOrForbidden:
            self.not_found, self.loaded = True, True
            return
        self.header, self.measures = data["header"], data["measures"]
        self.obligations, self.placements = data["obligations"], data["placements"]
        self.has_map, self._form_values = bool(data["has_map"]), data["form_values"]
        self.can_edit = any(perm.can(actor, "measure.edit", t) for t in actor.roles_by_tenant)
        self.loaded, self.not_found = True, False

    @rx.event
    async def load(self):
        self.case_id = self._path_case_id()
        self.message, self.measure_mode, self.close_target, self.revoke_target, self.close_pl_target = "", "", "", "", ""
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        await self._reload(actor)
        return None

    @rx.event
    async def refresh(self):
        """Reload the measures and obligations (after a report was sent)."""
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        await self._reload(actor)
        return None

    async def _after(self, res: CallResult, errors_attr: str, ok_message: str, mine: dict[str, Any] | None = None):
        if res.conflict is not None:
            self.conflict_message = res.conflict.message_it
            self.conflict_theirs = pairs(res.conflict.theirs)
            self.conflict_yours = pairs(mine or res.conflict.yours)
            return False
        if res.errors:
            setattr(self, errors_attr, res.errors)
            return False
        setattr(self, errors_attr, {})
        self.conflict_message, self.message = "", ok_message
        await self._reload(await self._actor())
        return True

    @rx.event
    async def start_measure(self, mode: str, measure_id: str):
        if not isinstance(mode, str) or mode not in MODES or (mode != "nuovo" and short_id(measure_id) is None):
            return
        values = self._form_values.get(measure_id, {}) if mode != "nuovo" else {}
        if mode != "nuovo" and not values:
            self.message = NOT_FOUND
            return
        self.measure_defaults = form_defaults(values)
        if mode in ("modifica", "proroga"):
            self.measure_defaults.update(issued_on="", notified_on="", docket_number="")
        self.measure_mode, self.measure_target = mode, (measure_id if mode != "nuovo" else "")
        self.measure_type_sel = self.measure_defaults.get("measure_type", "")
        self.measure_errors, self.conflict_message = {}, ""
        self.measure_form_key += 1

    @rx.event
    def cancel_measure(self):
        self.measure_mode, self.measure_errors = "", {}

    @rx.event
    def set_measure_type(self, value: str):
        if isinstance(value, str) and (value == "" or value in {m.value for m in MeasureType}):
            self.measure_type_sel = value

    @rx.event
    async def submit_measure(self, form_data: dict):
        form = clean_form(form_data)
        if form is None or self.measure_mode not in MODES:
            self.measure_errors = {"_": "Dati del modulo non validi."}
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        payload = decree_payload(form)
        version = next((m["version"] for m in self.measures if m["id"] == self.measure_target), "")
        fn = {"nuovo": None, "rettifica": measures.correct_measure, "modifica": measures.amend_measure,
              "proroga": measures.extend_measure}[self.measure_mode]
        if fn is None:
            res = await self._call(measures.enter_measure, actor, self.case_id, payload)
        else:
            res = await self._call(fn, actor, self.measure_target, version, payload)
        mine = {k: v for k, v in payload.items() if k != "decree_deadlines" and v}
        if await self._after(res, "measure_errors", "Provvedimento registrato: le scadenze sono state calcolate.", mine):
            self.measure_mode = ""
        return None

    @rx.event
    def start_close(self, obligation_id: str):
        if short_id(obligation_id) and any(o["id"] == obligation_id and o["open"] for o in self.obligations):
            self.close_target, self.close_errors = obligation_id, {}

    @rx.event
    def cancel_close(self):
        self.close_target = ""

    @rx.event
    async def submit_close(self, form_data: dict):
        form = clean_form(form_data)
        if form is None or not self.close_target:
            self.close_errors = {"_": "Dati del modulo non validi."}
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        version = next((o["version"] for o in self.obligations if o["id"] == self.close_target), "")
        res = await self._call(obligations.close_obligation, actor, self.close_target, version,
                               form.get("act", ""), form.get("fulfilled_on", ""), form.get("protocol", ""))
        if await self._after(res, "close_errors", "Scadenza chiusa con l'atto indicato."):
            self.close_target = ""
        return None

    @rx.event
    def start_revoke(self, measure_id: str):
        if short_id(measure_id) and measure_id in self._form_values:
            self.revoke_target, self.revoke_errors = measure_id, {}

    @rx.event
    def cancel_revoke(self):
        self.revoke_target = ""

    @rx.event
    async def submit_revoke(self, form_data: dict):
        form = clean_form(form_data)
        if form is None or not self.revoke_target:
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        version = next((m["version"] for m in self.measures if m["id"] == self.revoke_target), "")
        res = await self._call(measures.revoke_measure, actor, self.revoke_target, version, form.get("revoked_on", ""))
        if await self._after(res, "revoke_errors", "Provvedimento revocato: le scadenze aperte sono state annullate."):
            self.revoke_target = ""
        return None

    @rx.event
    async def submit_placement(self, form_data: dict):
        form = clean_form(form_data)
        if form is None:
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        res = await self._call(placements.add_placement, actor, self.case_id, form)
        if await self._after(res, "placement_errors", "Collocamento registrato."):
            self.placement_form_key += 1
        return None

    @rx.event
    def start_close_placement(self, placement_id: str):
        if short_id(placement_id) and any(p["id"] == placement_id and p["open"] for p in self.placements):
            self.close_pl_target, self.close_pl_errors = placement_id, {}

    @rx.event
    async def submit_close_placement(self, form_data: dict):
        form = clean_form(form_data)
        if form is None or not self.close_pl_target:
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        version = next((p["version"] for p in self.placements if p["id"] == self.close_pl_target), "")
        res = await self._call(placements.close_placement, actor, self.close_pl_target, version,
                               form.get("end_on", ""), form.get("outcome", ""))
        if await self._after(res, "close_pl_errors", "Collocamento chiuso con il suo esito."):
            self.close_pl_target = ""
        return None


perm.register_handlers("CourtState", {
    "load": "case.read", "refresh": "case.read", "start_measure": "measure.edit", "cancel_measure": "measure.edit",
    "set_measure_type": "measure.edit", "submit_measure": "measure.edit", "start_close": "measure.edit",
    "cancel_close": "measure.edit", "submit_close": "measure.edit", "start_revoke": "measure.edit",
    "cancel_revoke": "measure.edit", "submit_revoke": "measure.edit", "submit_placement": "measure.edit",
    "start_close_placement": "measure.edit", "submit_close_placement": "measure.edit",
})
