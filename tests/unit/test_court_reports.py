"""Report to the court (art. 473-bis.27 c.p.c.): the three sections, traceability of each
line to its diary entry, redaction for the parties, sign-off/finalisation and the lock."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document
from sqlmodel import select

from tests.unit.case_factory import World, build_world
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.db import read_session, write_session
from tutela_app.models import CourtReport, Obligation
from tutela_app.reports.court_report_content import OMISSIS
from tutela_app.services import court_reports, diary, measures
from tutela_app.services.court_access import FormErrors

DAY = date.today() - timedelta(days=5)


@pytest.fixture
def world(engine) -> World:  # noqa: ANN001
    with write_session() as session:
        w = build_world(session)
    with write_session() as s:
        measures.enter_measure(s, w.as_demo, w.cases["mine"], {
            "measure_type": "affidamento_servizio_sociale", "court": "TM Milano", "docket_number": "9/2026",
            "issued_on": (date.today() - timedelta(days=40)).isoformat(), "report_period_months": "6"})
    return w


def _entries(w: World) -> dict[str, int]:
    cid, ids = w.cases["mine"], {}
    with write_session() as s:
        ids["fatto"] = diary.add_entry(s, w.as_demo, cid, {"tag": "fatto", "occurred_on": DAY.isoformat(),
                                                          "text": "Il minore frequenta regolarmente la scuola."}).id
        ids["dich"] = diary.add_entry(s, w.as_demo, cid, {"tag": "dichiarazione", "occurred_on": DAY.isoformat(),
                                                         "text": "Riferisce di litigi frequenti.", "source": "la madre"}).id
        ids["conf"] = diary.add_entry(s, w.as_demo, cid, {"tag": "dichiarazione", "occurred_on": DAY.isoformat(),
                                                         "text": "VICINA-RISERVATA ha visto scene di violenza.",
                                                         "source": "una vicina di casa", "confidential": True}).id
        ids["val"] = diary.add_entry(s, w.psi_demo, cid, {"tag": "valutazione", "occurred_on": DAY.isoformat(),
                                                         "text": "Buone risorse relazionali.", "method": "colloquio clinico"}).id
        ids["restricted"] = diary.add_entry(s, w.psi_demo, cid, {"tag": "valutazione", "occurred_on": DAY.isoformat(),
                                                                "text": "NOTA-PSI-RISERVATA", "method": "test",
                                                                "restricted": True}).id
    return ids


def test_diary_requires_source_for_statements_and_method_for_evaluations(world: World) -> None:
    with write_session() as s, pytest.raises(FormErrors) as exc:
        diary.add_entry(s, world.as_demo, world.cases["mine"], {"tag": "dichiarazione", "occurred_on": DAY.isoformat(), "text": "x"})
    assert "source" in exc.value.errors
    with write_session() as s, pytest.raises(FormErrors) as exc:
        diary.add_entry(s, world.as_demo, world.cases["mine"], {"tag": "valutazione", "occurred_on": DAY.isoformat(), "text": "x"})
    assert "method" in exc.value.errors


def test_restricted_psychological_note_hidden_from_other_professions(world: World) -> None:
    ids = _entries(world)
    with read_session() as s:
        seen_as = {e.id for e in diary.list_entries(s, world.as_demo, world.cases["mine"])}
        seen_psi = {e.id for e in diary.list_entries(s, world.psi_demo, world.cases["mine"])}
        seen_coord = {e.id for e in diary.list_entries(s, world.coord, world.cases["mine"])}
    assert ids["restricted"] not in seen_as
    assert ids["restricted"] in seen_psi and ids["restricted"] in seen_coord


def test_art_473bis27_cpc_sections_and_traceability(world: World) -> None:
    ids = _entries(world)
    with write_session() as s:
        r = court_reports.draft_report(s, world.as_demo, world.cases["mine"], (DAY - timedelta(days=1)).isoformat(), date.today().isoformat())
    with read_session() as s:
        v = court_reports.report_view(s, world.as_demo, r.id, "tribunale")
    titles = [t for t, _ in v.sections]
    assert titles == ["1. Fatti accertati", "2. Dichiarazioni delle parti e di terzi", "3. Valutazioni professionali"]
    facts, statements, evaluations = (lines for _, lines in v.sections)
    assert [line.entry_id for line in facts] == [ids["fatto"]]
    assert [line.entry_id for line in statements] == [ids["dich"], ids["conf"]]
    assert statements[0].attribution == "Dichiarazione di: la madre"
    assert f"Annotazione n. {ids['dich']} del {DAY.strftime('%d/%m/%Y')}" == statements[0].ref
    assert [line.entry_id for line in evaluations] == [ids["val"]]  # restricted note never enters a report
    assert "colloquio clinico" in evaluations[0].attribution
    assert ("Minore", "Mario Rossi, nato/a il 02/05/2014") in v.header


def test_parties_preview_hides_confidential_third_party_data(world: World) -> None:
    _entries(world)
    with write_session() as s:
        r = court_reports.draft_report(s, world.as_demo, world.cases["mine"], DAY.isoformat(), DAY.isoformat())
    with write_session() as s:
        court_view = court_reports.report_view(s, world.as_demo, r.id, "tribunale")
        parties_view = court_reports.report_view(s, world.as_demo, r.id, "parti")
        _, docx_bytes = court_reports.export_report(s, world.as_demo, r.id, "parti", "docx")
        _, pdf_bytes = court_reports.export_report(s, world.as_demo, r.id, "parti", "pdf")
    def text(v) -> str:  # noqa: ANN001
        return " ".join(f"{line.text} {line.attribution}" for _, lines in v.sections for line in lines)
    assert "VICINA-RISERVATA" in text(court_view) and "una vicina di casa" in text(court_view)
    assert "VICINA-RISERVATA" not in text(parties_view) and "una vicina di casa" not in text(parties_view)
    assert OMISSIS in text(parties_view)
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(docx_bytes)).paragraphs)
    assert "VICINA-RISERVATA" not in docx_text and "Fatti accertati" in docx_text
    assert pdf_bytes.startswith(b"%PDF")


def test_signoff_finalise_send_locks_and_closes_the_periodic_report_obligation(world: World) -> None:
    _entries(world)
    cid = world.cases["mine"]
    with write_session() as s:
        r = court_reports.draft_report(s, world.as_demo, cid, DAY.isoformat(), DAY.isoformat())
        version = r.version
    with write_session() as s, pytest.raises(FormErrors):  # nobody signed yet
        court_reports.finalise_report(s, world.coord, r.id, version)
    with write_session() as s:
        court_reports.sign_contribution(s, world.as_demo, r.id, version, "Parte sociale")
    with write_session() as s:
        version = s.get(CourtReport, r.id).version
        court_reports.sign_contribution(s, world.psi_demo, r.id, version, "Parte psicologica")
    with write_session() as s:
        version = s.get(CourtReport, r.id).version
    with write_session() as s, pytest.raises(NotFoundOrForbidden):  # only the coordinator finalises
        court_reports.finalise_report(s, world.as_demo, r.id, version)
    with write_session() as s:
        court_reports.finalise_report(s, world.coord, r.id, version)
    with write_session() as s:
        version = s.get(CourtReport, r.id).version
        court_reports.send_report(s, world.as_demo, r.id, version, date.today().isoformat(), "PG 42/2026")
    with read_session() as s:
        report = s.get(CourtReport, r.id)
        ob = s.get(Obligation, report.obligation_id)
        version = report.version
        v = court_reports.report_view(s, world.as_demo, r.id, "tribunale")
    assert (report.status, report.protocol_number, report.sent_on) == ("inviata", "PG 42/2026", date.today())
    assert (ob.kind, ob.sequence, ob.status, ob.protocol_number) == ("periodic_report", 1, "adempiuto", "PG 42/2026")
    assert [c["text"] for c in v.contributions] == ["Parte sociale", "Parte psicologica"]
    assert any("PG 42/2026" in line for line in v.closing)
    for call in (
        lambda s: court_reports.sign_contribution(s, world.psi_demo, r.id, version, "cambio"),
        lambda s: court_reports.refresh_draft(s, world.as_demo, r.id, version),
        lambda s: court_reports.send_report(s, world.as_demo, r.id, version, date.today().isoformat(), "X"),
        lambda s: court_reports.finalise_report(s, world.coord, r.id, version),
    ):
        with write_session() as s, pytest.raises(FormErrors) as exc:
            call(s)
        assert "non è più modificabile" in exc.value.errors["_"]


def test_report_of_another_comune_is_not_found(world: World) -> None:
    with write_session() as s:
        r = court_reports.draft_report(s, world.as_demo, world.cases["mine"], DAY.isoformat(), DAY.isoformat())
    with read_session() as s, pytest.raises(NotFoundOrForbidden):
        court_reports.report_view(s, world.coord_other, r.id, "tribunale")
    with read_session() as s:
        assert s.exec(select(CourtReport)).first() is not None
