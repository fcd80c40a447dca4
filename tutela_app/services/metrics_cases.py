"""Caseload and case flow: open cases, new and closed per month, time spent in each stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from tutela_app.charts.model import ChartSpec, MetricTable
from tutela_app.models import Case, CaseStageChange
from tutela_app.services.metrics_filters import DashboardFilter
from tutela_app.services.metrics_labels import SERVICE_COLUMN, STAGE_ORDER, stage_label
from tutela_app.services.metrics_sql import (
    day_after,
    day_start,
    days_between,
    month_key,
    month_label,
    months_in,
)
from tutela_app.services.staff import staff_display_names

if TYPE_CHECKING:
    from tutela_app.services.metrics import Scope

TOP_STAFF = 15
SERVICE_CODES = {"tm": ("tutela_minori",), "seg": ("servizio_sociale",), "tutti": ("tutela_minori", "servizio_sociale")}


def case_scope(scope: Scope, flt: DashboardFilter) -> list:
    """Tenant and service conditions on ``case_file``."""
    conds = [Case.tenant_id.in_(scope.tenant_ids)]
    if flt.service != "tutti":
        conds.append(Case.service.in_(SERVICE_CODES[flt.service]))
    return conds


def open_at_end(flt: DashboardFilter) -> list:
    """Cases in charge on the last day of the period."""
    return [Case.opened_on <= flt.date_to, or_(Case.closed_on.is_(None), Case.closed_on > flt.date_to)]


def services_of(flt: DashboardFilter) -> tuple[str, ...]:
    return SERVICE_CODES[flt.service]


def caseload_by_comune(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    rows = session.exec(
        select(Case.tenant_id, Case.service, func.count())
        .where(*case_scope(scope, flt), *open_at_end(flt))
        .group_by(Case.tenant_id, Case.service)
    ).all()
    services = services_of(flt)
    counts = {(t, s): n for t, s, n in rows}
    table_rows = tuple(
        (scope.names[t], *(counts.get((t, s), 0) for s in services))
        for t in sorted(scope.tenant_ids, key=lambda t: scope.names[t])
    )
    return MetricTable(
        "casi_per_comune", "Casi in carico per Comune",
        f"Quanti casi ha in carico il servizio in ciascun Comune al {flt.date_to:%d/%m/%Y}?",
        ("Comune", *(SERVICE_COLUMN[s] for s in services)), table_rows,
        ChartSpec("hbar", "Casi in carico", "Comune", stacked=True), "both",
        "Casi aperti entro la fine del periodo e non ancora chiusi a quella data.",
    )


def _stage_at_end(flt: DashboardFilter):  # noqa: ANN202
    """Correlated subquery: the stage a case was in at the end of the period."""
    return (
        select(CaseStageChange.to_stage)
        .where(CaseStageChange.case_id == Case.id, CaseStageChange.changed_at < day_after(flt.date_to))
        .order_by(CaseStageChange.changed_at.desc(), CaseStageChange.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )


def caseload_by_stage(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    stage = func.coalesce(_stage_at_end(flt), Case.stage)
    inner = select(stage.label("stage")).where(*case_scope(scope, flt), *open_at_end(flt)).subquery()
    rows = session.exec(select(inner.c.stage, func.count()).group_by(inner.c.stage)).all()
    counts = dict(rows)
    codes = [s for s in STAGE_ORDER if s in counts] + sorted(s for s in counts if s not in STAGE_ORDER)
    return MetricTable(
        "casi_per_fase", "Casi in carico per fase",
        "In quale fase del percorso si trovano i casi in carico a fine periodo?",
        ("Fase", "Casi in carico"), tuple((stage_label(s), counts[s]) for s in codes),
        ChartSpec("hbar", "Casi in carico", "Fase"), "both",
        "Fase alla fine del periodo, ricostruita dallo storico dei passaggi di fase.",
    )


def caseload_by_staff(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    rows = session.exec(
        select(Case.responsible_staff_id, func.count().label("n"))
        .where(*case_scope(scope, flt), *open_at_end(flt))
        .group_by(Case.responsible_staff_id)
        .order_by(func.count().desc(), Case.responsible_staff_id)
    ).all()
    top = [(sid, n) for sid, n in rows if sid is not None][:TOP_STAFF]
    names = staff_display_names(session, [s for s, _ in top])
    table_rows: list[tuple] = [(names.get(sid, f"Operatore {sid}"), n) for sid, n in top]
    others = sum(n for sid, n in rows if sid is not None) - sum(n for _, n in top)
    if others:
        table_rows.append(("Altri operatori", others))
    unassigned = sum(n for sid, n in rows if sid is None)
    if unassigned:
        table_rows.append(("Senza operatore responsabile", unassigned))
    return MetricTable(
        "casi_per_operatore", "Casi in carico per operatore responsabile",
        "Come si distribuisce il carico di lavoro tra gli operatori responsabili dei casi?",
        ("Operatore responsabile", "Casi in carico"), tuple(table_rows),
        ChartSpec("hbar", "Casi in carico", "Operatore"), "both",
        f"I {TOP_STAFF} operatori con più casi; gli altri sono sommati in una riga.",
    )


def cases_per_month(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    opened_m = month_key(session, Case.opened_on)
    closed_m = month_key(session, Case.closed_on)
    opened = dict(session.exec(
        select(opened_m, func.count()).where(*case_scope(scope, flt), Case.opened_on.between(flt.date_from, flt.date_to))
        .group_by(opened_m)
    ).all())
    closed = dict(session.exec(
        select(closed_m, func.count()).where(*case_scope(scope, flt), Case.closed_on.between(flt.date_from, flt.date_to))
        .group_by(closed_m)
    ).all())
    rows = tuple((month_label(m), opened.get(m, 0), closed.get(m, 0)) for m in months_in(flt.date_from, flt.date_to))
    return MetricTable(
        "casi_per_mese", "Nuovi casi e casi chiusi per mese",
        "Il servizio apre più casi di quanti ne chiude? Come cambia nel tempo?",
        ("Mese", "Nuovi casi", "Casi chiusi"), rows, ChartSpec("line", "Mese", "Numero di casi"), "both",
        "Casi per mese di apertura e per mese di chiusura.",
    )


def time_in_stage(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    """Average days spent in a stage, for the stays that ended within the period."""
    prev = func.lag(CaseStageChange.changed_at).over(
        partition_by=CaseStageChange.case_id, order_by=(CaseStageChange.changed_at, CaseStageChange.id)
    )
    stays = (
        select(CaseStageChange.from_stage, CaseStageChange.changed_at, prev.label("prev_at"))
        .join(Case, Case.id == CaseStageChange.case_id)
        .where(*case_scope(scope, flt), CaseStageChange.changed_at < day_after(flt.date_to))
        .subquery()
    )
    days = days_between(session, stays.c.prev_at, stays.c.changed_at)
    rows = session.exec(
        select(stays.c.from_stage, func.count(), func.avg(days), func.max(days))
        .where(and_(stays.c.from_stage.is_not(None), stays.c.prev_at.is_not(None),
                    stays.c.changed_at >= day_start(flt.date_from)))
        .group_by(stays.c.from_stage)
    ).all()
    found = {s: (n, avg, mx) for s, n, avg, mx in rows}
    codes = [s for s in STAGE_ORDER if s in found] + sorted(s for s in found if s not in STAGE_ORDER)
    return MetricTable(
        "tempo_in_fase", "Tempo medio in ciascuna fase",
        "Quanto tempo restano i casi in ciascuna fase prima di passare alla successiva?",
        ("Fase", "Giorni medi", "Permanenze concluse", "Giorni massimi"),
        tuple((stage_label(s), round(float(found[s][1]), 1), found[s][0], round(float(found[s][2])))
              for s in codes),
        ChartSpec("hbar", "Giorni medi", "Fase", series=(1,)), "both",
        "Permanenze in una fase terminate nel periodo (passaggio alla fase successiva o chiusura).",
    )
