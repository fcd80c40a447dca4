"""Property tests of the one permission policy, on a real seeded SQLite database.

No generated actor, whatever grants it holds, ever sees a case outside the Comuni where
it holds a role allowing the action (nor, as an équipe member, a case it is not on), and
``can`` never allows an action to a role not listed for it in ``ACTION_ROLES``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.support.databases import migrated_database, use_database
from tutela_app import db
from tutela_app.auth import permissions as perm
from tutela_app.models import Case, CaseAssignment, Staff, Tenant
from tutela_app.seed import seed_database

CASE_ACTIONS = sorted(a for a in perm.ACTION_ROLES if a.startswith(("case.", "measure.", "court_report.")))
ALL_ACTIONS = sorted(perm.ACTION_ROLES) + ["case.delete", "", "admin", "CASE.READ", "case.read "]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, list[int], list[int]]:
    tmp: Path = tmp_path_factory.mktemp("policy")
    with migrated_database("sqlite", tmp) as url:
        use_database(url)
        engine = db.get_engine()
        seed_database(engine, scale="tiny", today=date(2026, 6, 1))
        with Session(engine) as s:
            tenants = list(s.execute(select(Tenant.id)).scalars())
            staff = list(s.execute(select(Staff.id)).scalars())
        yield engine, tenants, staff


def actors(tenant_ids: list[int], staff_ids: list[int]) -> st.SearchStrategy[perm.Actor]:
    tenants = st.sampled_from([*tenant_ids, 0, -1, 10**6])
    roles = st.frozensets(st.sampled_from([*perm.ALL_ROLES, "superuser", "", "COORDINATORE"]), max_size=4)
    return st.builds(
        lambda sid, grants, prof: perm.Actor(staff_id=sid, display_name="x", profession=prof,
                                             roles_by_tenant={t: r for t, r in grants.items() if r}),
        st.sampled_from([*staff_ids, 10**6]),
        st.dictionaries(tenants, roles, max_size=4),
        st.sampled_from([None, "assistente_sociale", "psicologo", "educatore"]),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_case_visibility_never_leaves_the_actors_comuni(seeded, data) -> None:  # noqa: ANN001
    engine, tenant_ids, staff_ids = seeded
    actor = data.draw(actors(tenant_ids, staff_ids))
    action = data.draw(st.sampled_from(CASE_ACTIONS))
    allowed = perm.tenants_for(actor, action)
    with Session(engine) as s:
        visible = s.execute(select(Case).where(perm.case_visibility(actor, action, Case, CaseAssignment))).scalars().all()
        for case in visible:
            assert case.tenant_id in allowed
            assert perm.can(actor, action, case.tenant_id)
            if perm.needs_assignment(actor, action, case.tenant_id):
                team = set(s.execute(select(CaseAssignment.staff_id).where(
                    CaseAssignment.case_id == case.id, CaseAssignment.until.is_(None))).scalars())
                assert actor.staff_id in team or case.responsible_staff_id == actor.staff_id
                assert perm.can_on_case(actor, action, case.tenant_id, team | {case.responsible_staff_id})
        # Completeness for the privileged: a coordinator-like right shows every case of the Comune.
        for tenant in allowed:
            if not perm.needs_assignment(actor, action, tenant):
                every = set(s.execute(select(Case.id).where(Case.tenant_id == tenant)).scalars())
                assert every <= {c.id for c in visible}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_can_never_allows_an_action_outside_action_roles(seeded, data) -> None:  # noqa: ANN001
    _engine, tenant_ids, staff_ids = seeded
    actor = data.draw(actors(tenant_ids, staff_ids))
    action = data.draw(st.sampled_from(ALL_ACTIONS))
    tenant = data.draw(st.sampled_from([*tenant_ids, None, 0, 10**6]))
    allowed_roles = perm.ACTION_ROLES.get(action, frozenset())
    held = actor.roles_by_tenant.get(tenant, frozenset()) if tenant is not None else frozenset()
    assert perm.can(actor, action, tenant) == bool(held & allowed_roles)
    assert perm.tenants_for(actor, action) == {t for t, r in actor.roles_by_tenant.items() if r & allowed_roles}
    assert perm.can(None, action, tenant) is False
    if not held & allowed_roles:
        with pytest.raises(perm.NotFoundOrForbidden):
            perm.require(actor, action, tenant)


def test_the_fuzzed_database_has_cases_in_several_comuni(seeded) -> None:  # noqa: ANN001
    engine, _t, _s = seeded
    with Session(engine) as s:
        assert len(set(s.execute(select(Case.tenant_id)).scalars())) >= 3
