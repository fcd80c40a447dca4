"""Goal attainment: latest review score minus baseline, by intervention type.

The change and its bands follow ``tutela_app.domain.efficacy`` (``score_change`` and
``attainment_band``); the same rule is written here as a SQL CASE so that only one row
per (intervention type, band) leaves the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import case, false, func, or_
from sqlmodel import Session, select

from tutela_app.charts.model import ChartSpec, MetricTable
from tutela_app.domain import efficacy
from tutela_app.models import Case, Evaluation, Goal, Intervention
from tutela_app.services.metrics_cases import SERVICE_CODES
from tutela_app.services.metrics_filters import DashboardFilter
from tutela_app.services.metrics_labels import INTERVENTION_ORDER, intervention_label

if TYPE_CHECKING:
    from tutela_app.services.metrics import Scope

BANDS = (efficacy.BAND_WORSENED, efficacy.BAND_UNCHANGED, efficacy.BAND_SLIGHT, efficacy.BAND_SIGNIFICANT)


def _band_case(change):  # noqa: ANN001, ANN202
    """SQL twin of :func:`efficacy.attainment_band` (0..3 = index in ``BANDS``)."""
    return case(
        (change < 0, 0), (change == 0, 1), (change < efficacy.SIGNIFICANT_THRESHOLD, 2), else_=3,
    )


def goal_attainment(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    """Goals with a review in the period: latest review in the period vs. the baseline.

    Reads the baseline and latest review kept on ``goal`` (``services.goal_scores``), over
    ``ix_goal_attainment`` (tenant, latest_on): a goal whose latest review falls in the
    period needs no evaluation lookup at all. Only goals reviewed again *after* the period
    (a past period) look up their latest review within it (``ix_evaluation_goal_date``).
    """
    ev = Evaluation.__table__
    review = ev.alias("review")
    latest_in_period = (
        select(review.c.score)
        .where(review.c.goal_id == Goal.id, review.c.is_baseline == false(),
               review.c.evaluated_on.between(flt.date_from, flt.date_to))
        .order_by(review.c.evaluated_on.desc(), review.c.id.desc())
        .limit(1)
        .correlate(Goal)
        .scalar_subquery()
    )
    latest = case((Goal.latest_on <= flt.date_to, Goal.latest_score), else_=latest_in_period)
    per_goal = (
        select(Intervention.kind.label("kind"), (latest - Goal.baseline_score).label("change"))
        .select_from(Goal)
        .join(Intervention, Intervention.id == Goal.intervention_id)
        .where(Goal.tenant_id.in_(scope.tenant_ids), Goal.latest_on >= flt.date_from,
               Goal.baseline_score.is_not(None), Intervention.start_on <= flt.date_to,
               or_(Intervention.end_on.is_(None), Intervention.end_on >= flt.date_from))
    )
    if flt.service != "tutti":
        per_goal = per_goal.join(Case, Case.id == Goal.case_id).where(Case.service.in_(SERVICE_CODES[flt.service]))
    # MATERIALIZED: computed once per goal (SQLite would otherwise re-run the correlated
    # subqueries for every reference to ``change`` in the outer query).
    per_goal_sq = per_goal.cte("per_goal").prefix_with("MATERIALIZED")
    band = _band_case(per_goal_sq.c.change).label("band")
    query = (
        select(per_goal_sq.c.kind, band, func.count(), func.sum(per_goal_sq.c.change))
        .where(per_goal_sq.c.change.is_not(None))
        .group_by(per_goal_sq.c.kind, band)
    )
    counts: dict[str, list[int]] = {}
    sums: dict[str, int] = {}
    for kind, b, n, total in session.exec(query).all():
        counts.setdefault(kind, [0, 0, 0, 0])[int(b)] += n
        sums[kind] = sums.get(kind, 0) + int(total or 0)
    kinds = [k for k in INTERVENTION_ORDER if k in counts] + sorted(k for k in counts if k not in INTERVENTION_ORDER)
    rows = []
    for k in kinds:
        n = sum(counts[k])
        rows.append((intervention_label(k), *counts[k], n, round(sums[k] / n, 2) if n else 0.0))
    return MetricTable(
        "obiettivi", "Raggiungimento degli obiettivi per tipo di intervento",
        "Gli interventi migliorano la situazione? Variazione del punteggio tra l'inizio e l'ultima verifica.",
        ("Tipo di intervento", *BANDS, "Obiettivi valutati", "Variazione media del punteggio"), tuple(rows),
        ChartSpec("hbar", "Obiettivi valutati nel periodo", "Tipo di intervento", series=(1, 2, 3, 4), stacked=True),
        "both",
        "Per ogni obiettivo con una verifica nel periodo: punteggio dell'ultima verifica meno il punteggio "
        f"iniziale; miglioramento significativo da +{efficacy.SIGNIFICANT_THRESHOLD} punti.",
    )
