"""Run Tutela as deployed (``reflex run --env prod --single-port``) for end-to-end tests.

The harness plays the role of Reflex's ``AppHarness`` but keeps the product's one-origin
rule: pages, the event websocket and ``/auth/*`` share ``http://localhost:<port>``, exactly
as in ``make run``. The server log is kept so tests can fail on errors the app logged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tutela_app.manage import reflex_env, reflex_run_command
from tutela_app.settings import PROJECT_ROOT

ERROR_MARKERS = ("Traceback (most recent call last)", "ERROR")
#: What a deployed app needs; copied so each server builds its own ``.web`` and parallel
#: runs (or a developer's ``make run``) never share a frontend build directory.
APP_FILES = ("rxconfig.py", "tutela_app", "assets", "alembic", "alembic.ini", "devtools/oidc/users.json")


def copy_app(target: Path) -> Path:
    """Copy the app sources to ``target`` (reusing an existing ``.web`` there)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in APP_FILES:
        src, dst = PROJECT_ROOT / name, target / name
        if src.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
        elif src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return target


@dataclass
class AppServer:
    port: int
    env: dict[str, str]
    log_path: Path
    app_dir: Path | None = None
    process: subprocess.Popen | None = None
    _log_handle: object | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self, timeout: float = 600.0) -> AppServer:
        self._log_handle = self.log_path.open("w")
        app_dir = copy_app(self.app_dir or self.log_path.parent / "app")
        self.process = subprocess.Popen(  # noqa: S603
            reflex_run_command(),
            cwd=app_dir,
            env=reflex_env(self.env),
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
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

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        if self._log_handle:
            self._log_handle.close()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def logged_errors(self, since: int = 0) -> list[str]:
        """Lines of the server log (from byte offset ``since``) that report an error."""
        text = self.log_text()[since:]
        return [line for line in text.splitlines() if any(m in line for m in ERROR_MARKERS)]


def run_module(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env={**os.environ, **env}, check=True)  # noqa: S603
