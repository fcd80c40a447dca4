"""The équipe's board and case file in Chromium: filter, open, record work, move, live update
in a colleague's browser, and a conflicting edit showing both versions."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import assert_accessible, login, wait_hydrated
from tests.support.app_server import AppServer

LIVE_TIMEOUT = 20_000  # the pages poll every 2 s


def _new_page(browser: Browser) -> Page:
    ctx = browser.new_context(locale="it-IT", viewport={"width": 1366, "height": 900})
    return ctx.new_page()


def _open_case_on_progetto(page: Page, app: AppServer) -> tuple[str, str]:
    """as.demo filters the board on the 'Progetto e interventi' stage and opens the first case."""
    login(page, app, "as.demo", next_path="/casi/")  # the static host adds the slash
    expect(page.get_by_role("heading", name="Bacheca dei casi", level=1)).to_be_visible(timeout=30_000)
    expect(page.locator("section[data-stage] li").first).to_be_visible(timeout=30_000)
    assert_accessible(page)
    page.locator("#filtro-stage").select_option("progetto")
    page.get_by_role("button", name="Filtra").click()
    expect(page.locator('section[data-stage="segnalazione"] li')).to_have_count(0, timeout=15_000)
    card = page.locator('section[data-stage="progetto"] li').first
    expect(card).to_be_visible()
    number = card.get_attribute("data-case-number") or ""
    card.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/casi/\d+/?$"), timeout=15_000)
    expect(page.locator("main h1")).to_contain_text(number, timeout=15_000)
    return page.url.rstrip("/").rsplit("/", 1)[-1], number


def test_equipe_member_works_a_case_and_colleague_sees_it_live(page: Page, app_server: AppServer,
                                                               browser: Browser) -> None:
    case_id, number = _open_case_on_progetto(page, app_server)
    expect(page.get_by_role("link", name="Tribunale e scadenze")).to_have_attribute("href", f"/casi/{case_id}/tribunale")
    assert_accessible(page)

    # The coordinator watches the same case on the board and in the file, in another browser.
    coord = _new_page(browser)
    login(coord, app_server, "coord.demo", next_path="/casi/")
    coord.locator("#filtro-q").fill(number)
    coord.get_by_role("button", name="Filtra").click()
    expect(coord.locator('section[data-stage="progetto"] li')).to_have_count(1, timeout=15_000)
    coord_file = coord.context.new_page()
    coord_file.goto(f"{app_server.url}/casi/{case_id}")
    wait_hydrated(coord_file)
    expect(coord_file.get_by_text("Progetto e interventi", exact=True)).to_be_visible(timeout=15_000)

    # as.demo records an intervention, a goal with its baseline, then moves the case on.
    today = date.today().isoformat()
    page.get_by_role("tab", name="Interventi").click()
    page.locator("#iv-tipo").select_option("lavoro_di_rete")
    page.locator("#iv-inizio").fill(today)
    page.locator("#iv-descrizione").fill("Incontro di rete con la scuola")
    page.get_by_role("button", name="Aggiungi intervento").click()
    expect(page.get_by_text("Intervento aggiunto.")).to_be_visible(timeout=15_000)
    page.locator("#ob-intervento").select_option(index=1)
    page.locator("#ob-descrizione").fill("Frequenza scolastica regolare")
    page.locator("#ob-punteggio").fill("4")
    page.locator("#ob-data").fill(today)
    page.locator("#ob-nota").fill("Assenze frequenti")
    page.get_by_role("button", name="Aggiungi obiettivo").click()
    expect(page.get_by_text("Obiettivo e valutazione iniziale registrati.")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Obiettivo: Frequenza scolastica regolare")).to_be_visible()
    assert_accessible(page)

    page.locator("#cf-sposta").select_option("monitoraggio")
    page.get_by_role("button", name="Sposta la pratica").click()
    expect(page.get_by_text("Pratica spostata in «Monitoraggio».")).to_be_visible(timeout=15_000)

    # The coordinator's pages follow without reloading.
    expect(coord_file.get_by_text("Monitoraggio", exact=True)).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(coord.locator('section[data-stage="monitoraggio"] li')).to_have_count(1, timeout=LIVE_TIMEOUT)
    expect(coord.locator('section[data-stage="progetto"] li')).to_have_count(0)
    coord_file.get_by_role("tab", name="Cronologia").click()
    expect(coord_file.locator("#cronologia")).to_contain_text("Passaggio a «Monitoraggio»")
    coord.context.close()


def test_conflicting_summary_edits_show_both_versions(page: Page, app_server: AppServer, browser: Browser) -> None:
    case_id, _ = _open_case_on_progetto(page, app_server)
    coord = _new_page(browser)
    login(coord, app_server, "coord.demo", next_path=f"/casi/{case_id}/")
    expect(coord.locator("#sintesi-registrata")).to_be_visible(timeout=15_000)
    coord.get_by_role("button", name="Modifica sintesi").click()
    page.get_by_role("button", name="Modifica sintesi").click()
    page.locator("#cf-sintesi").fill("Sintesi aggiornata da Giulia")
    page.get_by_role("button", name="Salva la sintesi").click()
    expect(page.get_by_text("Modifica salvata.")).to_be_visible(timeout=15_000)

    coord.locator("#cf-sintesi").fill("Sintesi aggiornata dal coordinatore")
    coord.get_by_role("button", name="Salva la sintesi").click()
    panel = coord.locator("#conflitto")
    expect(panel).to_contain_text("La scheda è stata modificata da un collega nel frattempo", timeout=15_000)
    expect(panel.get_by_test_id("conflitto-loro")).to_have_text("Sintesi aggiornata da Giulia")
    expect(panel.get_by_test_id("conflitto-mio")).to_have_text("Sintesi aggiornata dal coordinatore")
    assert_accessible(coord)
    coord.get_by_role("button", name="Riapplica la mia versione").click()
    expect(coord.get_by_text("Modifica salvata.")).to_be_visible(timeout=15_000)
    expect(panel).to_have_count(0)
    # as.demo's file follows live to the re-applied version, without reloading.
    expect(page.locator("#sintesi-registrata")).to_have_text("Sintesi aggiornata dal coordinatore", timeout=LIVE_TIMEOUT)
    coord.context.close()
