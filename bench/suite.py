"""One database's run: data set, fixtures, the app as deployed, every scenario per user count."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import dataset, fixtures, profile, server
from bench.runner import ScenarioRun, connect_all, reconnect_storm, run_scenario
from bench.scenarios import RunContext, Scenario, read_scenarios
from bench.stats import not_available, summarise
from bench.users import SimUser
from tutela_app.settings import PROJECT_ROOT


@dataclass
class Options:
    users: list[int]
    duration: float
    rate: float
    scale: str
    seed: int
    storm_window: float
    only: list[str] = field(default_factory=list)
    run_dir: Path = PROJECT_ROOT / "var" / "bench" / "run"
    app_root: Path = PROJECT_ROOT / "var" / "bench"
    postgres_url: str | None = None
    cache_dir: Path = dataset.BENCH_DIR
    profile: bool = False


def _log(msg: str) -> None:
    print(msg, flush=True)


def _selected(options: Options) -> list[Scenario]:
    scenarios = read_scenarios()
    if options.only:
        scenarios = [s for s in scenarios if any(s.key.lower().startswith(o.lower()) for o in options.only)]
    return scenarios


def run_database(kind: str, options: Options) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    run_dir = options.run_dir / kind
    run_dir.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        data = dataset.sqlite_dataset(options.scale, options.seed, run_dir, log=_log, cache_dir=options.cache_dir)
    else:
        data = dataset.postgres_dataset(options.scale, options.seed, options.postgres_url, log=_log)
    meta: dict[str, Any] = {"seed_version": data.seed_version, "generated": data.generated,
                            "generation_s": round(data.generation_s, 1)}
    rows: list[dict[str, Any]] = []
    app = None
    try:
        fx = fixtures.prepare(data.url, max(options.users))
        started = time.perf_counter()
        app = server.start_app(data.url, run_dir, options.app_root / f"app-{kind}", log=_log)
        meta["server_start_s"] = round(time.perf_counter() - started, 1)
        for n in options.users:
            run_rows, run_meta = asyncio.run(_run_users(app, data.url, kind, fx, n, options))
            rows += run_rows
            meta[f"users_{n}"] = run_meta
        meta["app_log_errors"] = len(app.logged_errors())
        meta["app_log"] = str(app.log_path)
    finally:
        if app is not None:
            app.stop()
        if data.cleanup_url:
            dataset.drop_postgres(data.cleanup_url)
    return rows, meta


async def _run_users(app, url: str, kind: str, fx: fixtures.Fixtures, n: int,  # noqa: ANN001
                     options: Options) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rng = random.Random(1000 + n)
    fx.hot_versions = fixtures.current_versions(url, fx.hot_cases)
    fx.audit_max_id = fixtures.audit_max(url)
    ctx = RunContext(fixtures=fx, run_tag=f"{kind}-{n}-{int(time.time())}")
    users = [SimUser(i, app.url, fx.cookies[i]) for i in range(n)]
    rows: list[dict[str, Any]] = []
    meta: dict[str, Any] = {}
    _log(f"\n[{kind}] {n} users: connecting...")
    connected = await connect_all(users)
    failed = [o.error for o in connected if not o.ok]
    meta["connect_errors"] = len(failed)
    if failed:
        _log(f"  {len(failed)} users failed to connect: {failed[:3]}")
    scenarios = _selected(options)
    available: list[Scenario] = []
    try:
        for scenario in scenarios:
            reason = scenario.missing()
            if reason:
                rows.append(not_available(scenario.key, scenario.title, n, kind, reason))
                _log(f"  {scenario.key}: {reason}")
                continue
            available.append(scenario)
            offset = server.log_offset(app)
            spy = _Profiler(app, options, f"{kind}-{n}-{scenario.key.split()[0]}") if options.profile else None
            run = await run_scenario(users, scenario, ctx, duration=options.duration, rate=options.rate, rng=rng,
                                     before_measure=spy.start if spy else None,
                                     server_cpu=lambda: server.tree_cpu_seconds(app.process.pid))
            run.locked = server.count_locked(app, offset)
            if spy is not None:
                run.extra["profile"] = spy.finish()
            if scenario.key.startswith("S4"):
                _s4_extra(run, url, fx, ctx)
            rows.append(summarise(run, kind))
            _log(_progress(rows[-1]))
        if not options.only or any("s6".startswith(o.lower()[:2]) for o in options.only):
            pages = [s for s in available if s.key[:2] in ("S1", "S2", "S3", "S5")] or available[:1]
            offset = server.log_offset(app)
            storm = await reconnect_storm(users, pages, ctx, window=options.storm_window, rng=rng)
            storm.locked = server.count_locked(app, offset)
            rows.append(summarise(storm, kind))
            _log(_progress(rows[-1]))
    finally:
        await asyncio.gather(*(u.close() for u in users))
    meta["counters"] = dict(ctx.counters)
    return rows, meta


class _Profiler:
    def __init__(self, app, options: Options, name: str) -> None:  # noqa: ANN001
        self.app, self.options = app, options
        self.out = app.log_path.parent / f"profile-{name}.raw"
        self.proc = None

    def start(self) -> None:
        pid = profile.worker_pid(self.app.process.pid)
        if pid is None or profile.py_spy() is None:
            _log("  (--profile: py-spy or the worker process not found; no profile)")
            return
        self.proc = profile.start(pid, self.options.duration, self.out)

    def finish(self) -> dict:
        if self.proc is None:
            return {}
        try:
            self.proc.wait(timeout=30)
        except Exception:  # noqa: BLE001
            self.proc.kill()
        summary = profile.summarise(self.out)
        for part in ("event_loop", "db_threads"):
            _log(f"    {part}: " + "; ".join(f"{pct}% {name}" for name, pct in summary.get(part, [])[:6]))
        return summary


def _s4_extra(run: ScenarioRun, url: str, fx: fixtures.Fixtures, ctx: RunContext) -> None:
    check = fixtures.verify_edits(url, fx, ctx.saved, ctx.attempted)
    run.extra.update({"saved": check.successes, "conflicts": ctx.counters.get("S4 conflicts", 0),
                      "lost_updates": check.lost_updates, "unacknowledged_commits": check.unacknowledged,
                      "audit_missing": check.audit_missing})
    if check.details:
        run.extra["verify_details"] = check.details[:10]
    ctx.saved.clear()
    ctx.attempted.clear()
    fx.hot_versions = fixtures.current_versions(url, fx.hot_cases)
    fx.audit_max_id = fixtures.audit_max(url)


def _progress(row: dict[str, Any]) -> str:
    extra = ""
    if "lost_updates" in row:
        extra = f" saved={row['saved']} conflicts={row['conflicts']} lost={row['lost_updates']}"
    if "rehydrated_within_10s_pct" in row:
        extra = f" rehydrated<10s={row['rehydrated_within_10s_pct']}%"
    if "server_cpu_ms_per_action" in row:
        extra += (f" server_cpu={row['server_cpu_ms_per_action']}ms/action ({row['server_cpu_pct']}% of a core)"
                  f" client_cpu={row['client_cpu_ms_per_action']}ms/action")
    return (f"  {row['scenario']:<13} n={row['samples']:<4} p50={row['p50_ms']} p95={row['p95_ms']} "
            f"p99={row['p99_ms']} max={row['max_ms']} errors={row['errors']} locked={row['database_locked']} "
            f"bytes={row['bytes_per_event']}{extra}")
