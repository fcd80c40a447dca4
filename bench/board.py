"""Board benchmark: the cost of one board page per filter, built from scratch and shared.

Run on the large data set (the benchmark's cached copy, or ``make seed-large``)::

    TUTELA_DATABASE_URL=sqlite:///var/bench/large-sqlite.db .venv/bin/python -m bench.board

The S2 scenario runs 50 users with the same scope (a coordinator of every Comune), so
after the first request for a filter most filter changes are answered by the shared page
(``services.cases.shared_board_page``). This prints what a *miss* costs — a colleague with
another scope, the first request after a case changed — next to the live marker every
request reads and a hit, single-threaded, so the scenario's numbers can be read against it.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from sqlmodel import select

from bench.scenarios import BOARD_FILTERS
from tutela_app.auth.permissions import Actor
from tutela_app.db import read_session
from tutela_app.models import Staff, Tenant
from tutela_app.services import cases

REPEAT = 7
SERVICE = "tutela_minori"


def _coordinator_everywhere() -> Actor:
    with read_session() as s:
        ids = s.exec(select(Tenant.id).where(Tenant.active.is_(True))).all()  # type: ignore[attr-defined]
        staff_id = s.exec(select(Staff.id).order_by(Staff.id)).first()
    return Actor(staff_id, "bench", None, {i: frozenset({"coordinatore"}) for i in ids})  # type: ignore[arg-type]


def _median_ms(fn: Callable[[], object]) -> float:
    runs = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def main() -> int:
    actor = _coordinator_everywhere()
    print(f"{'filter':<64}{'scratch ms':>12}{'marker ms':>11}{'shared ms':>11}{'cards':>7}{'cases':>8}")
    with read_session() as s:
        for wanted in BOARD_FILTERS:
            filters = cases.BoardFilters(service=SERVICE, **wanted)
            scratch = _median_ms(lambda f=filters: cases.board_page(s, actor, f, {}, audit_read=False))
            marker_ms = _median_ms(lambda: cases.board_marker(s, actor, SERVICE))
            marker = cases.board_marker(s, actor, SERVICE)
            page = cases.shared_board_page(s, actor, filters, {}, marker)
            shared = _median_ms(lambda f=filters, m=marker: cases.shared_board_page(s, actor, f, {}, m))
            shown = sum(len(c["cards"]) for c in page["columns"])
            print(f"{str(wanted or '(no filter)'):<64}{scratch:>12.1f}{marker_ms:>11.2f}{shared:>11.3f}"
                  f"{shown:>7}{page['total']:>8,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
