"""Service report: rule-based commentary, the PDF, archiving, listing and permissions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.unit.metrics_dataset import PERIOD, Ids, build
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import AuditEvent, ServiceReport
from tutela_app.reports.service_report_text import commentary, comparison_sentences
from tutela_app.services import service_reports as sr
from tutela_app.services.metrics_summary import KeyFigure
from tutela_app.settings import get_settings


def _k(key: str, value: float | None, unit: str = "", subject: str = "I nuovi casi", feminine: bool = False) -> KeyFigure:
    return KeyFigure(key, key, value, unit, subject, feminine)


def test_count_changes_are_described_in_italian() -> None:
    sentences = comparison_sentences(
        [_k("nuovi", 118), _k("chiusi", 80, subject="I casi chiusi"), _k("p", 30, subject="Le persone", feminine=True)],
        [_k("nuovi", 100), _k("chiusi", 79, subject="I casi chiusi"), _k("p", 40, subject="Le persone", feminine=True)],
    )
    assert sentences[0] == "I nuovi casi sono aumentati del 18% rispetto al periodo precedente (da 100 a 118)."
    assert sentences[1].startswith("I casi chiusi sono rimasti sostanzialmente stabili (80 contro 79")
    assert sentences[2].startswith("Le persone sono diminuite del 25%")


def test_shares_and_scores_are_compared_in_points() -> None:
    share = "La quota di relazioni consegnate in termine"
    sentences = comparison_sentences(
        [_k("r", 90.0, "%", share, True), _k("v", 0.9, "punti", "La variazione media", True)],
        [_k("r", 80.0, "%", share, True), _k("v", 0.85, "punti", "La variazione media", True)],
    )
    assert sentences == [
        f"{share} è salita da 80,0% a 90,0% rispetto al periodo precedente.",
        "La variazione media è rimasta stabile (+0,90; +0,85 nel periodo precedente).",
    ]


def test_alerts_come_first_and_empty_periods_get_a_sentence() -> None:
    text = commentary([], [_k("oltre_24_mesi", 3, subject="I collocamenti")], [_k("oltre_24_mesi", 3)])
    assert text[0].startswith("3 collocamenti in corso superano il limite di 24 mesi")
    assert commentary([], [], []) == [
        "Nel periodo non si rilevano dati sufficienti per un commento: il servizio non ha registrato attività."
    ]


@pytest.fixture
def data(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ids:
    monkeypatch.setenv("TUTELA_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield build(engine)
    get_settings.cache_clear()


def _actor(ids: Ids, role: str) -> Actor:
    return Actor(ids.s1, "Test", None, {ids.alfa: frozenset({role})})


def test_generate_archive_list_and_download(engine: Engine, data: Ids) -> None:
    coordinator = _actor(data, "coordinatore")
    report_id = sr.generate_report(coordinator, "alfa", *PERIOD)
    with Session(engine) as s:
        row = s.get(ServiceReport, report_id)
        assert row.status == "pronto" and row.file_name
        path = get_settings().data_dir / "reports" / "alfa" / row.file_name
        assert path.is_file() and path.read_bytes().startswith(b"%PDF")
        referent = _actor(data, "referente_comunale")
        listed = sr.list_reports(s, referent)
        assert [(r["id"], r["comune"], r["period"], r["ready"]) for r in listed] == [
            (str(report_id), "Comune Alfa", "01/01/2025 – 30/06/2025", "1")
        ]
        name, pdf = sr.read_report(s, referent, report_id)
        s.commit()
        assert name == row.file_name and pdf.startswith(b"%PDF") and b"Comune Alfa" in pdf
        actions = [(e.action, e.entity_type) for e in s.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]
    assert actions == [("create", "service_report"), ("update", "service_report"), ("export", "service_report")]


def test_report_data_compares_with_the_previous_period(engine: Engine, data: Ids) -> None:
    coordinator = _actor(data, "coordinatore")
    with Session(engine) as s:
        report_id = sr.start_report(s, coordinator, "alfa", *PERIOD)
        s.commit()
        report = sr.collect_report_data(s, coordinator, report_id)
    assert (report.previous_from, report.previous_to) == (date(2024, 7, 1), date(2024, 12, 31))
    flow = {t.key: t for t in report.tables}["casi_per_mese"]
    assert sum(r[1] for r in flow.rows) == 2
    assert "casi_per_operatore" not in {t.key for t in report.tables}


def test_permissions_and_validation(engine: Engine, data: Ids) -> None:
    referent = _actor(data, "referente_comunale")
    coordinator = _actor(data, "coordinatore")
    with Session(engine) as s:
        with pytest.raises(NotFoundOrForbidden):
            sr.start_report(s, referent, "alfa", *PERIOD)  # referents download, they do not generate
        with pytest.raises(NotFoundOrForbidden):
            sr.start_report(s, coordinator, "beta", *PERIOD)  # not their Comune
        with pytest.raises(sr.ReportInputError):
            sr.start_report(s, coordinator, "alfa", date(2025, 6, 1), date(2025, 1, 1))
        with pytest.raises(NotFoundOrForbidden):
            sr.read_report(s, coordinator, 999)
        assert sr.list_reports(s, _actor(data, "operatore_sportello")) == []
