"""What the simulated users need in the run's database, written directly (not benchmarked).

* ``coord.demo`` (a demo coordinator) is granted ``coordinatore`` in every Comune of the run
  copy, so the board filters and the dashboards cover the whole data set (10,950 cases,
  1.08M intervention/goal/evaluation rows) rather than the two Comuni of the demo claim;
* one real server-side session per simulated user (``auth.sessions.create_session``: the
  cookie value is what the login callback would set; the login redirect is not measured);
* one intake draft per user (``services.intake.start_accesso``, audited like the desk does);
* the case ids the case-file scenarios open, and the shared "hot" cases S4 edits (several
  users per case, so optimistic locking is really exercised), with their starting versions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import Session

from tutela_app.auth.sessions import COOKIE_NAME, actor_for_session, create_session, hash_token
from tutela_app.db import make_engine
from tutela_app.models import AuditEvent, AuthSession, Case, RoleGrant, Staff, Tenant
from tutela_app.services import intake
from tutela_app.settings import get_settings

BENCH_STAFF_SUBJECT = "u-coord-demo"  # coord.demo
HOT_USERS_PER_CASE = 2


@dataclass
class Fixtures:
    staff_id: int
    cookies: list[str]  # "tutela_session=<value>" per user
    accessi: list[int]
    read_cases: list[int]  # S3 rotates over these
    hot_cases: list[int]  # S4: user i edits hot_cases[i // HOT_USERS_PER_CASE]
    hot_versions: dict[int, int] = field(default_factory=dict)
    tenant_ids: list[int] = field(default_factory=list)
    audit_max_id: int = 0


def _grant_everywhere(session: Session, staff_id: int) -> list[int]:
    tenant_ids = list(session.execute(select(Tenant.id).where(Tenant.active.is_(True)).order_by(Tenant.id)).scalars())
    held = set(session.execute(select(RoleGrant.tenant_id).where(
        RoleGrant.staff_id == staff_id, RoleGrant.role == "coordinatore")).scalars())
    for tid in tenant_ids:
        if tid not in held:
            session.add(RoleGrant(staff_id=staff_id, tenant_id=tid, role="coordinatore", source="app"))
    return tenant_ids


def prepare(url: str, users: int, seed: int = 7) -> Fixtures:
    """Create sessions, drafts and case picks for ``users`` simulated users in ``url``."""
    engine = make_engine(url)
    rng = random.Random(seed)
    issuer = get_settings().effective_issuer
    try:
        with Session(engine) as session:
            staff_id = session.execute(select(Staff.id).where(Staff.subject == BENCH_STAFF_SUBJECT)).scalars().one()
            tenant_ids = _grant_everywhere(session, staff_id)
            session.commit()
            tokens = [create_session(session, staff_id, issuer, None, None) for _ in range(users)]
            session.commit()
            actor = actor_for_session(session, session.get(AuthSession, hash_token(tokens[0])))
            assert actor is not None
            demo_tenant = session.execute(select(Tenant.id).where(Tenant.code == "demo")).scalars().one()
            accessi = [intake.start_accesso(session, actor, demo_tenant) for _ in range(users)]
            session.commit()
            open_tm = list(session.execute(select(Case.id).where(
                Case.closed_on.is_(None), Case.service == "tutela_minori").order_by(Case.id)).scalars())
            picks = rng.sample(open_tm, min(len(open_tm), 200 + users // HOT_USERS_PER_CASE + 1))
            hot_n = max(1, -(-users // HOT_USERS_PER_CASE))
            hot, read = picks[:hot_n], picks[hot_n:]
            versions = {cid: session.get(Case, cid).version for cid in hot}
            audit_max = session.execute(select(func.max(AuditEvent.id))).scalars().one() or 0
    finally:
        engine.dispose()
    return Fixtures(staff_id, [f"{COOKIE_NAME}={t}" for t in tokens], accessi, read, hot, versions, tenant_ids,
                    int(audit_max))


@dataclass
class EditCheck:
    """S4's correctness verdict, from the database after the run."""

    successes: int
    lost_updates: int
    unacknowledged: int  # commits whose acknowledgement never arrived (e.g. a timeout)
    audit_missing: int
    details: list[str]


def verify_edits(url: str, fx: Fixtures, saved: dict[int, list[str]], attempted: dict[int, list[str]]) -> EditCheck:
    """Every acknowledged save must be in the database: one version step and one audit event each.

    Each committed save of a case summary increments the case's version exactly once, so
    ``final - initial`` versions must be at least the acknowledged saves (fewer means an
    acknowledged save was overwritten without a version step: a lost update), and the final
    text must be one of the texts the users sent.
    """
    engine = make_engine(url)
    details: list[str] = []
    lost = unacked = missing = successes = 0
    try:
        with Session(engine) as session:
            for cid in fx.hot_cases:
                acks = saved.get(cid, [])
                successes += len(acks)
                case = session.get(Case, cid)
                steps = case.version - fx.hot_versions[cid]
                if steps < len(acks):
                    lost += len(acks) - steps
                    details.append(f"case {cid}: {steps} version steps for {len(acks)} acknowledged saves")
                elif steps > len(acks):
                    unacked += steps - len(acks)
                if acks and (case.summary or "") not in set(attempted.get(cid, [])):
                    lost += 1
                    details.append(f"case {cid}: final summary is none of the texts sent")
                audits = session.execute(select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.id > fx.audit_max_id, AuditEvent.entity_type == "case",
                    AuditEvent.entity_id == str(cid), AuditEvent.action == "update")).scalars().one()
                if audits < len(acks):
                    missing += len(acks) - audits
                    details.append(f"case {cid}: {audits} audit events for {len(acks)} saves")
    finally:
        engine.dispose()
    return EditCheck(successes, lost, unacked, missing, details)


def current_versions(url: str, case_ids: list[int]) -> dict[int, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {cid: session.get(Case, cid).version for cid in case_ids}
    finally:
        engine.dispose()


def audit_max(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(session.execute(select(func.max(AuditEvent.id))).scalars().one() or 0)
    finally:
        engine.dispose()
