"""The app under test, started as deployed: ``reflex run --env prod --single-port``, one
worker (the default state manager, no Redis), on loopback, pointed at the run's database.

It reuses ``tests/support/app_server.py`` (the same harness the end-to-end tests use). The
app sources are copied into ``var/bench/app-<database>`` so the exported frontend there is
reused between runs and never shares a build directory with ``make run`` or the tests.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.support.app_server import AppServer
from tests.support.ports import free_port

LOCKED = re.compile(r"database is locked", re.IGNORECASE)


def start_app(database_url: str, run_dir: Path, app_dir: Path, log=print) -> AppServer:  # noqa: ANN001
    port = free_port()
    env = {
        "TUTELA_DATABASE_URL": database_url,
        "TUTELA_PUBLIC_URL": f"http://localhost:{port}",
        "TUTELA_DATA_DIR": str(run_dir / "data"),
        "TUTELA_WORKERS": "1",
    }
    # Never inherit a Redis from the shell: one worker, Reflex's default state manager.
    for key in ("TUTELA_REDIS_URL", "REFLEX_REDIS_URL"):
        os.environ.pop(key, None)
    server = AppServer(port=port, env=env, log_path=run_dir / "app.log", app_dir=app_dir)
    log(f"Starting Tutela as deployed on {server.url} (production build; first build takes a few minutes)...")
    server.start(timeout=600)
    return server


def process_table() -> tuple[dict[int, list[int]], dict[int, int]]:
    """(children per pid, user + system clock ticks per pid) of every process (Linux /proc)."""
    children: dict[int, list[int]] = {}
    cpu: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        proc = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(proc)
        cpu[proc] = int(fields[11]) + int(fields[12])
    return children, cpu


def descendants(pid: int, children: dict[int, list[int]]) -> list[int]:
    found, todo = [], list(children.get(pid, []))
    while todo:
        proc = todo.pop()
        found.append(proc)
        todo += children.get(proc, [])
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and all its descendants: the app's
    Granian worker and, in a single-port run, nothing else of weight."""
    children, cpu = process_table()
    return sum(cpu.get(p, 0) for p in [pid, *descendants(pid, children)]) / os.sysconf("SC_CLK_TCK")


def count_locked(server: AppServer, since: int = 0) -> int:
    """'database is locked' errors the app logged since byte offset ``since``."""
    return len(LOCKED.findall(server.log_text()[since:]))


def log_offset(server: AppServer) -> int:
    return len(server.log_text())
