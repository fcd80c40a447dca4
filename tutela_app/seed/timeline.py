"""Case plans: current stage, opening date and a stage history consistent with both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tutela_app.seed.config import (
    CLOSURE_REASONS,
    CLOSURE_WEIGHTS,
    MEASURE_TYPES,
    MEASURE_WEIGHTS,
    SSP_STAGE_WEIGHTS,
    SSP_STAGES,
    STAGE_AGE_DAYS,
    TM_STAGE_WEIGHTS,
    TM_STAGES,
)
from tutela_app.seed.context import Ctx

MIN_GAP = 21  # days between two stage changes


@dataclass
class CasePlan:
    tenant_code: str
    service: str
    opened: date
    path: list[tuple[str, date]]  # (stage, entered on), first = opening stage
    closure_reason: str | None = None
    origin: str = "segnalazione"
    measure: str | None = None  # first court measure type (Tutela Minori)
    intake: object | None = None  # IntakeOutcome that opened the case
    # filled while generating
    id: int = 0
    number: str = ""
    subject: dict | None = None
    household_id: int | None = None
    team: dict[str, int] = field(default_factory=dict)  # role_in_case -> staff id
    flags: set[str] = field(default_factory=set)  # due_soon, overdue

    @property
    def stage(self) -> str:
        return self.path[-1][0]

    @property
    def closed(self) -> date | None:
        return self.path[-1][1] if self.stage == "chiusura" else None

    @property
    def tm(self) -> bool:
        return self.service == "tutela_minori"

    def entered(self, stage: str) -> date | None:
        return next((d for s, d in self.path if s == stage), None)

    @property
    def end(self) -> date:
        """Last day of activity: closing day, or today for open cases (set by the planner)."""
        return self.closed or self._today

    _today: date = date.min


def _dates(ctx: Ctx, start: date, last: date, n: int) -> list[date]:
    """n increasing dates after ``start`` and not after ``last``, at least MIN_GAP days apart when possible."""
    span = (last - start).days
    gap = min(MIN_GAP, max(1, span // (n + 1)))
    room = max(0, span - gap * n)
    points = sorted(ctx.rng.randint(0, room) for _ in range(n))
    return [start + timedelta(days=p + gap * (i + 1)) for i, p in enumerate(points)]


def plan_case(ctx: Ctx, tenant_code: str, service: str, intake=None) -> CasePlan:  # noqa: ANN001
    rng = ctx.rng
    seq = TM_STAGES if service == "tutela_minori" else SSP_STAGES
    weights = TM_STAGE_WEIGHTS if service == "tutela_minori" else SSP_STAGE_WEIGHTS
    if intake is not None:
        opened = min(ctx.today, intake.day + timedelta(days=rng.randint(0, 15)))
        age = (ctx.today - opened).days
        possible = [0] + [i for i in range(1, 5) if STAGE_AGE_DAYS[i][0] <= age]
        k = ctx.pick(possible, [weights[i] for i in possible])
    else:
        k = ctx.pick(range(5), weights)
        lo, hi = STAGE_AGE_DAYS[k]
        opened = ctx.days_ago(lo, hi)
    if k == 4:
        last_open = ctx.pick(range(4), (0.1, 0.15, 0.3, 0.45))
        names = list(seq[1:last_open + 1]) + ["chiusura"]
        closed_last = ctx.today - timedelta(days=rng.randint(1, 60))
        end = ctx.between(min(opened + timedelta(days=150), closed_last), closed_last)
        end = max(end, opened + timedelta(days=MIN_GAP * (len(names) + 1)))
        end = min(end, ctx.today - timedelta(days=1))
    else:
        names = list(seq[1:k + 1])
        end = ctx.today - timedelta(days=rng.randint(1, 45))
    dates = _dates(ctx, opened, max(end, opened + timedelta(days=1)), len(names)) if names else []
    if k == 4 and dates:
        dates[-1] = max(dates[-1], min(end, ctx.today - timedelta(days=1)))
    dates = [min(d, ctx.today) for d in dates]
    plan = CasePlan(tenant_code, service, opened, [(seq[0], opened)] + list(zip(names, dates, strict=True)), intake=intake)
    plan._today = ctx.today
    if plan.stage == "chiusura":
        plan.closure_reason = ctx.pick(CLOSURE_REASONS, CLOSURE_WEIGHTS)
    if service == "tutela_minori":
        if intake is not None:
            plan.origin = "segnalazione"
        else:
            plan.origin = ctx.pick(("autorita_giudiziaria", "procura", "segnalazione"), (0.45, 0.15, 0.4))
        with_measure = plan.origin != "segnalazione" or (
            len(plan.path) > 1 and ctx.chance(0.8 if tenant_code == "demo" else 0.55))
        if with_measure:
            plan.measure = ctx.pick(MEASURE_TYPES, MEASURE_WEIGHTS)
    else:
        plan.origin = "presa_in_carico"
    return plan
