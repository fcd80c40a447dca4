"""Dashboard states (/cruscotti), without a browser, on a seeded database: filters from the
URL are validated with Italian notices, a Comune outside the actor's is never selected,
and the CSV export refuses what is not one of the charts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from reflex.istate.data import RouterData
from reflex.state import State

from tests.support import seeded
from tutela_app.auth.sessions import COOKIE_NAME
from tutela_app.models import AuditEvent
from tutela_app.pages.dashboards.report_state import ServiceReportState
from tutela_app.pages.dashboards.state import FORBIDDEN_MSG, DashboardState
from tutela_app.seed import seed_database
from tutela_app.services.metrics_filters import default_filter

HUGE = "x" * 20000


def _root(engine, username: str, query: str = "") -> State:  # noqa: ANN001
    token = seeded.session_cookie(engine, username)
    path = "/cruscotti" + (f"?{query}" if query else "")
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({
        "headers": {"cookie": f"{COOKIE_NAME}={token}", "origin": "http://localhost:3000"},
        "asPath": path, "pathname": "/cruscotti",
    })
    return root


def _dash(engine, username: str, query: str = "") -> DashboardState:  # noqa: ANN001
    return _root(engine, username, query).substates[DashboardState.get_name()]


@pytest.fixture
def engine_seeded(engine):  # noqa: ANN001, ANN201
    seed_database(engine, scale="tiny", today=date.today())
    return engine


def _exports(engine) -> int:  # noqa: ANN001
    return seeded.count(engine, AuditEvent, AuditEvent.action == "export", AuditEvent.entity_type == "dashboard")


async def test_invalid_link_parameters_fall_back_to_defaults_with_italian_notices(engine_seeded) -> None:  # noqa: ANN001
    default = default_filter(date.today())
    dash = _dash(engine_seeded, "admin", "da=2025-02-30&a=ieri&comune=atlantide&servizio=spazio&periodo=eterno")
    redirect = await dash.load()
    assert dash.loaded and dash.error == ""
    assert dash.notices == [
        "Il periodo indicato nel link non è valido: mostro gli ultimi 12 mesi.",
        "Le date del periodo non sono valide (usa il formato gg/mm/aaaa). Mostro gli ultimi 12 mesi.",
        "Il Comune indicato nel link non è tra quelli che puoi consultare: mostro tutti i tuoi Comuni.",
        "Il servizio indicato nel link non è valido: mostro entrambi i servizi.",
    ]
    assert (dash.f_from, dash.f_to, dash.f_comune, dash.f_service, dash.f_preset) == (
        default.date_from.isoformat(), default.date_to.isoformat(), "tutti", "tutti", "12m")
    assert "replaceState" in str(redirect)  # the corrected filter goes back into the address bar

    reversed_dates = _dash(engine_seeded, "admin", "da=2025-06-01&a=2025-01-01")
    await reversed_dates.load()
    assert reversed_dates.notices == ["La data di inizio è successiva alla data di fine. Mostro gli ultimi 12 mesi."]
    huge = _dash(engine_seeded, "admin", f"da={HUGE}&a={HUGE}&comune={HUGE}")
    await huge.load()
    assert huge.loaded and len(huge.notices) == 2 and huge.f_comune == "tutti"

    good = _dash(engine_seeded, "admin", "da=2025-01-01&a=2025-06-30&comune=demo&servizio=tm")
    await good.load()
    assert good.notices == [] and (good.f_from, good.f_to, good.f_comune, good.f_service) == (
        "2025-01-01", "2025-06-30", "demo", "tm")
    assert good.f_preset == "personalizzato" and "Comune Demo" in good.filter_label
    assert good.visible["casi_per_misura"] and not good.visible["accessi"]


async def test_referente_cannot_select_another_comune(engine_seeded) -> None:  # noqa: ANN001
    dash = _dash(engine_seeded, "referente.demo", "comune=cantu")
    await dash.load()
    assert [c["code"] for c in dash.comuni] == ["demo"]
    assert dash.notices == ["Il Comune indicato nel link non è tra quelli che puoi consultare: mostro tutti i tuoi Comuni."]
    assert dash.f_comune == "tutti"
    tables_before = dict(dash.rows)
    for hostile in ["cantu", "inzago", ["cantu"], {"code": "cantu"}, None, 7, HUGE, "demo' OR '1'='1"]:
        assert await dash.set_comune(hostile) is None
        assert dash.f_comune == "tutti" and dash.rows == tables_before, hostile
    await dash.set_comune("demo")
    assert dash.f_comune == "demo" and "Comune Demo" in dash.filter_label

    # Even a filter that named another Comune (never reachable from the client) is refused by the service.
    before = _exports(engine_seeded)
    dash._filter = replace(dash._filter, comune="cantu")
    assert await dash.export_csv("casi_per_fase") is None
    assert dash.error == "Esportazione non disponibile per questo grafico."
    assert _exports(engine_seeded) == before

    reports = _root(engine_seeded, "referente.demo").substates[ServiceReportState.get_name()]
    await reports.load()
    assert not reports.can_generate and reports.report_comuni == []
    reports.set_report_comune("cantu")
    assert reports.r_comune == ""
    for hostile in ["abc", ["1"], 1, None, "9" * 40, "-1"]:
        assert await reports.download(hostile) is None, hostile
        assert reports.r_error == ""
    assert await reports.download("999999") is None
    assert reports.r_error == "Relazione non trovata o non accessibile."


async def test_csv_export_refuses_unknown_charts_and_exports_a_real_one(engine_seeded) -> None:  # noqa: ANN001
    dash = _dash(engine_seeded, "coord.demo")
    assert await dash.export_csv("casi_per_fase") is None  # nothing loaded yet: no filter, no export
    await dash.load()
    before = _exports(engine_seeded)
    for hostile in ["drop_table", "", None, ["casi_per_fase"], {"key": "casi_per_fase"}, 3, HUGE, "__class__"]:
        assert await dash.export_csv(hostile) is None, hostile
    assert _exports(engine_seeded) == before and dash.error == ""

    await dash.set_service("seg")
    assert dash.f_service == "seg"
    assert await dash.export_csv("casi_per_misura") is None  # a court chart is not part of the front-desk view
    assert dash.error == "Esportazione non disponibile per questo grafico."
    await dash.set_service("tutti")
    spec = await dash.export_csv("casi_per_fase")
    assert spec is not None and "casi_per_fase_tutti_" in str(spec)
    assert _exports(engine_seeded) == before + 1

    # The other handlers ignore what is not one of their values.
    shown = dict(dash.show_table)
    for hostile in [None, ["x"], "nessuno", HUGE]:
        dash.toggle_table(hostile)
        await dash.set_preset(hostile)
        await dash.set_service(hostile)
    assert dash.show_table == shown and (dash.f_service, dash.f_preset) == ("tutti", "12m")
    dash.set_date_from(HUGE)
    dash.set_date_to(["2025-01-01"])
    assert dash.f_preset == "12m"
    dash.set_date_from("2025-13-01")
    await dash.apply_period({"ignored": HUGE})
    assert dash.period_error == "Le date del periodo non sono valide (usa il formato gg/mm/aaaa)."
    dash.set_date_from((date.today() - timedelta(days=30)).isoformat())
    dash.set_date_to(date.today().isoformat())
    await dash.apply_period()
    assert dash.period_error == "" and dash.f_preset == "personalizzato"

    nobody = _dash(engine_seeded, "operatore.demo")
    await nobody.load()
    assert nobody.error == FORBIDDEN_MSG and not nobody.loaded
    assert await nobody.export_csv("casi_per_fase") is None


def test_neighbours_are_the_other_presets_and_services_one_click_away() -> None:
    from tutela_app.pages.dashboards.state import neighbours
    from tutela_app.services.metrics_filters import DashboardFilter, preset_period

    today = date(2026, 12, 1)
    current = DashboardFilter(*preset_period("12m", today), "demo", "tm")
    near = neighbours(current, today)
    assert current not in near and len(near) == len(set(near)) == 4
    assert {(n.date_from, n.date_to) for n in near if n.service == "tm"} == {
        preset_period("anno", today), preset_period("anno_prec", today)}
    assert {n.service for n in near if (n.date_from, n.date_to) == preset_period("12m", today)} == {"tutti", "seg"}
    assert all(n.comune == "demo" for n in near)


async def test_opening_the_dashboards_prefetches_the_next_clicks_into_the_shared_cache(engine_seeded) -> None:  # noqa: ANN001
    import asyncio

    from tutela_app.pages.dashboards import state as dashboard_state
    from tutela_app.services import metrics

    metrics._RESULTS.clear()  # noqa: SLF001
    dash = _dash(engine_seeded, "admin")
    await dash.load()
    await asyncio.gather(*list(dashboard_state._prefetches))  # noqa: SLF001
    computed = metrics._RESULTS.misses  # noqa: SLF001
    assert computed == 1 + 4  # the page's own filter and its four neighbours
    await dash.set_preset("anno_prec")
    assert dash.f_preset == "anno_prec" and dash.visible["casi_per_fase"]
    assert metrics._RESULTS.misses == computed  # answered from the prefetched entry  # noqa: SLF001
