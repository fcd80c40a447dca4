"""Dashboard figures: scope, filter and the list of aggregate tables.

Every figure is one aggregate SQL query (GROUP BY) returning a handful of points; no
personal rows ever leave the database. The actor's Comuni come from the permission
policy ('dashboard.view'); a Comune outside them is refused like a missing one. Reading
aggregates is not audited (no person is read); exports are, by the caller.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.charts.model import MetricTable
from tutela_app.models import Tenant
from tutela_app.services import metrics_cases as cases
from tutela_app.services import metrics_court as court
from tutela_app.services import metrics_efficacy as efficacy
from tutela_app.services import metrics_frontdesk as frontdesk
from tutela_app.services.metrics_cache import ResultCache, data_marker
from tutela_app.services.metrics_filters import ALL_COMUNI, DashboardFilter

R = TypeVar("R")

VIEW = "dashboard.view"


@dataclass(frozen=True)
class Scope:
    """The tenants a computation covers (already authorised)."""

    tenant_ids: tuple[int, ...]
    names: dict[int, str]


MetricFn = Callable[[Session, Scope, DashboardFilter], MetricTable]

#: (key, function, services it describes) in the order the page shows them.
METRICS: tuple[tuple[str, MetricFn, str], ...] = (
    ("casi_per_comune", cases.caseload_by_comune, "both"),
    ("casi_per_fase", cases.caseload_by_stage, "both"),
    ("casi_per_misura", court.caseload_by_measure, "tm"),
    ("casi_per_operatore", cases.caseload_by_staff, "both"),
    ("casi_per_mese", cases.cases_per_month, "both"),
    ("tempo_in_fase", cases.time_in_stage, "both"),
    ("relazioni_in_termine", court.reports_on_time, "tm"),
    ("obiettivi", efficacy.goal_attainment, "both"),
    ("esiti_collocamenti", court.placement_outcomes, "tm"),
    ("durata_collocamenti", court.placement_durations, "tm"),
    ("messa_alla_prova", court.probation_outcomes, "tm"),
    ("accessi", frontdesk.accessi_by_need_and_outcome, "seg"),
    ("invii", frontdesk.referrals_by_destination, "seg"),
    ("accessi_ripetuti", frontdesk.repeat_accessi, "seg"),
)
METRIC_KEYS = tuple(key for key, _, _ in METRICS)


def allowed_comuni(session: Session, actor: Actor | None, action: str = VIEW) -> list[tuple[str, str]]:
    """(code, name) of the Comuni where the actor may ``action``, by name."""
    ids = perm.tenants_for(actor, action)
    if not ids:
        raise NotFoundOrForbidden
    rows = session.exec(select(Tenant.code, Tenant.name).where(Tenant.id.in_(ids)).order_by(Tenant.name)).all()
    return [(code, name) for code, name in rows]


def resolve_scope(session: Session, actor: Actor | None, comune: str, action: str = VIEW) -> Scope:
    """The tenants of ``comune`` (a code, or 'tutti' = every permitted one) for ``actor``."""
    ids = perm.tenants_for(actor, action)
    if not ids:
        raise NotFoundOrForbidden
    if not isinstance(comune, str):
        raise NotFoundOrForbidden
    query = select(Tenant.id, Tenant.name).where(Tenant.id.in_(ids))
    if comune != ALL_COMUNI:
        query = query.where(Tenant.code == comune)
    rows = session.exec(query).all()
    if not rows:
        raise NotFoundOrForbidden
    return Scope(tuple(sorted(r[0] for r in rows)), {r[0]: r[1] for r in rows})


def wanted(service: str, flt: DashboardFilter) -> bool:
    if service == "both":
        return True
    return flt.includes_tm if service == "tm" else flt.includes_seg


def compute_tables(
    session: Session,
    scope: Scope,
    flt: DashboardFilter,
    *,
    keys: tuple[str, ...] | None = None,
    timings: dict[str, float] | None = None,
) -> list[MetricTable]:
    """Run the aggregate queries for an authorised scope (records each one's seconds in ``timings``)."""
    out: list[MetricTable] = []
    for key, fn, service in METRICS:
        if (keys is not None and key not in keys) or not wanted(service, flt):
            continue
        started = time.perf_counter()
        out.append(fn(session, scope, flt))
        if timings is not None:
            timings[key] = time.perf_counter() - started
    return out


def dashboard_tables(
    session: Session, actor: Actor | None, flt: DashboardFilter, *, timings: dict[str, float] | None = None
) -> list[MetricTable]:
    """All figures of the dashboard for ``actor`` and the filter."""
    if not isinstance(flt, DashboardFilter):
        raise TypeError("flt must be a DashboardFilter")
    scope = resolve_scope(session, actor, flt.comune)
    return compute_tables(session, scope, flt, timings=timings)


_RESULTS = ResultCache()


def cached_dashboard(
    session: Session, actor: Actor | None, flt: DashboardFilter, render: Callable[[list[MetricTable]], R]
) -> R:
    """``render(dashboard_tables(...))``, cached per (authorised tenants, filter, data marker).

    The scope is resolved (and authorised) on every call; only the aggregates and what
    ``render`` makes of them (e.g. the figures) are reused. ``render`` must not keep
    per-user data: its result is shared by every user with the same scope and filter.
    """
    if not isinstance(flt, DashboardFilter):
        raise TypeError("flt must be a DashboardFilter")
    scope = resolve_scope(session, actor, flt.comune)
    database = session.get_bind().url.render_as_string(hide_password=True)  # one process may use several
    key = (database, scope.tenant_ids, flt, data_marker(session), f"{render.__module__}.{render.__qualname__}")
    return _RESULTS.get_or_compute(key, lambda: render(compute_tables(session, scope, flt)))
