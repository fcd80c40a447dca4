"""ServiceReportState: generate the 'relazione sull'andamento del servizio' in the background,
with visible progress, and download archived reports."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import read_session, run_db, run_db_heavy, write_session
from tutela_app.reports.service_report import render_service_report
from tutela_app.services import service_reports as sr
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

log = logging.getLogger("tutela.service_report")
MAX_ID = 2**31


def _options(actor: perm.Actor) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    with read_session() as session:
        return sr.report_comuni(session, actor), sr.list_reports(session, actor)


def _start(actor: perm.Actor, code: str, start: date, end: date) -> int:
    with write_session() as session:
        return sr.start_report(session, actor, code, start, end)


def _collect(actor: perm.Actor, report_id: int):  # noqa: ANN202
    with read_session() as session:
        return sr.collect_report_data(session, actor, report_id)


def _archive(actor: perm.Actor, report_id: int, pdf: bytes) -> str:
    with write_session() as session:
        return sr.archive_report(session, actor, report_id, pdf)


def _fail(actor: perm.Actor, report_id: int) -> None:
    with write_session() as session:
        sr.fail_report(session, actor, report_id)


def _read(actor: perm.Actor, report_id: int) -> tuple[str, bytes]:
    with write_session() as session:
        return sr.read_report(session, actor, report_id)


class ServiceReportState(rx.State):
    report_comuni: list[dict[str, str]] = []
    r_comune: str = ""
    r_from: str = ""
    r_to: str = ""
    r_error: str = ""
    running: bool = False
    progress: int = 0
    progress_label: str = ""
    reports: list[dict[str, str]] = []
    can_generate: bool = False

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    @rx.event
    async def load(self):
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.DASHBOARDS)
        comuni, reports = await run_db(_options, actor)
        self.report_comuni = [{"code": c, "name": n} for c, n in comuni]
        self.can_generate = bool(comuni)
        self.reports = reports
        if comuni and self.r_comune not in {c for c, _ in comuni}:
            self.r_comune = comuni[0][0]
        if not self.r_from:
            today = date.today()
            self.r_from, self.r_to = date(today.year - 1, 1, 1).isoformat(), date(today.year - 1, 12, 31).isoformat()
        return None

    @rx.event
    def set_report_comune(self, value: Any):
        if isinstance(value, str) and value in {c["code"] for c in self.report_comuni}:
            self.r_comune = value

    @rx.event
    def set_report_from(self, value: Any):
        if isinstance(value, str) and len(value) <= 20:
            self.r_from = value

    @rx.event
    def set_report_to(self, value: Any):
        if isinstance(value, str) and len(value) <= 20:
            self.r_to = value

    async def _step(self, percent: int, label: str) -> None:
        async with self:
            self.progress, self.progress_label = percent, label

    @rx.event(background=True)
    async def generate(self, form_data: Any = None):
        async with self:
            if self.running:
                return None
            try:
                actor = await self._actor()
            except SessionExpired:
                return login_redirect(routes.DASHBOARDS)
            code, raw_from, raw_to = self.r_comune, self.r_from, self.r_to
            self.r_error, self.running = "", True
            self.progress, self.progress_label = 5, "Registrazione della richiesta…"
        try:
            start, end = date.fromisoformat(raw_from), date.fromisoformat(raw_to)
        except (TypeError, ValueError):
            async with self:
                self.running, self.progress, self.r_error = False, 0, "Indica date valide per il periodo della relazione."
            return None
        report_id = None
        try:
            report_id = await run_db(_start, actor, code, start, end)
            await self._step(25, "Calcolo degli indicatori del periodo e del periodo precedente…")
            data = await run_db_heavy(_collect, actor, report_id)
            await self._step(65, "Composizione del documento e dei grafici…")
            pdf = await run_db_heavy(render_service_report, data)
            await self._step(90, "Archiviazione della relazione…")
            await run_db(_archive, actor, report_id, pdf)
        except sr.ReportInputError as exc:
            async with self:
                self.running, self.progress, self.r_error = False, 0, exc.message_it
            return None
        except NotFoundOrForbidden:
            async with self:
                self.running, self.progress, self.r_error = False, 0, "Non puoi generare la relazione per questo Comune."
            return None
        except Exception:
            log.exception("service report %s failed", report_id)
            if report_id is not None:
                await run_db(_fail, actor, report_id)
            async with self:
                self.running, self.progress = False, 0
                self.r_error = "La relazione non è stata generata per un errore interno. Riprova più tardi."
            return None
        _, reports = await run_db(_options, actor)
        async with self:
            self.running, self.progress, self.progress_label = False, 100, "Relazione pronta: puoi scaricarla dall'elenco."
            self.reports = reports
        return None

    @rx.event
    async def download(self, report_id: Any):
        if not isinstance(report_id, str) or not report_id.isdigit() or int(report_id) >= MAX_ID:
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.DASHBOARDS)
        try:
            name, pdf = await run_db_heavy(_read, actor, int(report_id))
        except NotFoundOrForbidden:
            self.r_error = "Relazione non trovata o non accessibile."
            return None
        return rx.download(data=pdf, filename=name, mime_type="application/pdf")


perm.register_handlers("ServiceReportState", {
    "load": "service_report.download", "set_report_comune": "service_report.generate",
    "set_report_from": "service_report.generate", "set_report_to": "service_report.generate",
    "generate": "service_report.generate", "download": "service_report.download",
})
