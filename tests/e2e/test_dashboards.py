"""Cruscotti in Chromium: filters kept in the URL, charts and tables, CSV export, the PDF report."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, login, wait_hydrated
from tests.support.app_server import AppServer

LAST_YEAR = date.today().year - 1


def _table_cells(page: Page, key: str) -> tuple[list[str], list[list[str]]]:
    table = page.locator(f"#tabella-{key} table")
    header = [c.strip() for c in table.locator("thead th").all_inner_texts()]
    rows = [[c.strip() for c in r.locator("th, td").all_inner_texts()] for r in table.locator("tbody tr").all()]
    return header, rows


def test_coordinator_filters_charts_url_table_csv_and_pdf(page: Page, app_server: AppServer, tmp_path: Path) -> None:
    login(page, app_server, "coord.demo", next_path="/cruscotti")
    expect(page.get_by_role("heading", name="Cruscotti", level=1)).to_be_visible()
    expect(page.locator("#grafico-casi_per_comune .js-plotly-plot")).to_be_visible(timeout=30_000)
    options = page.locator("#filtro-comune option").all_inner_texts()
    assert options == ["Tutti i miei Comuni", "Comune Demo", "Comune di Inzago"]

    page.select_option("#filtro-comune", "demo")
    expect(page).to_have_url(re.compile(r"comune=demo"), timeout=15_000)
    expect(page.locator("#filtro-corrente")).to_contain_text("Comune Demo")

    page.select_option("#filtro-periodo", "anno_prec")
    expect(page).to_have_url(re.compile(rf"da={LAST_YEAR}-01-01&a={LAST_YEAR}-12-31&comune=demo"), timeout=15_000)

    page.fill("#filtro-da", f"{LAST_YEAR}-03-01")
    page.fill("#filtro-a", f"{LAST_YEAR}-11-30")
    page.get_by_role("button", name="Applica periodo").click()
    expect(page).to_have_url(re.compile(rf"da={LAST_YEAR}-03-01&a={LAST_YEAR}-11-30"), timeout=15_000)
    expect(page.locator("#filtro-corrente")).to_contain_text(f"Dal 01/03/{LAST_YEAR} al 30/11/{LAST_YEAR}")
    expect(page.locator("#grafico-casi_per_mese .js-plotly-plot")).to_contain_text(f"mar {LAST_YEAR}")

    panel = page.locator("#grafico-accessi")
    panel.get_by_role("button", name="Mostra tabella").click()
    expect(page.locator("#tabella-accessi table")).to_be_visible()
    header, rows = _table_cells(page, "accessi")
    assert header[0] == "Area di bisogno" and "Presa in carico" in header
    assert rows, "the front-desk table has rows for Comune Demo"

    with page.expect_download() as info:
        panel.get_by_role("button", name=re.compile("^Esporta CSV")).click()
    download = info.value
    assert download.suggested_filename.startswith("accessi_demo_")
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert parsed[0] == header
    assert parsed[1:] == rows

    assert_accessible(page)

    page.fill("#relazione-da", f"{LAST_YEAR}-01-01")
    page.fill("#relazione-a", f"{LAST_YEAR}-12-31")
    page.get_by_role("button", name="Genera la relazione").click()
    expect(page.locator("#relazione-stato")).to_have_text(re.compile("Relazione pronta"), timeout=60_000)
    archive = page.locator("#relazioni-archiviate")
    expect(archive).to_contain_text(f"01/01/{LAST_YEAR} – 31/12/{LAST_YEAR}")
    with page.expect_download() as info:
        archive.get_by_role("button", name=re.compile("Scarica PDF: relazione Comune Demo")).first.click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert b"Comune Demo" in pdf


def test_shared_link_restores_the_view_and_invalid_parameters_fall_back(page: Page, app_server: AppServer) -> None:
    login(page, app_server, "admin", next_path="/cruscotti")
    page.goto(f"{app_server.url}/cruscotti?da={LAST_YEAR}-01-01&a={LAST_YEAR}-06-30&comune=demo&servizio=seg")
    wait_hydrated(page)
    expect(page.locator("#filtro-corrente")).to_contain_text(f"Dal 01/01/{LAST_YEAR} al 30/06/{LAST_YEAR}",
                                                             timeout=30_000)
    expect(page.locator("#filtro-servizio")).to_have_value("seg")
    expect(page.locator("#grafico-accessi .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator("#grafico-relazioni_in_termine")).to_have_count(0)

    page.goto(f"{app_server.url}/cruscotti?da=31-99-2025&comune=<script>&servizio=x")
    wait_hydrated(page)
    expect(page.get_by_text("Le date del periodo non sono valide")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("non è tra quelli che puoi consultare")).to_be_visible()
    expect(page.locator("#filtro-comune")).to_have_value("tutti")
    expect(page).to_have_url(re.compile(r"comune=tutti&servizio=tutti"))


def test_municipal_referent_sees_only_their_comune(page: Page, app_server: AppServer) -> None:
    login(page, app_server, "referente.demo", next_path="/cruscotti?comune=inzago")
    expect(page.get_by_text("non è tra quelli che puoi consultare")).to_be_visible(timeout=30_000)
    assert page.locator("#filtro-comune option").all_inner_texts() == ["Tutti i miei Comuni", "Comune Demo"]
    page.locator("#grafico-casi_per_comune").get_by_role("button", name="Mostra tabella").click()
    expect(page.locator("#tabella-casi_per_comune tbody tr")).to_have_count(1)
    _, rows = _table_cells(page, "casi_per_comune")
    assert [r[0] for r in rows] == ["Comune Demo"]
    expect(page.get_by_role("button", name="Genera la relazione")).to_have_count(0)
    assert_accessible(page)
