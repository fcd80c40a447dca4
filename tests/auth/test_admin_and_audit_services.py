"""Administration (tenants' services, in-app grants) and audit-log queries: scoping,
argument validation, auditing, CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from tutela_app import db
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.models import AuditEvent, RoleGrant, Staff, Tenant, utcnow
from tutela_app.services import audit, audit_log
from tutela_app.services import staff as svc
from tutela_app.services import staff_admin as admin_svc
from tutela_app.services.audit_log import AuditFilters
from tutela_app.services.staff import InvalidRequest, claim_values
from tutela_app.services.staff_admin import ConcurrentEditError
from tutela_app.settings import get_settings


@pytest.fixture
def world(database_url: str) -> dict:
    """Tenants A, B, C; an admin of A+B, a coordinator of A, staff in A, in C, and one with no role."""
    with Session(db.get_engine(), expire_on_commit=False) as s:
        tenants = {code: Tenant(code=code, name=f"Comune {code.upper()}") for code in ("a", "b", "c")}
        s.add_all(tenants.values())
        people = {
            key: Staff(issuer="https://idp", subject=key, display_name=name)
            for key, name in {
                "admin": "Anna Admin",
                "coord": "Carlo Coord",
                "worker_a": "=HYPERLINK(evil)",
                "worker_c": "Wanda C",
                "nobody": "Nadia Nessuno",
            }.items()
        }
        s.add_all(people.values())
        s.flush()
        for key, code, role in [
            ("admin", "a", "amministratore"),
            ("admin", "b", "amministratore"),
            ("coord", "a", "coordinatore"),
            ("worker_a", "a", "equipe"),
            ("worker_c", "c", "equipe"),
        ]:
            s.add(RoleGrant(staff_id=people[key].id, tenant_id=tenants[code].id, role=role, source="claim"))
        s.commit()
        t = {k: v.id for k, v in tenants.items()}
        p = {k: v.id for k, v in people.items()}
    actors = {
        "admin": Actor(
            p["admin"],
            "Anna",
            None,
            {t["a"]: frozenset({"amministratore"}), t["b"]: frozenset({"amministratore"})},
        ),
        "coord": Actor(p["coord"], "Carlo", None, {t["a"]: frozenset({"coordinatore"})}),
        "worker_a": Actor(p["worker_a"], "W", None, {t["a"]: frozenset({"equipe"})}),
    }
    return {"t": t, "p": p, "actors": actors}


def tx(fn, *args, **kwargs):
    with db.write_session() as s:
        return fn(s, *args, **kwargs)


def events(action: str | None = None) -> list[AuditEvent]:
    with db.read_session() as s:
        q = select(AuditEvent)
        if action:
            q = q.where(AuditEvent.action == action)
        return list(s.exec(q.order_by(AuditEvent.id)).all())


# ---------------------------------------------------------------------------
# claims
# ---------------------------------------------------------------------------


def test_claim_values_accept_string_array_and_paths() -> None:
    assert claim_values({"roles": "equipe"}, "roles") == ["equipe"]
    assert claim_values({"roles": ["equipe", " coordinatore ", 3, None, "equipe", ""]}, "roles") == [
        "equipe",
        "coordinatore",
    ]
    assert claim_values({"realm_access": {"roles": ["equipe"]}}, "realm_access.roles") == ["equipe"]
    assert claim_values({"https://tutela.example/roles": "equipe"}, "https://tutela.example/roles") == [
        "equipe"
    ]
    assert claim_values({"roles": {"equipe": True}}, "roles") == []
    assert claim_values({}, "roles") == []


def test_sync_maps_string_claims_and_ignores_unknown_values(world: dict) -> None:
    claims = {
        "sub": "new-person",
        "name": "Nuova Persona",
        "roles": "equipe",
        "comuni": ["a", "atlantide"],
        "professione": "astronauta",
    }
    staff = tx(svc.sync_staff_from_claims, "https://idp", claims, get_settings())
    with db.read_session() as s:
        grants = s.exec(
            select(RoleGrant.tenant_id, RoleGrant.role, RoleGrant.source).where(
                RoleGrant.staff_id == staff.id
            )
        ).all()
    assert grants == [(world["t"]["a"], "equipe", "claim")]
    assert staff.profession is None and staff.display_name == "Nuova Persona"
    claims["roles"] = ["equipe", "superuser"]
    claims["comuni"] = "b"
    again = tx(svc.sync_staff_from_claims, "https://idp", claims, get_settings())
    assert again.id == staff.id
    with db.read_session() as s:
        grants = s.exec(
            select(RoleGrant.tenant_id, RoleGrant.role).where(RoleGrant.staff_id == staff.id)
        ).all()
    assert grants == [(world["t"]["b"], "equipe")]
    # the same subject at another issuer is another person
    other = tx(svc.sync_staff_from_claims, "https://other-idp", claims, get_settings())
    assert other.id != staff.id


# ---------------------------------------------------------------------------
# administration
# ---------------------------------------------------------------------------


def test_tenants_are_scoped_and_services_updated(world: dict) -> None:
    admin, coord = world["actors"]["admin"], world["actors"]["coord"]
    t = world["t"]
    assert {r.code for r in tx(admin_svc.list_tenants, admin)} == {"a", "b"}
    with pytest.raises(NotFoundOrForbidden):
        tx(admin_svc.list_tenants, coord)

    row = tx(
        admin_svc.set_tenant_services,
        admin,
        t["a"],
        buys_tutela_minori=True,
        buys_segretariato=False,
        expected_version=1,
    )
    assert row.buys_tutela_minori and not row.buys_segretariato and row.version == 2
    (event,) = events("update")
    assert (event.entity_type, event.entity_id, event.tenant_id, event.actor_id) == (
        "tenant",
        str(t["a"]),
        t["a"],
        admin.staff_id,
    )

    with pytest.raises(ConcurrentEditError):
        tx(
            admin_svc.set_tenant_services,
            admin,
            t["a"],
            buys_tutela_minori=False,
            buys_segretariato=False,
            expected_version=1,
        )
    for tenant_id in (t["c"], 999_999):
        with pytest.raises(NotFoundOrForbidden):
            tx(admin_svc.set_tenant_services, admin, tenant_id, buys_tutela_minori=True, buys_segretariato=True)
    with pytest.raises(NotFoundOrForbidden):
        tx(admin_svc.set_tenant_services, coord, t["a"], buys_tutela_minori=True, buys_segretariato=True)
    for bad in (
        {"buys_tutela_minori": "yes", "buys_segretariato": True},
        {"buys_tutela_minori": 1, "buys_segretariato": False},
    ):
        with pytest.raises(InvalidRequest):
            tx(admin_svc.set_tenant_services, admin, t["a"], **bad)
    for bad_id in ("1", True, -1, None, 2**70):
        with pytest.raises(InvalidRequest):
            tx(admin_svc.set_tenant_services, admin, bad_id, buys_tutela_minori=True, buys_segretariato=True)


def test_staff_listing_is_scoped(world: dict) -> None:
    admin, p = world["actors"]["admin"], world["p"]
    staff, grants = tx(admin_svc.list_staff_with_grants, admin)
    ids = {s.id for s in staff}
    assert {p["admin"], p["coord"], p["worker_a"], p["nobody"]} <= ids
    assert p["worker_c"] not in ids
    assert {g.tenant_code for g in grants} <= {"a", "b"}
    with pytest.raises(NotFoundOrForbidden):
        tx(admin_svc.list_staff_with_grants, world["actors"]["coord"])


def test_app_grants_add_and_remove(world: dict) -> None:
    admin, t, p = world["actors"]["admin"], world["t"], world["p"]
    row = tx(admin_svc.add_app_grant, admin, p["nobody"], t["b"], "equipe")
    assert (row.source, row.role, row.tenant_code) == ("app", "equipe", "b")
    with pytest.raises(InvalidRequest):  # duplicate
        tx(admin_svc.add_app_grant, admin, p["nobody"], t["b"], "equipe")
    with pytest.raises(NotFoundOrForbidden):  # tenant outside the admin's scope
        tx(admin_svc.add_app_grant, admin, p["nobody"], t["c"], "equipe")
    with pytest.raises(NotFoundOrForbidden):  # a person only known in another Comune
        tx(admin_svc.add_app_grant, admin, p["worker_c"], t["a"], "equipe")
    with pytest.raises(NotFoundOrForbidden):
        tx(admin_svc.add_app_grant, admin, 999_999, t["a"], "equipe")
    with pytest.raises(InvalidRequest):
        tx(admin_svc.add_app_grant, admin, p["nobody"], t["a"], "superuser")
    with pytest.raises(InvalidRequest):  # no self-service escalation
        tx(admin_svc.add_app_grant, admin, p["admin"], t["a"], "coordinatore")
    with pytest.raises(NotFoundOrForbidden):
        tx(admin_svc.add_app_grant, world["actors"]["coord"], p["worker_a"], t["a"], "coordinatore")

    with db.read_session() as s:
        claim_grant = s.exec(select(RoleGrant).where(RoleGrant.staff_id == p["worker_a"])).one()
        other_tenant = s.exec(select(RoleGrant).where(RoleGrant.staff_id == p["worker_c"])).one()
    with pytest.raises(InvalidRequest):  # provider grants change at the provider
        tx(admin_svc.remove_app_grant, admin, claim_grant.id)
    with pytest.raises(NotFoundOrForbidden):
        tx(admin_svc.remove_app_grant, admin, other_tenant.id)
    with pytest.raises(NotFoundOrForbidden):
        tx(admin_svc.remove_app_grant, admin, 999_999)
    tx(admin_svc.remove_app_grant, admin, row.id)
    with db.read_session() as s:
        assert s.get(RoleGrant, row.id) is None
    assert [(e.action, e.entity_type) for e in events() if e.entity_type == "role_grant"] == [
        ("create", "role_grant"),
        ("delete", "role_grant"),
    ]


# ---------------------------------------------------------------------------
# audit log
# ---------------------------------------------------------------------------


def _seed_events(world: dict, extra: int = 0) -> None:
    t, p, actors = world["t"], world["p"], world["actors"]
    with db.write_session() as s:
        audit.record(s, actors["worker_a"], "read", "case", 11, tenant_id=t["a"], person_id=101)
        audit.record(s, actors["worker_a"], "update", "case", 11, tenant_id=t["a"], person_id=101)
        audit.record(s, actors["worker_a"], "login", "staff", p["worker_a"])
        worker_c = Actor(p["worker_c"], "Wanda", None, {t["c"]: frozenset({"equipe"})})
        audit.record(s, worker_c, "read", "case", 33, tenant_id=t["c"], person_id=303)
        audit.record(s, worker_c, "login", "staff", p["worker_c"])
        for i in range(extra):
            audit.record(s, actors["coord"], "read", "person", 500 + i, tenant_id=t["a"], person_id=500 + i)


def test_audit_search_is_scoped_and_filtered(world: dict) -> None:
    _seed_events(world)
    coord, p = world["actors"]["coord"], world["p"]
    rows, total = tx(audit_log.search_audit, coord, AuditFilters(), 0, record_read=False)
    seen = {(r.action, r.entity_type, r.entity_id) for r in rows}
    assert ("read", "case", "11") in seen and ("login", "staff", str(p["worker_a"])) in seen
    assert ("read", "case", "33") not in seen and ("login", "staff", str(p["worker_c"])) not in seen
    assert total == len(rows) == 3

    rows, total = tx(audit_log.search_audit, coord, AuditFilters(person_id=101), 0)
    assert total == 2 and {r.person_id for r in rows} == {101}
    rows, _ = tx(
        audit_log.search_audit, coord, AuditFilters(entity_type="case", entity_id="11", action="update"), 0
    )
    assert [(r.action, r.actor_name) for r in rows] == [("update", "=HYPERLINK(evil)")]
    rows, _ = tx(audit_log.search_audit, coord, AuditFilters(staff_id=p["worker_c"]), 0)
    assert rows == []  # another Comune's staff: nothing leaks
    today = date.today()
    _, total = tx(audit_log.search_audit, coord, AuditFilters(date_from=today, date_to=today), 0)
    assert total >= 3
    _, total = tx(audit_log.search_audit, coord, AuditFilters(date_to=today - timedelta(days=2)), 0)
    assert total == 0
    # searching is itself audited; admins see the log, équipe members do not
    assert any(e.entity_type == "audit_log" and e.action == "read" for e in events())
    tx(audit_log.search_audit, world["actors"]["admin"], AuditFilters(), 0)
    with pytest.raises(NotFoundOrForbidden):
        tx(audit_log.search_audit, world["actors"]["worker_a"], AuditFilters(), 0)
    with pytest.raises(InvalidRequest):
        tx(audit_log.search_audit, coord, AuditFilters(), "0")


def test_audit_paging(world: dict) -> None:
    _seed_events(world, extra=120)
    coord = world["actors"]["coord"]
    first, total = tx(audit_log.search_audit, coord, AuditFilters(), 0, record_read=False)
    third, _ = tx(audit_log.search_audit, coord, AuditFilters(), 2, record_read=False)
    assert total == 123 and len(first) == 50 and len(third) == 23
    assert first[0].id > first[-1].id  # newest first
    assert not {r.id for r in first} & {r.id for r in third}


def test_audit_csv_export(world: dict) -> None:
    _seed_events(world)
    coord = world["actors"]["coord"]
    data, count = tx(audit_log.export_audit_csv, coord, AuditFilters())
    assert count == 3 and data.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(data.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == audit_log.CSV_HEADER and len(rows) == 4
    names = {r[3] for r in rows[1:]}
    assert "'=HYPERLINK(evil)" in names  # formula injection neutralised
    assert all("33" != r[8] for r in rows[1:])
    (export,) = events("export")
    assert export.actor_id == coord.staff_id and export.detail.startswith("rows=3")


@pytest.mark.parametrize(
    "raw",
    [
        "not a dict",
        {"person_id": "12; DROP TABLE x"},
        {"person_id": "-3"},
        {"staff_id": "1e9"},
        {"date_from": "2024-13-01"},
        {"date_from": "2025-02-01", "date_to": "2025-01-01"},
        {"date_from": "1900-01-01"},
        {"entity_id": "12"},
        {"entity_type": "Case'--", "entity_id": "1"},
        {"entity_type": "case", "entity_id": "1 OR 1=1"},
        {"action": "drop"},
        {"person_id": ["1"]},
        {"person_id": True},
    ],
)
def test_audit_filters_refuse_bad_input(raw) -> None:
    with pytest.raises(InvalidRequest):
        AuditFilters.parse(raw)


def test_audit_filters_parse_good_input() -> None:
    f = AuditFilters.parse(
        {
            "person_id": " 42 ",
            "staff_id": "",
            "entity_type": "case",
            "entity_id": "17",
            "date_from": "2025-01-01",
            "action": "read",
        }
    )
    assert f == AuditFilters(
        person_id=42, entity_type="case", entity_id="17", action="read", date_from=date(2025, 1, 1)
    )
    assert AuditFilters.parse({}) == AuditFilters()
    assert utcnow().tzinfo is not None
