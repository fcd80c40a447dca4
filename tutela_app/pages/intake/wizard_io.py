"""Glue between the wizard state and the services: transactions and form parsing.

``in_transaction`` runs a service in one write transaction (``run_db`` puts it on a worker
thread). The form parsers check the shape of what a browser sent before any service sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tutela_app.auth.permissions import Actor
from tutela_app.db import write_session
from tutela_app.domain.intake_members import RELATIONS, validate_members
from tutela_app.services import intake, intake_confirm, intake_documents
from tutela_app.services.intake import today_rome

MAX_RAW = 5000
MEMBER_FIELDS = ("nome", "cognome", "data_nascita", "sesso", "relazione", "codice_fiscale")


class Stop(Exception):
    """Stops a wizard handler, optionally returning an event (e.g. the login redirect)."""

    def __init__(self, event: Any) -> None:
        super().__init__("stop")
        self.event = event


VIEW_FIELDS = ("transcript", "sections", "answered", "total", "risk_at_risk", "risk_urgent", "risk_reasons",
               "suggested_outcome", "person", "outcome_label", "case_id", "case_number", "referral_id",
               "referral_label", "number", "tenant_name", "status", "version")


def publish_view(state: Any, view: dict, question_id: str | None) -> None:
    """Copy the public parts of a service view onto the wizard state (small DTOs only)."""
    state.loaded, state.not_found = True, False
    for key in VIEW_FIELDS:
        setattr(state, key, view[key])
    state.suggested_label = view["suggested_outcome_label"]
    target = question_id if question_id in view["questions"] else view["current_id"]
    state.editing = bool(question_id) and target != view["current_id"]
    q = (view["questions"].get(target) if target else None) or {}
    state.q_id = q.get("id", "")
    state.q_section, state.q_prompt = q.get("section", ""), q.get("prompt", "")
    state.q_help, state.q_hint, state.q_kind = q.get("help", ""), q.get("hint", ""), q.get("kind", "")
    state.q_required = bool(q.get("required", True))
    state.q_options = q.get("options", [])
    state.input_text, state.input_multi = q.get("value", ""), q.get("values", [])
    state.members = q.get("members", [])
    state.member_error = ""


def in_transaction(fn: Callable[..., Any], actor: Actor, *args: Any) -> Any:
    with write_session() as session:
        return fn(session, actor, *args)


def open_view(session, actor: Actor, accesso_id: int) -> dict:  # noqa: ANN001
    return intake.open_accesso(session, actor, accesso_id)


def save(session, actor: Actor, accesso_id: int, qid: str, raw: Any, version: int) -> dict:  # noqa: ANN001
    return intake.save_answer(session, actor, accesso_id, qid, raw, version)


def matches(session, actor: Actor, accesso_id: int) -> list[dict[str, str]]:  # noqa: ANN001
    return [{k: str(v) for k, v in m.items()} for m in intake.find_matches(session, actor, accesso_id)]


def link(session, actor: Actor, accesso_id: int, person_id: int, version: int) -> dict:  # noqa: ANN001
    return intake.link_person(session, actor, accesso_id, person_id, version)


def unlink(session, actor: Actor, accesso_id: int, version: int) -> dict:  # noqa: ANN001
    return intake.unlink_person(session, actor, accesso_id, version)


def confirm(session, actor: Actor, accesso_id: int, version: int) -> dict:  # noqa: ANN001
    return intake_confirm.confirm_accesso(session, actor, accesso_id, version)


def scheda(session, actor: Actor, accesso_id: int) -> tuple[bytes, str]:  # noqa: ANN001
    return intake_documents.scheda_pdf(session, actor, accesso_id)


def letter(session, actor: Actor, referral_id: int) -> tuple[bytes, str]:  # noqa: ANN001
    return intake_documents.letter_pdf(session, actor, referral_id)


def raw_from_form(kind: str, form_data: Any) -> tuple[Any, str]:
    """(raw answer, error) from the answer form. The engine validates the value itself."""
    if not isinstance(form_data, dict):
        return None, "Risposta non valida: riprova."
    if kind == "multichoice":
        chosen = [k.removeprefix("scelta_") for k, v in form_data.items()
                  if isinstance(k, str) and k.startswith("scelta_") and v not in (False, "", None, "off")]
        return chosen[:50], ""
    raw = form_data.get("answer", "")
    if not isinstance(raw, str):
        return None, "Risposta non valida: riprova."
    if len(raw) > MAX_RAW:
        return raw, f"La risposta è troppo lunga (al massimo {MAX_RAW} caratteri)."
    return raw, ""


def member_from_form(form_data: Any) -> tuple[dict[str, str], str]:
    """A household member from the member form, checked with the engine's member rules."""
    if not isinstance(form_data, dict):
        return {}, "Dati del componente non validi."
    member = {}
    for key in MEMBER_FIELDS:
        value = form_data.get(key, "")
        if not isinstance(value, str) or len(value) > 100:
            return {}, "Dati del componente non validi."
        member[key] = value.strip()
    _value, error, _warnings = validate_members([member], today_rome())
    if error:
        return member, error.replace("Componente n. 1: ", "").capitalize()
    return member, ""


def relation_options() -> list[dict[str, str]]:
    return [{"value": k, "label": v} for k, v in RELATIONS.items()]
