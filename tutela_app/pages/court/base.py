"""Common behaviour of the court page states: actor, case id from the URL, error mapping."""

from __future__ import annotations

import logging
from typing import Any

import reflex as rx

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import run_db
from tutela_app.pages.court.io import case_id_from_path, tx
from tutela_app.services.court_access import FormErrors, InvalidRequest, VersionConflict
from tutela_app.state.session import SessionState

log = logging.getLogger("tutela.court")
NOT_FOUND = "Elemento non trovato o non accessibile."
MAX_FORM_KEYS = 120
MAX_VALUE_LEN = 9000


class CallResult:
    def __init__(self, value: Any = None, errors: dict[str, str] | None = None, conflict: VersionConflict | None = None) -> None:
        self.value, self.errors, self.conflict = value, errors or {}, conflict

    @property
    def ok(self) -> bool:
        return not self.errors and self.conflict is None


def clean_form(form_data: Any) -> dict[str, str] | None:
    """A form payload as a flat dict of short strings, or None when it is not one."""
    if not isinstance(form_data, dict) or len(form_data) > MAX_FORM_KEYS:
        return None
    out: dict[str, str] = {}
    for key, value in form_data.items():
        if not isinstance(key, str) or len(key) > 60:
            return None
        if isinstance(value, bool):
            value = "true" if value else ""
        elif value is None:
            value = ""
        elif isinstance(value, (int, float)):
            value = str(value) if abs(value) < 1e12 else ""
        if not isinstance(value, str) or len(value) > MAX_VALUE_LEN:
            return None
        out[key] = value
    return out


def short_id(value: Any) -> str | None:
    return value if isinstance(value, str) and value.isdigit() and 0 < len(value) <= 18 else None


def pairs(data: dict[str, Any]) -> list[dict[str, str]]:
    return [{"label": str(k), "value": str(v)} for k, v in data.items()]


class CourtBase(rx.State):
    """Mixin-like base (not rendered on its own) holding the case id and the actor helper."""

    case_id: str = ""

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    def _path_case_id(self) -> str:
        return case_id_from_path(self.router.url.path)

    async def _call(self, fn: Any, *args: Any) -> CallResult:
        """Run a service in one transaction; map refusals to Italian messages."""
        try:
            return CallResult(await run_db(tx, fn, *args))
        except FormErrors as exc:
            return CallResult(errors=dict(exc.errors))
        except VersionConflict as exc:
            return CallResult(conflict=exc)
        except InvalidRequest as exc:
            return CallResult(errors={"_": exc.message_it})
        except NotFoundOrForbidden:
            return CallResult(errors={"_": NOT_FOUND})
