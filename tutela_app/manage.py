# ruff: noqa: T201 (operator commands print to the terminal)
"""Operator commands: ``python -m tutela_app.manage <command>``.

* ``migrate``   apply the Alembic migrations to ``TUTELA_DATABASE_URL``
* ``run``       migrate, load demo data when the database is empty, start the
                development OpenID provider (unless ``TUTELA_OIDC_ISSUER`` is set) and
                serve the app on ``TUTELA_PUBLIC_URL`` (one origin: pages, events, /auth)
* ``run-prod``  check the production configuration, migrate, and serve with Granian:
                ``TUTELA_WORKERS`` workers sharing state through Redis, on
                ``TUTELA_BIND_HOST:TUTELA_BIND_PORT`` behind the TLS proxy (deploy/)
* ``backup``    consistent online backup into ``TUTELA_DATA_DIR/backups`` (0600 files)
* ``restore``   restore a backup into ``TUTELA_DATABASE_URL`` and verify it
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


def run_prod() -> int:
    from tutela_app.tools.production import production_env, production_problems

    settings = get_settings()
    problems = production_problems(settings)
    if problems:
        print("Configurazione di produzione non valida:", *problems, sep="\n  - ", file=sys.stderr)
        return 2
    migrate()
    print(f"Tutela (produzione, {settings.workers} worker) su {settings.bind_host}:{settings.listen_port} "
          f"per {settings.public_url}", flush=True)
    # Same as `reflex run`, with Granian respawning a worker that dies (tools/reflex_prod.py).
    command = [sys.executable, "-m", "tutela_app.tools.reflex_prod", *reflex_run_command()[3:]]
    proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env=reflex_env(production_env(settings)))  # noqa: S603
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()


def backup_command() -> int:
    from tutela_app.tools.backup import BackupError, backup

    settings = get_settings()
    try:
        path = backup(settings.database_url, settings.data_dir / "backups")
    except BackupError as exc:
        print(f"Backup non riuscito: {exc}", file=sys.stderr)
        return 1
    print(f"Backup creato: {path}")
    return 0


def restore_command(file: str | None, force: bool) -> int:
    from tutela_app.tools.backup import BackupError, latest_backup, restore

    settings = get_settings()
    path = Path(file) if file else latest_backup(settings.data_dir / "backups")
    if path is None or not path.exists():
        print("Nessun file di backup da ripristinare.", file=sys.stderr)
        return 1
    try:
        tables = restore(path, settings.database_url, force=force)
    except BackupError as exc:
        print(f"Ripristino non riuscito: {exc}", file=sys.stderr)
        return 1
    print(f"Ripristinato {path.name}: {len(tables)} tabelle verificate con il manifest.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutela_app.manage")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("run", help="migrate, seed if empty, start the dev IdP and the app")
    sub.add_parser("run-prod", help="production mode: PostgreSQL, Redis, several workers")
    sub.add_parser("backup", help="consistent online backup of the database")
    restore_parser = sub.add_parser("restore", help="restore a backup (default: the latest) and verify it")
    restore_parser.add_argument("file", nargs="?", help="backup file (default: latest in data_dir/backups)")
    restore_parser.add_argument("--force", action="store_true", help="overwrite a non-empty database")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate()
        return 0
    if args.command == "run-prod":
        return run_prod()
    if args.command == "backup":
        return backup_command()
    if args.command == "restore":
        return restore_command(args.file, args.force)
    return run()


if __name__ == "__main__":
    raise SystemExit(main())
