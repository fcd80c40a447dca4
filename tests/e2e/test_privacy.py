"""Privacy page in Chromium: an administrator sets a Comune's retention period (bad input
kept and explained), runs the dry run, and exports one person's data (GDPR art. 15);
an operator sees neither the link nor the page's content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import assert_accessible, login, wait_hydrated
from tests.support.app_server import AppServer

PATH = "/amministrazione/privacy"


def _demo_subject(app: AppServer) -> tuple[int, int, int]:
    """(demo tenant id, a demo person with an accesso and a case of their household, export audits)."""
    engine = create_engine(app.env["TUTELA_DATABASE_URL"])
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT t.id, p.id FROM person p JOIN tenant t ON t.id = p.tenant_id "
            "JOIN accesso a ON a.person_id = p.id JOIN householdmember m ON m.person_id = p.id "
            "JOIN case_file c ON c.household_id = m.household_id AND c.tenant_id = t.id "
            "WHERE t.code = 'demo' ORDER BY p.id LIMIT 1"
        )).first()
        audits = conn.execute(text("SELECT count(*) FROM auditevent WHERE action = 'export' AND entity_type = 'person'"
                                   )).scalar_one()
    engine.dispose()
    if row is None:
        pytest.fail("the demo data has no person with an accesso and a case")
    return int(row[0]), int(row[1]), int(audits)


def _export_audits(app: AppServer, person_id: int) -> int:
    engine = create_engine(app.env["TUTELA_DATABASE_URL"])
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM auditevent WHERE action = 'export' AND entity_type = 'person' "
                              "AND person_id = :p"), {"p": person_id}).scalar_one()
    engine.dispose()
    return int(n)


def test_admin_sets_retention_runs_dry_run_and_exports_a_person(page: Page, app_server: AppServer) -> None:
    demo, person_id, _ = _demo_subject(app_server)
    exports_before = _export_audits(app_server, person_id)
    login(page, app_server, "admin", next_path=PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Privacy"), timeout=20_000)
    expect(page.get_by_role("navigation", name="Navigazione principale").get_by_role("link", name="Privacy")).to_be_visible()
    card = page.locator(f"section[aria-labelledby='comune-{demo}']")
    expect(card).to_contain_text("Periodo attuale: 10 anni")
    assert_accessible(page)

    years = page.locator(f"#anni-{demo}")
    years.fill("0")
    card.get_by_role("button", name="Salva").click()
    expect(card).to_contain_text("Indica un numero intero di anni tra 1 e 100.")
    expect(years).to_have_value("0")  # what was typed is kept
    years.fill("1")
    card.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Periodo di conservazione di Comune Demo impostato a 1 anno.")).to_be_visible()
    expect(card).to_contain_text("Periodo attuale: 1 anno")

    card.get_by_role("button", name=re.compile("Simula la conservazione")).click()
    table = page.locator("#tabella-simulazione")
    expect(table).to_be_visible(timeout=20_000)
    expect(page.locator("#simulazione-titolo")).to_contain_text("Comune Demo: conservazione di 1 anno")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    for i in range(3):
        assert re.fullmatch(r"\d+", rows.nth(i).locator("td").first.inner_text().strip())
    rows.first.locator("summary").click()
    ids = rows.first.locator("details p, details span").first.inner_text()
    assert re.fullmatch(r"(—|\d+(, \d+)*( … e altri \d+)?)", ids.strip()), ids

    page.locator("#richiesta-tenant_id").select_option(str(demo))
    page.locator("#richiesta-codice_fiscale").fill("ABC")
    page.get_by_role("button", name="Esporta i dati della persona (JSON)").click()
    expect(page.locator("#richiesta-codice_fiscale-errore")).to_have_text("Il codice fiscale deve avere 16 caratteri.")
    expect(page.locator("#richiesta-codice_fiscale")).to_have_value("ABC")
    page.locator("#richiesta-codice_fiscale").fill("")
    page.locator("#richiesta-person_id").fill(str(person_id))
    with page.expect_download() as info:
        page.get_by_role("button", name="Esporta i dati della persona (JSON)").click()
    download = info.value
    assert download.suggested_filename.startswith(f"accesso-interessato-persona-{person_id}-")
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert document["person"]["id"] == person_id
    assert document["accessi"] and all(a["person_id"] == person_id for a in document["accessi"])
    assert document["cases"] and {"case", "diary", "measures"} <= set(document["cases"][0])
    expect(page.get_by_text(re.compile(f"Esportazione pronta: tutti i dati della persona n. {person_id}"))).to_be_visible()
    assert _export_audits(app_server, person_id) == exports_before + 1
    assert_accessible(page)

    years.fill("10")  # leave the shared demo data as it was
    card.get_by_role("button", name="Salva").click()
    expect(card).to_contain_text("Periodo attuale: 10 anni")


def test_operator_has_no_privacy_link_nor_content(page: Page, app_server: AppServer) -> None:
    login(page, app_server, "operatore.demo")
    nav = page.get_by_role("navigation", name="Navigazione principale")
    expect(nav.get_by_role("link", name="Sportello")).to_be_visible(timeout=20_000)
    expect(nav.get_by_role("link", name="Privacy")).to_have_count(0)
    page.goto(app_server.url + PATH)
    wait_hydrated(page)
    expect(page.get_by_text("Non hai accesso alla gestione della privacy.")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name=re.compile("Esporta"))).to_have_count(0)
