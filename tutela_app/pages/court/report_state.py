"""ReportState: relazioni al Tribunale — draft, preview, sign-off, finalise, send, download."""

from __future__ import annotations

import dataclasses

import reflex as rx

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db, run_db_heavy
from tutela_app.pages.court.base import NOT_FOUND, CourtBase, clean_form, short_id
from tutela_app.pages.court.io import load_report_view, load_reports, tx
from tutela_app.pages.court.state import CourtState
from tutela_app.services import court_reports
from tutela_app.state.session import SessionExpired, login_redirect


@dataclasses.dataclass
class Line:
    ref: str = ""
    text: str = ""
    attribution: str = ""
    redacted: str = ""


@dataclasses.dataclass
class Section:
    title: str = ""
    lines: list[Line] = dataclasses.field(default_factory=list)


AUDIENCES = {"tribunale": "Versione per il Tribunale", "parti": "Come la leggeranno le parti"}


class ReportState(CourtBase):
    reports: list[dict[str, str]] = []
    selected: str = ""
    audience: str = "tribunale"
    preview: dict[str, str] = {}
    sections: list[Section] = []
    header_rows: list[dict[str, str]] = []
    contributions: list[dict[str, str]] = []
    closing: list[str] = []
    can_finalise: bool = False
    errors: dict[str, str] = {}
    message: str = ""

    @rx.var
    def selected_status(self) -> str:
        return next((r["status"] for r in self.reports if r["id"] == self.selected), "")

    def _version(self) -> str:
        return next((r["version"] for r in self.reports if r["id"] == self.selected), "")

    async def _reload(self, actor: perm.Actor) -> None:
        try:
            self.reports = await run_db(load_reports, actor, self.case_id)
        except NotFoundOrForbidden:
            self.reports = []
        self.can_finalise = bool(perm.tenants_for(actor, "court_report.finalise"))
        if self.selected and any(r["id"] == self.selected for r in self.reports):
            await self._load_view(actor)
        else:
            self.selected, self.sections = "", []

    async def _load_view(self, actor: perm.Actor) -> None:
        try:
            v = await run_db(load_report_view, actor, self.selected, self.audience)
        except NotFoundOrForbidden:
            self.selected, self.sections, self.errors = "", [], {"_": NOT_FOUND}
            return
        self.preview = {"title": v["title"], "subtitle": v["subtitle"]}
        self.header_rows = v["header"]
        self.sections = [Section(sec["title"], [Line(**ln) for ln in sec["lines"]]) for sec in v["sections"]]
        self.contributions, self.closing = v["contributions"], v["closing"]

    @rx.event
    async def load(self):
        self.case_id = self._path_case_id()
        self.message, self.errors, self.selected = "", {}, ""
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        await self._reload(actor)
        return None

    async def _do(self, fn, *args, ok: str):  # noqa: ANN001
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        res = await self._call(fn, actor, *args)
        if res.conflict is not None:
            self.errors = {"_": res.conflict.message_it + " Stato attuale: " + ", ".join(f"{k} {v}" for k, v in res.conflict.theirs.items())}
        elif res.errors:
            self.errors = res.errors
        else:
            self.errors, self.message = {}, ok
            if fn is court_reports.draft_report:
                self.selected, self.audience = str(res.value.id), "tribunale"
        await self._reload(actor)
        if res.ok and fn is court_reports.send_report:
            return CourtState.refresh  # the periodic-report obligation is now closed
        return None

    @rx.event
    async def draft(self, form_data: dict):
        form = clean_form(form_data)
        if form is None:
            return None
        return await self._do(court_reports.draft_report, self.case_id, form.get("period_from", ""), form.get("period_to", ""),
                              ok="Bozza della relazione creata dal diario del periodo.")

    @rx.event
    async def select(self, report_id: str, audience: str):
        if short_id(report_id) is None or not isinstance(audience, str) or audience not in AUDIENCES:
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        self.selected, self.audience, self.errors, self.message = report_id, audience, {}, ""
        await self._load_view(actor)
        return None

    @rx.event
    async def sign(self, form_data: dict):
        form = clean_form(form_data)
        if form is None or not self.selected:
            return None
        return await self._do(court_reports.sign_contribution, self.selected, self._version(), form.get("contribution", ""),
                              ok="Il tuo contributo è stato sottoscritto.")

    @rx.event
    async def refresh(self):
        if self.selected:
            return await self._do(court_reports.refresh_draft, self.selected, self._version(), ok="Bozza aggiornata dal diario.")
        return None

    @rx.event
    async def finalise(self):
        if self.selected:
            return await self._do(court_reports.finalise_report, self.selected, self._version(), ok="Relazione finalizzata.")
        return None

    @rx.event
    async def send(self, form_data: dict):
        form = clean_form(form_data)
        if form is None or not self.selected:
            return None
        return await self._do(court_reports.send_report, self.selected, self._version(), form.get("sent_on", ""),
                              form.get("protocol", ""), ok="Relazione inviata: la scadenza della relazione periodica è chiusa.")

    @rx.event
    async def download(self, fmt: str, audience: str):
        if fmt not in ("docx", "pdf") or not isinstance(audience, str) or audience not in AUDIENCES or not self.selected:
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        try:
            name, data = await run_db_heavy(tx, court_reports.export_report, actor, self.selected, audience, fmt)
        except NotFoundOrForbidden:
            self.errors = {"_": NOT_FOUND}
            return None
        return rx.download(data=data, filename=name)


perm.register_handlers("ReportState", {
    "load": "case.read", "draft": "measure.edit", "select": "case.read", "sign": "measure.edit",
    "refresh": "measure.edit", "finalise": "court_report.finalise", "send": "measure.edit", "download": "case.read",
})
