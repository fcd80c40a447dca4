"""Orchestration: ``seed_database`` and its report."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path

from faker import Faker
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tutela_app.models import Tenant, metadata
from tutela_app.seed.cases import seed_cases
from tutela_app.seed.config import SCALES
from tutela_app.seed.context import Ctx
from tutela_app.seed.intake import seed_accessi
from tutela_app.seed.people import People
from tutela_app.seed.staff import create_demo_users, create_synthetic_staff, create_tenants
from tutela_app.seed.writer import BulkWriter


class DatabaseNotEmptyError(RuntimeError):
    """The Tenant table already has rows: the seed refuses to mix with real or older data."""


@dataclass
class SeedReport:
    scale: str
    seed: int
    today: date
    elapsed_s: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    db_size_mb: float | None = None

    @property
    def cases(self) -> int:
        return self.counts.get("case_file", 0)

    def lines(self) -> list[str]:
        out = [f"Scala: {self.scale} (seed {self.seed}, oggi {self.today.isoformat()})",
               f"Tempo: {self.elapsed_s:.1f} s"]
        out += [f"  {name:<24}{n:>10,}".replace(",", ".") for name, n in sorted(self.counts.items()) if n]
        if self.db_size_mb is not None:
            out.append(f"Dimensione del file SQLite: {self.db_size_mb:.1f} MB")
        return out


def tenant_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Tenant)).scalar_one()


def _sqlite_size(engine: Engine) -> float | None:
    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        return None
    path = Path(engine.url.database)
    total = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return total / 1_048_576


def seed_database(engine: Engine, scale: str = "demo", seed: int = 42, today: date | None = None) -> SeedReport:
    """Fill an empty, migrated database with synthetic demo data. Deterministic given seed and today."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose among {', '.join(SCALES)}")
    if tenant_count(engine):
        raise DatabaseNotEmptyError("Il database contiene già dei Comuni (tabella tenant): seed non eseguito.")
    started = time.perf_counter()
    today = today or date.today()
    report = SeedReport(scale, seed, today)
    cfg = SCALES[scale]
    rng = random.Random(seed)
    fake = Faker("it_IT")
    fake.seed_instance(seed)
    eng = engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine
    with eng.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size=-200000")
        now = datetime.combine(today, dtime(7, 0), tzinfo=UTC)
        writer = BulkWriter(conn, cfg.batch, now)
        ctx = Ctx(rng, fake, today, cfg, writer)
        try:
            create_tenants(ctx)
            create_demo_users(ctx)
            create_synthetic_staff(ctx)
            writer.commit()
            people = People(ctx)
            for code, tenant in ctx.tenants.items():
                factor = cfg.demo_factor if code == "demo" else 1.0
                intakes = seed_accessi(ctx, people, code, int(cfg.accessi * factor)) if tenant.spec.seg else []
                if tenant.spec.tm:
                    tm_in = [i for i in intakes if i.minor is not None]
                    seed_cases(ctx, people, code, "tutela_minori", int(cfg.tm_cases * factor), tm_in)
                if tenant.spec.seg:
                    ssp_in = [i for i in intakes if i.minor is None]
                    seed_cases(ctx, people, code, "servizio_sociale", int(cfg.ssp_cases * factor), ssp_in)
                writer.commit()
            writer.fix_sequences()
            writer.commit()
        except BaseException:
            conn.rollback()
            raise
        for table in metadata.sorted_tables:
            report.counts[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
    report.elapsed_s = time.perf_counter() - started
    report.db_size_mb = _sqlite_size(engine)
    return report
