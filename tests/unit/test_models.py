"""Model constraints, optimistic locking, cascades and the append-only audit log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from tutela_app.db import write_session
from tutela_app.models import (
    AuditEvent,
    Case,
    CaseAssignment,
    DiaryEntry,
    Evaluation,
    Goal,
    Intervention,
    Person,
    Staff,
    Tenant,
)


def _tenant(session: Session, code: str = "demo") -> Tenant:
    tenant = Tenant(code=code, name=f"Comune {code}", buys_tutela_minori=True, buys_segretariato=True)
    session.add(tenant)
    session.flush()
    return tenant


def _case(session: Session) -> Case:
    tenant = _tenant(session)
    child = Person(tenant_id=tenant.id, codice_fiscale="RSSMRA15A41F205X", surname="Rossi", given_name="Maria")
    session.add(child)
    session.flush()
    case = Case(tenant_id=tenant.id, number="TM-2026-00001", service="tutela_minori", stage="segnalazione",
                origin="segnalazione", subject_person_id=child.id, opened_on=date(2026, 1, 10))
    session.add(case)
    session.flush()
    return case


def test_person_needs_an_identifier(engine) -> None:
    with pytest.raises(IntegrityError):
        with write_session() as session:
            tenant = _tenant(session)
            session.add(Person(tenant_id=tenant.id, surname="Senza", given_name="Codice"))


def test_codice_fiscale_unique_per_tenant_but_not_across(engine) -> None:
    with write_session() as session:
        a, b = _tenant(session, "a"), _tenant(session, "b")
        session.add(Person(tenant_id=a.id, codice_fiscale="RSSMRA80A01F205X", surname="R", given_name="M"))
        session.add(Person(tenant_id=b.id, codice_fiscale="RSSMRA80A01F205X", surname="R", given_name="M"))
    with pytest.raises(IntegrityError):
        with write_session() as session:
            a = session.exec(select(Tenant).where(Tenant.code == "a")).one()
            session.add(Person(tenant_id=a.id, codice_fiscale="RSSMRA80A01F205X", surname="X", given_name="Y"))


def test_case_service_and_diary_tag_are_checked(engine) -> None:
    with pytest.raises(IntegrityError):
        with write_session() as session:
            case = _case(session)
            case.service = "altro"
            session.add(case)
    with pytest.raises(IntegrityError):
        with write_session() as session:
            case = _case(session)
            session.add(DiaryEntry(case_id=case.id, tenant_id=case.tenant_id, occurred_on=date(2026, 2, 1),
                                   tag="dichiarazione", text="Dichiarazione senza fonte"))


def test_evaluation_score_range(engine) -> None:
    with pytest.raises(IntegrityError):
        with write_session() as session:
            case = _case(session)
            iv = Intervention(case_id=case.id, tenant_id=case.tenant_id, kind="pei", start_on=date(2026, 1, 1))
            session.add(iv)
            session.flush()
            goal = Goal(intervention_id=iv.id, case_id=case.id, tenant_id=case.tenant_id, description="Frequenza")
            session.add(goal)
            session.flush()
            session.add(Evaluation(goal_id=goal.id, tenant_id=case.tenant_id, evaluated_on=date(2026, 1, 2), score=11))


def test_concurrent_edit_raises_version_conflict(engine) -> None:
    """Two editors load version 1; the second save must fail, not overwrite."""
    with write_session() as session:
        case_id = _case(session).id
    with write_session() as session:
        mine = session.get(Case, case_id)  # detached after the block: what my form holds
    with write_session() as session:
        theirs = session.get(Case, case_id)
        theirs.summary = "aggiornato da un collega"
    assert mine.version == 1
    mine.summary = "aggiornato da me"
    with pytest.raises(StaleDataError):
        with write_session() as session:
            session.add(mine)
    with write_session() as session:
        row = session.get(Case, case_id)
        assert row.summary == "aggiornato da un collega"
        assert row.version == 2


def test_deleting_a_case_cascades_to_its_work(engine) -> None:
    with write_session() as session:
        case = _case(session)
        staff = Staff(issuer="urn:test", subject="s1", display_name="Operatrice Test")
        session.add(staff)
        session.flush()
        session.add(CaseAssignment(case_id=case.id, staff_id=staff.id, role_in_case="responsabile", since=date(2026, 1, 1)))
        iv = Intervention(case_id=case.id, tenant_id=case.tenant_id, kind="osservazione", start_on=date(2026, 1, 1))
        session.add(iv)
        session.flush()
        case_id = case.id
    with write_session() as session:
        session.execute(text("DELETE FROM case_file WHERE id = :id"), {"id": case_id})
    with write_session() as session:
        assert session.exec(select(Intervention).where(Intervention.case_id == case_id)).all() == []
        assert session.exec(select(CaseAssignment).where(CaseAssignment.case_id == case_id)).all() == []
        assert session.exec(select(Staff)).one().display_name == "Operatrice Test"


def test_tenant_with_people_cannot_be_deleted(engine) -> None:
    with write_session() as session:
        _case(session)
    with pytest.raises(IntegrityError):
        with write_session() as session:
            session.execute(text("DELETE FROM tenant"))


def test_audit_log_is_append_only(engine) -> None:
    with write_session() as session:
        session.add(AuditEvent(action="read", entity_type="case", entity_id="1"))
    with pytest.raises(DBAPIError):
        with write_session() as session:
            session.execute(text("UPDATE auditevent SET action = 'delete'"))
    with pytest.raises(DBAPIError):
        with write_session() as session:
            session.execute(text("DELETE FROM auditevent"))
    with write_session() as session:
        assert session.exec(select(AuditEvent.action)).all() == ["read"]
