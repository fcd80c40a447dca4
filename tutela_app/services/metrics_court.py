"""Tutela Minori figures: measures in force, reports on time, placements, messa alla prova."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, select

from tutela_app.charts.model import ChartSpec, MetricTable
from tutela_app.domain.measures import add_months
from tutela_app.models import Case, CourtMeasure, Obligation, Placement, ProbationProject, utcnow
from tutela_app.services.metrics_cases import open_at_end
from tutela_app.services.metrics_filters import DashboardFilter
from tutela_app.services.metrics_labels import (
    MEASURE_ORDER,
    PLACEMENT_KINDS,
    PLACEMENT_OUTCOMES,
    PROBATION_OUTCOMES,
    measure_label,
)
from tutela_app.services.metrics_sql import date_of, day_after, day_start

if TYPE_CHECKING:
    from tutela_app.services.metrics import Scope

REPORT_STATES = ("In termine", "In ritardo", "Scadute e non consegnate", "Non ancora scadute")
DURATION_BANDS = ("Meno di 6 mesi", "6-12 mesi", "12-18 mesi", "18-24 mesi", "Oltre 24 mesi")
OVER_LIMIT = DURATION_BANDS[-1]


def caseload_by_measure(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    """Tutela Minori cases in charge at the end of the period, by the court measure then in force."""
    latest = (
        select(CourtMeasure.measure_type)
        .where(CourtMeasure.case_id == Case.id, CourtMeasure.issued_on <= flt.date_to,
               or_(CourtMeasure.end_date.is_(None), CourtMeasure.end_date >= flt.date_to))
        .order_by(CourtMeasure.issued_on.desc(), CourtMeasure.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    inner = (
        select(latest.label("measure"))
        .where(Case.tenant_id.in_(scope.tenant_ids), Case.service == "tutela_minori", *open_at_end(flt))
        .subquery()
    )
    counts = dict(session.exec(select(inner.c.measure, func.count()).group_by(inner.c.measure)).all())
    codes = [m for m in MEASURE_ORDER if m in counts] + sorted(m for m in counts if m and m not in MEASURE_ORDER)
    rows = [(measure_label(m), counts[m]) for m in codes]
    if counts.get(None):
        rows.append(("Nessun provvedimento in vigore", counts[None]))
    return MetricTable(
        "casi_per_misura", "Casi di Tutela Minori per provvedimento",
        "Con quali provvedimenti dell'Autorità Giudiziaria lavora il servizio?",
        ("Provvedimento", "Casi in carico"), tuple(rows), ChartSpec("hbar", "Casi in carico", "Provvedimento"), "tm",
        "Ultimo provvedimento emesso entro la fine del periodo e non ancora scaduto a quella data.",
    )


def reports_on_time(session: Session, scope: Scope, flt: DashboardFilter, now: datetime | None = None) -> MetricTable:
    """Periodic reports to the court due in the period, by whether they were delivered on time."""
    now = now or utcnow()
    due_day = date_of(session, Obligation.due_at)
    state = case(
        (and_(Obligation.status == "adempiuto", Obligation.fulfilled_on <= due_day), 0),
        (Obligation.status == "adempiuto", 1),
        (Obligation.due_at < now, 2),
        else_=3,
    ).label("state")
    rows = session.exec(
        select(Obligation.tenant_id, state, func.count())
        .where(Obligation.tenant_id.in_(scope.tenant_ids), Obligation.kind == "periodic_report",
               Obligation.status.in_(("aperto", "adempiuto")),
               Obligation.due_at >= day_start(flt.date_from), Obligation.due_at < day_after(flt.date_to))
        .group_by(Obligation.tenant_id, state)
    ).all()
    counts = {(t, int(s)): n for t, s, n in rows}
    tenants = sorted({t for t, _ in counts}, key=lambda t: scope.names[t])
    return MetricTable(
        "relazioni_in_termine", "Relazioni periodiche al Tribunale rispetto alle scadenze",
        "Il servizio consegna le relazioni all'Autorità Giudiziaria entro le scadenze dei decreti?",
        ("Comune", *REPORT_STATES),
        tuple((scope.names[t], *(counts.get((t, i), 0) for i in range(4))) for t in tenants),
        ChartSpec("hbar", "Relazioni dovute nel periodo", "Comune", stacked=True), "tm",
        "Relazioni periodiche con scadenza nel periodo; in termine = consegnate entro il giorno di scadenza.",
    )


def placement_outcomes(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    rows = session.exec(
        select(Placement.outcome, Placement.kind, func.count())
        .where(Placement.tenant_id.in_(scope.tenant_ids), Placement.end_on.between(flt.date_from, flt.date_to))
        .group_by(Placement.outcome, Placement.kind)
    ).all()
    counts: dict[tuple[str, str], int] = {}
    for outcome, kind, n in rows:
        code = outcome if outcome in PLACEMENT_OUTCOMES else "_"
        counts[(code, kind)] = counts.get((code, kind), 0) + n
    labels = {**PLACEMENT_OUTCOMES, "_": "Esito non indicato"}
    codes = [c for c in labels if any(key[0] == c for key in counts)]
    table_rows = tuple((labels[c], *(counts.get((c, kind), 0) for kind in PLACEMENT_KINDS)) for c in codes)
    return MetricTable(
        "esiti_collocamenti", "Esiti dei collocamenti conclusi",
        "Quanti minori collocati fuori famiglia sono rientrati a casa?",
        ("Esito", *PLACEMENT_KINDS.values()), table_rows,
        ChartSpec("hbar", "Collocamenti conclusi nel periodo", "Esito", stacked=True), "tm",
        "Collocamenti in comunità o in affido familiare terminati nel periodo, per esito.",
    )


def placement_durations(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    """Placements in progress at the end of the period by time elapsed, against the 24-month limit."""
    cut = [add_months(flt.date_to, -m) for m in (6, 12, 18, 24)]
    band = case(
        (Placement.start_on > cut[0], 0), (Placement.start_on > cut[1], 1),
        (Placement.start_on > cut[2], 2), (Placement.start_on > cut[3], 3), else_=4,
    ).label("band")
    counts = dict(session.exec(
        select(band, func.count())
        .where(Placement.tenant_id.in_(scope.tenant_ids), Placement.start_on <= flt.date_to,
               or_(Placement.end_on.is_(None), Placement.end_on > flt.date_to))
        .group_by(band)
    ).all())
    return MetricTable(
        "durata_collocamenti", "Durata dei collocamenti in corso rispetto al limite di 24 mesi",
        "Quanti minori sono fuori famiglia da più dei 24 mesi previsti dalla legge?",
        ("Durata del collocamento", "Collocamenti in corso"),
        tuple((label, counts.get(i, 0)) for i, label in enumerate(DURATION_BANDS)),
        ChartSpec("bar", "Durata del collocamento", "Collocamenti in corso", highlight=(OVER_LIMIT,)), "tm",
        "Collocamenti in corso alla fine del periodo; limite di 24 mesi: art. 4 c. 4 L. 184/1983.",
    )


def probation_outcomes(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    outcome = func.coalesce(ProbationProject.outcome, "in_corso")
    counts = dict(session.exec(
        select(outcome, func.count())
        .where(ProbationProject.tenant_id.in_(scope.tenant_ids), ProbationProject.end_on.between(flt.date_from, flt.date_to))
        .group_by(outcome)
    ).all())
    rows = [(label, counts.get(code, 0)) for code, label in PROBATION_OUTCOMES.items()]
    other = sum(n for code, n in counts.items() if code not in PROBATION_OUTCOMES)
    if other:
        rows.append(("Altro esito", other))
    return MetricTable(
        "messa_alla_prova", "Esiti della messa alla prova",
        "Come si concludono i progetti di messa alla prova (art. 28 DPR 448/1988)?",
        ("Esito", "Progetti"), tuple(rows), ChartSpec("bar", "Esito", "Progetti conclusi nel periodo"), "tm",
        "Progetti il cui periodo di prova è terminato nel periodo.",
    )
