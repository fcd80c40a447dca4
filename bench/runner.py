"""Drive a scenario: place the users, warm up, then open-loop Poisson arrivals.

Each user's actions arrive as a Poisson process (exponential gaps, mean ``1/rate``). A
user acts once its previous action completed (it needs the screen the previous one
produced), but latency is always measured from the *scheduled arrival*, so a slow server
shows up as longer latencies and is never hidden by the client waiting (no coordinated
omission). Warm-up: one untimed action per user before the clock starts.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from bench.scenarios import RunContext, Scenario
from bench.users import Outcome, SimUser

OVERLOADED_MS = 5000.0


@dataclass
class ScenarioRun:
    scenario: Scenario
    users: int
    outcomes: list[Outcome] = field(default_factory=list)
    wall_s: float = 0.0
    place_errors: int = 0
    warmup_errors: int = 0
    stray_bytes: int = 0
    locked: int = 0
    extra: dict = field(default_factory=dict)


async def _bounded(coros, limit: int = 10):  # noqa: ANN001, ANN202
    sem = asyncio.Semaphore(limit)

    async def one(coro):  # noqa: ANN001, ANN202
        async with sem:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros))


async def connect_all(users: list[SimUser], path: str = "/") -> list[Outcome]:
    return await _bounded([u.connect(path) for u in users])


async def place(users: list[SimUser], scenario: Scenario, ctx: RunContext) -> list[Outcome]:
    """Navigate every user to the scenario's page (untimed)."""
    return await _bounded([u.navigate(*scenario.page(u, ctx)) for u in users])


async def warm_up(users: list[SimUser], scenario: Scenario, ctx: RunContext, rng: random.Random) -> int:
    async def one(user: SimUser) -> Outcome:
        await asyncio.sleep(rng.uniform(0, 1.0))
        return await scenario.action(user, ctx, time.perf_counter())

    results = await asyncio.gather(*(one(u) for u in users))
    return sum(1 for r in results if not r.ok)


async def measure(users: list[SimUser], scenario: Scenario, ctx: RunContext, *, duration: float, rate: float,
                  rng: random.Random) -> tuple[list[Outcome], float]:
    start = time.perf_counter() + 0.05
    end = start + duration
    outcomes: list[Outcome] = []

    async def user_loop(user: SimUser, seed: int) -> None:
        own = random.Random(seed)
        arrival = start + own.expovariate(rate)
        while arrival < end:
            delay = arrival - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            outcomes.append(await scenario.action(user, ctx, arrival))
            arrival += own.expovariate(rate)

    await asyncio.gather(*(user_loop(u, rng.randrange(1 << 30)) for u in users))
    return outcomes, time.perf_counter() - start


async def run_scenario(users: list[SimUser], scenario: Scenario, ctx: RunContext, *, duration: float,
                       rate: float, rng: random.Random, before_measure=None,  # noqa: ANN001
                       server_cpu=None) -> ScenarioRun:  # noqa: ANN001
    """``server_cpu``: a callable returning the app's CPU seconds so far; with it the run
    records the server CPU spent per measured action (measure window and its drain)."""
    run = ScenarioRun(scenario, len(users))
    placed = await place(users, scenario, ctx)
    run.place_errors = sum(1 for r in placed if not r.ok)
    opened = sorted(r.latency_ms for r in placed)
    run.extra["page_open_p50_ms"] = round(opened[len(opened) // 2], 1) if opened else None
    if opened and opened[len(opened) // 2] > OVERLOADED_MS:
        # Opening the page already took seconds: the page load was the warm-up, and a
        # second round would only lengthen the run (the measured numbers say the rest).
        run.extra["warmup_skipped"] = "overloaded: page open p50 above 5 s"
    else:
        run.warmup_errors = await warm_up(users, scenario, ctx, rng)
    if before_measure is not None:
        before_measure()
    stray_before = sum(u.stray_bytes for u in users)
    cpu_before, client_before = (server_cpu() if server_cpu else 0.0), time.process_time()
    run.outcomes, run.wall_s = await measure(users, scenario, ctx, duration=duration, rate=rate, rng=rng)
    run.stray_bytes = sum(u.stray_bytes for u in users) - stray_before
    run.extra["drain_s"] = await drain(users)
    if server_cpu is not None and run.outcomes:
        spent = server_cpu() - cpu_before
        run.extra["server_cpu_ms_per_action"] = round(1000.0 * spent / len(run.outcomes), 1)
        run.extra["server_cpu_pct"] = round(100.0 * spent / max(1e-9, run.wall_s + run.extra["drain_s"]), 1)
        run.extra["client_cpu_ms_per_action"] = round(1000.0 * (time.process_time() - client_before)
                                                      / len(run.outcomes), 1)
    return run


async def drain(users: list[SimUser], timeout: float = 180.0) -> float:
    """Barrier between scenarios: a no-op per user, answered only once every event that
    user had queued on the server (e.g. after timeouts) was processed. Untimed."""
    from bench.reflex_ws import ROOT_STATE, SET_IS_HYDRATED

    started = time.perf_counter()
    await asyncio.gather(*(u.request(SET_IS_HYDRATED, {"value": True}, lambda d, _u: ROOT_STATE in d, timeout=timeout)
                           for u in users))
    return round(time.perf_counter() - started, 1)


# ---- S6: reconnect storm --------------------------------------------------------------

async def reconnect_storm(users: list[SimUser], pages: list[Scenario], ctx: RunContext, *, window: float,
                          rng: random.Random, deadline_s: float = 10.0) -> ScenarioRun:
    """Users spread over the app's pages all drop their websocket and reconnect (same tab
    token) within ``window`` seconds; each is measured from its reconnect to rehydrated:
    full state back and the page's on_load handlers done (``is_hydrated``)."""
    from bench.scenarios import HOME

    storm = Scenario("S6 reconnect", "reconnect storm: time to rehydrated", HOME, _no_action)
    run = ScenarioRun(storm, len(users))
    placements = [pages[i % len(pages)].page(u, ctx) if pages else ("/", {}) for i, u in enumerate(users)]
    results = await _bounded([u.navigate(*p) for u, p in zip(users, placements, strict=True)])
    await drain(users)
    run.place_errors = sum(1 for r in results if not r.ok)
    await asyncio.gather(*(u.close() for u in users))
    await asyncio.sleep(1.0)  # the server notices the disconnects

    async def back(user: SimUser, placement: tuple[str, dict[str, str]]) -> Outcome:
        await asyncio.sleep(rng.uniform(0, window))
        return await user.connect(*placement, timeout=30.0)

    started = time.perf_counter()
    run.outcomes = list(await asyncio.gather(*(back(u, p) for u, p in zip(users, placements, strict=True))))
    run.wall_s = time.perf_counter() - started
    ok_in_time = sum(1 for o in run.outcomes if o.ok and o.latency_ms <= deadline_s * 1000)
    run.extra["rehydrated_within_10s_pct"] = round(100.0 * ok_in_time / max(1, len(users)), 1)
    run.extra["storm_window_s"] = window
    return run


async def _no_action(_user: SimUser, _ctx: RunContext, _t0: float) -> Outcome:
    return Outcome(True, 0.0, 0)
