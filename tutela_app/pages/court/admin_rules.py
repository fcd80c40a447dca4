"""/amministrazione/scadenze: administrators change the default deadline rules."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.components.layout import protected_page
from tutela_app.db import run_db
from tutela_app.pages.court import components as c
from tutela_app.pages.court.base import CourtBase, clean_form
from tutela_app.pages.court.io import tx
from tutela_app.services import deadline_rules as dr
from tutela_app.state.session import SessionExpired, login_redirect


class DeadlineRulesState(CourtBase):
    values: dict[str, str] = {}
    flags: dict[str, bool] = {}
    allowed: bool = False
    errors: dict[str, str] = {}
    message: str = ""
    form_key: int = 0
    _rule_set_id: int = 0

    @rx.event
    async def load(self):
        self.message, self.errors = "", {}
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        try:
            data = await run_db(tx, dr.rules_form, actor)
        except NotFoundOrForbidden:
            self.allowed = False
            return None
        self.values, self.flags, self._rule_set_id = data["values"], data["flags"], data["rule_set_id"]
        self.allowed, self.form_key = True, self.form_key + 1
        return None

    @rx.event
    async def save(self, form_data: dict):
        form = clean_form(form_data)
        if form is None:
            self.errors = {"_": "Dati del modulo non validi."}
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(self.router.url.path)
        values = {k: form.get(k, "") for k in dr.RULE_LABELS}
        flags = {k: form.get(k) == "true" for k in dr.CALENDAR_FLAGS}
        res = await self._call(dr.save_rules, actor, values, flags, self._rule_set_id)
        if not res.ok:
            self.errors = res.errors
            return None
        self.errors, self._rule_set_id = {}, int(res.value.id)
        self.message = "Regole salvate: valgono per i provvedimenti registrati o ricalcolati da ora."
        return None


perm.register_handlers("DeadlineRulesState", {"load": "admin.deadline_rules", "save": "admin.deadline_rules"})


def rules_body() -> rx.Component:
    S = DeadlineRulesState
    return rx.vstack(
        rx.heading("Regole predefinite delle scadenze", as_="h1", size="7"),
        rx.cond(
            S.allowed,
            rx.form(
                rx.text("Valori usati quando il decreto non fissa termini propri (art. 473-bis.27 c.p.c.). "
                        "Le scadenze a giorni che cadono di sabato, domenica o festivo slittano al primo giorno lavorativo."),
                c.form_error(S.errors),
                rx.grid(*[c.field(label, key, f"regola-{key}", S.errors, type_="number", required=True, default=S.values[key])
                          for key, label in dr.RULE_LABELS.items()], columns=rx.breakpoints(initial="1", md="2"), spacing="4"),
                *[rx.hstack(rx.el.input(type="checkbox", id=f"flag-{k}", name=k, value="true", default_checked=S.flags[k]),
                            rx.el.label(label, html_for=f"flag-{k}")) for k, label in dr.CALENDAR_FLAGS.items()],
                c.submit("Salva le regole"),
                rx.cond(S.message, rx.callout(S.message, color_scheme="green", role="status", high_contrast=True), rx.fragment()),
                on_submit=S.save, reset_on_submit=False, key=S.form_key.to_string(),
                style={"display": "flex", "flex_direction": "column", "gap": "0.8em"},
            ),
            rx.callout("Non hai accesso a questa funzione.", color_scheme="red", role="alert", high_contrast=True),
        ),
        width="100%", align="start",
    )


def register(app: rx.App) -> None:
    protected_page(app, routes.ADMIN_DEADLINE_RULES, "Regole delle scadenze", on_load=[DeadlineRulesState.load])(rules_body)
