"""The admin and audit page states, driven directly with a real signed-in session:
hostile handler arguments are refused, scope comes from the server-side session."""

from __future__ import annotations

import os

os.environ.setdefault("TUTELA_DATABASE_URL", "sqlite:////nonexistent/never-used.db")

import pytest  # noqa: E402
import reflex as rx  # noqa: E402
from reflex.istate.data import RouterData  # noqa: E402

import tutela_app.tutela_app  # noqa: E402, F401  (registers the states)
from tests.auth.conftest import AuthEnv, Browser  # noqa: E402
from tutela_app.pages.admin.state import AdminState  # noqa: E402
from tutela_app.pages.audit.state import AuditLogState  # noqa: E402

pytestmark = pytest.mark.timeout(120)


async def signed_in(env: AuthEnv, username: str) -> str:
    async with Browser(env) as browser:
        await browser.login(username)
        return browser.session_cookie()


def state_for(cls: type[rx.State], cookie: str | None, path: str):
    root = rx.State(_reflex_internal_init=True)
    headers = {"cookie": f"tutela_session={cookie}"} if cookie else {}
    root.router = RouterData.from_router_data({"headers": headers, "pathname": path})
    return root.get_substate(cls.get_full_name().split(".")[1:])


async def call(state: rx.State, handler: str, *args):
    return await type(state).event_handlers[handler].fn(state, *args)


async def test_admin_state(auth_env: AuthEnv) -> None:
    admin = state_for(AdminState, await signed_in(auth_env, "admin"), "/amministrazione")
    await call(admin, "load")
    assert admin.allowed and admin.error == ""
    assert {t["code"] for t in admin.tenants} == {"demo", "inzago", "cantu", "brugherio"}
    demo = next(t for t in admin.tenants if t["code"] == "demo")
    assert demo["tutela_minori"] == "1" and demo["segretariato"] == ""

    for args in [
        ("demo", "segretariato", True),
        (demo["id"], "drop", True),
        (demo["id"], "segretariato", "true"),
        ([1], None, None),
    ]:
        await call(admin, "set_service", *args)
        assert admin.error, args
    await call(admin, "set_service", demo["id"], "segretariato", True)
    assert admin.error == "" and next(t for t in admin.tenants if t["code"] == "demo")["segretariato"] == "1"
    await call(admin, "set_service", "999999", "segretariato", True)
    assert admin.error == "Elemento non trovato o non accessibile."

    nessuno_token = await signed_in(auth_env, "nessuno")
    assert nessuno_token
    await call(admin, "load")
    nobody = next(o for o in admin.staff_options if o["label"].startswith("Nadia"))
    for form in [
        "x",
        {"staff_id": nobody["value"], "tenant_id": demo["id"], "role": "root"},
        {"staff_id": "1 OR 1=1", "tenant_id": demo["id"], "role": "equipe"},
    ]:
        await call(admin, "add_grant", form)
        assert admin.error, form
    await call(admin, "add_grant", {"staff_id": nobody["value"], "tenant_id": demo["id"], "role": "equipe"})
    assert admin.error == "" and "Équipe" in admin.message
    grant = next(g for g in admin.grants if g["staff"].startswith("Nadia"))
    assert grant["removable"] == "1" and grant["source"] == "Tutela"
    await call(admin, "remove_grant", "abc")
    assert admin.error
    claim_grant = next(g for g in admin.grants if g["removable"] == "")
    await call(admin, "remove_grant", claim_grant["id"])
    assert "provider" in admin.error
    await call(admin, "remove_grant", grant["id"])
    assert admin.error == "" and not any(g["staff"].startswith("Nadia") for g in admin.grants)


async def test_admin_state_refuses_other_roles_and_ended_sessions(auth_env: AuthEnv) -> None:
    coord = state_for(AdminState, await signed_in(auth_env, "coord.demo"), "/amministrazione")
    await call(coord, "load")
    assert not coord.allowed and coord.tenants == [] and coord.error
    anonymous = state_for(AdminState, None, "/amministrazione")
    redirect = await call(anonymous, "load")
    assert "/auth/login?next=/amministrazione" in str(redirect)
    assert await call(anonymous, "set_service", "1", "segretariato", True) is not None


async def test_audit_state(auth_env: AuthEnv) -> None:
    await signed_in(auth_env, "as.demo")
    audit = state_for(AuditLogState, await signed_in(auth_env, "coord.demo"), "/audit")
    await call(audit, "load")
    assert audit.allowed and audit.total >= 2
    assert {r["action"] for r in audit.rows} >= {"Accesso"}
    staff_names = {o["label"] for o in audit.staff_options}
    assert "Giulia Demo Bianchi" in staff_names
    for form in [None, {"person_id": "1; DROP"}, {"date_from": "2025-02-30"}, {"person_id": ["1"]}]:
        await call(audit, "apply_filters", form)
        assert audit.error, form
    giulia = next(o["value"] for o in audit.staff_options if o["label"] == "Giulia Demo Bianchi")
    await call(audit, "apply_filters", {"staff_id": giulia})
    assert audit.error == "" and audit.total == 1 and audit.rows[0]["staff"] == "Giulia Demo Bianchi"
    assert audit.page_label.startswith("Pagina 1 di 1")
    await call(audit, "next_page")
    assert audit.page == 0

    equipe = state_for(AuditLogState, await signed_in(auth_env, "psi.demo"), "/audit")
    await call(equipe, "load")
    assert not equipe.allowed and equipe.rows == []
