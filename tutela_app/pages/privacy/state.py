"""PrivacyState: per-Comune retention periods, their dry run, and the data subject's
access request (GDPR art. 15) exported as JSON. Every argument is checked here; the
services check permissions and scope again and write the audit events."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db, run_db_heavy
from tutela_app.pages.privacy import io
from tutela_app.services.case_access import EditConflict, InvalidInput
from tutela_app.services.privacy import MAX_RETENTION_YEARS, MIN_RETENTION_YEARS
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

log = logging.getLogger("tutela.privacy")

FORBIDDEN = "Non hai accesso alla gestione della privacy."
NOT_FOUND = "Elemento non trovato o non accessibile."
INVALID_FORM = "Dati del modulo non validi: ricarica la pagina e riprova."
YEARS_MSG = f"Indica un numero intero di anni tra {MIN_RETENTION_YEARS} e {MAX_RETENTION_YEARS}."
DB_FAILED = "Operazione non riuscita per un problema temporaneo del database: riprova tra poco. I dati inseriti sono stati mantenuti."
SUBJECT_NOT_FOUND = "Nessuna persona con questi dati nel Comune scelto, oppure non puoi esportarne i dati."
MAX_FIELD = 100


def _form(form_data: Any, fields: tuple[str, ...]) -> dict[str, str] | None:
    """The named fields of a form payload as short stripped strings, or None if malformed."""
    if not isinstance(form_data, dict) or len(form_data) > 20:
        return None
    out: dict[str, str] = {}
    for name in fields:
        value = form_data.get(name, "")
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or len(value) > MAX_FIELD:
            return None
        out[name] = value.strip()
    return out


def _digits(value: str, max_len: int = 18) -> bool:
    return value.isascii() and value.isdigit() and 0 < len(value) <= max_len


class PrivacyState(rx.State):
    allowed: bool = False
    error: str = ""
    message: str = ""
    retention: list[dict[str, str]] = []
    retention_errors: dict[str, str] = {}
    conflict: str = ""
    report_title: str = ""
    report_rows: list[dict[str, str]] = []
    export_comuni: list[dict[str, str]] = []
    export_errors: dict[str, str] = {}
    export_message: str = ""

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    def _row(self, tenant_id: str) -> dict[str, str] | None:
        return next((r for r in self.retention if r["tenant_id"] == tenant_id), None)

    def _clear(self) -> None:
        self.error, self.message, self.conflict, self.export_message = "", "", "", ""

    @rx.event
    async def load(self):
        self._clear()
        self.retention_errors, self.export_errors, self.report_title, self.report_rows = {}, {}, "", []
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN_PRIVACY)
        try:
            overview = await run_db(io.overview, actor)
        except NotFoundOrForbidden:
            self.allowed, self.retention, self.export_comuni, self.error = False, [], [], FORBIDDEN
            return None
        except SQLAlchemyError:
            log.exception("privacy page load failed")
            self.error = DB_FAILED
            return None
        self.allowed = True
        self.retention, self.export_comuni = overview["retention"], overview["export_comuni"]
        return None

    @rx.event
    async def save_retention(self, form_data: Any):
        self._clear()
        self.retention_errors = {}
        form = _form(form_data, ("tenant_id", "version", "years"))
        row = self._row(form["tenant_id"]) if form else None
        if form is None or row is None or not _digits(form["version"]):
            self.error = NOT_FOUND if form is not None and row is None else INVALID_FORM
            return None
        tid = form["tenant_id"]
        years = form["years"]
        if not _digits(years, 3) or not MIN_RETENTION_YEARS <= int(years) <= MAX_RETENTION_YEARS:
            self.retention_errors = {tid: YEARS_MSG}
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN_PRIVACY)
        try:
            saved = await run_db(io.save_years, actor, tid, years, form["version"])
        except InvalidInput as exc:
            self.retention_errors = {tid: exc.errors.get("retention_years", YEARS_MSG)}
            return None
        except EditConflict as exc:
            theirs = next(iter(exc.theirs.values()), "")
            self.conflict = (
                f"Il periodo di conservazione di {row['name']} è stato modificato da un collega: ora è di {io.years_label(theirs)} "
                f"(versione {exc.their_version}); il tuo valore è {io.years_label(years)} (versione {form['version']}). "
                "Se vuoi applicare il tuo valore, premi di nuovo «Salva»."
            )
            self._update_row(tid, theirs, str(exc.their_version))
            return None
        except NotFoundOrForbidden:
            self.error = NOT_FOUND
            return None
        except SQLAlchemyError:
            log.exception("retention save failed")
            self.retention_errors = {tid: DB_FAILED}
            return None
        self.retention_errors = {}
        self._update_row(tid, str(saved["retention_years"]), str(saved["version"]))
        self.message = f"Periodo di conservazione di {row['name']} impostato a {io.years_label(saved['retention_years'])}."
        return None

    def _update_row(self, tenant_id: str, years: str, version: str) -> None:
        self.retention = [
            {**r, "years": years, "years_label": io.years_label(years), "version": version} if r["tenant_id"] == tenant_id else r for r in self.retention
        ]

    @rx.event
    async def run_report(self, tenant_id: Any):
        self._clear()
        row = self._row(tenant_id) if isinstance(tenant_id, str) and len(tenant_id) <= 18 else None
        if row is None:
            self.error = NOT_FOUND
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN_PRIVACY)
        try:
            report = await run_db_heavy(io.dry_run, actor, tenant_id)
        except NotFoundOrForbidden:
            self.error = NOT_FOUND
            return None
        except SQLAlchemyError:
            log.exception("retention dry run failed")
            self.error = DB_FAILED
            return None
        self.report_title, self.report_rows = io.report_view(row["name"], report)
        return None

    @rx.event
    async def export_subject(self, form_data: Any):
        self._clear()
        form = _form(form_data, ("tenant_id", "person_id", "codice_fiscale"))
        if form is None:
            self.export_errors = {"_": INVALID_FORM}
            return None
        errors = io.check_export_form(form, {c["tenant_id"] for c in self.export_comuni})
        if errors:
            self.export_errors = errors
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.ADMIN_PRIVACY)
        try:
            pid, document = await run_db_heavy(io.export, actor, form["tenant_id"], form["person_id"], form["codice_fiscale"])
        except InvalidInput as exc:
            self.export_errors = dict(exc.errors)
            return None
        except NotFoundOrForbidden:
            self.export_errors = {"_": SUBJECT_NOT_FOUND}
            return None
        except SQLAlchemyError:
            log.exception("subject access export failed")
            self.export_errors = {"_": DB_FAILED}
            return None
        self.export_errors = {}
        self.export_message = (
            f"Esportazione pronta: tutti i dati della persona n. {pid}. L'operazione è stata registrata nel registro accessi."
        )
        filename = f"accesso-interessato-persona-{pid}-{date.today().isoformat()}.json"
        return rx.download(data=document, filename=filename, mime_type="application/json")


perm.register_handlers("PrivacyState", {
    "load": "privacy.subject_export",
    "save_retention": "privacy.retention",
    "run_report": "privacy.retention",
    "export_subject": "privacy.subject_export",
})
