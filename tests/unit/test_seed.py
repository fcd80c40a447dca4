"""The synthetic demo-data generator (tutela_app.seed)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from codicefiscale import codicefiscale
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from tests.support.databases import migrated_database, postgres_base_url, use_database
from tutela_app import db
from tutela_app.models import (
    Accesso,
    Case,
    CaseAssignment,
    CaseStageChange,
    CourtMeasure,
    Evaluation,
    Obligation,
    Person,
    RoleGrant,
    Staff,
    Tenant,
)
from tutela_app.seed import DatabaseNotEmptyError, seed_database
from tutela_app.seed.__main__ import main as seed_main
from tutela_app.seed.config import SSP_STAGES, TM_STAGES
from tutela_app.seed.staff import load_demo_users

TODAY = date(2026, 3, 16)  # a Monday
NOW = datetime.combine(TODAY, time(12), tzinfo=UTC)
EXPECTED_TENANTS = {
    "inzago": (True, False), "corsichese": (True, False), "gaggiano": (True, False),
    "sesto-calende": (True, False), "brugherio": (True, False), "cantu": (False, True),
    "pioltello": (False, True), "demo": (True, True),
}


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory):
    previous = os.environ.get("TUTELA_DATABASE_URL")
    with migrated_database("sqlite", tmp_path_factory.mktemp("seed_demo")) as url:
        use_database(url)
        engine = db.get_engine()
        report = seed_database(engine, scale="demo", seed=42, today=TODAY)
        yield engine, report
    if previous is not None:
        use_database(previous)


def _seed_tiny(directory: Path, kind: str = "sqlite", seed: int = 42) -> list[str]:
    with migrated_database(kind, directory) as url:
        use_database(url)
        engine = db.get_engine()
        seed_database(engine, scale="tiny", seed=seed, today=TODAY)
        with engine.connect() as conn:
            cfs = conn.execute(select(Person.codice_fiscale).order_by(Person.id)).scalars().all()
        engine.dispose()
    return [c for c in cfs if c]


def _all(engine: Engine, stmt):  # noqa: ANN001, ANN202
    with engine.connect() as conn:
        return conn.execute(stmt).all()


def test_demo_scale_has_about_600_cases(demo_engine) -> None:
    """Seeding time is reported (and measured by the benchmarks), never asserted here."""
    _, report = demo_engine
    assert report.elapsed_s > 0
    assert 500 <= report.cases <= 700
    assert report.counts["person"] >= 2000


def test_tenants_and_services(demo_engine) -> None:
    engine, _ = demo_engine
    rows = {r.code: (r.buys_tutela_minori, r.buys_segretariato, r.kind)
            for r in _all(engine, select(Tenant.code, Tenant.buys_tutela_minori, Tenant.buys_segretariato, Tenant.kind))}
    assert {code: v[:2] for code, v in rows.items()} == EXPECTED_TENANTS
    assert rows["corsichese"][2] == rows["gaggiano"][2] == rows["sesto-calende"][2] == "ambito"


def test_demo_login_users_have_claim_grants(demo_engine) -> None:
    engine, _ = demo_engine
    grants = _all(engine, select(Staff.subject, Tenant.code, RoleGrant.role, RoleGrant.source)
                  .join(RoleGrant, RoleGrant.staff_id == Staff.id).join(Tenant, Tenant.id == RoleGrant.tenant_id))
    claims = {(s, t, r) for s, t, r, src in grants if src == "claim"}
    assert ("u-as-demo", "demo", "equipe") in claims
    assert ("u-as-inzago", "brugherio", "equipe") in claims
    assert ("u-admin", "cantu", "amministratore") in claims
    assert all(src == "app" for s, *_, src in grants if s.startswith("syn-"))
    subjects = {u["sub"] for u in load_demo_users()}
    assert subjects <= {r.subject for r in _all(engine, select(Staff.subject))}


def test_demo_users_work_on_many_demo_cases(demo_engine) -> None:
    engine, _ = demo_engine
    rows = _all(engine, select(Staff.subject, Tenant.code, func.count(func.distinct(CaseAssignment.case_id)))
                .join(CaseAssignment, CaseAssignment.staff_id == Staff.id).join(Case, Case.id == CaseAssignment.case_id)
                .join(Tenant, Tenant.id == Case.tenant_id).group_by(Staff.subject, Tenant.code))
    counts = {(s, t): n for s, t, n in rows}
    for sub in ("u-as-demo", "u-psi-demo", "u-edu-demo"):
        assert counts.get((sub, "demo"), 0) >= 25, sub
    assert counts.get(("u-as-inzago", "inzago"), 0) >= 10
    assert counts.get(("u-as-inzago", "brugherio"), 0) >= 10


def test_codici_fiscali_are_valid(demo_engine) -> None:
    engine, _ = demo_engine
    rows = _all(engine, select(Person.codice_fiscale, Person.provisional_id, Person.birth_date, Person.sex))
    with_cf = [r for r in rows if r.codice_fiscale]
    assert len(with_cf) > 0.9 * len(rows)
    for r in with_cf[::7]:  # decoding is slow-ish: a large sample here, all of them in the tiny test
        assert codicefiscale.is_valid(r.codice_fiscale), r.codice_fiscale
        decoded = codicefiscale.decode(r.codice_fiscale)
        assert decoded["birthdate"].date() == r.birth_date and decoded["gender"] == r.sex
    provisional = [r.provisional_id for r in rows if not r.codice_fiscale]
    assert provisional and all(p.startswith("PROV-") and len(p.rsplit("-", 1)[1]) == 6 for p in provisional)


def test_accessi_cover_outcomes_drafts_and_repeats(demo_engine) -> None:
    engine, _ = demo_engine
    rows = _all(engine, select(Accesso.status, Accesso.outcome, Accesso.who_comes, Accesso.need_area,
                               Accesso.person_id, Accesso.tenant_id, Accesso.current_question, Accesso.answers))
    confirmed = [r for r in rows if r.status == "confermato"]
    assert {r.outcome for r in confirmed} == {"informazione", "invio", "presa_in_carico", "segnalazione_tm"}
    assert {"persona", "familiare", "scuola", "forze_ordine"} <= {r.who_comes for r in confirmed}
    assert len({r.need_area for r in confirmed}) == 7
    drafts = [r for r in rows if r.status == "bozza"]
    assert drafts and all(r.current_question and r.answers and r.outcome is None for r in drafts)
    people = [(r.tenant_id, r.person_id) for r in confirmed]
    assert len(people) - len(set(people)) >= 10  # repeat access


def test_every_stage_of_both_services(demo_engine) -> None:
    engine, _ = demo_engine
    stages = set(_all(engine, select(Case.service, Case.stage).distinct()))
    assert {("tutela_minori", s) for s in TM_STAGES} <= stages
    assert {("servizio_sociale", s) for s in SSP_STAGES} <= stages
    closed = _all(engine, select(Case.closed_on, Case.closure_reason).where(Case.stage == "chiusura"))
    assert all(c.closed_on and c.closure_reason for c in closed)


def test_stage_history_matches_current_stage(demo_engine) -> None:
    engine, _ = demo_engine
    history: dict[int, list] = {}
    for r in _all(engine, select(CaseStageChange.case_id, CaseStageChange.from_stage, CaseStageChange.to_stage,
                                 CaseStageChange.changed_at).order_by(CaseStageChange.changed_at, CaseStageChange.id)):
        history.setdefault(r.case_id, []).append(r)
    cases = _all(engine, select(Case.id, Case.stage, Case.opened_on))
    for c in cases:
        steps = history[c.id]
        assert steps[0].from_stage is None and steps[-1].to_stage == c.stage
        assert all(a.to_stage == b.from_stage for a, b in zip(steps, steps[1:], strict=False))
    opened = [c.opened_on for c in cases]
    assert (max(opened) - min(opened)).days >= 730


def test_obligations_overdue_and_due_this_week(demo_engine) -> None:
    engine, _ = demo_engine
    dues = [r.due_at for r in _all(engine, select(Obligation.due_at).where(Obligation.status == "aperto"))]
    assert sum(d < NOW for d in dues) >= 5
    assert sum(NOW <= d <= NOW + timedelta(days=7) for d in dues) >= 5
    mine = _all(engine, select(Obligation.due_at).join(Staff, Staff.id == Obligation.assigned_staff_id)
                .where(Staff.subject == "u-as-demo", Obligation.status == "aperto"))
    assert any(r.due_at < NOW for r in mine) and any(NOW <= r.due_at <= NOW + timedelta(days=7) for r in mine)
    done = _all(engine, select(Obligation.fulfilled_on, Obligation.protocol_number).where(Obligation.status == "adempiuto"))
    assert done and all(r.fulfilled_on and r.protocol_number for r in done)


def test_next_deadline_is_earliest_open_obligation(demo_engine) -> None:
    engine, _ = demo_engine
    earliest = dict(_all(engine, select(Obligation.case_id, func.min(Obligation.due_at))
                         .where(Obligation.status == "aperto").group_by(Obligation.case_id)))
    for case_id, stage, nxt in _all(engine, select(Case.id, Case.stage, Case.next_deadline_at)):
        if stage != "chiusura":
            assert nxt == earliest.get(case_id)
        else:
            assert nxt is None


def test_measures_chains_and_types(demo_engine) -> None:
    engine, _ = demo_engine
    rows = _all(engine, select(CourtMeasure.id, CourtMeasure.measure_type, CourtMeasure.status,
                               CourtMeasure.supersedes_id, CourtMeasure.case_id))
    assert len({r.measure_type for r in rows}) == 8
    by_id = {r.id: r for r in rows}
    chained = [r for r in rows if r.supersedes_id]
    assert any(by_id[r.supersedes_id].status == "prorogata" for r in chained)
    assert all(by_id[r.supersedes_id].case_id == r.case_id for r in chained)


def test_evaluations_span_two_years_and_improve(demo_engine) -> None:
    engine, _ = demo_engine
    first, last = _all(engine, select(func.min(Evaluation.evaluated_on), func.max(Evaluation.evaluated_on)))[0]
    assert (last - first).days >= 730 and last <= TODAY
    base = _all(engine, select(func.avg(Evaluation.score)).where(Evaluation.is_baseline.is_(True)))[0][0]
    later = _all(engine, select(func.avg(Evaluation.score)).where(Evaluation.is_baseline.is_(False)))[0][0]
    assert later > base


def test_foreign_keys_and_tenants_are_consistent(demo_engine) -> None:
    engine, _ = demo_engine
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        for sql in (
            "SELECT count(*) FROM case_file c JOIN person p ON p.id = c.subject_person_id WHERE p.tenant_id != c.tenant_id",
            "SELECT count(*) FROM obligation o JOIN case_file c ON c.id = o.case_id WHERE o.tenant_id != c.tenant_id",
            "SELECT count(*) FROM evaluation e JOIN goal g ON g.id = e.goal_id WHERE e.tenant_id != g.tenant_id",
            "SELECT count(*) FROM courtmeasure m JOIN case_file c ON c.id = m.case_id WHERE c.service != 'tutela_minori'",
            "SELECT count(*) FROM case_file c JOIN tenant t ON t.id = c.tenant_id WHERE "
            "(c.service = 'tutela_minori' AND NOT t.buys_tutela_minori) OR (c.service = 'servizio_sociale' AND NOT t.buys_segretariato)",
        ):
            assert conn.execute(text(sql)).scalar() == 0, sql
        # every équipe member holds a grant in the case's tenant
        missing = conn.execute(text(
            "SELECT count(*) FROM caseassignment a JOIN case_file c ON c.id = a.case_id WHERE NOT EXISTS "
            "(SELECT 1 FROM rolegrant g WHERE g.staff_id = a.staff_id AND g.tenant_id = c.tenant_id)")).scalar()
        assert missing == 0


def test_tm_subjects_are_minors_and_ssp_subjects_adults(demo_engine) -> None:
    engine, _ = demo_engine
    rows = _all(engine, select(Case.service, Case.opened_on, Person.birth_date)
                .join(Person, Person.id == Case.subject_person_id))
    for service, opened, birth in rows:
        age = (opened - birth).days / 365.25
        assert (0 <= age < 18) if service == "tutela_minori" else age >= 18


def test_refuses_a_non_empty_database(demo_engine) -> None:
    engine, _ = demo_engine
    with pytest.raises(DatabaseNotEmptyError):
        seed_database(engine, scale="tiny")


def test_cli_if_empty_does_nothing(demo_engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert seed_main(["--if-empty"]) == 0
    assert "già" in capsys.readouterr().out
    assert seed_main([]) == 2


def test_tiny_is_deterministic_with_valid_codici_fiscali(tmp_path: Path) -> None:
    previous = os.environ.get("TUTELA_DATABASE_URL")
    try:
        first = _seed_tiny(tmp_path / "a")
        second = _seed_tiny(tmp_path / "b")
        other = _seed_tiny(tmp_path / "c", seed=7)
    finally:
        if previous is not None:
            use_database(previous)
    assert first == second and len(first) > 100
    assert first != other
    assert all(codicefiscale.is_valid(cf) for cf in first)


# Collected only when TUTELA_TEST_POSTGRES_URL is set (CI sets it); see the report header.
if postgres_base_url():

    def test_tiny_on_postgresql_matches_sqlite(tmp_path: Path) -> None:
        previous = os.environ.get("TUTELA_DATABASE_URL")
        try:
            assert _seed_tiny(tmp_path, "postgresql") == _seed_tiny(tmp_path / "s")
        finally:
            if previous is not None:
                use_database(previous)
