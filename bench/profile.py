"""Optional sampling profile of the app worker during each measured scenario (``--profile``).

Uses ``py-spy`` (``pip install py-spy``; not a dependency of the app) on the worker
process, all threads, and summarises where the *event loop thread* spends its time (work
there blocks every user) and where the database worker threads (``asyncio_N``, from
``run_db``) spend theirs. Raw stacks are kept next to the run's app log.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.server import descendants, process_table

INTERESTING = ("tutela_app/", "reflex", "plotly", "pickle", "sqlalchemy", "json", "socketio")
#: frames every sample of the worker carries (process start-up, the event loop itself)
BORING = ("reflex/__main__.py", "reflex/reflex.py", "utils/exec.py", "base_events.py", "events.py")
#: a main-thread sample whose innermost frame is here is the event loop waiting for work
WAITING = ("select (selectors.py",)


def py_spy() -> str | None:
    """py-spy on PATH or next to this interpreter (``.venv/bin`` when the venv is not activated)."""
    beside = Path(sys.executable).with_name("py-spy")
    return shutil.which("py-spy") or (str(beside) if beside.exists() else None)


def worker_pid(server_pid: int) -> int | None:
    """The granian worker: the descendant of the ``reflex run`` process using most CPU."""
    children, cpu = process_table()
    found = descendants(server_pid, children)
    return max(found, key=lambda p: cpu.get(p, 0)) if found else None


def start(pid: int, seconds: float, out: Path) -> subprocess.Popen | None:
    exe = py_spy()
    if exe is None:
        return None
    return subprocess.Popen([exe, "record", "--pid", str(pid), "-d", str(int(seconds) + 1), "-r", "100",  # noqa: S603
                             "--nonblocking", "--threads", "-f", "raw", "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _label(frame: str) -> str:
    """``func (path/file.py:12)`` -> ``func (file.py)``."""
    func, _, where = frame.partition(" (")
    return f"{func} ({where.rsplit('/', 1)[-1].split(':')[0]})" if where else func


def summarise(raw: Path, top: int = 12) -> dict[str, list[tuple[str, float]]]:
    """Inclusive share of samples per app/framework function, for the loop and the DB threads."""
    loop, pool = Counter(), Counter()
    loop_n = pool_n = 0
    if not raw.exists():
        return {}
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not frames or "idle" in frames[0] or any(w in frames[-1] for w in WAITING):
            continue
        n = int(count)
        names = {_label(f) for f in frames[1:]
                 if any(k in f for k in INTERESTING) and not any(b in f for b in BORING)}
        if "MainThread" in frames[0]:
            loop_n += n
            loop.update(dict.fromkeys(names, n))
        elif "asyncio_" in frames[0]:
            pool_n += n
            pool.update(dict.fromkeys(names, n))
    return {
        "event_loop": [(k, round(100 * v / loop_n, 1)) for k, v in loop.most_common(top)] if loop_n else [],
        "db_threads": [(k, round(100 * v / pool_n, 1)) for k, v in pool.most_common(top)] if pool_n else [],
        "samples": [("event_loop", loop_n), ("db_threads", pool_n)],
    }
