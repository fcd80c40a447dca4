"""IntakeWizardState: one question at a time, every answer saved on the server at once.

The whole view of the accesso (``services/intake_view``) stays in the backend var
``_view``; the browser gets the question on screen, the transcript and the progress path.
Nothing typed is lost: on a validation error, a version conflict or a server error the
raw input stays in ``input_text`` / ``members`` and in the (uncontrolled) inputs.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db
from tutela_app.pages.intake import wizard_io as io
from tutela_app.services.intake import IntakeError, VersionConflict
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

log = logging.getLogger("tutela.intake")
SAVE_FAILED = "Non è stato possibile salvare: riprova. La risposta non è andata persa."
NOT_FOUND = "Accesso non trovato o non accessibile."
_PATH_RE = re.compile(r"^/sportello/accesso/(\d{1,12})/?$")
SEARCH_AFTER = ("birth_date", "codice_fiscale", "has_cf")


class IntakeWizardState(rx.State):
    loaded: bool = False
    not_found: bool = False
    number: str = ""
    tenant_name: str = ""
    status: str = ""
    version: int = 0
    q_id: str = ""
    q_section: str = ""
    q_prompt: str = ""
    q_help: str = ""
    q_hint: str = ""
    q_kind: str = ""
    q_required: bool = True
    q_options: list[dict[str, str]] = []
    editing: bool = False
    input_text: str = ""
    input_multi: list[str] = []
    input_key: int = 0
    members: list[dict[str, str]] = []
    member_error: str = ""
    member_key: int = 0
    error: str = ""
    notice: str = ""
    warnings: list[str] = []
    transcript: list[dict[str, str]] = []
    sections: list[dict[str, str]] = []
    answered: int = 0
    total: int = 0
    risk_at_risk: bool = False
    risk_urgent: bool = False
    risk_reasons: list[str] = []
    suggested_outcome: str = ""
    suggested_label: str = ""
    person: dict[str, str] = {}
    matches: list[dict[str, str]] = []
    outcome_label: str = ""
    case_id: int = 0
    case_number: str = ""
    referral_id: int = 0
    referral_label: str = ""
    saving: bool = False

    _view: dict = {}
    _accesso_id: int = 0

    @rx.var
    def is_summary(self) -> bool:
        return self.loaded and self.status == "bozza" and self.q_id == ""

    @rx.var
    def is_confirmed(self) -> bool:
        return self.status == "confermato"

    @rx.var
    def progress_label(self) -> str:
        return f"{self.answered} risposte su {self.total} domande previste"

    @rx.var
    def case_url(self) -> str:
        return routes.case_file_url(self.case_id) if self.case_id else routes.BOARD

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    def _publish(self, view: dict, *, question_id: str | None = None) -> None:
        """Show ``view``; ``question_id`` = an earlier question to edit (else the next one)."""
        self._view = view
        io.publish_view(self, view, question_id)
        self.input_key += 1

    def _accesso_from_path(self) -> int:
        match = _PATH_RE.match(str(self.router.url.path or ""))
        return int(match.group(1)) if match else 0

    async def _call(self, fn, *args) -> Any:  # noqa: ANN001
        """Run a service in a write transaction; maps errors to Italian messages. Raises io.Stop."""
        try:
            actor = await self._actor()
        except SessionExpired:
            raise io.Stop(login_redirect(self.router.url.path)) from None
        try:
            return await run_db(io.in_transaction, fn, actor, *args)
        except NotFoundOrForbidden:
            self.loaded, self.not_found = True, True
            raise io.Stop(None) from None
        except VersionConflict as exc:
            self.error = exc.message_it
            self._reload_keeping_input(await run_db(io.in_transaction, io.open_view, actor, self._accesso_id))
            raise io.Stop(None) from None
        except IntakeError as exc:
            self.error = exc.message_it
            raise io.Stop(None) from None
        except Exception as exc:  # no traceback: SQL parameters would carry personal data
            log.warning("intake save failed accesso=%s error=%s", self._accesso_id, type(exc).__name__)
            self.error = SAVE_FAILED
            raise io.Stop(None) from None

    def _reload_keeping_input(self, view: dict) -> None:
        typed, multi, members, qid = self.input_text, list(self.input_multi), list(self.members), self.q_id
        self._publish(view, question_id=qid if qid in view["questions"] else None)
        if self.q_id == qid:
            self.input_text, self.input_multi, self.members = typed, multi, members

    @rx.event
    async def load(self):
        self.error = self.notice = ""
        self.warnings, self.matches = [], []
        self._accesso_id = self._accesso_from_path()
        if not self._accesso_id:
            self.loaded, self.not_found = True, True
            return None
        try:
            view = await self._call(io.open_view, self._accesso_id)
            self._publish(view)
            if self.status == "bozza" and not self.person:
                self.matches = await self._call(io.matches, self._accesso_id)
        except io.Stop as stop:
            return stop.event
        return None

    async def _save(self, question_id: str, raw: Any):
        if self.saving:
            return None
        self.error, self.notice, self.saving = "", "", True
        try:
            result = await self._call(io.save, self._accesso_id, question_id, raw, self.version)
        except io.Stop as stop:
            return stop.event
        finally:
            self.saving = False
        if not result["ok"]:
            self.error = result["error"]
            return None
        self.warnings = result["warnings"]
        self._publish(result["view"])
        if question_id in SEARCH_AFTER and not self.person:
            try:
                self.matches = await self._call(io.matches, self._accesso_id)
            except io.Stop as stop:
                return stop.event
        return None

    @rx.event
    async def submit_answer(self, form_data: Any):
        """The answer form (text, date, money, codice fiscale, long text, multichoice)."""
        raw, error = io.raw_from_form(self.q_kind, form_data)
        if error:
            self.error = error
            return None
        if self.q_kind == "multichoice":
            self.input_multi = raw
        else:
            self.input_text = raw
        return await self._save(self.q_id, raw)

    @rx.event
    async def choose(self, value: Any):
        """A choice / yes-no button: chooses and confirms at once."""
        if not isinstance(value, str) or len(value) > 60:
            self.error = "Scelta non valida."
            return None
        self.input_text = value
        return await self._save(self.q_id, value)

    @rx.event
    async def add_member(self, form_data: Any):
        member, error = io.member_from_form(form_data)
        if error:
            self.member_error = error
            return None
        self.members = [*self.members, member]
        self.member_error = ""
        self.member_key += 1
        return None

    @rx.event
    def remove_member(self, index: Any):
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(self.members):
            self.members = [m for i, m in enumerate(self.members) if i != index]

    @rx.event
    async def confirm_members(self):
        return await self._save(self.q_id, [dict(m) for m in self.members])

    @rx.event
    def edit_question(self, question_id: Any):
        """Go back to an earlier answer (from the transcript)."""
        if not isinstance(question_id, str) or question_id not in self._view.get("questions", {}):
            return
        self.error, self.warnings = "", []
        self._publish(self._view, question_id=question_id)

    @rx.event
    def back_to_current(self):
        self.error = ""
        self._publish(self._view)

    @rx.event
    async def link_person(self, person_id: Any):
        pid = int(person_id) if isinstance(person_id, str) and person_id.isdigit() and len(person_id) < 13 else 0
        try:
            view = await self._call(io.link, self._accesso_id, pid, self.version)
        except io.Stop as stop:
            return stop.event
        self.matches = []
        self.notice = "Persona collegata: i dati già noti sono stati ripresi dall'anagrafica."
        self._publish(view)
        return None

    @rx.event
    def dismiss_matches(self):
        self.matches = []
        self.notice = "Procediamo con una persona nuova."

    @rx.event
    async def unlink_person(self):
        try:
            view = await self._call(io.unlink, self._accesso_id, self.version)
        except io.Stop as stop:
            return stop.event
        self._publish(view)
        return None

    @rx.event
    async def confirm(self):
        if self.saving:
            return None
        self.error, self.saving = "", True
        try:
            view = await self._call(io.confirm, self._accesso_id, self.version)
        except io.Stop as stop:
            return stop.event
        finally:
            self.saving = False
        self._publish(view)
        self.notice = "Accesso confermato."
        return None

    @rx.event
    async def download_scheda(self):
        try:
            data, name = await self._call(io.scheda, self._accesso_id)
        except io.Stop as stop:
            return stop.event
        return rx.download(data=data, filename=name)

    @rx.event
    async def download_letter(self):
        if not self.referral_id:
            return None
        try:
            data, name = await self._call(io.letter, self.referral_id)
        except io.Stop as stop:
            return stop.event
        return rx.download(data=data, filename=name)


perm.register_handlers("IntakeWizardState", {
    name: "intake.use" for name in (
        "load", "submit_answer", "choose", "add_member", "remove_member", "confirm_members", "edit_question",
        "back_to_current", "link_person", "dismiss_matches", "unlink_person", "confirm", "download_scheda",
        "download_letter",
    )
})
