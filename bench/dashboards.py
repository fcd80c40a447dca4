"""Dashboard benchmark: time of every aggregate query and JSON size of every figure.

Run on the large data set (``make seed-large`` or a temp file)::

    TUTELA_DATABASE_URL=sqlite:////tmp/large.db .venv/bin/python -m bench.dashboards

Prints one table per filter (what a filter change runs: only GROUP BY queries) and the
time to generate a service report for the largest Comune.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlmodel import select

from tutela_app.auth.permissions import Actor
from tutela_app.charts.figures import build_figure, figure_json_size
from tutela_app.db import read_session
from tutela_app.models import Staff, Tenant
from tutela_app.reports.service_report import render_service_report
from tutela_app.services import metrics
from tutela_app.services import service_reports as sr
from tutela_app.services.metrics_filters import DashboardFilter, preset_period

REPEAT = 3


def _admin() -> Actor:
    with read_session() as s:
        ids = s.exec(select(Tenant.id)).all()
        staff_id = s.exec(select(Staff.id).order_by(Staff.id)).first()
    return Actor(staff_id, "bench", None, {i: frozenset({"amministratore"}) for i in ids})


def _run(actor: Actor, flt: DashboardFilter) -> None:
    runs: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    totals = []
    for _ in range(REPEAT):
        timings: dict[str, float] = {}
        started = time.perf_counter()
        with read_session() as s:
            tables = metrics.dashboard_tables(s, actor, flt, timings=timings)
        totals.append(time.perf_counter() - started)
        for key, sec in timings.items():
            runs.setdefault(key, []).append(sec)
        sizes = {t.key: figure_json_size(build_figure(t)) for t in tables}
    print(f"\n{flt.period_label()} · comune={flt.comune} · servizio={flt.service}")
    print(f"{'figura':<24}{'ms (mediana)':>14}{'JSON (byte)':>13}")
    for key in runs:
        print(f"{key:<24}{statistics.median(runs[key]) * 1000:>14.1f}{sizes[key]:>13,}")
    print(f"{'totale':<24}{statistics.median(totals) * 1000:>14.1f}{sum(sizes.values()):>13,}")


def main() -> int:
    actor = _admin()
    today = date.today()
    with read_session() as s:
        codes = s.exec(select(Tenant.code).order_by(Tenant.id)).all()
    for flt in (
        DashboardFilter(*preset_period("12m", today)),
        DashboardFilter(*preset_period("anno_prec", today)),
        DashboardFilter(*preset_period("12m", today), comune="demo"),
        DashboardFilter(*preset_period("12m", today), service="tm"),
        DashboardFilter(*preset_period("12m", today), service="seg"),
    ):
        if flt.comune in ("tutti", *codes):
            _run(actor, flt)
    with read_session() as s:
        report_id = sr.start_report(s, actor, "demo", *preset_period("anno_prec", today))
        started = time.perf_counter()
        data = sr.collect_report_data(s, actor, report_id)
        collected = time.perf_counter() - started
        s.rollback()
    started = time.perf_counter()
    pdf = render_service_report(data)
    rendered = time.perf_counter() - started
    Path(tempfile.gettempdir(), "bench-relazione.pdf").write_bytes(pdf)
    print(f"\nrelazione (Comune Demo, anno precedente): query {collected * 1000:.0f} ms, "
          f"PDF {rendered * 1000:.0f} ms, {len(pdf):,} byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
