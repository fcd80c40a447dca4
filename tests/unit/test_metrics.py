"""Dashboard aggregates against values computed by hand on tests/unit/metrics_dataset.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.unit.metrics_dataset import PERIOD, Ids, build
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import AuditEvent
from tutela_app.services import metrics, metrics_court
from tutela_app.services.metrics_export import export_metric_csv
from tutela_app.services.metrics_filters import DashboardFilter

FLT = DashboardFilter(*PERIOD, comune="alfa")


@pytest.fixture
def data(engine: Engine) -> Ids:
    return build(engine)


def _actor(ids: Ids, role: str = "coordinatore", beta: bool = False) -> Actor:
    roles = {ids.alfa: frozenset({role})}
    if beta:
        roles[ids.beta] = frozenset({role})
    return Actor(staff_id=ids.s1, display_name="Test", profession=None, roles_by_tenant=roles)


def _tables(engine: Engine, actor: Actor, flt: DashboardFilter = FLT) -> dict:
    with Session(engine) as s:
        return {t.key: t for t in metrics.dashboard_tables(s, actor, flt)}


def test_caseload_by_comune_stage_measure_and_staff(engine: Engine, data: Ids) -> None:
    t = _tables(engine, _actor(data, beta=True), DashboardFilter(*PERIOD))
    # open on 30/06/2025: C1 (TM) and C3 (SSP) in Alfa, C6 (TM) in Beta; C2 closed, C4 later, C5 closed 2024
    assert t["casi_per_comune"].rows == (("Comune Alfa", 1, 1), ("Comune Beta", 1, 0))
    # C1 moved to monitoraggio only in August: on 30/06 it was in "progetto"; C6 has no history
    assert dict(t["casi_per_fase"].rows) == {"Progetto e interventi": 1, "Indagine": 1, "Valutazione": 1}
    # the affido of August is not yet issued on 30/06; C6 has no measure; C3 is not Tutela Minori
    assert t["casi_per_misura"].rows == (("Affidamento al servizio sociale", 1), ("Nessun provvedimento in vigore", 1))
    assert dict(t["casi_per_operatore"].rows) == {"Operatrice Uno": 1, "Operatore Due": 2}


def test_new_and_closed_cases_per_month(engine: Engine, data: Ids) -> None:
    t = _tables(engine, _actor(data))["casi_per_mese"]
    assert t.rows == (
        ("gen 2025", 0, 0), ("feb 2025", 1, 0), ("mar 2025", 1, 0),
        ("apr 2025", 0, 0), ("mag 2025", 0, 1), ("giu 2025", 0, 0),
    )


def test_time_in_stage_counts_stays_that_ended_in_the_period(engine: Engine, data: Ids) -> None:
    t = _tables(engine, _actor(data))["tempo_in_fase"]
    # C2 segnalazione 10/02 -> 20/05 = 99 days; C1 indagine 01/11/2024 -> 01/02/2025 = 92 days
    assert t.rows == (("Segnalazione / mandato", 99.0, 1, 99), ("Indagine", 92.0, 1, 92))


def test_reports_on_time_late_overdue_and_pending(engine: Engine, data: Ids) -> None:
    scope = metrics.Scope((data.alfa,), {data.alfa: "Comune Alfa"})
    with Session(engine) as s:
        t = metrics_court.reports_on_time(s, scope, FLT, now=datetime(2025, 6, 1, tzinfo=UTC))
    # in termine: 15/02 (14/02) and 10/05 (same day); late: 15/03; overdue: 15/04; pending: 15/06
    assert t.rows == (("Comune Alfa", 2, 1, 1, 1),)


def test_goal_attainment_by_intervention_kind_and_service(engine: Engine, data: Ids) -> None:
    t = _tables(engine, _actor(data))["obiettivi"]
    # PEI: 3 -> 6 (+3, significant), 2 -> 2 (0); osservazione: 5 -> 4 (-1), 4 -> 5 (+1, slight).
    # The review after the period and the goals without baseline or review are ignored.
    assert t.rows == (
        ("Osservazione (domicilio, scuola, altri contesti)", 1, 0, 1, 0, 2, 0.0),
        ("Progetto educativo individualizzato (PEI)", 0, 1, 0, 1, 2, 1.5),
    )
    tm_only = _tables(engine, _actor(data), DashboardFilter(*PERIOD, "alfa", "tm"))["obiettivi"]
    assert tm_only.rows == (("Progetto educativo individualizzato (PEI)", 0, 1, 0, 1, 2, 1.5),)


def test_placements_and_probation(engine: Engine, data: Ids) -> None:
    t = _tables(engine, _actor(data))
    assert t["esiti_collocamenti"].rows == (("Rientro in famiglia", 1, 0), ("Altro collocamento", 0, 1))
    # in progress on 30/06: since 01/02/2025 (<6), 01/12/2024 (6-12), 01/03/2024 (12-18), 01/05/2023 (>24)
    assert t["durata_collocamenti"].rows == (
        ("Meno di 6 mesi", 1), ("6-12 mesi", 1), ("12-18 mesi", 1), ("18-24 mesi", 0), ("Oltre 24 mesi", 1),
    )
    assert t["messa_alla_prova"].rows == (
        ("Esito positivo", 1), ("Esito negativo", 0), ("Esito non ancora definito", 1),
    )


def test_front_desk_volumes_referrals_and_repeat_accessi(engine: Engine, data: Ids) -> None:
    t = _tables(engine, _actor(data))
    # local (Rome) days: 31/12 23:30 UTC is 1 January (in), 30/06 22:30 UTC is 1 July (out)
    assert t["accessi"].rows == (
        ("Famiglia e minori", 1, 1, 0, 0), ("Disabili", 0, 0, 1, 0), ("Anziani", 1, 1, 0, 0),
    )
    assert t["invii"].rows == (("Servizi sociali", 1, 1, 0), ("Servizi socio-sanitari", 1, 0, 0), ("Casa", 0, 0, 1))
    assert t["accessi_ripetuti"].rows == (("1 accesso", 2), ("2 accessi", 0), ("3 accessi", 1), ("4 o più accessi", 0))


def test_service_filter_selects_the_figures(engine: Engine, data: Ids) -> None:
    seg = _tables(engine, _actor(data), DashboardFilter(*PERIOD, "alfa", "seg"))
    assert "relazioni_in_termine" not in seg and "accessi" in seg
    assert seg["casi_per_comune"].rows == (("Comune Alfa", 1),)
    tm = _tables(engine, _actor(data), DashboardFilter(*PERIOD, "alfa", "tm"))
    assert "accessi" not in tm and tm["casi_per_comune"].rows == (("Comune Alfa", 1),)


def test_scope_is_limited_to_the_actors_comuni(engine: Engine, data: Ids) -> None:
    referent = _actor(data, role="referente_comunale")
    t = _tables(engine, referent, DashboardFilter(*PERIOD))
    assert [r[0] for r in t["casi_per_comune"].rows] == ["Comune Alfa"]
    with Session(engine) as s:
        assert metrics.allowed_comuni(s, referent) == [("alfa", "Comune Alfa")]
        with pytest.raises(NotFoundOrForbidden):
            metrics.dashboard_tables(s, referent, DashboardFilter(*PERIOD, comune="beta"))
        with pytest.raises(NotFoundOrForbidden):
            metrics.dashboard_tables(s, _actor(data, role="operatore_sportello"), FLT)
        with pytest.raises(NotFoundOrForbidden):
            metrics.dashboard_tables(s, None, FLT)


def test_csv_export_matches_the_table_and_is_audited(engine: Engine, data: Ids) -> None:
    actor = _actor(data)
    with Session(engine) as s:
        name, text = export_metric_csv(s, actor, FLT, "obiettivi")
        s.commit()
        with pytest.raises(NotFoundOrForbidden):
            export_metric_csv(s, actor, FLT, "'; DROP TABLE case_file; --")
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert name == "obiettivi_alfa_20250101-20250630.csv"
    lines = text.splitlines()
    assert lines[0].startswith("Tipo di intervento;Peggioramento;Nessun cambiamento")
    assert lines[2] == "Progetto educativo individualizzato (PEI);0;1;0;1;2;1,5"
    assert [(e.entity_type, e.entity_id, e.tenant_id) for e in events] == [("dashboard", "obiettivi", data.alfa)]


def test_empty_period_gives_zero_rows_not_errors(engine: Engine, data: Ids) -> None:
    t = _tables(engine, _actor(data), DashboardFilter(date(2010, 1, 1), date(2010, 1, 31), "alfa"))
    assert t["casi_per_mese"].rows == (("gen 2010", 0, 0),)
    assert t["accessi"].rows == () and t["obiettivi"].rows == ()
    assert t["accessi"].is_empty


def test_url_parameters_are_validated_with_italian_notices() -> None:
    from tutela_app.services.metrics_filters import parse_filter

    today = date(2026, 5, 10)
    flt, notices = parse_filter({"da": "2025-01-01", "a": "31/12/2025", "comune": "alfa", "servizio": "tm"},
                                {"alfa"}, today)
    assert (flt.date_from, flt.date_to, flt.comune, flt.service, notices) == (
        date(2025, 1, 1), date(2025, 12, 31), "alfa", "tm", [])
    assert flt.query_string() == "da=2025-01-01&a=2025-12-31&comune=alfa&servizio=tm"
    flt, notices = parse_filter({"da": "2025-13-01", "a": "x", "comune": "beta", "servizio": "' OR 1=1"}, {"alfa"}, today)
    assert (flt.date_from, flt.date_to, flt.comune, flt.service) == (date(2025, 5, 11), today, "tutti", "tutti")
    assert len(notices) == 3 and notices[0].startswith("Le date del periodo non sono valide")
    flt, notices = parse_filter({"da": "2025-06-01", "a": "2025-01-01"}, set(), today)
    assert notices == ["La data di inizio è successiva alla data di fine. Mostro gli ultimi 12 mesi."]
    flt, _ = parse_filter({"periodo": "anno_prec"}, set(), today)
    assert (flt.date_from, flt.date_to) == (date(2025, 1, 1), date(2025, 12, 31))
    assert (flt.previous().date_from, flt.previous().date_to) == (date(2024, 1, 1), date(2024, 12, 31))
