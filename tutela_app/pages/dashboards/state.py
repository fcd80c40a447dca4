"""DashboardState: filters (kept in the URL), aggregated figures, tables and CSV exports."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from tutela_app import routes
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.charts.figures import build_figure
from tutela_app.charts.model import MetricTable, format_cell
from tutela_app.db import heavy_pool_idle, read_session, run_db, run_db_heavy, write_session
from tutela_app.services.metrics import METRIC_KEYS, allowed_comuni, cached_dashboard
from tutela_app.services.metrics_export import export_metric_csv
from tutela_app.services.metrics_filters import (
    ALL_COMUNI,
    PRESETS,
    SERVICES,
    DashboardFilter,
    parse_filter,
    period_problem,
    preset_period,
)
from tutela_app.services.metrics_summary import format_key_value, key_figures
from tutela_app.state.page_data import register_heavy
from tutela_app.state.session import SessionExpired, SessionState, login_redirect

FORBIDDEN_MSG = "Non hai accesso ai cruscotti."
CUSTOM = "personalizzato"

log = logging.getLogger("tutela.dashboards")
_prefetches: set[asyncio.Task] = set()  # keeps running prefetches referenced


def _render(tables: list[MetricTable]) -> dict[str, Any]:
    """Everything the page shows, built in the ``run_db`` worker thread (Plotly figures are
    slow to build: never on the event loop). Shared by every user with the same scope and
    filter through the dashboard cache, so nothing here is per user."""
    shown = {t.key for t in tables}
    return {
        "visible": {key: key in shown for key in METRIC_KEYS},
        "figures": {t.key: build_figure(t) for t in tables},
        "titles": {**_empty_dict(), **{t.key: t.title for t in tables}},
        "notes": {**_empty_dict(), **{t.key: t.note for t in tables}},
        "columns": {key: [] for key in METRIC_KEYS} | {t.key: list(t.columns) for t in tables},
        "rows": {key: [] for key in METRIC_KEYS} | {
            t.key: [[format_cell(v) for v in row] for row in t.rows] for t in tables
        },
        "kpis": [{"label": k.label, "value": format_key_value(k)} for k in key_figures(tables)],
    }


def _load(actor: perm.Actor, flt: DashboardFilter) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    with read_session() as session:
        return allowed_comuni(session, actor), cached_dashboard(session, actor, flt, _render)


def neighbours(flt: DashboardFilter, today: date) -> list[DashboardFilter]:
    """The filters one click away: every period preset and every service, the rest unchanged."""
    near = [DashboardFilter(*preset_period(p, today), flt.comune, flt.service) for p in PRESETS]
    near += [DashboardFilter(flt.date_from, flt.date_to, flt.comune, s) for s in SERVICES]
    return [n for n in dict.fromkeys(near) if n != flt]


def _prefetch(actor: perm.Actor, flt: DashboardFilter) -> int:
    """Put the dashboards one click away from ``flt`` into the shared cache (a hit costs
    nothing); stops as soon as a real request waits for the heavy pool. Returns how many
    it looked at."""
    done = 0
    for near in neighbours(flt, date.today()):
        if not heavy_pool_idle(own=1):  # someone is waiting for a dashboard: leave them the pool
            break
        with read_session() as session:
            cached_dashboard(session, actor, near, _render)
        done += 1
    return done


def _start_prefetch(actor: perm.Actor, flt: DashboardFilter) -> None:
    """In the background, when the heavy pool is idle: the next preset or service the user
    clicks is then usually answered from the cache instead of minutes of aggregates
    queued behind each other (``python -m bench.dashboards`` prints the cost of a miss)."""
    if not heavy_pool_idle():
        return

    async def run() -> None:
        try:
            await run_db_heavy(_prefetch, actor, flt)
        except Exception as exc:  # noqa: BLE001 - optional work: never bother the user
            log.warning("dashboard prefetch failed: %s", type(exc).__name__)

    task = asyncio.get_running_loop().create_task(run())
    _prefetches.add(task)
    task.add_done_callback(_prefetches.discard)


def _comuni(actor: perm.Actor) -> list[tuple[str, str]]:
    with read_session() as session:
        return allowed_comuni(session, actor)


def _export(actor: perm.Actor, flt: DashboardFilter, key: str) -> tuple[str, str]:
    with write_session() as session:
        return export_metric_csv(session, actor, flt, key)


def _empty_dict() -> dict[str, Any]:
    return {key: "" for key in METRIC_KEYS}


class DashboardState(rx.State):
    comuni: list[dict[str, str]] = []
    f_preset: str = "12m"
    f_from: str = ""
    f_to: str = ""
    f_comune: str = ALL_COMUNI
    f_service: str = "tutti"
    period_error: str = ""
    notices: list[str] = []
    error: str = ""
    loaded: bool = False
    kpis: list[dict[str, str]] = []
    visible: dict[str, bool] = {key: False for key in METRIC_KEYS}
    figures: dict[str, go.Figure] = {}
    titles: dict[str, str] = _empty_dict()
    notes: dict[str, str] = _empty_dict()
    columns: dict[str, list[str]] = {key: [] for key in METRIC_KEYS}
    rows: dict[str, list[list[str]]] = {key: [] for key in METRIC_KEYS}
    show_table: dict[str, bool] = {key: False for key in METRIC_KEYS}
    filter_label: str = ""

    _filter: DashboardFilter | None = None
    _codes: set[str] = set()

    async def _actor(self) -> perm.Actor:
        return await (await self.get_state(SessionState))._actor()

    def _current(self) -> DashboardFilter:
        return self._filter or parse_filter({}, set(), date.today())[0]

    def _publish_filter(self, flt: DashboardFilter) -> None:
        self._filter = flt
        self.f_from, self.f_to = flt.date_from.isoformat(), flt.date_to.isoformat()
        self.f_comune, self.f_service = flt.comune, flt.service
        today = date.today()
        self.f_preset = next((p for p in PRESETS if preset_period(p, today) == (flt.date_from, flt.date_to)), CUSTOM)
        comune = next((c["name"] for c in self.comuni if c["code"] == flt.comune), "tutti i miei Comuni")
        self.filter_label = f"{flt.period_label().capitalize()} · {comune} · {SERVICES[flt.service]}"

    def _publish_tables(self, view: dict[str, Any]) -> None:
        """Copy the (shared, cached) view into this user's state; containers are copied so a
        handler changing this user's vars never touches the cache."""
        self.visible = dict(view["visible"])
        self.figures = dict(view["figures"])
        self.titles, self.notes = dict(view["titles"]), dict(view["notes"])
        self.columns = {k: list(v) for k, v in view["columns"].items()}
        self.rows = {k: [list(r) for r in v] for k, v in view["rows"].items()}
        self.kpis = [dict(k) for k in view["kpis"]]

    async def _refresh(self, flt: DashboardFilter, *, push_url: bool = True):
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.DASHBOARDS)
        try:
            comuni, view = await run_db_heavy(_load, actor, flt)
        except NotFoundOrForbidden:
            self.error, self.loaded = FORBIDDEN_MSG, False
            self.visible = {key: False for key in METRIC_KEYS}
            return None
        self.error, self.loaded = "", True
        self.comuni = [{"code": c, "name": n} for c, n in comuni]
        self._codes = {c for c, _ in comuni}
        self._publish_filter(flt)
        self._publish_tables(view)
        _start_prefetch(actor, flt)
        if push_url:
            url = f"{routes.DASHBOARDS}?{flt.query_string()}"
            return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(url)})")
        return None

    @rx.event
    async def load(self):
        """on_load: read and validate the filter from the URL (shared links), then compute."""
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.DASHBOARDS)
        try:
            comuni = await run_db(_comuni, actor)
        except NotFoundOrForbidden:
            self.error, self.loaded = FORBIDDEN_MSG, False
            return None
        params = dict(self.router.url.query_parameters)
        flt, self.notices = parse_filter(params, {c for c, _ in comuni}, date.today())
        self.period_error = ""
        self.comuni = [{"code": c, "name": n} for c, n in comuni]
        return await self._refresh(flt, push_url=bool(params))

    @rx.event
    async def set_preset(self, value: Any):
        if not isinstance(value, str) or value not in PRESETS:
            return None
        start, end = preset_period(value, date.today())
        self.period_error, self.notices = "", []
        return await self._refresh(DashboardFilter(start, end, self._current().comune, self._current().service))

    @rx.event
    def set_date_from(self, value: Any):
        if isinstance(value, str) and len(value) <= 20:
            self.f_from = value
            self.f_preset = CUSTOM

    @rx.event
    def set_date_to(self, value: Any):
        if isinstance(value, str) and len(value) <= 20:
            self.f_to = value
            self.f_preset = CUSTOM

    @rx.event
    async def apply_period(self, form_data: Any = None):
        start, end = date.fromisoformat(self.f_from) if _iso(self.f_from) else None, \
            date.fromisoformat(self.f_to) if _iso(self.f_to) else None
        if problem := period_problem(start, end, date.today()):
            self.period_error = problem
            return None
        self.period_error, self.notices = "", []
        cur = self._current()
        return await self._refresh(DashboardFilter(start, end, cur.comune, cur.service))  # type: ignore[arg-type]

    @rx.event
    async def set_comune(self, value: Any):
        if not isinstance(value, str) or (value != ALL_COMUNI and value not in self._codes):
            return None
        self.notices = []
        cur = self._current()
        return await self._refresh(DashboardFilter(cur.date_from, cur.date_to, value, cur.service))

    @rx.event
    async def set_service(self, value: Any):
        if not isinstance(value, str) or value not in SERVICES:
            return None
        self.notices = []
        cur = self._current()
        return await self._refresh(DashboardFilter(cur.date_from, cur.date_to, cur.comune, value))

    @rx.event
    def toggle_table(self, key: Any):
        if isinstance(key, str) and key in METRIC_KEYS:
            self.show_table = {**self.show_table, key: not self.show_table.get(key, False)}

    @rx.event
    async def export_csv(self, key: Any):
        if not isinstance(key, str) or key not in METRIC_KEYS or self._filter is None:
            return None
        try:
            actor = await self._actor()
        except SessionExpired:
            return login_redirect(routes.DASHBOARDS)
        try:
            name, text = await run_db_heavy(_export, actor, self._filter, key)
        except NotFoundOrForbidden:
            self.error = "Esportazione non disponibile per questo grafico."
            return None
        return rx.download(data="\ufeff" + text, filename=name, mime_type="text/csv")


def _iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


register_heavy(DashboardState, r"^/cruscotti/?$", lambda: {
    "loaded": False, "kpis": [], "figures": {}, "visible": {key: False for key in METRIC_KEYS},
    "titles": _empty_dict(), "notes": _empty_dict(), "columns": {key: [] for key in METRIC_KEYS},
    "rows": {key: [] for key in METRIC_KEYS},
})
perm.register_handlers("DashboardState", {
    "load": "dashboard.view", "set_preset": "dashboard.view", "set_date_from": "dashboard.view",
    "set_date_to": "dashboard.view", "apply_period": "dashboard.view", "set_comune": "dashboard.view",
    "set_service": "dashboard.view", "toggle_table": "dashboard.view", "export_csv": "dashboard.view",
})
