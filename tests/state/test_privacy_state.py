"""Privacy page state (/amministrazione/privacy), without a browser, on a seeded database.

The root state is built as Reflex does, with the session cookie of a real server-side
session in the headers; hostile arguments are refused with Italian messages and change
nothing; the access-request export is audited.
"""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from sqlalchemy import func, select
from sqlmodel import Session

from tests.support import seeded
from tutela_app.auth.permissions import NotFoundOrForbidden
from tutela_app.auth.sessions import COOKIE_NAME
from tutela_app.models import Accesso, AuditEvent, Case, Person, Tenant
from tutela_app.pages.privacy import io
from tutela_app.pages.privacy.state import (
    FORBIDDEN,
    INVALID_FORM,
    NOT_FOUND,
    SUBJECT_NOT_FOUND,
    YEARS_MSG,
    PrivacyState,
)
from tutela_app.seed import seed_database
from tutela_app.state.session import SessionState

PATH = "/amministrazione/privacy"
HUGE = "9" * 5000


def _state(engine, username: str | None) -> PrivacyState:  # noqa: ANN001
    headers = {"origin": "http://localhost:3000"}
    if username:
        headers["cookie"] = f"{COOKIE_NAME}={seeded.session_cookie(engine, username)}"
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": headers, "asPath": PATH, "pathname": PATH})
    return root.substates[PrivacyState.get_name()]


@pytest.fixture
def world(engine):  # noqa: ANN001, ANN201
    seed_database(engine, scale="tiny", today=date(2026, 6, 1))
    with Session(engine) as s:
        ids = dict(s.execute(select(Tenant.code, Tenant.id)).all())
    return {"engine": engine, **{code: str(tid) for code, tid in ids.items()}}


def _tenant(engine, tid: str) -> Tenant:  # noqa: ANN001
    with Session(engine) as s:
        return s.get(Tenant, int(tid))


def _exports(engine) -> int:  # noqa: ANN001
    return seeded.count(engine, AuditEvent, AuditEvent.action == "export")


def _download_json(spec) -> dict:  # noqa: ANN001
    url = next(str(v) for _k, v in spec.args if "data:application/json;base64," in str(v))
    payload = url.split("base64,", 1)[1].strip('"')
    return json.loads(base64.b64decode(payload).decode("utf-8"))


async def test_admin_edits_retention_with_version_check_and_runs_the_dry_run(world) -> None:  # noqa: ANN001
    engine, demo = world["engine"], world["demo"]
    admin = _state(engine, "admin")
    await admin.load()
    assert admin.allowed and admin.error == ""
    admin_actor = seeded.actor(engine, "admin")
    administered = {t for t, roles in admin_actor.roles_by_tenant.items() if "amministratore" in roles}
    assert len(administered) > 1 and {r["tenant_id"] for r in admin.retention} == {str(t) for t in administered}
    row = next(r for r in admin.retention if r["tenant_id"] == demo)
    assert row["years"] == "10" and row["name"] == "Comune Demo"

    before = seeded.row_counts(engine)
    ok = {"tenant_id": demo, "version": row["version"]}
    for form, field_error, page_error in [
        ("not a form", None, INVALID_FORM),
        (None, None, INVALID_FORM),
        ([demo, "5"], None, INVALID_FORM),
        ({**ok, "years": "0"}, YEARS_MSG, ""),
        ({**ok, "years": "101"}, YEARS_MSG, ""),
        ({**ok, "years": "-3"}, YEARS_MSG, ""),
        ({**ok, "years": "dieci"}, YEARS_MSG, ""),
        ({**ok, "years": 5.5}, None, INVALID_FORM),
        ({**ok, "years": True}, None, INVALID_FORM),
        ({**ok, "years": HUGE}, None, INVALID_FORM),
        ({**ok, "years": "5", "version": "uno"}, None, INVALID_FORM),
        ({**ok, "years": "5", "tenant_id": "999999"}, None, NOT_FOUND),
        ({**ok, "years": "5", "tenant_id": [demo]}, None, INVALID_FORM),
    ]:
        await admin.save_retention(form)
        assert admin.error == page_error, form
        assert admin.retention_errors.get(demo) == field_error, form
        assert admin.message == "", form
    assert seeded.row_counts(engine) == before
    assert _tenant(engine, demo).retention_years == 10

    # A second tab loads the same version; the first saves, the second is told both values.
    other_tab = _state(engine, "admin")
    await other_tab.load()
    await admin.save_retention({**ok, "years": 7})
    assert admin.error == "" and admin.retention_errors == {}
    assert admin.message == "Periodo di conservazione di Comune Demo impostato a 7 anni."
    saved = _tenant(engine, demo)
    assert saved.retention_years == 7 and str(saved.version) != row["version"]
    stale = next(r for r in other_tab.retention if r["tenant_id"] == demo)
    await other_tab.save_retention({"tenant_id": demo, "version": stale["version"], "years": "12"})
    assert "ora è di 7 anni" in other_tab.conflict and "il tuo valore è 12 anni" in other_tab.conflict
    assert f"versione {saved.version}" in other_tab.conflict and f"versione {stale['version']}" in other_tab.conflict
    assert _tenant(engine, demo).retention_years == 7
    fresh = next(r for r in other_tab.retention if r["tenant_id"] == demo)
    assert fresh["years"] == "7" and fresh["version"] == str(saved.version)
    await other_tab.save_retention({"tenant_id": demo, "version": fresh["version"], "years": "12"})
    assert other_tab.conflict == "" and _tenant(engine, demo).retention_years == 12

    audits = seeded.count(engine, AuditEvent)
    for hostile in [5, None, [demo], {"id": demo}, "999999", HUGE, "1; DROP TABLE tenant"]:
        await admin.run_report(hostile)
        assert admin.error == NOT_FOUND and admin.report_rows == [], hostile
    assert seeded.count(engine, AuditEvent) == audits
    await admin.run_report(demo)
    assert admin.error == ""
    assert "Comune Demo" in admin.report_title and "12 anni" in admin.report_title
    assert [r["key"] for r in admin.report_rows] == ["cases_to_archive", "accessi_to_delete", "persons_without_records"]
    for r in admin.report_rows:
        assert r["count"].isdigit()
        assert r["ids"] == "—" or all(part.strip().isdigit() for part in r["ids"].split(","))
    assert seeded.count(engine, AuditEvent, AuditEvent.entity_type == "retention_report") == 1


async def test_coordinator_exports_a_person_of_their_comune_and_it_is_audited(world) -> None:  # noqa: ANN001
    engine, demo, cantu = world["engine"], world["demo"], world["cantu"]
    with Session(engine) as s:
        subject = s.execute(select(Case.subject_person_id).where(Case.tenant_id == int(demo)).order_by(Case.id)).scalar()
        with_cf = s.execute(select(Person.id, Person.codice_fiscale).join(Accesso, Accesso.person_id == Person.id).where(
            Person.tenant_id == int(demo), Person.codice_fiscale.is_not(None)).order_by(Person.id)).first()
        cantu_person = s.execute(select(func.min(Person.id)).where(Person.tenant_id == int(cantu))).scalar()
    coord = _state(engine, "coord.demo")
    await coord.load()
    assert coord.allowed and coord.retention == []  # no retention right for a coordinator
    assert {c["name"] for c in coord.export_comuni} == {_tenant(engine, demo).name, _tenant(engine, world["inzago"]).name}

    exports = _exports(engine)
    before = seeded.row_counts(engine)
    for form, key, message in [
        ("x", "_", INVALID_FORM),
        ({"tenant_id": demo, "person_id": HUGE}, "_", INVALID_FORM),
        ({"tenant_id": demo, "person_id": [subject]}, "_", INVALID_FORM),
        ({"tenant_id": cantu, "person_id": str(cantu_person)}, "tenant_id", "Scegli un Comune tra quelli proposti."),
        ({"tenant_id": demo, "person_id": "", "codice_fiscale": ""}, "_",
         "Indica il numero identificativo della persona oppure il codice fiscale (uno solo)."),
        ({"tenant_id": demo, "person_id": "1 OR 1=1"}, "person_id",
         "Il numero identificativo della persona è composto solo da cifre."),
        ({"tenant_id": demo, "person_id": "-1"}, "person_id",
         "Il numero identificativo della persona è composto solo da cifre."),
        ({"tenant_id": demo, "codice_fiscale": "RSSMRA80A01F205Z"}, "codice_fiscale", "Carattere di controllo errato."),
        ({"tenant_id": demo, "codice_fiscale": "ABC"}, "codice_fiscale", "Il codice fiscale deve avere 16 caratteri."),
        ({"tenant_id": demo, "person_id": str(cantu_person)}, "_", SUBJECT_NOT_FOUND),  # another Comune's person
        ({"tenant_id": demo, "person_id": "999999999"}, "_", SUBJECT_NOT_FOUND),
    ]:
        assert await coord.export_subject(form) is None, form
        assert coord.export_errors.get(key) == message, form
        assert coord.export_message == "", form
    assert _exports(engine) == exports and seeded.row_counts(engine) == before

    spec = await coord.export_subject({"tenant_id": demo, "person_id": f" {subject} ", "codice_fiscale": ""})
    assert coord.export_errors == {} and f"persona n. {subject}" in coord.export_message
    document = _download_json(spec)
    assert document["person"]["id"] == subject and {"accessi", "cases", "households", "access_log"} <= set(document)
    assert any(c["case"]["subject_person_id"] == subject for c in document["cases"])
    coord_id = seeded.staff_id(engine, "coord.demo")
    with Session(engine) as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id.desc())).scalar()
    assert (event.actor_id, event.entity_type, event.entity_id, event.person_id) == (coord_id, "person", str(subject), subject)
    assert str(event.tenant_id) == demo

    assert with_cf is not None, "the seeded demo data has a person with a codice fiscale and an accesso"
    spec = await coord.export_subject({"tenant_id": demo, "codice_fiscale": with_cf[1].lower()})
    document = _download_json(spec)
    assert document["person"]["id"] == with_cf[0] and document["accessi"]
    assert _exports(engine) == exports + 2


async def test_operator_and_anonymous_are_refused(world) -> None:  # noqa: ANN001
    engine, demo = world["engine"], world["demo"]
    op = _state(engine, "operatore.demo")
    await op.load()
    assert not op.allowed and op.error == FORBIDDEN and op.retention == [] and op.export_comuni == []
    session_state = op.parent_state.substates[SessionState.get_name()]
    await session_state.check_session()
    assert session_state.is_authenticated and not session_state.nav_privacy
    before = seeded.row_counts(engine)
    with Session(engine) as s:
        pid = s.execute(select(func.min(Person.id)).where(Person.tenant_id == int(demo))).scalar()
    assert await op.export_subject({"tenant_id": demo, "person_id": str(pid)}) is None
    assert op.export_errors == {"tenant_id": "Scegli un Comune tra quelli proposti."}
    await op.run_report(demo)
    await op.save_retention({"tenant_id": demo, "version": "1", "years": "1"})
    assert op.error == NOT_FOUND and op.report_rows == []
    assert seeded.row_counts(engine) == before and _tenant(engine, demo).retention_years == 10
    with pytest.raises(NotFoundOrForbidden):  # the service refuses too, whatever the state holds
        io.export(seeded.actor(engine, "operatore.demo"), demo, str(pid), "")

    coord = _state(engine, "coord.demo")
    coord_session = coord.parent_state.substates[SessionState.get_name()]
    await coord_session.check_session()
    assert coord_session.nav_privacy

    anonymous = _state(engine, None)
    redirect = await anonymous.load()
    assert "/auth/login?next=/amministrazione/privacy" in str(redirect) and not anonymous.allowed
