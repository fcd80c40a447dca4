"""A small fixed data set for the dashboard aggregates; expected values are computed by hand
in tests/unit/test_metrics.py (period 01/01/2025 - 30/06/2025, Comune 'alfa')."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tutela_app.models import (
    Accesso,
    Case,
    CaseStageChange,
    CourtMeasure,
    Evaluation,
    Goal,
    Intervention,
    Obligation,
    Person,
    Placement,
    ProbationProject,
    Referral,
    Staff,
    Tenant,
)
from tutela_app.services.goal_scores import refresh_goal_scores

PERIOD = (date(2025, 1, 1), date(2025, 6, 30))


@dataclass
class Ids:
    alfa: int
    beta: int
    s1: int
    s2: int


def _utc(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=UTC)


def build(engine: Engine) -> Ids:
    with Session(engine) as s:
        alfa = Tenant(code="alfa", name="Comune Alfa", buys_tutela_minori=True, buys_segretariato=True)
        beta = Tenant(code="beta", name="Comune Beta", buys_tutela_minori=True)
        s1 = Staff(issuer="urn:test", subject="s1", display_name="Operatrice Uno")
        s2 = Staff(issuer="urn:test", subject="s2", display_name="Operatore Due")
        s.add_all([alfa, beta, s1, s2])
        s.flush()
        people = [Person(tenant_id=alfa.id, provisional_id=f"P{i}", surname="Test", given_name=f"P{i}") for i in range(5)]
        pb = Person(tenant_id=beta.id, provisional_id="PB", surname="Test", given_name="PB")
        s.add_all([*people, pb])
        s.flush()
        p = [x.id for x in people]

        def case(tenant: int, n: str, service: str, stage: str, opened: date, closed: date | None, staff: int,
                 person: int) -> Case:
            c = Case(tenant_id=tenant, number=n, service=service, stage=stage, origin="segnalazione",
                     subject_person_id=person, opened_on=opened, closed_on=closed, responsible_staff_id=staff)
            s.add(c)
            s.flush()
            return c

        c1 = case(alfa.id, "C1", "tutela_minori", "monitoraggio", date(2024, 10, 1), None, s1.id, p[0])
        c2 = case(alfa.id, "C2", "tutela_minori", "chiusura", date(2025, 2, 10), date(2025, 5, 20), s1.id, p[1])
        c3 = case(alfa.id, "C3", "servizio_sociale", "valutazione", date(2025, 3, 5), None, s2.id, p[2])
        case(alfa.id, "C4", "tutela_minori", "segnalazione", date(2025, 7, 15), None, s1.id, p[3])
        case(alfa.id, "C5", "tutela_minori", "chiusura", date(2024, 1, 1), date(2024, 12, 31), s1.id, p[4])
        case(beta.id, "C6", "tutela_minori", "indagine", date(2025, 1, 10), None, s2.id, pb.id)

        for cid, frm, to, when in (
            (c1.id, None, "segnalazione", _utc(2024, 10, 1)), (c1.id, "segnalazione", "indagine", _utc(2024, 11, 1)),
            (c1.id, "indagine", "progetto", _utc(2025, 2, 1)), (c1.id, "progetto", "monitoraggio", _utc(2025, 8, 1)),
            (c2.id, None, "segnalazione", _utc(2025, 2, 10)), (c2.id, "segnalazione", "chiusura", _utc(2025, 5, 20)),
            (c3.id, None, "valutazione", _utc(2025, 3, 5)),
        ):
            s.add(CaseStageChange(case_id=cid, tenant_id=alfa.id, from_stage=frm, to_stage=to, changed_at=when))

        def measure(kind: str, issued: date) -> None:
            s.add(CourtMeasure(case_id=c1.id, tenant_id=alfa.id, measure_type=kind, court="TM Milano",
                               docket_number=kind, issued_on=issued))

        measure("affidamento_servizio_sociale", date(2024, 10, 15))
        measure("affido_familiare", date(2025, 8, 1))

        def obligation(kind: str, due: date, status: str, fulfilled: date | None = None) -> None:
            s.add(Obligation(case_id=c1.id, tenant_id=alfa.id, kind=kind, title=kind, status=status,
                             due_at=_utc(due.year, due.month, due.day, 21, 59), fulfilled_on=fulfilled))

        obligation("periodic_report", date(2025, 2, 15), "adempiuto", date(2025, 2, 14))
        obligation("periodic_report", date(2025, 3, 15), "adempiuto", date(2025, 3, 20))
        obligation("periodic_report", date(2025, 4, 15), "aperto")
        obligation("periodic_report", date(2025, 6, 15), "aperto")
        obligation("periodic_report", date(2025, 5, 1), "annullato")
        obligation("name_responsible_worker", date(2025, 2, 1), "aperto")
        obligation("periodic_report", date(2025, 7, 15), "aperto")
        obligation("periodic_report", date(2025, 5, 10), "adempiuto", date(2025, 5, 10))

        i1 = Intervention(case_id=c1.id, tenant_id=alfa.id, kind="pei", start_on=date(2024, 10, 1))
        i2 = Intervention(case_id=c3.id, tenant_id=alfa.id, kind="osservazione", start_on=date(2025, 3, 5))
        s.add_all([i1, i2])
        s.flush()
        for interv, case_id, scores in (
            (i1, c1.id, [(date(2024, 10, 5), 3, True), (date(2025, 1, 10), 4, False), (date(2025, 4, 10), 6, False)]),
            (i1, c1.id, [(date(2024, 10, 5), 2, True), (date(2025, 3, 1), 2, False)]),
            (i2, c3.id, [(date(2025, 3, 6), 5, True), (date(2025, 5, 6), 4, False), (date(2025, 7, 10), 9, False)]),
            (i2, c3.id, [(date(2025, 3, 6), 4, True), (date(2025, 6, 1), 5, False)]),
            (i1, c1.id, [(date(2024, 10, 5), 5, True)]),
            (i1, c1.id, [(date(2025, 2, 1), 7, False)]),
        ):
            goal = Goal(intervention_id=interv.id, case_id=case_id, tenant_id=alfa.id, description="obiettivo")
            s.add(goal)
            s.flush()
            for day, score, baseline in scores:
                s.add(Evaluation(goal_id=goal.id, tenant_id=alfa.id, evaluated_on=day, score=score, is_baseline=baseline))
            s.flush()
            refresh_goal_scores(s, [goal.id])  # as the evaluation service does

        for kind, start, end, outcome in (
            ("comunita", date(2023, 1, 1), date(2025, 3, 1), "rientro_famiglia"),
            ("affido_familiare", date(2024, 2, 1), date(2025, 4, 1), "altro_collocamento"),
            ("comunita", date(2023, 5, 1), None, None),
            ("affido_familiare", date(2025, 2, 1), None, None),
            ("comunita", date(2024, 3, 1), None, None),
            ("comunita", date(2024, 12, 1), date(2025, 8, 1), None),
        ):
            s.add(Placement(case_id=c1.id, tenant_id=alfa.id, kind=kind, host_name="Struttura", start_on=start,
                            end_on=end, outcome=outcome))
        for end, outcome in ((date(2025, 3, 1), "esito_positivo"), (date(2025, 5, 1), None), (date(2025, 8, 1), None)):
            s.add(ProbationProject(case_id=c1.id, tenant_id=alfa.id, start_on=date(2024, 6, 1), end_on=end,
                                   outcome=outcome))

        accessi = []
        for n, person, area, outcome, when, status in (
            (1, p[0], "famiglia_minori", "informazione", _utc(2025, 1, 15), "confermato"),
            (2, p[0], "famiglia_minori", "invio", _utc(2025, 2, 15), "confermato"),
            (3, p[0], "anziani", "invio", _utc(2025, 3, 15), "confermato"),
            (4, p[1], "anziani", "informazione", _utc(2025, 4, 1), "confermato"),
            (5, p[2], "disabili", "presa_in_carico", _utc(2024, 12, 31, 23, 30), "confermato"),  # 1 Jan in Rome
            (6, p[2], "disabili", "informazione", _utc(2025, 6, 30, 22, 30), "confermato"),  # 1 Jul in Rome
            (7, p[3], "anziani", None, _utc(2025, 4, 2), "bozza"),
            (8, p[1], "anziani", "informazione", _utc(2025, 4, 3), "annullato"),
        ):
            a = Accesso(tenant_id=alfa.id, number=f"A{n}", status=status, person_id=person, operator_id=s1.id,
                        need_area=area, outcome=outcome if status == "confermato" else None, started_at=when)
            s.add(a)
            accessi.append(a)
        s.flush()
        for dest, taken, when in (
            ("sociale", True, _utc(2025, 2, 1)), ("sociale", False, _utc(2025, 3, 1)), ("casa", None, _utc(2025, 4, 1)),
            ("socio_sanitario", True, _utc(2025, 5, 1)), ("sociale", True, _utc(2024, 12, 1)),
        ):
            s.add(Referral(tenant_id=alfa.id, accesso_id=accessi[0].id, person_id=p[0], destination_type=dest,
                           destination_name="Servizio", taken_up=taken, created_at=when))
        s.commit()
        return Ids(alfa.id, beta.id, s1.id, s2.id)
