"""The app under test, started as deployed: ``reflex run --env prod --single-port``, one
worker (the default state manager, no Redis), on loopback, pointed at the run's database.

It reuses ``tests/support/app_server.py`` (the same harness the end-to-end tests use). The
app sources are copied into ``var/bench/app-<database>`` so the exported frontend there is
reused between runs and never shares a build directory with ``make run`` or the tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.app_server import AppServer, copy_app
from tests.support.ports import free_port
from tutela_app.manage import reflex_env, reflex_run_command

LOCKED = re.compile(r"database is locked", re.IGNORECASE)


class BenchAppServer(AppServer):
    """AppServer whose readiness probe follows redirects (pages answer ``/x`` with a 307
    to ``/x/`` in the exported build) and only needs ``/ping`` plus one page."""

    def start(self, timeout: float = 600.0) -> AppServer:
        self._log_handle = self.log_path.open("w")
        app_dir = copy_app(self.app_dir or self.log_path.parent / "app")
        self.process = subprocess.Popen(  # noqa: S603
            reflex_run_command(), cwd=app_dir, env=reflex_env(self.env), stdout=self._log_handle,
            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Tutela exited early:\n{self.log_tail()}")
            try:
                ping = httpx.get(f"{self.url}/ping", timeout=2)
                page = httpx.get(f"{self.url}/non-autorizzato", timeout=5, follow_redirects=True)
                if ping.status_code == 200 and page.status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"Tutela did not start within {timeout} s:\n{self.log_tail()}")


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
    server = BenchAppServer(port=port, env=env, log_path=run_dir / "app.log", app_dir=app_dir)
    log(f"Starting Tutela as deployed on {server.url} (production build; first build takes a few minutes)...")
    server.start(timeout=600)
    return server


def count_locked(server: AppServer, since: int = 0) -> int:
    """'database is locked' errors the app logged since byte offset ``since``."""
    return len(LOCKED.findall(server.log_text()[since:]))


def log_offset(server: AppServer) -> int:
    return len(server.log_text())
