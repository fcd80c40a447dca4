"""CSV export of one dashboard figure (recomputed, authorised and audited as an export)."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.charts.model import MetricTable, format_cell
from tutela_app.services import audit
from tutela_app.services.metrics import METRIC_KEYS, compute_tables, resolve_scope
from tutela_app.services.metrics_filters import DashboardFilter


def table_csv(table: MetricTable) -> str:
    """Semicolon-separated, Italian number format (opens correctly in Italian spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([format_cell(v) for v in row])
    return out.getvalue()


def export_metric_csv(session: Session, actor: Actor | None, flt: DashboardFilter, key: str) -> tuple[str, str]:
    """(file name, CSV text) of figure ``key``; appends an 'export' audit event (codes only)."""
    if not isinstance(key, str) or key not in METRIC_KEYS or not isinstance(flt, DashboardFilter):
        raise NotFoundOrForbidden
    scope = resolve_scope(session, actor, flt.comune)
    tables = compute_tables(session, scope, flt, keys=(key,))
    if not tables:
        raise NotFoundOrForbidden  # the figure does not belong to the selected service
    tenant = scope.tenant_ids[0] if len(scope.tenant_ids) == 1 else None
    audit.record(session, actor, "export", "dashboard", key, tenant_id=tenant,
                 detail=f"{flt.date_from.isoformat()}..{flt.date_to.isoformat()} comune={flt.comune} servizio={flt.service}")
    name = f"{key}_{flt.comune}_{flt.date_from:%Y%m%d}-{flt.date_to:%Y%m%d}.csv"
    return name, table_csv(tables[0])
