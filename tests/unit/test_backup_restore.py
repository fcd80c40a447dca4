"""Restore drill: a backup taken while a writer keeps writing restores to exactly one
consistent snapshot of the running database (SQLite online backup; pg_dump on PostgreSQL).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlmodel import Session

from tests.support.databases import fresh_postgres_database, postgres_base_url, sqlite_url, use_database
from tutela_app import manage
from tutela_app.db import write_session
from tutela_app.models import Household, HouseholdMember, Person, Tenant
from tutela_app.seed import seed_database
from tutela_app.settings import get_settings
from tutela_app.tools.backup import BackupError, backup, read_manifest, restore
from tutela_app.tools.table_checksums import table_checksums

WRITER_TABLES = {"household", "householdmember"}


class Writer(threading.Thread):
    """Commits one household + one member per transaction until stopped."""

    def __init__(self, engine, tenant_id: int, person_id: int) -> None:  # noqa: ANN001
        super().__init__(daemon=True)
        self.engine, self.tenant_id, self.person_id = engine, tenant_id, person_id
        self.committed = 0
        self.error: BaseException | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.is_set():
                with write_session(self.engine) as s:
                    household = Household(tenant_id=self.tenant_id, label=f"W{self.committed + 1:06d}")
                    s.add(household)
                    s.flush()
                    s.add(HouseholdMember(household_id=household.id, person_id=self.person_id, relationship="prova"))
                self.committed += 1
        except BaseException as exc:  # noqa: BLE001
            self.error = exc

    def wait_for(self, n: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.committed < n and time.monotonic() < deadline and self.error is None:
            time.sleep(0.01)
        assert self.error is None, self.error
        assert self.committed >= n

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=30)
        assert self.error is None, self.error


@contextlib.contextmanager
def empty_target(db_kind: str, tmp_path: Path) -> Iterator[str]:
    if db_kind == "sqlite":
        yield sqlite_url(tmp_path, "restored.db")
        return
    with fresh_postgres_database(postgres_base_url()) as url:  # type: ignore[arg-type]
        yield url


def _writer_rows(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with Session(engine) as s:
            return [tuple(r) for r in s.execute(
                select(Household.id, Household.label, HouseholdMember.person_id)
                .join(HouseholdMember, HouseholdMember.household_id == Household.id)
                .where(Household.label.like("W%")).order_by(Household.id)
            ).all()]
    finally:
        engine.dispose()


def _checksums(url: str) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return table_checksums(conn)
    finally:
        engine.dispose()


def test_backup_while_writing_restores_one_consistent_snapshot(database_url, engine, db_kind, tmp_path) -> None:  # noqa: ANN001
    seed_database(engine, scale="tiny", today=date(2026, 6, 1))
    with Session(engine) as s:
        tenant_id = s.execute(select(Tenant.id).where(Tenant.code == "demo")).scalar_one()
        person_id = s.execute(select(Person.id).where(Person.tenant_id == tenant_id)).scalars().first()
    writer = Writer(engine, tenant_id, person_id)
    writer.start()
    try:
        writer.wait_for(5)
        data_file = backup(database_url, tmp_path / "backups")
        taken_at = writer.committed
        writer.wait_for(taken_at + 5)
    finally:
        writer.stop()
    assert oct(data_file.stat().st_mode & 0o777) == "0o600"
    assert oct(data_file.parent.stat().st_mode & 0o777) == "0o700"
    manifest = read_manifest(data_file)

    with empty_target(db_kind, tmp_path) as target:
        verified = restore(data_file, target)
        assert verified == manifest["tables"] == _checksums(target)
        restored_rows = _writer_rows(target)
        original_now = _checksums(database_url)

    # The snapshot is a prefix of the writer's history: complete pairs W1..Wk, no gaps.
    labels = [label for _id, label, _p in restored_rows]
    assert labels == [f"W{i:06d}" for i in range(1, len(labels) + 1)]
    assert 5 <= len(labels) < writer.committed
    assert all(p == person_id for _i, _l, p in restored_rows)
    # ... equal to the original's first k rows, and every other table is identical.
    assert restored_rows == _writer_rows(database_url)[: len(labels)]
    for table, summary in manifest["tables"].items():
        if table not in WRITER_TABLES:
            assert summary == original_now[table], table
    assert manifest["tables"]["household"]["rows"] == original_now["household"]["rows"] - (writer.committed - len(labels))


def test_restore_refuses_a_tampered_file_and_a_non_empty_target(database_url, engine, db_kind, tmp_path) -> None:  # noqa: ANN001
    seed_database(engine, scale="tiny", today=date(2026, 6, 1))
    data_file = backup(database_url, tmp_path / "backups")
    with pytest.raises(BackupError, match="non è vuoto"):
        restore(data_file, database_url)
    blob = bytearray(data_file.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    data_file.write_bytes(bytes(blob))
    with empty_target(db_kind, tmp_path) as target, pytest.raises(BackupError, match="corrotto"):
        restore(data_file, target)


def test_manage_backup_and_restore_commands(sqlite_engine, tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    seed_database(sqlite_engine, scale="tiny", today=date(2026, 6, 1))
    source_url = os.environ["TUTELA_DATABASE_URL"]
    monkeypatch.setenv("TUTELA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    assert manage.main(["backup"]) == 0
    files = sorted((tmp_path / "data" / "backups").glob("tutela-*.sqlite3"))
    assert len(files) == 1
    target = sqlite_url(tmp_path, "copy.db")
    use_database(target)
    try:
        assert manage.main(["restore"]) == 0  # the latest backup
        assert "verificate con il manifest" in capsys.readouterr().out
        assert _checksums(target) == _checksums(source_url)
        assert manage.main(["restore", str(files[0])]) == 1  # target not empty now
        assert manage.main(["restore", "--force", str(files[0])]) == 0
    finally:
        use_database(source_url)
