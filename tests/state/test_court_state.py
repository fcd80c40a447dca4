"""Court page states (/casi/[id]/tribunale), without a browser, on a seeded database:
hostile payloads to the decree, diary and obligation-closing handlers are refused with
Italian messages and write nothing; one real save each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from sqlalchemy import text
from sqlmodel import Session, select

from tests.support import seeded
from tutela_app.auth.sessions import COOKIE_NAME
from tutela_app.models import Case, CourtMeasure, DiaryEntry, Obligation, Tenant
from tutela_app.pages.court.base import NOT_FOUND
from tutela_app.pages.court.diary_state import DiaryState
from tutela_app.pages.court.report_state import ReportState
from tutela_app.pages.court.state import CourtState
from tutela_app.seed import seed_database

INVALID = {"_": "Dati del modulo non validi."}
ISSUED = date.today() - timedelta(days=20)
NOTIFIED = date.today() - timedelta(days=18)
HOSTILE_FORMS = ["not a form", None, ["court"], {"court": ["x"]}, {"court": {"a": 1}}, {"tasks": "x" * 20000},
                 {f"k{i}": "v" for i in range(500)}, {7: "x"}]
DECREE = {"measure_type": "affidamento_servizio_sociale", "court": "Tribunale per i Minorenni di Milano",
          "docket_number": "123/2026 V.G.", "issued_on": ISSUED.isoformat(), "notified_on": NOTIFIED.isoformat(),
          "tasks": "Vigilanza e sostegno", "report_period_months": "4"}


@pytest.fixture
def world(engine):  # noqa: ANN001, ANN201
    seed_database(engine, scale="tiny", today=date.today())
    with engine.connect() as conn:
        mine = conn.execute(text(
            "SELECT DISTINCT c.id FROM case_file c JOIN caseassignment a ON a.case_id = c.id "
            "JOIN staff s ON s.id = a.staff_id JOIN tenant t ON t.id = c.tenant_id "
            "WHERE s.subject = 'u-as-demo' AND a.until IS NULL AND c.closed_on IS NULL AND t.code = 'demo' "
            "AND c.service = 'tutela_minori' ORDER BY c.id"
        )).scalar()
    with Session(engine) as s:
        demo = s.execute(select(Tenant.id).where(Tenant.code == "demo")).scalar_one()
        other = s.execute(select(Case.id).where(Case.tenant_id != demo).order_by(Case.id)).scalars().first()
        other_ob = s.execute(select(Obligation.id).join(Case, Case.id == Obligation.case_id).where(
            Case.tenant_id != demo, Obligation.status == "aperto")).scalars().first()
    assert mine and other and other_ob, "the tiny seed has the cases these tests need"
    return {"engine": engine, "mine": str(mine), "other": str(other), "other_ob": str(other_ob)}


def _states(engine, username: str, case_id: str) -> tuple[CourtState, DiaryState]:  # noqa: ANN001
    token = seeded.session_cookie(engine, username)
    path = f"/casi/{case_id}/tribunale"
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({
        "headers": {"cookie": f"{COOKIE_NAME}={token}", "origin": "http://localhost:3000"},
        "asPath": path, "pathname": "/casi/[case_id]/tribunale",
    })
    return tuple(root.get_substate(cls.get_full_name().split(".")[1:]) for cls in (CourtState, DiaryState))  # type: ignore[return-value]


def _counts(engine) -> dict[str, int]:  # noqa: ANN001
    return seeded.row_counts(engine)


async def test_decree_form_refuses_hostile_payloads_and_saves_a_real_decree(world) -> None:  # noqa: ANN001
    engine = world["engine"]
    court, _ = _states(engine, "as.demo", world["mine"])
    await court.load()
    assert court.loaded and not court.not_found and court.can_edit
    existing = {m["id"] for m in court.measures}
    before = _counts(engine)

    await court.submit_measure(DECREE)  # no form opened
    assert court.measure_errors == INVALID
    for mode, measure_id in [(["nuovo"], ""), ({"m": 1}, ""), (None, None), ("cancella", ""), ("rettifica", "abc"),
                             ("rettifica", ["1"]), ("proroga", "999999")]:
        await court.start_measure(mode, measure_id)
        assert court.measure_mode == "", (mode, measure_id)
    court.set_measure_type(["affido"])
    court.set_measure_type("inventato")
    assert court.measure_type_sel == ""

    await court.start_measure("nuovo", "")
    assert court.measure_mode == "nuovo"
    for form in HOSTILE_FORMS:
        await court.submit_measure(form)
        assert court.measure_errors == INVALID, form
    await court.submit_measure({})
    assert {"measure_type", "court", "docket_number", "issued_on"} <= set(court.measure_errors)
    assert court.measure_errors["measure_type"] == "Scegli il tipo di provvedimento."
    await court.submit_measure({**DECREE, "measure_type": 5, "report_period_months": 99, "issued_on": True})
    assert set(court.measure_errors) >= {"measure_type", "report_period_months", "issued_on"}
    assert court.measure_errors["report_period_months"] == "Indica un numero di mesi tra 1 e 24."
    await court.submit_measure({**DECREE, "issued_on": (date.today() + timedelta(days=3)).isoformat()})
    assert court.measure_errors["issued_on"] == "La data del provvedimento non può essere nel futuro."
    assert _counts(engine) == before and court.measure_mode == "nuovo"

    await court.submit_measure(DECREE)
    assert court.measure_errors == {} and court.measure_mode == ""
    assert court.message == "Provvedimento registrato: le scadenze sono state calcolate."
    [new] = [m for m in court.measures if m["id"] not in existing]
    assert (new["type"], new["docket"], new["status"]) == ("affidamento_servizio_sociale", "123/2026 V.G.", "in_vigore")
    assert any(o["open"] for o in court.obligations)
    with Session(engine) as s:
        assert s.get(CourtMeasure, int(new["id"])).case_id == int(world["mine"])


async def test_another_comunes_case_is_not_found_and_nothing_is_written(world) -> None:  # noqa: ANN001
    engine = world["engine"]
    court, diary = _states(engine, "as.demo", world["other"])
    hostile, _ = _states(engine, "as.demo", "1%20OR%201=1")
    await court.load()
    await diary.load()
    assert court.not_found and court.measures == [] and court.obligations == [] and diary.entries == []
    before = _counts(engine)
    await court.start_measure("nuovo", "")
    await court.submit_measure(DECREE)
    assert court.measure_errors == {"_": NOT_FOUND}
    await diary.submit({"tag": "fatto", "occurred_on": ISSUED.isoformat(), "text": "Visita domiciliare"})
    assert diary.errors == {"_": NOT_FOUND} and diary.message == ""
    court.start_close(world["other_ob"])  # not among the loaded obligations: ignored
    assert court.close_target == ""
    court.close_target = world["other_ob"]  # even if it were targeted, the service refuses it
    await court.submit_close({"act": "Relazione", "fulfilled_on": ISSUED.isoformat(), "protocol": "P-1"})
    assert court.close_errors == {"_": NOT_FOUND}
    # the case id comes from the URL only: a hostile path gives no case at all
    await hostile.load()
    assert hostile.case_id == "" and hostile.not_found
    assert _counts(engine) == before
    with Session(engine) as s:
        assert s.get(Obligation, int(world["other_ob"])).status == "aperto"


async def test_diary_form_refuses_hostile_payloads_and_saves_an_entry(world) -> None:  # noqa: ANN001
    engine = world["engine"]
    _, diary = _states(engine, "as.demo", world["mine"])
    await diary.load()
    before = _counts(engine)
    for form in HOSTILE_FORMS:
        await diary.submit(form)
        assert diary.errors == INVALID, form
    await diary.submit({})
    assert diary.errors == {"tag": "Scegli se è un fatto, una dichiarazione o una valutazione.",
                            "occurred_on": diary.errors["occurred_on"], "text": "Scrivi il contenuto della nota."}
    await diary.submit({"tag": "dichiarazione", "occurred_on": ISSUED.isoformat(), "text": "Riferisce litigi"})
    assert set(diary.errors) == {"source"}
    await diary.submit({"tag": "valutazione", "occurred_on": "2026-02-30", "text": "Osservazione", "restricted": True})
    assert set(diary.errors) == {"occurred_on", "method"}
    await diary.submit({"tag": 5, "occurred_on": 1.5, "text": 12345})  # numbers become text, then fail validation
    assert set(diary.errors) == {"tag", "occurred_on"}
    for tag in [["fatto"], {"t": 1}, None, "segreto"]:
        diary.set_tag(tag)
    assert diary.tag == ""
    assert _counts(engine) == before and diary.message == ""

    body = "Visita domiciliare svolta con la madre presente"
    await diary.submit({"tag": "fatto", "occurred_on": ISSUED.isoformat(), "text": body, "confidential": "true"})
    assert diary.errors == {} and diary.message == "Annotazione salvata nel diario."
    assert diary.entries[0]["text"] == body and diary.entries[0]["confidential"] == "1"
    with Session(engine) as s:
        assert s.execute(select(DiaryEntry).where(DiaryEntry.text == body)).scalars().one().tag == "fatto"


async def test_obligation_closing_refuses_hostile_payloads_and_closes_with_the_act(world) -> None:  # noqa: ANN001
    engine = world["engine"]
    court, _ = _states(engine, "as.demo", world["mine"])
    await court.load()
    await court.start_measure("nuovo", "")
    await court.submit_measure(DECREE)
    target = next(o for o in court.obligations if o["open"])
    before = _counts(engine)

    await court.submit_close({"act": "Relazione", "fulfilled_on": ISSUED.isoformat(), "protocol": "P-1"})
    assert court.close_errors == INVALID  # nothing selected
    for hostile in [5, None, ["1"], {"id": target["id"]}, "abc", "999999999", "-1", "9" * 40]:
        court.start_close(hostile)
        assert court.close_target == "", hostile
    court.start_close(target["id"])
    assert court.close_target == target["id"] and court.close_title == target["title"]
    for form in HOSTILE_FORMS:
        await court.submit_close(form)
        assert court.close_errors == INVALID, form
    await court.submit_close({})
    assert court.close_errors == {"act": "Indica l'atto che adempie la scadenza (es. relazione trasmessa).",
                                  "fulfilled_on": court.close_errors["fulfilled_on"],
                                  "protocol": "Inserisci il numero di protocollo dell'atto."}
    await court.submit_close({"act": "A" * 300, "fulfilled_on": (date.today() + timedelta(days=5)).isoformat(),
                              "protocol": 12})
    assert court.close_errors == {"act": "Massimo 200 caratteri.",
                                  "fulfilled_on": "La data dell'atto non può essere nel futuro."}
    assert _counts(engine) == before and court.close_target == target["id"]

    await court.submit_close({"act": "Relazione trasmessa al Tribunale", "fulfilled_on": date.today().isoformat(),
                              "protocol": "PROT-2026-001"})
    assert court.close_errors == {} and court.close_target == ""
    assert court.message == "Scadenza chiusa con l'atto indicato."
    closed = next(o for o in court.obligations if o["id"] == target["id"])
    assert closed["status"] == "adempiuto" and closed["protocol"] == "PROT-2026-001"
    with Session(engine) as s:
        assert s.get(Obligation, int(target["id"])).status == "adempiuto"


async def test_report_selection_and_download_ignore_unhashable_arguments(world) -> None:  # noqa: ANN001
    engine = world["engine"]
    court, _ = _states(engine, "as.demo", world["mine"])
    reports = court.parent_state.get_substate(ReportState.get_full_name().split(".")[2:])
    await reports.load()
    before = _counts(engine)
    for report_id, audience in [("1", ["tribunale"]), ("1", {"a": 1}), (["1"], "tribunale"), ("1", "giornale")]:
        assert await reports.select(report_id, audience) is None
        assert reports.selected == "", (report_id, audience)
    for fmt, audience in [("pdf", ["tribunale"]), (["pdf"], "tribunale"), ("exe", "tribunale"), ("pdf", "tribunale")]:
        assert await reports.download(fmt, audience) is None  # nothing selected, or not a valid choice
    assert _counts(engine) == before
