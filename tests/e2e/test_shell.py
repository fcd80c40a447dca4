"""The app shell: login through the real provider, Italian pages, navigation, 404, a11y."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, login, wait_hydrated
from tests.support.app_server import AppServer


def test_anonymous_visitor_is_sent_to_the_provider_login(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url + "/")
    expect(page.get_by_label("Nome utente")).to_be_visible(timeout=30_000)
    assert page.url.startswith("http://127.0.0.1:")
    expect(page.locator("html")).to_have_attribute("lang", "it")


def test_home_after_login_shows_name_navigation_and_is_accessible(page: Page, app_server: AppServer) -> None:
    login(page, app_server, "coord.demo")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page).to_have_title(re.compile("Home · Tutela"))
    expect(page.locator("#utente-corrente")).not_to_have_text("", timeout=15_000)
    nav = page.get_by_role("navigation", name="Navigazione principale")
    expect(nav.get_by_role("link", name="Casi")).to_be_visible()
    expect(nav.get_by_role("link", name="Cruscotti")).to_be_visible()
    assert_accessible(page)


def test_unknown_page_is_an_italian_404_with_ways_back(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url + "/questa-pagina-non-esiste")
    wait_hydrated(page)
    expect(page.get_by_role("heading", name="Pagina non trovata")).to_be_visible()
    expect(page.get_by_role("link", name="Bacheca dei casi")).to_be_visible()
    assert_accessible(page)


def test_user_without_roles_sees_access_not_authorised(page: Page, app_server: AppServer) -> None:
    login(page, app_server, "nessuno", next_path="/non-autorizzato")
    expect(page.get_by_role("heading", name="Accesso non autorizzato")).to_be_visible()
    page.goto(app_server.url + "/")
    expect(page).to_have_url(re.compile("/non-autorizzato"), timeout=15_000)
    assert_accessible(page)
