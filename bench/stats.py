"""Percentiles, the printed tables and ``bench/results.json``.

Percentiles use the nearest-rank method over every measured action, errors included when
they have a latency (a timeout counts with the time waited, a lower bound), so a failing
server never looks fast. ``bytes_per_event`` is the mean size of the Socket.IO frames the
user received for one action (deltas and the events they carry).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from bench.runner import ScenarioRun

KEYS = ("scenario", "users", "database", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors", "bytes_per_event",
        "ratio_to_noop_p95")
NOOP = "S0 no-op"


def percentile(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def summarise(run: ScenarioRun, database: str) -> dict[str, Any]:
    latencies = sorted(o.latency_ms for o in run.outcomes if o.latency_ms > 0)
    errors = sum(1 for o in run.outcomes if not o.ok)
    row: dict[str, Any] = {
        "scenario": run.scenario.key,
        "users": run.users,
        "database": database,
        "p50_ms": _r(percentile(latencies, 50)),
        "p95_ms": _r(percentile(latencies, 95)),
        "p99_ms": _r(percentile(latencies, 99)),
        "max_ms": _r(latencies[-1] if latencies else None),
        "errors": errors + run.locked,
        "bytes_per_event": round(sum(o.bytes for o in run.outcomes) / len(run.outcomes)) if run.outcomes else None,
        "ratio_to_noop_p95": None,
        "title": run.scenario.title,
        "samples": len(run.outcomes),
        "throughput_per_s": _r(len(run.outcomes) / run.wall_s if run.wall_s else None, 2),
        "database_locked": run.locked,
        "setup_errors": run.place_errors + run.warmup_errors,
        "error_kinds": _kinds(run),
        "loadavg_1m": round(os.getloadavg()[0], 2),
        **run.extra,
    }
    return row


def not_available(key: str, title: str, users: int, database: str, reason: str) -> dict[str, Any]:
    return {"scenario": key, "users": users, "database": database, **{k: None for k in KEYS[3:]},
            "title": title, "available": False, "note": reason}


def _kinds(run: ScenarioRun) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for o in run.outcomes:
        if not o.ok:
            kinds[o.error.split(":")[0]] = kinds.get(o.error.split(":")[0], 0) + 1
    return kinds


def add_ratios(rows: list[dict[str, Any]]) -> None:
    """Each scenario's p95 over the Reflex no-op p95 at the same database and concurrency."""
    noop = {(r["database"], r["users"]): r["p95_ms"] for r in rows if r["scenario"] == NOOP and r["p95_ms"]}
    for row in rows:
        base = noop.get((row["database"], row["users"]))
        if base and row.get("p95_ms") is not None:
            row["ratio_to_noop_p95"] = round(row["p95_ms"] / base, 1)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def format_tables(rows: list[dict[str, Any]]) -> str:
    head = ("database", "users", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "bytes/event", "x no-op p95")
    out: list[str] = []
    for key in dict.fromkeys(r["scenario"] for r in rows):
        group = [r for r in rows if r["scenario"] == key]
        out.append(f"\n{key} — {group[0].get('title', '')}")
        lines = [head] + [(r["database"], _fmt(r["users"]), _fmt(r["p50_ms"]), _fmt(r["p95_ms"]), _fmt(r["p99_ms"]),
                           _fmt(r["max_ms"]), _fmt(r["errors"]), _fmt(r["bytes_per_event"]),
                           _fmt(r["ratio_to_noop_p95"])) for r in group]
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        for n, line in enumerate(lines):
            out.append("  " + "  ".join(cell.rjust(w) if i else cell.ljust(w)
                                        for i, (cell, w) in enumerate(zip(line, widths, strict=True))))
            if n == 0:
                out.append("  " + "  ".join("-" * w for w in widths))
        notes = [f"{r['database']}/{r['users']}: {r['note']}" for r in group if r.get("note")]
        out += [f"  note {n}" for n in notes]
    return "\n".join(out)


def write_results(path: Path, rows: list[dict[str, Any]], meta: dict[str, Any]) -> Path:
    """``path``: a JSON list, one object per scenario, database and user count; the run's
    metadata (when, seed version, settings, S4 verdict) goes next to it in ``*.meta.json``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    meta_path = path.with_suffix(".meta.json")
    meta_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    return meta_path


def markdown(rows: list[dict[str, Any]]) -> str:
    """The results as one Markdown table (for bench/README.md)."""
    head = "| scenario | db | users | p50 ms | p95 ms | p99 ms | max ms | errors | bytes/event | × no-op p95 |"
    out = [head, "|" + " --- |" * 10]
    for r in rows:
        out.append("| " + " | ".join(_fmt(x) for x in (r["scenario"], r["database"], r["users"], r["p50_ms"],
                                                        r["p95_ms"], r["p99_ms"], r["max_ms"], r["errors"],
                                                        r["bytes_per_event"], r["ratio_to_noop_p95"])) + " |")
    return "\n".join(out)
