"""Baseline and latest review score kept on ``goal`` (denormalised for goal attainment).

``Goal.baseline_score`` is the score of the goal's first baseline evaluation (by date, then
id) and ``latest_score``/``latest_on`` those of its latest review (non-baseline, by date
desc, then id desc) — the same picks ``metrics_efficacy.goal_attainment`` relies on. Every
writer of evaluations calls :func:`refresh_goal_scores` in its transaction (the seed's bulk
writer computes the same values while generating). The update goes through Core, so it does
not bump the goal's edit ``version``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import false, true, update
from sqlmodel import Session, select

from tutela_app.models import Evaluation, Goal


def _pick(column, *, baseline: bool):  # noqa: ANN001, ANN202
    ev = Evaluation.__table__.alias("ev")
    order = (ev.c.evaluated_on, ev.c.id) if baseline else (ev.c.evaluated_on.desc(), ev.c.id.desc())
    return (
        select(ev.c[column])
        .where(ev.c.goal_id == Goal.id, ev.c.is_baseline == (true() if baseline else false()))
        .order_by(*order)
        .limit(1)
        .scalar_subquery()
    )


def refresh_goal_scores(session: Session, goal_ids: Iterable[int]) -> None:
    """Recompute the denormalised scores of ``goal_ids`` from their evaluations."""
    ids = sorted({int(g) for g in goal_ids})
    for start in range(0, len(ids), 500):
        session.execute(
            update(Goal)
            .where(Goal.id.in_(ids[start:start + 500]))  # type: ignore[union-attr]
            .values(
                baseline_score=_pick("score", baseline=True),
                latest_score=_pick("score", baseline=False),
                latest_on=_pick("evaluated_on", baseline=False),
            )
            .execution_options(synchronize_session=False)
        )


def scores_of(evaluations: Iterable[tuple]) -> dict:
    """The denormalised values for one goal from ``(evaluated_on, id, score, is_baseline)`` rows
    (used by bulk writers that generate evaluations in memory)."""
    rows = list(evaluations)
    baselines = sorted((r for r in rows if r[3]), key=lambda r: (r[0], r[1]))
    reviews = sorted((r for r in rows if not r[3]), key=lambda r: (r[0], r[1]))
    return {
        "baseline_score": baselines[0][2] if baselines else None,
        "latest_score": reviews[-1][2] if reviews else None,
        "latest_on": reviews[-1][0] if reviews else None,
    }
