"""Retention dry run and the GDPR access export, on a seeded database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.support import seeded
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.models import Accesso, AuditEvent, Case, DiaryEntry, Person, Tenant
from tutela_app.seed import seed_database
from tutela_app.services import privacy, privacy_export
from tutela_app.services.case_access import EditConflict, InvalidInput

FAR_FUTURE = date(2045, 1, 1)


@pytest.fixture
def world(engine):  # noqa: ANN001, ANN201
    seed_database(engine, scale="tiny", today=date(2026, 6, 1))
    with Session(engine) as s:
        demo = s.execute(select(Tenant).where(Tenant.code == "demo")).scalar_one()
    return {"engine": engine, "demo": demo.id, "admin": seeded.actor(engine, "admin"),
            "coord": seeded.actor(engine, "coord.demo"), "as": seeded.actor(engine, "as.demo")}


def test_retention_report_lists_expired_records_by_id_only(world) -> None:  # noqa: ANN001
    engine = world["engine"]
    before = seeded.row_counts(engine)
    with Session(engine) as s:
        report = privacy.retention_report(s, world["admin"], world["demo"], today=FAR_FUTURE)
        s.commit()
        closed = s.execute(select(Case.id).where(Case.tenant_id == world["demo"], Case.closed_on.is_not(None))).scalars().all()
        open_ids = s.execute(select(Case.id).where(Case.tenant_id == world["demo"], Case.closed_on.is_(None))).scalars().all()
        names = s.execute(select(Person.surname, Person.codice_fiscale).where(Person.tenant_id == world["demo"])).all()
    assert report["dry_run"] is True and report["retention_years"] == 10
    assert closed and report["cases_to_archive"]["ids"] == sorted(closed)
    assert not set(open_ids) & set(report["cases_to_archive"]["ids"])
    assert report["accessi_to_delete"]["count"] > 0
    assert report["persons_without_records"]["count"] == len(report["persons_without_records"]["ids"])
    text = json.dumps(report)
    assert not any(surname in text for surname, _cf in names)
    assert not any(cf and cf in text for _s, cf in names)
    after = seeded.row_counts(engine)
    assert after["auditevent"] == before["auditevent"] + 1
    assert {k: v for k, v in after.items() if k != "auditevent"} == {k: v for k, v in before.items() if k != "auditevent"}


def test_open_case_keeps_its_subject_and_its_intake(world) -> None:  # noqa: ANN001
    with Session(world["engine"]) as s:
        report = privacy.retention_report(s, world["admin"], world["demo"], today=FAR_FUTURE)
        live = s.execute(select(Case).where(Case.tenant_id == world["demo"], Case.closed_on.is_(None))).scalars().all()
    orphans = set(report["persons_without_records"]["ids"])
    assert live
    assert not {c.subject_person_id for c in live} & orphans
    assert not {c.accesso_id for c in live if c.accesso_id} & set(report["accessi_to_delete"]["ids"])


def test_nothing_expires_before_the_retention_period(world) -> None:  # noqa: ANN001
    with Session(world["engine"]) as s:
        report = privacy.retention_report(s, world["admin"], world["demo"], today=date(2026, 6, 1))
    assert report["cases_to_archive"]["count"] == 0 and report["accessi_to_delete"]["count"] == 0


def test_retention_is_for_administrators_of_that_comune(world) -> None:  # noqa: ANN001
    with Session(world["engine"]) as s:
        for who in ("coord", "as"):
            with pytest.raises(NotFoundOrForbidden):
                privacy.retention_report(s, world[who], world["demo"])
        with pytest.raises(NotFoundOrForbidden):
            privacy.retention_report(s, world["admin"], "1; DROP TABLE tenant")


def test_set_retention_years_validates_and_locks(world) -> None:  # noqa: ANN001
    with Session(world["engine"]) as s:
        version = s.get(Tenant, world["demo"]).version
        for bad in (0, 101, "dieci", None, True, 2.5):
            with pytest.raises(InvalidInput):
                privacy.set_retention_years(s, world["admin"], world["demo"], bad, version)
        result = privacy.set_retention_years(s, world["admin"], world["demo"], "7", version)
        s.commit()
        assert result["retention_years"] == 7 and result["version"] == version + 1
        with pytest.raises(EditConflict) as conflict:
            privacy.set_retention_years(s, world["admin"], world["demo"], 8, version)
        assert conflict.value.theirs == {"Anni di conservazione": "7"}
    with Session(world["engine"]) as s:
        assert s.get(Tenant, world["demo"]).retention_years == 7


def _person_with_restricted_note(engine, tenant_id: int) -> tuple[int, int]:  # noqa: ANN001
    with Session(engine) as s:
        row = s.execute(
            select(Case.subject_person_id, Case.id).join(DiaryEntry, DiaryEntry.case_id == Case.id)
            .where(Case.tenant_id == tenant_id, DiaryEntry.restricted_to_profession.is_(True))
        ).first()
        if row is None:  # make one: a psychological note on a demo case
            case = s.execute(select(Case).where(Case.tenant_id == tenant_id)).scalars().first()
            s.add(DiaryEntry(case_id=case.id, tenant_id=tenant_id, occurred_on=date(2026, 5, 1), tag="valutazione",
                             text="Nota psicologica riservata", method="colloquio", author_profession="psicologo",
                             restricted_to_profession=True))
            s.commit()
            return case.subject_person_id, case.id
        return row[0], row[1]


def test_subject_export_gathers_everything_and_is_audited(world) -> None:  # noqa: ANN001
    engine = world["engine"]
    person_id, case_id = _person_with_restricted_note(engine, world["demo"])
    with Session(engine) as s:
        doc = json.loads(privacy_export.export_person_json(s, world["coord"], person_id))
        s.commit()
        restricted = s.execute(select(DiaryEntry.id).where(
            DiaryEntry.case_id == case_id, DiaryEntry.restricted_to_profession.is_(True))).scalars().all()
        accessi = s.execute(select(Accesso.id).where(Accesso.person_id == person_id)).scalars().all()
        exported = s.execute(select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.person_id == person_id)).scalars().all()
    assert doc["person"]["id"] == person_id
    case = next(c for c in doc["cases"] if c["case"]["id"] == case_id)
    assert case["role"] == "soggetto"
    assert set(restricted) <= {d["id"] for d in case["diary"]}  # the coordinator may read them
    assert case["diary_restricted_withheld"] == 0
    assert sorted(a["id"] for a in doc["accessi"]) == sorted(accessi)
    assert {"stage_history", "team", "interventions", "goals", "evaluations", "measures", "obligations"} <= set(case)
    assert len(exported) == 1 and exported[0].actor_id == world["coord"].staff_id
    assert "Nota" not in (exported[0].detail or "")


def test_subject_export_withholds_restricted_notes_from_an_administrator(world) -> None:  # noqa: ANN001
    person_id, case_id = _person_with_restricted_note(world["engine"], world["demo"])
    with Session(world["engine"]) as s:
        doc = privacy_export.export_person_data(s, world["admin"], person_id)
    case = next(c for c in doc["cases"] if c["case"]["id"] == case_id)
    assert case["diary_restricted_withheld"] >= 1
    assert not any(d["restricted_to_profession"] for d in case["diary"])


def test_subject_export_refuses_other_roles_and_other_comuni(world) -> None:  # noqa: ANN001
    engine = world["engine"]
    with Session(engine) as s:
        other = s.execute(select(Person.id).join(Tenant, Tenant.id == Person.tenant_id)
                          .where(Tenant.code == "cantu")).scalars().first()
        mine = s.execute(select(Person.id).where(Person.tenant_id == world["demo"])).scalars().first()
        for who, pid in (("coord", other), ("as", mine)):
            with pytest.raises(NotFoundOrForbidden):
                privacy_export.export_person_data(s, world[who], pid)
        with pytest.raises(NotFoundOrForbidden):
            privacy_export.export_person_data(s, world["coord"], 10**9)
    assert seeded.count(engine, AuditEvent, AuditEvent.action == "export") == 0
