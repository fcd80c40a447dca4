"""Court flow in Chromium: decree of affidamento al servizio sociale -> obligations with
the engine's dates -> diary entries of the three kinds -> report drafted, signed,
finalised by the coordinator, sent with a protocol number -> periodic report closed."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import assert_accessible, login, wait_hydrated
from tests.support.app_server import AppServer
from tutela_app.domain.deadlines import ROME, obligations_for_measure
from tutela_app.domain.measures import MeasureInput, MeasureType

ISSUED = date.today() - timedelta(days=10)
NOTIFIED = date.today() - timedelta(days=8)
DAY = date.today() - timedelta(days=2)


def _case_without_measures(app: AppServer) -> int:
    """A demo case of as.demo's équipe with no court measure yet."""
    engine = create_engine(app.env["TUTELA_DATABASE_URL"])
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT DISTINCT c.id FROM case_file c JOIN caseassignment a ON a.case_id = c.id "
            "JOIN staff s ON s.id = a.staff_id JOIN tenant t ON t.id = c.tenant_id "
            "WHERE s.subject = 'u-as-demo' AND a.until IS NULL AND c.closed_on IS NULL AND t.code = 'demo' "
            "AND c.service = 'tutela_minori' "
            "AND NOT EXISTS (SELECT 1 FROM courtmeasure m WHERE m.case_id = c.id) ORDER BY c.id LIMIT 1"
        )).first()
    engine.dispose()
    if row is None:
        pytest.fail("the demo data has no case of as.demo without measures")
    return int(row[0])


def _diary(page: Page, tag: str, body: str, source: str = "", method: str = "", confidential: bool = False) -> None:
    page.locator("#d-tipo").select_option(tag)
    page.locator("#d-data").fill(DAY.isoformat())
    page.locator("#d-testo").fill(body)
    if source:
        page.locator("#d-fonte").fill(source)
    if method:
        page.locator("#d-metodo").fill(method)
    if confidential:
        page.locator("#d-terzi").check()
    page.get_by_role("button", name="Salva nel diario").click()
    expect(page.locator("#voci-diario")).to_contain_text(body, timeout=15_000)
    expect(page.locator("#d-testo")).to_have_value("")


def test_decree_obligations_diary_report_sent_closes_obligation(page: Page, browser: Browser, app_server: AppServer) -> None:
    case_id = _case_without_measures(app_server)
    court_path = f"/casi/{case_id}/tribunale"
    login(page, app_server, "as.demo", next_path=court_path)
    expect(page.get_by_role("heading", name=re.compile("Tribunale e scadenze"))).to_be_visible(timeout=20_000)

    # 1. the decree
    page.get_by_role("button", name="Registra un nuovo provvedimento").click()
    page.locator("#m-tipo").select_option("affidamento_servizio_sociale")
    page.locator("#m-autorita").fill("Tribunale per i Minorenni di Milano")
    page.locator("#m-numero").fill("4321/2026 V.G.")
    page.locator("#m-emesso").fill(ISSUED.isoformat())
    page.locator("#m-notifica").fill(NOTIFIED.isoformat())
    page.locator("#m-periodo").fill("4")
    page.locator("#m-compiti").fill("Vigilanza sul minore e relazioni al Tribunale")
    page.get_by_role("button", name="Salva il provvedimento").click()

    # 2. obligations with the engine's dates
    expected = obligations_for_measure(MeasureInput(MeasureType.AFFIDAMENTO_SERVIZIO_SOCIALE, ISSUED, NOTIFIED, report_period_months=4))
    table = page.locator("#tabella-scadenze")
    for spec in expected:
        row = table.locator("tr", has_text=spec.due.astimezone(ROME).strftime("%d/%m/%Y %H:%M")).filter(has_text=spec.title[:40])
        expect(row.first).to_be_visible(timeout=15_000)
    first_report = next(s for s in expected if s.kind == "periodic_report")
    report_row = table.locator("tr[data-kind='periodic_report']", has_text="Relazione periodica n. 1 ")
    expect(report_row).to_contain_text(first_report.due.astimezone(ROME).strftime("%d/%m/%Y"))
    expect(report_row).to_contain_text("Aperta")

    # 3. diary: a statement without its source is refused, the text is kept
    page.locator("#d-tipo").select_option("dichiarazione")
    page.locator("#d-data").fill(DAY.isoformat())
    page.locator("#d-testo").fill("La madre riferisce che il minore dorme dalla nonna.")
    page.get_by_role("button", name="Salva nel diario").click()
    expect(page.locator("#d-fonte-errore")).to_contain_text("chi ha reso la dichiarazione")
    expect(page.locator("#d-testo")).to_have_value("La madre riferisce che il minore dorme dalla nonna.")
    page.locator("#d-fonte").fill("la madre")
    page.get_by_role("button", name="Salva nel diario").click()
    expect(page.locator("#voci-diario")).to_contain_text("dorme dalla nonna", timeout=15_000)
    expect(page.locator("#d-testo")).to_have_value("")
    _diary(page, "fatto", "Il minore ha frequentato la scuola con regolarità.")
    _diary(page, "valutazione", "Legame di attaccamento sicuro con la figura materna.", method="osservazione strutturata")
    _diary(page, "dichiarazione", "Il vicino VICINO-RISERVATO segnala liti notturne.", source="un vicino", confidential=True)

    # 4. the report drafted from the diary, preview for the parties, contribution
    page.locator("#r-dal").fill((DAY - timedelta(days=1)).isoformat())
    page.locator("#r-al").fill(date.today().isoformat())
    page.get_by_role("button", name="Prepara la bozza dal diario").click()
    preview = page.locator("#anteprima-relazione")
    expect(preview).to_contain_text("1. Fatti accertati", timeout=15_000)
    expect(preview).to_contain_text("Dichiarazione di: la madre")
    expect(preview).to_contain_text("Metodo/strumento: osservazione strutturata")
    expect(preview).to_contain_text("VICINO-RISERVATO")
    expect(preview).to_contain_text(re.compile(r"Annotazione n\. \d+ del " + re.escape(DAY.strftime("%d/%m/%Y"))))
    page.get_by_role("button", name=re.compile("Anteprima per le parti")).first.click()
    expect(page.locator("#anteprima-sottotitolo")).to_contain_text("ostensibile alle parti")
    expect(preview).not_to_contain_text("VICINO-RISERVATO")
    expect(preview).to_contain_text("Omissis")
    page.locator("#r-contributo").fill("Parte sociale: il nucleo collabora con il servizio.")
    page.get_by_role("button", name="Sottoscrivi il mio contributo").click()
    expect(preview).to_contain_text("Parte sociale: il nucleo collabora", timeout=15_000)
    assert_accessible(page)

    # 5. the coordinator finalises
    coord_ctx = browser.new_context(locale="it-IT", viewport={"width": 1366, "height": 900})
    coord = coord_ctx.new_page()
    login(coord, app_server, "coord.demo", next_path=court_path)
    coord.get_by_role("button", name=re.compile(r"^Apri la relazione")).first.click()
    coord.get_by_role("button", name="Finalizza la relazione").click()
    expect(coord.get_by_text("Relazione finalizzata.")).to_be_visible(timeout=15_000)
    coord_ctx.close()

    # 6. as.demo sends it with a protocol number; the periodic report obligation closes
    page.reload()
    wait_hydrated(page)
    page.get_by_role("button", name=re.compile(r"^Apri la relazione")).first.click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Scarica PDF (Tribunale)").click()
    assert dl.value.suggested_filename.endswith(".pdf")
    page.locator("#r-invio").fill(date.today().isoformat())
    page.locator("#r-protocollo").fill("PG 2026/777")
    page.get_by_role("button", name="Registra l'invio").click()
    expect(page.get_by_text("Relazione inviata: la versione trasmessa è bloccata.")).to_be_visible(timeout=15_000)
    expect(report_row).to_contain_text("Adempiuta", timeout=15_000)
    expect(report_row).to_contain_text("PG 2026/777")
    expect(page.get_by_role("button", name="Sottoscrivi il mio contributo")).to_have_count(0)
    assert_accessible(page)


def test_home_lists_my_deadlines_and_calendar_feed_has_no_names(page: Page, app_server: AppServer) -> None:
    """Le mie scadenze: overdue and next 14 days with case number and initials; the
    subscription URL serves an iCalendar without names and stops working once revoked."""
    engine = create_engine(app_server.env["TUTELA_DATABASE_URL"])
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT p.surname FROM obligation o JOIN case_file c ON c.id = o.case_id "
            "JOIN person p ON p.id = c.subject_person_id JOIN caseassignment a ON a.case_id = c.id "
            "JOIN staff s ON s.id = a.staff_id WHERE s.subject = 'u-as-demo' AND o.status = 'aperto'"
        )).all()]
    engine.dispose()
    login(page, app_server, "as.demo")
    section = page.locator("section[aria-labelledby='mie-scadenze']")
    expect(section.get_by_role("heading", name="Le mie scadenze")).to_be_visible(timeout=20_000)
    rows = page.locator("#tabella-mie-scadenze tbody tr")
    expect(rows.first).to_be_visible()
    expect(rows.first.get_by_role("link")).to_have_attribute("href", re.compile(r"/casi/\d+/tribunale$"))
    page.get_by_role("button", name="Crea l'indirizzo del calendario").click()
    url_box = page.get_by_label("Indirizzo del calendario")
    expect(url_box).to_have_value(re.compile(r"/calendario/[A-Za-z0-9_-]+\.ics$"), timeout=15_000)
    feed_url = url_box.input_value()
    body = page.request.get(feed_url).text()
    assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body
    assert names and not any(name in body for name in names)
    assert_accessible(page)
    page.get_by_role("button", name="Revoca l'abbonamento").click()
    expect(page.get_by_text("Abbonamento al calendario revocato")).to_be_visible(timeout=15_000)
    assert page.request.get(feed_url).status == 404
