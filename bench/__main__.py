"""``python -m bench`` (``make bench``): the benchmark suite. See bench/README.md.

Default: the large data set, 10 then 50 simulated users, every scenario for 8 s each at
one action every 2 s per user, on SQLite and — when a PostgreSQL server answers
(``TUTELA_DATABASE_URL`` if it is a PostgreSQL URL, else postgresql://postgres@127.0.0.1:5432)
— on PostgreSQL too. Prints one table per scenario and writes ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench.stats import add_ratios, format_tables, write_results
from bench.suite import Options, run_database
from tutela_app.settings import PROJECT_ROOT

DEFAULT_OUTPUT = PROJECT_ROOT / "bench" / "results.json"


def _postgres_url(explicit: str | None) -> str | None:
    env = os.environ.get("TUTELA_DATABASE_URL", "")
    if explicit:
        return explicit
    if env.startswith(("postgresql", "postgres:")):
        return env
    return None


def _postgres_reachable(url: str | None) -> bool:
    from sqlalchemy import create_engine, text

    from bench.dataset import DEFAULT_PG_SERVER, _psycopg

    try:
        engine = create_engine(_psycopg(url or DEFAULT_PG_SERVER), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def _databases(choice: str, pg_url: str | None) -> list[str]:
    if choice == "sqlite":
        return ["sqlite"]
    if choice == "postgres":
        return ["postgresql"]
    if choice == "both" or pg_url:
        return ["sqlite", "postgresql"]
    if _postgres_reachable(None):
        return ["sqlite", "postgresql"]
    print("No PostgreSQL server answers on 127.0.0.1:5432: SQLite only (use --database both to insist).")
    return ["sqlite"]


def _commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True,  # noqa: S607
                         check=False)
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="10,50", help="comma-separated user counts (default 10,50)")
    parser.add_argument("--duration", type=float, default=8.0, help="measured seconds per scenario (default 8)")
    parser.add_argument("--interval", type=float, default=2.0, help="mean seconds between a user's actions")
    parser.add_argument("--database", choices=("auto", "sqlite", "postgres", "both"), default="auto")
    parser.add_argument("--postgres-url", default=None, help="PostgreSQL server (default TUTELA_DATABASE_URL "
                        "when it is PostgreSQL, else postgresql://postgres@127.0.0.1:5432)")
    parser.add_argument("--scale", default="large", choices=("tiny", "demo", "large"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--storm-window", type=float, default=3.0, help="S6: seconds over which all users reconnect")
    parser.add_argument("--only", default="", help="comma-separated scenario prefixes, e.g. 'S0,S2'")
    parser.add_argument("--profile", action="store_true", help="sample the app worker with py-spy during each "
                        "measured scenario (pip install py-spy); summaries go in the results")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--run-dir", type=Path, default=PROJECT_ROOT / "var" / "bench" / "run")
    parser.add_argument("--cache-dir", type=Path, default=PROJECT_ROOT / "var" / "bench",
                        help="where the generated SQLite data set is cached")
    parser.add_argument("--app-root", type=Path, default=PROJECT_ROOT / "var" / "bench",
                        help="where the app copies (and their frontend builds) live")
    args = parser.parse_args(argv)

    users = sorted({int(u) for u in args.users.split(",") if u.strip()})
    pg_url = _postgres_url(args.postgres_url)
    options = Options(users=users, duration=args.duration, rate=1.0 / args.interval, scale=args.scale,
                      seed=args.seed, storm_window=args.storm_window,
                      only=[o.strip() for o in args.only.split(",") if o.strip()],
                      run_dir=args.run_dir, app_root=args.app_root, postgres_url=pg_url,
                      cache_dir=args.cache_dir, profile=args.profile)
    databases = _databases(args.database, pg_url)
    started = time.perf_counter()
    status = 0
    rows: list[dict] = []
    meta: dict = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "commit": _commit(), "scale": args.scale,
                  "users": users, "duration_s": args.duration, "interval_s": args.interval,
                  "storm_window_s": args.storm_window, "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                  "platform": platform.platform(), "loadavg_at_start": os.getloadavg()}, "databases": {}}
    for kind in databases:
        db_started = time.perf_counter()
        try:
            db_rows, db_meta = run_database(kind, options)
        except Exception as exc:  # noqa: BLE001 - keep the other database's results; report the failure
            print(f"[{kind}] benchmark failed: {exc!r}", file=sys.stderr)
            db_rows, db_meta = [], {"failed": repr(exc)[:500]}
            status = 1
        db_meta["benchmark_s"] = round(time.perf_counter() - db_started - db_meta.get("generation_s", 0.0), 1)
        rows += db_rows
        meta["databases"][kind] = db_meta
    add_ratios(rows)
    total = time.perf_counter() - started
    generation = sum(m.get("generation_s", 0.0) for m in meta["databases"].values())
    meta["total_s"] = round(total, 1)
    meta["total_without_generation_s"] = round(total - generation, 1)
    print(format_tables(rows))
    meta_path = write_results(args.output, rows, meta)
    print(f"\nResults: {args.output} (metadata: {meta_path.name}). Total {total:.0f} s, "
          f"{total - generation:.0f} s without data generation ({generation:.0f} s).")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
