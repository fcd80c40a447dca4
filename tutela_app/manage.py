"""Operator commands: ``python -m tutela_app.manage <command>``.

* ``migrate``   apply the Alembic migrations to ``TUTELA_DATABASE_URL``
* ``run``       migrate, load demo data when the database is empty, start the
                development OpenID provider (unless ``TUTELA_OIDC_ISSUER`` is set) and
                serve the app on ``TUTELA_PUBLIC_URL`` (one origin: pages, events, /auth)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tutela_app.settings import PROJECT_ROOT, get_settings

VENV_BIN = Path(sys.executable).parent


def migrate(database_url: str | None = None) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.attributes["database_url"] = database_url or get_settings().database_url
    command.upgrade(cfg, "head")


def seed_if_empty(scale: str = "demo") -> None:
    subprocess.run([sys.executable, "-m", "tutela_app.seed", "--scale", scale, "--if-empty"], check=True, cwd=PROJECT_ROOT)


def reflex_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the Reflex CLI: Node from the venv, npm instead of bun, no telemetry."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["REFLEX_USE_NPM"] = "1"
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    env.setdefault("NPM_CONFIG_REGISTRY", npm_registry())
    env.update(extra or {})
    return env


def npm_registry() -> str:
    """The registry npm is configured with here (Reflex would otherwise probe mirrors)."""
    npm = shutil.which("npm", path=str(VENV_BIN)) or shutil.which("npm")
    if npm is None:
        return ""
    out = subprocess.run([npm, "config", "get", "registry"], capture_output=True, text=True, check=False)
    return out.stdout.strip()


def dev_idp_module():
    sys.path.insert(0, str(PROJECT_ROOT / "devtools" / "oidc"))
    import dev_idp  # noqa: PLC0415

    return dev_idp


def reflex_run_command() -> list[str]:
    return [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port"]


def run() -> int:
    settings = get_settings()
    migrate()
    seed_if_empty()
    with contextlib.ExitStack() as stack:
        if settings.uses_dev_idp:
            idp = dev_idp_module().start_dev_idp(
                port=settings.dev_idp_port, public_urls=[settings.public_url], enable_test_endpoints=False
            )
            stack.callback(idp.stop)
            print(f"Provider OpenID di sviluppo: {idp.issuer} (utenti demo nel README)", flush=True)
        print(f"Tutela sarà disponibile su {settings.public_url}", flush=True)
        proc = subprocess.Popen(reflex_run_command(), cwd=PROJECT_ROOT, env=reflex_env())  # noqa: S603
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            return proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutela_app.manage")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("run", help="migrate, seed if empty, start the dev IdP and the app")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate()
        return 0
    return run()


if __name__ == "__main__":
    raise SystemExit(main())
