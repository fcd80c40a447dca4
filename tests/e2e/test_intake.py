"""Front-desk intake in Chromium: referral to housing, segnalazione to Tutela Minori, returning
citizen found by codice fiscale, interrupted interview resumed after a reload."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import assert_accessible, login, wait_hydrated
from tests.support.app_server import AppServer
from tutela_app.domain.codice_fiscale import encode_cf
from tutela_app.domain.intake_flow import load_flow

FLOW = load_flow()
T = 20_000


def at(page: Page, qid: str) -> None:
    expect(page.locator("#domanda-testo")).to_have_text(FLOW.question(qid).prompt, timeout=T)


def type_answer(page: Page, qid: str, value: str) -> None:
    at(page, qid)
    field = page.locator("#risposta")
    expect(field).to_be_focused()
    field.fill(value)
    field.press("Enter")


def choose(page: Page, qid: str, label: str) -> None:
    at(page, qid)
    page.get_by_role("button", name=label, exact=True).click()


def confirm_form(page: Page, qid: str) -> None:
    at(page, qid)
    page.get_by_role("button", name="Conferma", exact=True).click()


def new_accesso(page: Page, app: AppServer, username: str = "operatore.demo") -> str:
    login(page, app, username, next_path="/sportello/")
    expect(page.get_by_role("heading", name="Sportello – Segretariato Sociale")).to_be_visible(timeout=T)
    assert_accessible(page)
    page.get_by_label("Comune in cui si svolge l'accesso").select_option(label="Comune Demo")
    page.get_by_role("button", name="Nuovo accesso").click()
    page.wait_for_url(re.compile(r"/sportello/accesso/\d+$"), timeout=T)
    wait_hydrated(page)
    # Keyboard: the first option has the focus, Enter chooses it.
    at(page, "who_comes")
    expect(page.get_by_role("button", name="La persona stessa", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    return page.url


def identity(page: Page, surname: str, name: str, sex: str, birth: str, cf: str | None) -> None:
    type_answer(page, "surname", surname)
    type_answer(page, "name", name)
    choose(page, "sex", sex)
    type_answer(page, "birth_date", birth)
    type_answer(page, "birthplace", "")
    if cf is None:
        choose(page, "has_cf", "No")
    else:
        choose(page, "has_cf", "Sì")
        type_answer(page, "codice_fiscale", cf)


def finish(page: Page) -> None:
    type_answer(page, "notes", "")
    expect(page.get_by_role("heading", name="Riepilogo prima della conferma")).to_be_visible(timeout=T)
    assert_accessible(page)
    page.get_by_role("button", name="Conferma l'accesso").click()
    expect(page.get_by_role("heading", name="Accesso confermato")).to_be_visible(timeout=T)


def db(app: AppServer):  # noqa: ANN201
    return create_engine(app.env["TUTELA_DATABASE_URL"])


def test_resident_adult_referred_to_housing_with_a_letter(page: Page, app_server: AppServer) -> None:
    new_accesso(page, app_server)
    type_answer(page, "surname", "Testaverde")
    type_answer(page, "name", "Ettore")
    choose(page, "sex", "Maschile")
    at(page, "birth_date")
    page.locator("#risposta").fill("31/02/1975")
    page.locator("#risposta").press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Data non valida")).to_be_visible(timeout=T)
    expect(page.locator("#risposta")).to_have_value("31/02/1975")  # nothing typed is lost
    assert_accessible(page)
    type_answer(page, "birth_date", "15/04/1975")
    type_answer(page, "birthplace", "Como")
    choose(page, "has_cf", "Sì")
    type_answer(page, "codice_fiscale", encode_cf("Testaverde", "Ettore", "M", date(1975, 4, 15), "Como"))
    choose(page, "residence_comune", "Comune Demo")
    type_answer(page, "residence_address", "Via dei Mille 5")
    at(page, "members")
    page.get_by_role("button", name="Conferma il nucleo familiare").click()
    choose(page, "need_area", "Povertà e disagio adulti")
    type_answer(page, "need_description", "Ho ricevuto lo sfratto e cerco una casa popolare.")
    choose(page, "isee_relevant", "No")
    confirm_form(page, "services_involved")
    choose(page, "privacy_notice_given", "Sì")
    choose(page, "outcome", "Invio ad altro servizio")
    choose(page, "referral_service_type", "Casa")
    type_answer(page, "referral_destination", "Ufficio casa comunale")
    finish(page)
    expect(page.get_by_text("Invio a Ufficio casa comunale")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Scarica la lettera (PDF)").click()
    assert download.value.suggested_filename.startswith("invio-ACC-")
    assert open(download.value.path(), "rb").read(4) == b"%PDF"
    with db(app_server).connect() as conn:
        row = conn.execute(text(
            "SELECT r.destination_type, r.is_segnalazione FROM referral r JOIN person p ON p.id = r.person_id "
            "WHERE p.surname = 'Testaverde'")).one()
    assert tuple(row) == ("casa", 0)


def test_mother_with_two_minors_at_risk_opens_a_tutela_minori_case(
    page: Page, app_server: AppServer, browser: Browser
) -> None:
    new_accesso(page, app_server)
    identity(page, "Lombardelli", "Ornella", "Femminile", "12/03/1988", None)
    choose(page, "residence_comune", "Comune Demo")
    type_answer(page, "residence_address", "")
    at(page, "members")
    for given, born, sex in (("Pietro", "02/02/2016", "M"), ("Irene", "05/06/2019", "F")):
        page.get_by_label("Nome", exact=True).fill(given)
        page.get_by_label("Cognome", exact=True).fill("Lombardelli")
        page.get_by_label("Data di nascita (gg/mm/aaaa)").fill(born)
        page.get_by_label("Sesso", exact=True).select_option(sex)
        page.get_by_label("Relazione con la persona").select_option("figlio")
        page.get_by_role("button", name="Aggiungi componente").click()
        expect(page.get_by_role("list", name="Componenti del nucleo")).to_contain_text(given, timeout=T)
    assert_accessible(page)
    page.get_by_role("button", name="Conferma il nucleo familiare").click()
    choose(page, "need_area", "Famiglia e minori")
    type_answer(page, "need_description", "Il compagno alza le mani davanti ai bambini.")
    choose(page, "isee_relevant", "No")
    at(page, "services_involved")
    page.get_by_label("Scuola", exact=True).check()
    page.get_by_role("button", name="Conferma", exact=True).click()
    choose(page, "risk_maltreatment", "No")
    choose(page, "risk_domestic_violence", "Sì")
    expect(page.locator("#avviso-rischio")).to_contain_text("Un minore potrebbe essere a rischio", timeout=T)
    choose(page, "risk_parental_difficulty", "No")
    choose(page, "risk_school_dropout", "No")
    choose(page, "risk_urgent", "No")
    type_answer(page, "risk_details", "La madre riferisce litigi violenti in presenza dei figli.")
    choose(page, "privacy_notice_given", "Sì")
    at(page, "outcome")
    expect(page.locator("#esito-suggerito")).to_contain_text("Segnalazione alla Tutela Minori")
    page.get_by_role("button", name="Segnalazione alla Tutela Minori", exact=True).click()
    finish(page)
    expect(page.get_by_text("È stato aperto il caso")).to_be_visible()
    case_number = page.locator("text=/TM-\\d{4}-\\d{5}/").first.inner_text()
    case_href = page.get_by_role("link", name="Apri il fascicolo del caso").get_attribute("href")
    with db(app_server).connect() as conn:
        row = conn.execute(text(
            "SELECT c.service, c.stage, c.origin, p.given_name, c.household_id FROM case_file c "
            "JOIN person p ON p.id = c.subject_person_id WHERE c.number = :n AND c.tenant_id = "
            "(SELECT id FROM tenant WHERE code = 'demo')"), {"n": case_number}).one()
    assert tuple(row)[:4] == ("tutela_minori", "segnalazione", "segnalazione", "Pietro") and row[4]
    # The coordinator of the Comune finds it on the équipe board.
    coord = browser.new_context(locale="it-IT", viewport={"width": 1366, "height": 900}).new_page()
    login(coord, app_server, "coord.demo", next_path="/casi/")
    coord.get_by_label("Cerca per nome o numero di pratica").fill(case_number)
    coord.get_by_role("button", name="Filtra").click()
    expect(coord.locator(f'a[href="{case_href}"]').first).to_be_visible(timeout=T)
    coord.context.close()


def test_returning_citizen_is_found_by_codice_fiscale(page: Page, app_server: AppServer) -> None:
    with db(app_server).connect() as conn:
        person = conn.execute(text(
            "SELECT p.id, p.surname, p.given_name, p.sex, p.birth_date, p.codice_fiscale, a.number FROM person p "
            "JOIN accesso a ON a.person_id = p.id AND a.status = 'confermato' "
            "WHERE p.tenant_id = (SELECT id FROM tenant WHERE code = 'demo') AND p.codice_fiscale IS NOT NULL "
            "AND p.birth_date < '1990-01-01' ORDER BY p.id LIMIT 1")).one()
    pid, surname, given, sex, birth, cf, earlier = person
    new_accesso(page, app_server)
    born = date.fromisoformat(str(birth)[:10]).strftime("%d/%m/%Y")
    identity(page, surname.upper(), given, "Maschile" if sex == "M" else "Femminile", born, cf.lower())
    panel = page.get_by_role("region", name="Persone già conosciute")
    expect(panel).to_contain_text("codice fiscale", timeout=T)
    expect(panel).to_contain_text(earlier)
    assert_accessible(page)
    panel.get_by_role("button", name="Collega questa persona").first.click()
    expect(page.get_by_text("Persona collegata all'anagrafica")).to_be_visible(timeout=T)
    at(page, "residence_comune")
    with db(app_server).connect() as conn:
        linked = conn.execute(text("SELECT person_id FROM accesso WHERE id = :i"),
                              {"i": int(page.url.rsplit("/", 1)[1])}).scalar_one()
    assert linked == pid


def test_interrupted_interview_resumes_after_reload_and_on_another_computer(
    page: Page, app_server: AppServer, browser: Browser
) -> None:
    url = new_accesso(page, app_server)
    type_answer(page, "surname", "Ripresi")
    type_answer(page, "name", "Carla")
    at(page, "sex")
    page.reload()
    wait_hydrated(page)
    at(page, "sex")
    transcript = page.get_by_role("region", name="Risposte date")
    expect(transcript).to_contain_text("Ripresi")
    expect(transcript).to_contain_text("Carla")
    # Going back from the transcript, then on.
    transcript.get_by_role("button").filter(has_text="Ripresi").click()
    type_answer(page, "surname", "Ripresa")
    choose(page, "sex", "Femminile")
    at(page, "birth_date")
    # A colleague of the same Comune (the coordinator) resumes it on another computer.
    other = browser.new_context(locale="it-IT", viewport={"width": 1366, "height": 900}).new_page()
    login(other, app_server, "coord.demo", next_path="/sportello/")
    expect(other.get_by_role("cell", name="Ripresa Carla")).to_be_visible(timeout=T)
    other.goto(url)
    wait_hydrated(other)
    at(other, "birth_date")
    expect(other.get_by_role("region", name="Risposte date")).to_contain_text("Ripresa")
    other.context.close()
