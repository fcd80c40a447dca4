"""DiaryState: case diary entries tagged fact / statement (whose) / evaluation (method)."""

from __future__ import annotations

import reflex as rx

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db
from tutela_app.models.work import DIARY_TAGS
from tutela_app.pages.court.base import CourtBase, clean_form
from tutela_app.pages.court.io import load_diary
from tutela_app.services import diary
from tutela_app.state.session import SessionExpired, login_redirect


class DiaryState(CourtBase):
    entries: list[dict[str, str]] = []
    tag: str = ""
    errors: dict[str, str] = {}
    message: str = ""
    form_key: int = 0

    async def _reload(self, actor: perm.Actor) -> None:
        try:
            self.entries = await run_db(load_diary, actor, self.case_id)
        except NotFoundOrForbidden:
            self.entries = []

    @rx.event
    async def load(self):
        self.case_id = self._path_case_id()
        self.message, self.errors = "", {}
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        await self._reload(actor)
        return None

    @rx.event
    def set_tag(self, value: str):
        if value == "" or value in DIARY_TAGS:
            self.tag = value

    @rx.event
    async def submit(self, form_data: dict):
        form = clean_form(form_data)
        if form is None:
            self.errors = {"_": "Dati del modulo non validi."}
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        payload = {**form, "restricted": form.get("restricted") == "true", "confidential": form.get("confidential") == "true"}
        res = await self._call(diary.add_entry, actor, self.case_id, payload)
        if not res.ok:
            self.errors = res.errors
            return None
        self.errors, self.message, self.tag = {}, "Annotazione salvata nel diario.", ""
        self.form_key += 1  # a fresh, empty form, in the same update as the new entry
        await self._reload(actor)
        return None


perm.register_handlers("DiaryState", {"load": "case.read", "set_tag": "case.edit", "submit": "case.edit"})
