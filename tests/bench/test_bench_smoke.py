"""Smoke run of the benchmark suite (``python -m bench``) so it cannot rot.

A few users for a few seconds on the tiny data set, SQLite only, everything in a temporary
directory (data set cache, app copy and its frontend build, results). It asserts that the
suite runs against the app as deployed and writes results with the agreed keys — never
timings (numbers live in bench/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutela_app.settings import PROJECT_ROOT

KEYS = {"scenario", "users", "database", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors", "bytes_per_event",
        "ratio_to_noop_p95"}
SCENARIOS = {"S0 echo", "S0 no-op", "S0 session", "S1 intake", "S2 board", "S3 case file", "S4 edit",
             "S5 dashboard", "S6 reconnect"}

# Builds the production frontend and starts the app like the end-to-end tests do.
pytestmark = pytest.mark.e2e


def test_bench_smoke_run_writes_results(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if k not in ("TUTELA_DATABASE_URL", "TUTELA_REDIS_URL", "REFLEX_REDIS_URL")}
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench", "--scale", "tiny", "--users", "2", "--duration", "2", "--interval", "1",
         "--storm-window", "1", "--database", "sqlite", "--output", str(output), "--cache-dir", str(tmp_path / "cache"),
         "--run-dir", str(tmp_path / "run"), "--app-root", str(tmp_path / "apps")],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads(output.read_text())
    assert isinstance(rows, list)
    assert {r["scenario"] for r in rows} == SCENARIOS
    for row in rows:
        assert KEYS <= row.keys(), row
        assert row["users"] == 2 and row["database"] == "sqlite"
    measured = {r["scenario"]: r for r in rows if r.get("available", True)}
    # The reference ladder and the reconnect storm need no page of the app: always measured.
    for key in ("S0 echo", "S0 no-op", "S6 reconnect"):
        assert measured[key]["samples"] > 0 and measured[key]["p95_ms"] is not None
    assert measured["S0 no-op"]["ratio_to_noop_p95"] == 1.0
    for row in measured.values():  # what a run costs the server, per action (the capacity numbers)
        if row["scenario"] != "S6 reconnect":
            assert row["server_cpu_ms_per_action"] >= 0 and row["client_cpu_ms_per_action"] >= 0, row
    if "S4 edit" in measured:  # correctness, not timing: every acknowledged save is in the database
        assert measured["S4 edit"]["lost_updates"] == 0
    meta = json.loads(output.with_suffix(".meta.json").read_text())
    assert meta["databases"]["sqlite"]["seed_version"]
    assert "S0 no-op" in proc.stdout  # the printed table
    databases = sorted((tmp_path / "cache").glob("tiny-sqlite*.db"))
    assert databases, list((tmp_path / "cache").iterdir())
    board = subprocess.run(  # noqa: S603 - the per-filter board costs the README explains S2 with
        [sys.executable, "-m", "bench.board"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        env={**env, "TUTELA_DATABASE_URL": f"sqlite:///{databases[0]}"}, check=False,
    )
    assert board.returncode == 0, board.stdout[-2000:] + board.stderr[-2000:]
    lines = board.stdout.strip().splitlines()
    assert lines[0].startswith("filter") and len(lines) == 1 + 8  # header + one row per S2 filter
