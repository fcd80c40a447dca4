"""The large data set: generate once, cache, and hand each run a pristine copy.

* SQLite: the seeded file is cached as ``var/bench/large-sqlite.db`` with a sidecar JSON
  recording its *seed version* (a hash of the seed package and the Alembic migrations);
  each run works on a copy, so writes of one run (S4 edits, audit rows, sessions) never
  leak into the next.
* PostgreSQL: the seeded database is kept as a template ``tutela_bench_tpl_<version>`` on
  the server; each run gets ``CREATE DATABASE ... TEMPLATE`` (a file-level copy, seconds).

Generation time is reported separately and is never part of the benchmark's timings.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tutela_app.settings import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "var" / "bench"
DEFAULT_PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Dataset:
    database: str  # "sqlite" or "postgresql"
    url: str  # the run's own copy
    seed_version: str
    generated: bool  # generated in this run (else reused from the cache)
    generation_s: float  # seconds spent generating (0 when reused)
    cleanup_url: str | None = None  # PostgreSQL run database to drop afterwards


def seed_version(scale: str, seed: int) -> str:
    """Hash of what determines the data: the seed code, the schema migrations, scale and seed."""
    digest = hashlib.sha256(f"{scale}:{seed}".encode())
    for folder in (PROJECT_ROOT / "tutela_app" / "seed", PROJECT_ROOT / "alembic" / "versions"):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    flow = PROJECT_ROOT / "tutela_app" / "domain" / "intake_flow.json"
    if flow.exists():
        digest.update(flow.read_bytes())
    return digest.hexdigest()[:12]


def _seed_into(url: str, scale: str, seed: int) -> float:
    """Migrate and seed ``url`` in a child process (the seed CLI); returns seconds spent."""
    env = {**os.environ, "TUTELA_DATABASE_URL": url}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tutela_app.manage", "migrate"], cwd=PROJECT_ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([sys.executable, "-m", "tutela_app.seed", "--scale", scale, "--seed", str(seed)],  # noqa: S603
                   cwd=PROJECT_ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def sqlite_dataset(scale: str, seed: int, run_dir: Path, log=print, cache_dir: Path = BENCH_DIR) -> Dataset:  # noqa: ANN001
    version = seed_version(scale, seed)
    cache = cache_dir / f"{scale}-sqlite.db"
    meta = cache.with_suffix(".json")
    generated, spent = False, 0.0
    cached_version = json.loads(meta.read_text()).get("seed_version") if meta.exists() and cache.exists() else None
    if cached_version != version:
        log(f"Generating the {scale} data set on SQLite (seed version {version}; not timed)...")
        tmp = cache.with_name(cache.name + ".tmp")
        for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            stale.unlink(missing_ok=True)
        cache_dir.mkdir(parents=True, exist_ok=True)
        spent = _seed_into(f"sqlite:///{tmp}", scale, seed)
        with sqlite3.connect(tmp) as conn:  # fold the WAL in, so the cache is one self-contained file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(tmp, cache)
        Path(f"{tmp}-wal").unlink(missing_ok=True)
        Path(f"{tmp}-shm").unlink(missing_ok=True)
        meta.write_text(json.dumps({"seed_version": version, "scale": scale, "seed": seed,
                                    "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                                    "generation_s": round(spent, 1)}, indent=1))
        generated = True
    else:
        log(f"Reusing the cached {scale} data set {cache} (seed version {version}).")
    run_dir.mkdir(parents=True, exist_ok=True)
    copy = run_dir / "bench.db"
    for stale in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(cache, copy)
    return Dataset("sqlite", f"sqlite:///{copy}", version, generated, spent)


def _psycopg(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def postgres_dataset(scale: str, seed: int, server_url: str | None, log=print) -> Dataset:  # noqa: ANN001
    """A fresh run database on the server of ``server_url`` cloned from a seeded template."""
    version = seed_version(scale, seed)
    base = make_url(_psycopg(server_url or DEFAULT_PG_SERVER))
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    template = f"tutela_bench_tpl_{scale}_{version}"
    run_db = f"tutela_bench_run_{os.getpid()}"
    generated, spent = False, 0.0
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": template}).first()
        stale = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'tutela_bench_tpl_%'")).scalars().all()
    if not exists:
        log(f"Generating the {scale} data set on PostgreSQL (seed version {version}; not timed)...")
        building = template + "_building"
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{building}"'))
        building_url = base.set(database=building).render_as_string(hide_password=False)
        spent = _seed_into(building_url, scale, seed)
        seeded = create_engine(building_url, isolation_level="AUTOCOMMIT")
        with seeded.connect() as conn:  # statistics travel with CREATE DATABASE ... TEMPLATE
            conn.execute(text("VACUUM ANALYZE"))
        seeded.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{template}"'))
            for old in stale:  # older seed versions are useless now
                conn.execute(text(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
        generated = True
    else:
        log(f"Reusing the PostgreSQL template database {template}.")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{run_db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{run_db}" TEMPLATE "{template}"'))
    admin.dispose()
    url = base.set(database=run_db).render_as_string(hide_password=False)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:  # a cloned database starts without planner statistics
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return Dataset("postgresql", url, version, generated, spent, cleanup_url=url)


def drop_postgres(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()
