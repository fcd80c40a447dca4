"""IntakeDeskState: the front-desk page — new accesso, drafts to resume, recent accessi,
referrals to mark as taken up or not."""

from __future__ import annotations

import logging
from typing import Any

import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db, run_db_heavy
from tutela_app.domain.intake_values import parse_date
from tutela_app.pages.intake.wizard_io import in_transaction
from tutela_app.services import intake, intake_documents, intake_lists, referrals
from tutela_app.services.intake import IntakeError, VersionConflict
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

log = logging.getLogger("tutela.intake")


def _desk_data(session, actor: perm.Actor) -> dict:  # noqa: ANN001
    return {
        "tenants": intake_lists.intake_tenants(session, actor),
        "drafts": intake_lists.list_drafts(session, actor),
        "recent": intake_lists.recent_accessi(session, actor),
        "referrals": referrals.list_referrals(session, actor),
    }


def _digits(value: Any, limit: int = 12) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) <= limit else 0


class IntakeDeskState(rx.State):
    tenants: list[dict[str, str]] = []
    drafts: list[dict[str, Any]] = []
    recent: list[dict[str, str]] = []
    referrals: list[dict[str, Any]] = []
    error: str = ""
    referral_error: str = ""
    referral_error_id: str = ""
    message: str = ""
    loaded: bool = False

    @rx.var
    def can_start(self) -> bool:
        return len(self.tenants) > 0

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    async def _refresh(self, actor: perm.Actor) -> None:
        data = await run_db(in_transaction, _desk_data, actor)
        self.tenants, self.drafts, self.recent, self.referrals = (
            data["tenants"], data["drafts"], data["recent"], data["referrals"])
        self.loaded = True

    @rx.event
    async def load(self):
        self.error = self.message = self.referral_error = ""
        try:
            await self._refresh(await self._actor())
        except SessionExpired:
            return login_redirect(routes.INTAKE)
        return None

    @rx.event
    async def start(self, form_data: Any):
        """Open a new accesso in the chosen Comune and go to the wizard."""
        self.error = ""
        tenant_id = _digits(form_data.get("comune")) if isinstance(form_data, dict) else 0
        if not tenant_id:
            self.error = "Scegli il Comune in cui si svolge l'accesso."
            return None
        try:
            actor = await self._actor()
            accesso_id = await run_db(in_transaction, intake.start_accesso, actor, tenant_id)
        except SessionExpired:
            return login_redirect(routes.INTAKE)
        except NotFoundOrForbidden:
            self.error = "Non puoi aprire accessi in questo Comune."
            return None
        return rx.redirect(routes.wizard_url(accesso_id))

    @rx.event
    async def mark_referral(self, form_data: Any):
        """Record whether a referral was taken up (form: referral_id, version, esito, data)."""
        self.message = self.referral_error = ""
        if not isinstance(form_data, dict):
            return None
        rid, version = _digits(form_data.get("referral_id")), _digits(form_data.get("version"), 9)
        esito = form_data.get("esito")
        self.referral_error_id = str(rid)
        if esito not in ("si", "no"):
            self.referral_error = "Indica se l'invio è stato preso in carico oppure no."
            return None
        day = parse_date(form_data.get("data"))
        if day is None:
            self.referral_error = "Data non valida: usa il formato gg/mm/aaaa."
            return None
        try:
            actor = await self._actor()
            await run_db(in_transaction, referrals.mark_referral, actor, rid, esito == "si", day, version)
            await self._refresh(actor)
        except SessionExpired:
            return login_redirect(routes.INTAKE)
        except (IntakeError, VersionConflict) as exc:
            self.referral_error = exc.message_it
            return None
        except NotFoundOrForbidden:
            self.referral_error = "Invio non trovato o non accessibile."
            return None
        self.referral_error_id = ""
        self.message = "Esito dell'invio registrato."
        return None

    @rx.event
    async def download_scheda(self, accesso_id: Any):
        aid = _digits(accesso_id)
        try:
            actor = await self._actor()
            data, name = await run_db_heavy(in_transaction, intake_documents.scheda_pdf, actor, aid)
        except SessionExpired:
            return login_redirect(routes.INTAKE)
        except NotFoundOrForbidden:
            self.error = "Scheda non trovata o non accessibile."
            return None
        return rx.download(data=data, filename=name)

    @rx.event
    async def download_letter(self, referral_id: Any):
        rid = _digits(referral_id)
        try:
            actor = await self._actor()
            data, name = await run_db_heavy(in_transaction, intake_documents.letter_pdf, actor, rid)
        except SessionExpired:
            return login_redirect(routes.INTAKE)
        except NotFoundOrForbidden:
            self.referral_error, self.referral_error_id = "Lettera non trovata o non accessibile.", str(rid)
            return None
        return rx.download(data=data, filename=name)


perm.register_handlers("IntakeDeskState", {
    "load": "authenticated", "start": "intake.use", "mark_referral": "referral.update",
    "download_scheda": "intake.use", "download_letter": "intake.use",
})
