"""Court measures service: obligations materialised from the engine, history on
amendment/extension/revocation, closing by the fulfilling act, rules by administrators."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.unit.case_factory import World, _staff, build_world
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import read_session, write_session
from tutela_app.domain.deadlines import obligations_for_measure
from tutela_app.domain.measures import DeadlineRules, MeasureInput, MeasureType
from tutela_app.models import AuditEvent, Case, CourtMeasure, Obligation
from tutela_app.services import deadline_rules, measures, obligations, placements
from tutela_app.services.court_access import FormErrors, VersionConflict

ISSUED = date.today() - timedelta(days=20)
NOTIFIED = date.today() - timedelta(days=18)


def decree(**over: object) -> dict:
    form = {
        "measure_type": "affidamento_servizio_sociale", "court": "Tribunale per i Minorenni di Milano",
        "docket_number": "123/2026 V.G.", "issued_on": ISSUED.isoformat(), "notified_on": NOTIFIED.isoformat(),
        "tasks": "Vigilanza e sostegno", "report_period_months": "4", "end_date": "", "next_hearing": "",
        "decree_deadlines": [],
    }
    form.update(over)
    return form


@pytest.fixture
def world(engine) -> World:  # noqa: ANN001
    with write_session() as session:
        return build_world(session)


def _obligations(case_id: int, status: str | None = None) -> list[Obligation]:
    with read_session() as s:
        q = select(Obligation).where(Obligation.case_id == case_id)
        if status:
            q = q.where(Obligation.status == status)
        return list(s.exec(q.order_by(Obligation.due_at)).all())


def test_art_5bis_l184_decree_materialises_engine_obligations_and_updates_case(world: World) -> None:
    cid = world.cases["mine"]
    with write_session() as s:
        m = measures.enter_measure(s, world.as_demo, cid, decree())
    expected = obligations_for_measure(MeasureInput(
        MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE, ISSUED, NOTIFIED, report_period_months=4))
    rows = _obligations(cid)
    assert [(o.kind, o.due_at) for o in rows] == [(e.kind, e.due) for e in expected]
    assert {o.measure_id for o in rows} == {m.id}
    with read_session() as s:
        case = s.get(Case, cid)
        assert case.current_measure_type == "affidamento_servizio_sociale"
        assert case.next_deadline_at == min(e.due for e in expected)
        assert s.exec(select(AuditEvent).where(AuditEvent.entity_type == "court_measure")).first() is not None


def test_decree_form_errors_are_italian_and_per_field(world: World) -> None:
    with write_session() as s, pytest.raises(FormErrors) as exc:
        measures.enter_measure(s, world.as_demo, world.cases["mine"], decree(
            court="", issued_on="2026-13-01", report_period_months="abc", measure_type="inventata"))
    assert set(exc.value.errors) >= {"court", "issued_on", "report_period_months", "measure_type"}
    assert "obbligatorio" in exc.value.errors["court"]


def test_art_28_dpr_448_1988_probation_needs_end_and_at_most_three_years(world: World) -> None:
    with write_session() as s, pytest.raises(FormErrors) as exc:
        measures.enter_measure(s, world.as_demo, world.cases["mine"], decree(
            measure_type="messa_alla_prova", end_date=(ISSUED + timedelta(days=4 * 365)).isoformat()))
    assert "3 anni" in exc.value.errors["end_date"]


def test_not_assigned_or_other_comune_cannot_enter_a_measure(world: World) -> None:
    for actor, key in ((world.edu_demo, "mine"), (world.coord_other, "mine"), (world.as_demo, "other_comune")):
        with write_session() as s, pytest.raises(NotFoundOrForbidden):
            measures.enter_measure(s, actor, world.cases[key], decree())


def test_close_obligation_by_act_with_date_and_protocol(world: World) -> None:
    cid = world.cases["mine"]
    with write_session() as s:
        measures.enter_measure(s, world.as_demo, cid, decree())
    first = _obligations(cid)[0]
    with write_session() as s, pytest.raises(FormErrors) as exc:
        obligations.close_obligation(s, world.as_demo, first.id, first.version, "", date.today().isoformat(), "")
    assert {"act", "protocol"} <= set(exc.value.errors)
    with write_session() as s:
        obligations.close_obligation(s, world.as_demo, first.id, first.version, "Nomina comunicata",
                                     date.today().isoformat(), "PG 555/2026")
    with read_session() as s:
        ob = s.get(Obligation, first.id)
        assert (ob.status, ob.protocol_number, ob.fulfilled_by) == ("adempiuto", "PG 555/2026", world.as_demo.staff_id)
        assert s.get(Case, cid).next_deadline_at == _obligations(cid, "aperto")[0].due_at
    with write_session() as s, pytest.raises(VersionConflict):
        obligations.close_obligation(s, world.as_demo, first.id, first.version, "x", date.today().isoformat(), "1")


def test_correction_recomputes_open_obligations_and_keeps_fulfilled_ones(world: World) -> None:
    cid = world.cases["mine"]
    with write_session() as s:
        m = measures.enter_measure(s, world.as_demo, cid, decree(report_period_months="6"))
    name = next(o for o in _obligations(cid) if o.kind == "name_responsible_worker")
    with write_session() as s:
        obligations.close_obligation(s, world.as_demo, name.id, name.version, "Nomina", date.today().isoformat(), "P1")
    with write_session() as s:
        measures.correct_measure(s, world.as_demo, m.id, m.version, decree(report_period_months="3"))
    rows = _obligations(cid)
    assert [o.id for o in rows if o.kind == "name_responsible_worker"] == [name.id]  # kept, not duplicated
    reports = [o for o in rows if o.kind == "periodic_report"]
    assert len(reports) == 8  # every 3 months over 24 months
    with write_session() as s, pytest.raises(VersionConflict) as exc:
        measures.correct_measure(s, world.as_demo, m.id, m.version, decree())
    assert exc.value.theirs["Versione"] == str(m.version + 1)


def test_amendment_and_extension_keep_history_and_cancel_open_obligations(world: World) -> None:
    cid = world.cases["mine"]
    end = NOTIFIED.replace(year=NOTIFIED.year + 2)
    with write_session() as s:
        first = measures.enter_measure(s, world.as_demo, cid, decree(end_date=end.isoformat()))
    with write_session() as s:
        second = measures.extend_measure(s, world.as_demo, first.id, first.version, decree(
            issued_on=date.today().isoformat(), notified_on="", end_date=(end + timedelta(days=365)).isoformat()))
    with read_session() as s:
        old = s.get(CourtMeasure, first.id)
        assert old.status == "prorogata" and second.supersedes_id == first.id
    assert all(o.status == "annullato" for o in _obligations(cid) if o.measure_id == first.id)
    assert {o.measure_id for o in _obligations(cid, "aperto")} == {second.id}
    with write_session() as s:
        measures.revoke_measure(s, world.as_demo, second.id, second.version, date.today().isoformat())
    assert _obligations(cid, "aperto") == []
    with read_session() as s:
        case = s.get(Case, cid)
        assert case.current_measure_type is None and case.next_deadline_at is None
        history = measures.list_measures(s, world.as_demo, cid)
    assert [m.status for m in history] == ["revocata", "prorogata"]


def test_rules_changed_by_administrator_drive_new_obligations(world: World) -> None:
    with write_session() as s:
        admin = _staff(s, "Anna Admin", None, {world.demo: "amministratore"})
    with write_session() as s, pytest.raises(NotFoundOrForbidden):
        deadline_rules.save_rules(s, world.coord, {}, {}, 0)
    with read_session() as s:
        form = deadline_rules.rules_form(s, admin)
    values = dict(form["values"], responsible_worker_days="10")
    with write_session() as s, pytest.raises(FormErrors):
        deadline_rules.save_rules(s, admin, dict(values, hearing_days="-3"), form["flags"], form["rule_set_id"])
    with write_session() as s:
        deadline_rules.save_rules(s, admin, values, form["flags"], form["rule_set_id"])
    with write_session() as s, pytest.raises(FormErrors):  # stale form: someone saved meanwhile
        deadline_rules.save_rules(s, admin, values, form["flags"], form["rule_set_id"])
    with write_session() as s:
        measures.enter_measure(s, world.as_demo, world.cases["mine"], decree())
    rules = DeadlineRules(responsible_worker_days=10)
    expected = [e for e in obligations_for_measure(MeasureInput(
        MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE, ISSUED, NOTIFIED, report_period_months=4), rules)
        if e.kind == "name_responsible_worker"]
    got = [o.due_at for o in _obligations(world.cases["mine"]) if o.kind == "name_responsible_worker"]
    assert got == [expected[0].due]


def test_placement_episode_with_outcome(world: World) -> None:
    cid = world.cases["mine"]
    start = (date.today() - timedelta(days=100)).isoformat()
    with write_session() as s:
        p = placements.add_placement(s, world.as_demo, cid, {"kind": "comunita", "host_name": "Comunità Il Faro", "start_on": start})
    with write_session() as s, pytest.raises(FormErrors):
        placements.add_placement(s, world.as_demo, cid, {"kind": "comunita", "host_name": "Altra", "start_on": start})
    with write_session() as s, pytest.raises(FormErrors) as exc:
        placements.close_placement(s, world.as_demo, p.id, p.version, "2000-01-01", "boh")
    assert {"end_on", "outcome"} <= set(exc.value.errors)
    with write_session() as s:
        placements.close_placement(s, world.as_demo, p.id, p.version, date.today().isoformat(), "rientro_famiglia")
    with read_session() as s:
        rows = placements.list_placements(s, world.as_demo, cid)
    assert [(r.outcome, r.end_on) for r in rows] == [("rientro_famiglia", date.today())]
