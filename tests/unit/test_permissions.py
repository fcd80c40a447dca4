"""The permission policy: every cell of the roles x actions matrix, tenant isolation,
équipe access bound to case assignment (on a real database), restricted notes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from tutela_app import db
from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import ACTION_ROLES, ALL_ROLES, Actor, NotFoundOrForbidden
from tutela_app.models import Case, CaseAssignment, Person, Staff, Tenant

A, B = 1, 2

#: The expected matrix, written out independently of ACTION_ROLES: a change to the
#: policy must be made (and reviewed) in both places.
EXPECTED: dict[str, set[str]] = {
    "intake.use": {"operatore_sportello", "coordinatore"},
    "intake.view_stale_drafts": {"amministratore", "coordinatore"},
    "person.search": {"operatore_sportello", "coordinatore", "equipe"},
    "referral.update": {"operatore_sportello", "coordinatore"},
    "case.list": {"equipe", "coordinatore"},
    "case.read": {"equipe", "coordinatore"},
    "case.edit": {"equipe", "coordinatore"},
    "case.move": {"equipe", "coordinatore"},
    "case.reopen": {"coordinatore"},
    "case.assign": {"coordinatore"},
    "measure.edit": {"equipe", "coordinatore"},
    "court_report.finalise": {"coordinatore"},
    "obligation.list_own": {"equipe", "coordinatore"},
    "dashboard.view": {"amministratore", "coordinatore", "referente_comunale"},
    "service_report.generate": {"amministratore", "coordinatore"},
    "service_report.download": {"amministratore", "coordinatore", "referente_comunale"},
    "audit.view": {"amministratore", "coordinatore"},
    "admin.tenants": {"amministratore"},
    "admin.grants": {"amministratore"},
    "admin.deadline_rules": {"amministratore"},
    "privacy.retention": {"amministratore"},
    "privacy.subject_export": {"amministratore", "coordinatore"},
}


def actor(
    roles_a: set[str] = frozenset(), roles_b: set[str] = frozenset(), staff_id: int = 1, profession=None
) -> Actor:
    roles = {t: frozenset(r) for t, r in ((A, roles_a), (B, roles_b)) if r}
    return Actor(staff_id=staff_id, display_name="x", profession=profession, roles_by_tenant=roles)


def test_expected_matrix_covers_every_action() -> None:
    assert set(EXPECTED) == set(ACTION_ROLES)


@pytest.mark.parametrize("action", sorted(ACTION_ROLES))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_matrix_cell(action: str, role: str) -> None:
    who = actor({role})
    allowed = role in EXPECTED[action]
    assert perm.can(who, action, A) is allowed
    assert (A in perm.tenants_for(who, action)) is allowed
    if allowed:
        perm.require(who, action, A)
    else:
        with pytest.raises(NotFoundOrForbidden):
            perm.require(who, action, A)
    # tenant isolation: the same role gives nothing in another Comune
    assert perm.can(who, action, B) is False
    assert B not in perm.tenants_for(who, action)
    with pytest.raises(NotFoundOrForbidden):
        perm.require(who, action, B)


def test_deny_by_default() -> None:
    everyone = actor(set(ALL_ROLES))
    assert perm.can(None, "case.read", A) is False
    assert perm.can(everyone, "no.such.action", A) is False
    assert perm.can(everyone, "case.read", None) is False
    assert perm.tenants_for(None, "case.read") == frozenset()
    assert perm.tenants_for(everyone, "no.such.action") == frozenset()
    assert not actor().is_authorised


def test_roles_apply_per_tenant() -> None:
    mixed = actor({"equipe"}, {"coordinatore"})
    assert perm.needs_assignment(mixed, "case.read", A)
    assert not perm.needs_assignment(mixed, "case.read", B)
    assert not perm.needs_assignment(mixed, "case.list", A)
    assert perm.can_on_case(mixed, "case.read", A, {99}) is False
    assert perm.can_on_case(mixed, "case.read", A, {mixed.staff_id}) is True
    assert perm.can_on_case(mixed, "case.read", B, set()) is True
    assert perm.can_on_case(mixed, "case.assign", A, {mixed.staff_id}) is False


def test_handler_registration_refuses_unknown_actions() -> None:
    with pytest.raises(ValueError):
        perm.register_handlers("NoState", {"x": "case.destroy"})


def test_restricted_notes() -> None:
    psi = actor({"equipe"}, profession="psicologo")
    social = actor({"equipe"}, profession="assistente_sociale")
    coord = actor({"coordinatore"}, profession="assistente_sociale")
    coord_elsewhere = actor(set(), {"coordinatore"}, profession="assistente_sociale")
    assert perm.can_read_restricted_note(psi, A, "psicologo")
    assert not perm.can_read_restricted_note(social, A, "psicologo")
    assert perm.can_read_restricted_note(coord, A, "psicologo")
    assert not perm.can_read_restricted_note(coord_elsewhere, A, "psicologo")
    assert not perm.can_read_restricted_note(actor({"equipe"}), A, None)


# ---------------------------------------------------------------------------
# case_visibility on a real database
# ---------------------------------------------------------------------------


@pytest.fixture
def cases(database_url: str) -> dict:
    with Session(db.get_engine(), expire_on_commit=False) as s:
        ta, tb = Tenant(code="a", name="A"), Tenant(code="b", name="B")
        s.add_all([ta, tb])
        staff = {k: Staff(issuer="https://idp", subject=k, display_name=k) for k in ("e1", "e2", "coord")}
        s.add_all(staff.values())
        s.flush()
        people = {
            t.code: Person(tenant_id=t.id, provisional_id=f"p-{t.code}", surname="X", given_name="Y")
            for t in (ta, tb)
        }
        s.add_all(people.values())
        s.flush()

        def case(number: str, tenant: Tenant, responsible: str | None = None) -> Case:
            c = Case(
                tenant_id=tenant.id,
                number=number,
                service="tutela_minori",
                stage="valutazione",
                origin="segnalazione",
                subject_person_id=people[tenant.code].id,
                responsible_staff_id=staff[responsible].id if responsible else None,
                opened_on=date(2025, 1, 1),
            )
            s.add(c)
            return c

        made = {
            "assigned_e1": case("A-1", ta),
            "responsible_e1": case("A-2", ta, "e1"),
            "assigned_e2": case("A-3", ta),
            "ended_e1": case("A-4", ta),
            "other_tenant_e1": case("B-1", tb),
        }
        s.flush()
        for key, who, until in [
            ("assigned_e1", "e1", None),
            ("assigned_e2", "e2", None),
            ("ended_e1", "e1", date(2025, 3, 1)),
            ("other_tenant_e1", "e1", None),
        ]:
            s.add(
                CaseAssignment(
                    case_id=made[key].id,
                    staff_id=staff[who].id,
                    role_in_case="educatore",
                    since=date(2025, 1, 1),
                    until=until,
                )
            )
        s.commit()
        return {
            "tenants": (ta.id, tb.id),
            "staff": {k: v.id for k, v in staff.items()},
            "cases": {k: v.id for k, v in made.items()},
        }


def visible_cases(case_ids: dict[str, int], who: Actor | None, action: str = "case.read") -> set[str]:
    with Session(db.get_engine()) as s:
        ids = set(
            s.exec(select(Case.id).where(perm.case_visibility(who, action, Case, CaseAssignment))).all()
        )
    return {name for name, case_id in case_ids.items() if case_id in ids}


def test_case_visibility(cases: dict) -> None:
    ta, tb = cases["tenants"]
    st = cases["staff"]

    def visible(who: Actor | None, action: str = "case.read") -> set[str]:
        return visible_cases(cases["cases"], who, action)

    def who(staff: str, roles_a=(), roles_b=()) -> Actor:
        roles = {t: frozenset(r) for t, r in ((ta, roles_a), (tb, roles_b)) if r}
        return Actor(staff_id=st[staff], display_name=staff, profession=None, roles_by_tenant=roles)

    e1 = who("e1", {"equipe"})
    assert visible(e1) == {"assigned_e1", "responsible_e1"}  # not e2's, not ended, not the other Comune
    assert visible(e1, "case.list") == {"assigned_e1", "responsible_e1", "assigned_e2", "ended_e1"}
    assert visible(who("e2", {"equipe"})) == {"assigned_e2"}
    assert visible(who("coord", {"coordinatore"})) == {
        "assigned_e1",
        "responsible_e1",
        "assigned_e2",
        "ended_e1",
    }
    assert visible(who("coord", {"amministratore"})) == set()  # administrators do not read case files
    assert visible(who("coord", {"referente_comunale"}, {"referente_comunale"})) == set()
    assert visible(who("e1", {"equipe"}, {"coordinatore"})) == {
        "assigned_e1",
        "responsible_e1",
        "other_tenant_e1",
    }
    assert visible(who("e1", (), {"equipe"})) == {"other_tenant_e1"}
    assert visible(None) == set()


def test_can_on_case_reads_the_equipe_only_when_the_right_depends_on_it() -> None:
    calls: list[int] = []

    def team() -> set[int]:
        calls.append(1)
        return {7}

    coordinator = Actor(1, "c", None, {A: frozenset({perm.COORDINATORE})})
    member = Actor(7, "m", None, {A: frozenset({perm.EQUIPE})})
    assert perm.can_on_case(coordinator, "case.read", A, team) is True and calls == []
    assert perm.can_on_case(member, "case.read", A, team) is True and calls == [1]
    assert perm.can_on_case(Actor(8, "x", None, {A: frozenset({perm.EQUIPE})}), "case.read", A, team) is False
