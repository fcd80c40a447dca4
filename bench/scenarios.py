"""Scenario definitions: where each user stands, its warm-up, its measured action.

A scenario's ``action(user, ctx, t0)`` sends one user action and returns its Outcome: the
latency from ``t0`` (the action's scheduled arrival) to the state update it causes.
States are looked up by import; a page that does not exist (yet) makes its scenario
"not available" in the report, never a faked number.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.reflex_ws import ROOT_STATE, SET_IS_HYDRATED
from bench.users import Outcome, SimUser, hydrated_check, v

Action = Callable[[SimUser, "RunContext", float], Awaitable[Outcome]]
Page = Callable[[SimUser, "RunContext"], tuple[str, dict[str, str]]]


@dataclass
class RunContext:
    fixtures: Any  # bench.fixtures.Fixtures
    counters: dict[str, int] = field(default_factory=dict)
    saved: dict[int, list[str]] = field(default_factory=dict)  # S4: case -> texts acknowledged as saved
    attempted: dict[int, list[str]] = field(default_factory=dict)  # S4: case -> texts sent
    run_tag: str = ""

    def bump(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n


@dataclass
class Scenario:
    key: str
    title: str
    page: Page
    action: Action
    states: tuple[tuple[str, str], ...] = ()  # (module, class) the scenario needs
    note: str = ""

    def missing(self) -> str | None:
        """None when the pages this scenario drives exist, else why not."""
        for module, cls in self.states:
            try:
                getattr(importlib.import_module(module), cls)
            except (ImportError, AttributeError) as exc:
                return f"not available ({module}.{cls}: {type(exc).__name__})"
        return None


def state_name(module: str, cls: str) -> str:
    return getattr(importlib.import_module(module), cls).get_full_name()


HOME: Page = lambda _u, _c: ("/", {})  # noqa: E731
SESSION = ("tutela_app.state.session", "SessionState")
BOARD = ("tutela_app.pages.board.state", "BoardState")
CASE_FILE = ("tutela_app.pages.case_file.state", "CaseFileState")
WIZARD = ("tutela_app.pages.intake.wizard_state", "IntakeWizardState")
DASHBOARD = ("tutela_app.pages.dashboards.state", "DashboardState")


# ---- S0: the reference ladder -----------------------------------------------------------

async def echo(user: SimUser, _ctx: RunContext, t0: float) -> Outcome:
    """A Socket.IO ``ping`` answered by Reflex's EventNamespace.on_ping: no state involved."""
    return await user.ping(t0=t0)


def _root_changed(delta: dict, _user: SimUser) -> bool:
    return ROOT_STATE in delta


async def noop(user: SimUser, _ctx: RunContext, t0: float) -> Outcome:
    """Reflex's own ``OnLoadInternalState.set_is_hydrated(True)``: the full event pipeline
    (decode, token lock, state load/save, delta, emit) with no application work at all."""
    return await user.request(SET_IS_HYDRATED, {"value": True}, _root_changed, t0=t0)


async def session_check(user: SimUser, _ctx: RunContext, t0: float) -> Outcome:
    """``SessionState.check_session``: the cookie re-resolved in the database (a thread),
    the floor under every protected handler of the app."""
    name = state_name(*SESSION)

    def done(delta: dict, _u: SimUser) -> bool | str:
        values = delta.get(name)
        if values is None:
            return False
        return True if values.get(v("is_authenticated"), True) else "session refused"

    return await user.request(f"{name}.check_session", {}, done, t0=t0)


# ---- S2: case board filter over the whole data set ---------------------------------------

BOARD_FILTERS: tuple[dict[str, str], ...] = (
    {"deadline": "scaduta"},
    {"stage": "progetto"},
    {"measure_type": "affido_familiare"},
    {"deadline": "settimana", "stage": "monitoraggio"},
    {},
    {"stage": "indagine", "measure_type": "collocamento_comunita"},
    {"q": "ro"},
    {"deadline": "oltre"},
)


async def board_filter(user: SimUser, _ctx: RunContext, t0: float) -> Outcome:
    name = state_name(*BOARD)
    step = user.scratch.get("board_step", user.index) + 1
    user.scratch["board_step"] = step
    wanted = BOARD_FILTERS[step % len(BOARD_FILTERS)]
    form = {"tenant_id": "", "staff_id": "", "stage": "", "measure_type": "", "deadline": "", "q": "", **wanted}

    def done(delta: dict, _u: SimUser) -> bool | str:
        values = delta.get(name, {})
        if v("filters") in values:
            return True if values[v("filters")] == wanted else "filters not applied"
        if values.get(v("error")):
            return "board error"
        return False

    return await user.request(f"{name}.apply_filters", {"form_data": form}, done, t0=t0)


# ---- S3: open a case file (client-side navigation, as a click on a card) -----------------

def _case_query(case_id: int) -> tuple[str, dict[str, str]]:
    return f"/casi/{case_id}", {"case_id": str(case_id)}


async def open_case(user: SimUser, ctx: RunContext, t0: float) -> Outcome:
    cases = ctx.fixtures.read_cases
    step = user.scratch.get("case_step", user.index * 7) + 1
    user.scratch["case_step"] = step
    case_id = cases[step % len(cases)]
    path, query = _case_query(case_id)
    outcome = await user.navigate(path, query, t0=t0)
    if outcome.ok:
        header = user.get(state_name(*CASE_FILE), "header", {}) or {}
        if str(header.get("id", "")) != str(case_id) or not user.get(state_name(*CASE_FILE), "found"):
            outcome.ok, outcome.error = False, "case file not loaded"
    return outcome


# ---- S5: dashboard filter over 1M+ rows --------------------------------------------------

DASH_STEPS: tuple[tuple[str, str, str], ...] = (
    ("set_preset", "anno", "f_preset"),
    ("set_service", "tm", "f_service"),
    ("set_preset", "anno_prec", "f_preset"),
    ("set_service", "seg", "f_service"),
    ("set_preset", "12m", "f_preset"),
    ("set_service", "tutti", "f_service"),
)


async def dashboard_filter(user: SimUser, _ctx: RunContext, t0: float) -> Outcome:
    name = state_name(*DASHBOARD)
    step = user.scratch.get("dash_step", user.index) + 1
    user.scratch["dash_step"] = step
    handler, value, var = DASH_STEPS[step % len(DASH_STEPS)]

    def done(delta: dict, _u: SimUser) -> bool | str:
        values = delta.get(name, {})
        if v(var) in values:
            return True if values[v(var)] == value else f"{var} not applied"
        if values.get(v("error")):
            return "dashboard error"
        return False

    return await user.request(f"{name}.{handler}", {"value": value}, done, t0=t0)


def read_scenarios() -> list[Scenario]:
    from bench.scenario_writes import answer_question, edit_page, intake_page, save_edit

    return [
        Scenario("S0 echo", "socket.io ping round trip", HOME, echo),
        Scenario("S0 no-op", "Reflex no-op event", HOME, noop),
        Scenario("S0 session", "SessionState.check_session", HOME, session_check, (SESSION,)),
        Scenario("S1 intake", "intake wizard: answer a question", intake_page, answer_question, (WIZARD,)),
        Scenario("S2 board", "case board: change a filter", lambda _u, _c: ("/casi", {}), board_filter, (BOARD,)),
        Scenario("S3 case file", "open a case file with its timeline", lambda u, c: _case_query(
            c.fixtures.read_cases[u.index % len(c.fixtures.read_cases)]), open_case, (CASE_FILE,)),
        Scenario("S4 edit", "save an edit (optimistic lock + audit)", edit_page, save_edit, (CASE_FILE,)),
        Scenario("S5 dashboard", "dashboard: change a filter", lambda _u, _c: ("/cruscotti", {}),
                 dashboard_filter, (DASHBOARD,)),
    ]


__all__ = ["RunContext", "Scenario", "hydrated_check", "read_scenarios", "state_name"]
