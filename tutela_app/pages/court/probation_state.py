"""ProbationState: messa alla prova (art. 28 DPR 448/1988) of the case."""

from __future__ import annotations

import reflex as rx

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db
from tutela_app.pages.court.base import CourtBase, clean_form
from tutela_app.pages.court.io import load_probation
from tutela_app.services import probation
from tutela_app.state.session import SessionExpired, login_redirect


class ProbationState(CourtBase):
    project: dict[str, str] = {}
    prescriptions: list[dict[str, str]] = []
    log: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    message: str = ""
    form_key: int = 0

    @rx.var
    def breaches(self) -> list[dict[str, str]]:
        return [x for x in self.log if x["kind"] == "trasgressione"]

    async def _reload(self, actor: perm.Actor) -> None:
        try:
            data = await run_db(load_probation, actor, self.case_id)
        except NotFoundOrForbidden:
            data = {}
        self.project = data.get("project", {})
        self.prescriptions, self.log = data.get("prescriptions", []), data.get("log", [])

    @rx.event
    async def load(self):
        self.case_id = self._path_case_id()
        self.errors, self.message = {}, ""
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        await self._reload(actor)
        return None

    async def _do(self, form_data: dict, fn, *keys: str, ok: str, prefix: str = ""):  # noqa: ANN001
        form = clean_form(form_data)
        if form is None:
            self.errors = {"_": "Dati del modulo non validi."}
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        if fn is probation.create_project:
            args = [self.case_id, form]
        elif fn is probation.set_outcome:
            args = [self.project.get("id", ""), self.project.get("version", ""), *[form.get(k, "") for k in keys]]
        else:
            args = [self.project.get("id", ""), *[form.get(k, "") for k in keys]]
        res = await self._call(fn, actor, *args)
        if res.conflict is not None:
            self.errors = {"_": res.conflict.message_it}
        elif res.errors:
            self.errors = {(k if k == "_" else prefix + k): v for k, v in res.errors.items()}
        else:
            self.errors, self.message = {}, ok
            self.form_key += 1  # fresh empty forms together with the new rows
            await self._reload(actor)
        return None

    @rx.event
    async def create(self, form_data: dict):
        return await self._do(form_data, probation.create_project, ok="Progetto di messa alla prova registrato.", prefix="c_")

    @rx.event
    async def add_prescription(self, form_data: dict):
        return await self._do(form_data, probation.add_prescription, "kind", "description",
                              ok="Prescrizione aggiunta.", prefix="p_")

    @rx.event
    async def add_log(self, form_data: dict):
        return await self._do(form_data, probation.add_log, "kind", "occurred_on", "text",
                              ok="Annotazione registrata.", prefix="l_")

    @rx.event
    async def set_outcome(self, form_data: dict):
        return await self._do(form_data, probation.set_outcome, "outcome", "outcome_on", ok="Esito registrato.", prefix="o_")


perm.register_handlers("ProbationState", {
    "load": "case.read", "create": "measure.edit", "add_prescription": "measure.edit",
    "add_log": "measure.edit", "set_outcome": "measure.edit",
})
