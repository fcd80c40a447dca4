"""Service reports ('relazioni sull'andamento del servizio'): request, build, archive, list, download.

Generation runs in steps so the caller can show progress: :func:`start_report` (row in
state ``in_corso``), :func:`collect_report_data` (aggregate queries for the period and
the previous one), ``reports.service_report.render_service_report`` (PDF bytes) and
:func:`archive_report` (file under ``data_dir/reports`` + row ``pronto``).
:func:`generate_report` chains them for scripts and tests.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.db import read_session, write_session
from tutela_app.models import ServiceReport, Tenant
from tutela_app.reports.service_report import ReportData, render_service_report
from tutela_app.services import audit
from tutela_app.services.metrics import Scope, allowed_comuni, compute_tables
from tutela_app.services.metrics_filters import SERVICES, DashboardFilter, period_problem
from tutela_app.services.metrics_sql import ROME
from tutela_app.settings import get_settings

GENERATE = "service_report.generate"
DOWNLOAD = "service_report.download"
#: Figures in the report to a Comune (workload per staff member stays internal).
REPORT_KEYS = (
    "casi_per_fase", "casi_per_misura", "casi_per_mese", "tempo_in_fase", "relazioni_in_termine", "obiettivi",
    "esiti_collocamenti", "durata_collocamenti", "messa_alla_prova", "accessi", "invii", "accessi_ripetuti",
    "casi_per_comune",
)
STATUS_LABELS = {"in_corso": "In preparazione", "pronto": "Pronta", "errore": "Non riuscita"}
MAX_LIST = 50


class ReportInputError(ValueError):
    """Invalid period: ``message_it`` says what to fix."""

    def __init__(self, message_it: str) -> None:
        super().__init__(message_it)
        self.message_it = message_it


def reports_dir() -> Path:
    return get_settings().data_dir / "reports"


def _tenant_for(session: Session, actor: Actor | None, code: str, action: str) -> Tenant:
    if not isinstance(code, str) or len(code) > 40:
        raise NotFoundOrForbidden
    tenant = session.exec(select(Tenant).where(Tenant.code == code)).first()
    if tenant is None or not perm.can(actor, action, tenant.id):
        raise NotFoundOrForbidden
    return tenant


def report_comuni(session: Session, actor: Actor | None) -> list[tuple[str, str]]:
    """(code, name) of the Comuni for which the actor may generate a report ([] if none)."""
    try:
        return allowed_comuni(session, actor, GENERATE)
    except NotFoundOrForbidden:
        return []


def start_report(session: Session, actor: Actor | None, comune: str, period_from: date, period_to: date) -> int:
    """Record a report request (state ``in_corso``) and return its id."""
    if not isinstance(period_from, date) or not isinstance(period_to, date):
        raise ReportInputError("Indica le date di inizio e di fine del periodo.")
    if problem := period_problem(period_from, period_to, date.today()):
        raise ReportInputError(problem)
    tenant = _tenant_for(session, actor, comune, GENERATE)
    row = ServiceReport(tenant_id=tenant.id, period_from=period_from, period_to=period_to, status="in_corso",
                        created_by=actor.staff_id if actor else None)
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "service_report", row.id, tenant_id=tenant.id)
    return int(row.id)


def _own_row(session: Session, actor: Actor | None, report_id: int, action: str) -> tuple[ServiceReport, Tenant]:
    if not isinstance(report_id, int) or isinstance(report_id, bool):
        raise NotFoundOrForbidden
    row = session.get(ServiceReport, report_id)
    if row is None or not perm.can(actor, action, row.tenant_id):
        raise NotFoundOrForbidden
    tenant = session.get(Tenant, row.tenant_id)
    assert tenant is not None
    return row, tenant


def _service_of(tenant: Tenant) -> str:
    if tenant.buys_tutela_minori and not tenant.buys_segretariato:
        return "tm"
    if tenant.buys_segretariato and not tenant.buys_tutela_minori:
        return "seg"
    return "tutti"


def collect_report_data(session: Session, actor: Actor | None, report_id: int) -> ReportData:
    """Aggregate figures of the report's period and of the previous period of the same length."""
    row, tenant = _own_row(session, actor, report_id, GENERATE)
    service = _service_of(tenant)
    flt = DashboardFilter(row.period_from, row.period_to, tenant.code, service)
    scope = Scope((tenant.id,), {tenant.id: tenant.name})
    prev = flt.previous()
    return ReportData(
        tenant_name=tenant.name, services_label=SERVICES[service] if service != "tutti" else
        "Tutela Minori, Segretariato e Servizio Sociale Professionale",
        period_from=flt.date_from, period_to=flt.date_to, previous_from=prev.date_from, previous_to=prev.date_to,
        tables=compute_tables(session, scope, flt, keys=REPORT_KEYS),
        previous_tables=compute_tables(session, scope, prev, keys=REPORT_KEYS),
        generated_on=date.today(),
    )


def _file_name(tenant: Tenant, row: ServiceReport) -> str:
    return f"relazione-servizio-{tenant.code}-{row.period_from:%Y%m%d}-{row.period_to:%Y%m%d}-{row.id}.pdf"


def archive_report(session: Session, actor: Actor | None, report_id: int, pdf: bytes) -> str:
    """Write the PDF under ``data_dir/reports/<comune>/`` and mark the row ready; return the file name."""
    row, tenant = _own_row(session, actor, report_id, GENERATE)
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
        raise ValueError("not a PDF")
    folder = reports_dir() / tenant.code
    folder.mkdir(parents=True, exist_ok=True)
    name = _file_name(tenant, row)
    tmp = folder / (name + ".tmp")
    tmp.write_bytes(pdf)
    os.chmod(tmp, 0o600)
    tmp.replace(folder / name)
    row.status, row.file_name = "pronto", name
    session.add(row)
    audit.record(session, actor, "update", "service_report", row.id, tenant_id=tenant.id, detail="archiviata")
    return name


def fail_report(session: Session, actor: Actor | None, report_id: int) -> None:
    row, tenant = _own_row(session, actor, report_id, GENERATE)
    row.status = "errore"
    session.add(row)
    audit.record(session, actor, "update", "service_report", row.id, tenant_id=tenant.id, detail="errore")


def list_reports(session: Session, actor: Actor | None, comune: str = "tutti") -> list[dict[str, str]]:
    """Archived reports the actor may download (newest first), as small DTOs."""
    ids = perm.tenants_for(actor, DOWNLOAD)
    if not ids:
        return []
    query = (select(ServiceReport, Tenant.name).join(Tenant, Tenant.id == ServiceReport.tenant_id)
             .where(ServiceReport.tenant_id.in_(ids)))
    if comune != "tutti":
        query = query.where(Tenant.code == comune)
    rows = session.exec(query.order_by(ServiceReport.created_at.desc(), ServiceReport.id.desc()).limit(MAX_LIST)).all()
    return [
        {"id": str(r.id), "comune": name, "period": f"{r.period_from:%d/%m/%Y} – {r.period_to:%d/%m/%Y}",
         "created": f"{r.created_at.astimezone(ROME):%d/%m/%Y %H:%M}", "status": STATUS_LABELS.get(r.status, r.status),
         "ready": "1" if r.status == "pronto" else ""}
        for r, name in rows
    ]


def read_report(session: Session, actor: Actor | None, report_id: int) -> tuple[str, bytes]:
    """(file name, PDF bytes) of an archived report; the download is audited as an export."""
    row, tenant = _own_row(session, actor, report_id, DOWNLOAD)
    if row.status != "pronto" or not row.file_name:
        raise NotFoundOrForbidden
    path = (reports_dir() / tenant.code / row.file_name).resolve()
    if reports_dir().resolve() not in path.parents or not path.is_file():
        raise NotFoundOrForbidden
    audit.record(session, actor, "export", "service_report", row.id, tenant_id=tenant.id)
    return row.file_name, path.read_bytes()


def generate_report(actor: Actor | None, comune: str, period_from: date, period_to: date) -> int:
    """All steps in one call (scripts and tests); returns the report id."""
    with write_session() as session:
        report_id = start_report(session, actor, comune, period_from, period_to)
    try:
        with read_session() as session:
            data = collect_report_data(session, actor, report_id)
        pdf = render_service_report(data)
        with write_session() as session:
            archive_report(session, actor, report_id, pdf)
    except Exception:
        with write_session() as session:
            fail_report(session, actor, report_id)
        raise
    return report_id
