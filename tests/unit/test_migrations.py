"""The committed Alembic migration produces exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from tutela_app import models


def test_migration_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, models.metadata)
    assert diff == [], f"schema drift between migration and models: {diff}"


def test_every_model_table_exists(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(models.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_sqlite_pragmas_are_on(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
