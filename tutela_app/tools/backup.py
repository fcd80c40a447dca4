"""Consistent online backups and restores of the Tutela database.

* SQLite: the ``sqlite3`` online backup API copies a consistent snapshot while the app
  keeps writing (WAL readers see one committed state).
* PostgreSQL: ``pg_dump -Fc`` of an exported snapshot. The manifest's per-table row
  counts and checksums are computed inside that same snapshot, so a restore can be
  verified against exactly what was dumped.

Every backup is a pair: the data file and ``<file>.manifest.json`` (file SHA-256, table
counts and checksums). Files are created ``0600`` in a ``0700`` directory: they hold
personal data. A restore checks the file hash first, refuses a non-empty target unless
forced, and verifies the restored tables against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url

from tutela_app.tools.table_checksums import table_checksums

MANIFEST_SUFFIX = ".manifest.json"


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why (no personal data)."""


def _sqlite_path(url: str) -> Path:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("un database SQLite in memoria non si può salvare")
    return Path(path)


def _libpq_url(url: str) -> str:
    """A URL for pg_dump/pg_restore (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def pg_tool(name: str, engine: Engine) -> str:
    """The pg_dump/pg_restore whose major version is at least the server's."""
    with engine.connect() as conn:
        server_major = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if found := shutil.which(name):
        candidates.append(Path(found))
    for cand in candidates:
        if not cand.exists():
            continue
        out = subprocess.run([str(cand), "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
        match = re.search(r"(\d+)(?:\.\d+)?", out)
        if match and int(match.group(1)) >= server_major:
            return str(cand)
    raise BackupError(f"{name} per PostgreSQL {server_major} (o successivo) non trovato: installare postgresql-client")


def _write_manifest(data_file: Path, kind: str, checksums: dict[str, dict]) -> Path:
    manifest = data_file.with_name(data_file.name + MANIFEST_SUFFIX)
    manifest.write_text(json.dumps({
        "kind": kind,
        "created_at": datetime.now(UTC).isoformat(),
        "file": data_file.name,
        "sha256": _sha256(data_file),
        "tables": checksums,
    }, indent=1, sort_keys=True))
    os.chmod(manifest, 0o600)
    return manifest


def backup(database_url: str, backup_dir: Path) -> Path:
    """Make a consistent backup of a running database; return the data file path."""
    _private_dir(backup_dir)
    if database_url.startswith("sqlite"):
        return _backup_sqlite(database_url, backup_dir)
    if database_url.startswith("postgresql"):
        return _backup_postgres(database_url, backup_dir)
    raise BackupError("database non supportato per il backup")


def _backup_sqlite(url: str, backup_dir: Path) -> Path:
    source = _sqlite_path(url)
    if not source.exists():
        raise BackupError("il file del database SQLite non esiste")
    target = backup_dir / f"tutela-{_stamp()}.sqlite3"
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        os.chmod(target, 0o600)
        src.backup(dst)  # pages=-1: one step, one consistent snapshot
    finally:
        dst.close()
        src.close()
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            sums = table_checksums(conn)
    finally:
        engine.dispose()
    _write_manifest(target, "sqlite", sums)
    return target


def _backup_postgres(url: str, backup_dir: Path) -> Path:
    target = backup_dir / f"tutela-{_stamp()}.pgdump"
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        pg_dump = pg_tool("pg_dump", engine)
        with engine.connect() as conn:
            # One snapshot for the checksums and for pg_dump (--snapshot).
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            sums = table_checksums(conn)
            result = subprocess.run(  # noqa: S603
                [pg_dump, "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                 "-f", str(target), "-d", _libpq_url(url)],
                capture_output=True, text=True, check=False,
            )
            conn.rollback()
    finally:
        engine.dispose()
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump non riuscito: {result.stderr.strip()[:500]}")
    os.chmod(target, 0o600)
    _write_manifest(target, "postgresql", sums)
    return target


def read_manifest(data_file: Path) -> dict:
    manifest = data_file.with_name(data_file.name + MANIFEST_SUFFIX)
    if not manifest.exists():
        raise BackupError(f"manifest mancante accanto a {data_file.name}")
    return json.loads(manifest.read_text())


def _has_tables(conn: Connection) -> bool:
    return bool([t for t in inspect(conn).get_table_names() if t != "alembic_version"])


def restore(data_file: Path, database_url: str, *, force: bool = False) -> dict[str, dict]:
    """Restore ``data_file`` into ``database_url`` and verify it; return the checksums."""
    manifest = read_manifest(data_file)
    if _sha256(data_file) != manifest["sha256"]:
        raise BackupError("il file di backup non corrisponde al suo manifest (corrotto o modificato)")
    engine = create_engine(database_url)
    try:
        if database_url.startswith("sqlite"):
            target = _sqlite_path(database_url)
            if target.exists() and not force:
                with engine.connect() as conn:
                    if _has_tables(conn):
                        raise BackupError("il database di destinazione non è vuoto (usare --force)")
            engine.dispose()
            src, dst = sqlite3.connect(f"file:{data_file}?mode=ro", uri=True), sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
        else:
            with engine.connect() as conn:
                if _has_tables(conn) and not force:
                    raise BackupError("il database di destinazione non è vuoto (usare --force)")
            args = [pg_tool("pg_restore", engine), "--no-owner", "--no-privileges", "--exit-on-error"]
            if force:
                args += ["--clean", "--if-exists"]
            else:
                args += ["--single-transaction"]
            result = subprocess.run(  # noqa: S603
                [*args, "-d", _libpq_url(database_url), str(data_file)], capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore non riuscito: {result.stderr.strip()[:500]}")
        engine.dispose()
        with engine.connect() as conn:
            restored = table_checksums(conn)
    finally:
        engine.dispose()
    if restored != manifest["tables"]:
        differing = sorted(t for t in set(restored) | set(manifest["tables"]) if restored.get(t) != manifest["tables"].get(t))
        raise BackupError(f"verifica del ripristino fallita per le tabelle: {', '.join(differing)}")
    return restored


def latest_backup(backup_dir: Path) -> Path | None:
    files = sorted(p for p in backup_dir.glob("tutela-*") if not p.name.endswith(MANIFEST_SUFFIX))
    return files[-1] if files else None
