"""The case board: filtered, paged columns by stage, live marker, and stage moves.

Only what the browser shows leaves this module: per column the SQL count (GROUP BY) and
the first ``limit`` cards ordered by next legal deadline. Every query is scoped to the
actor's Comuni and, for équipe members, to the cases they are assigned to.
"""

from __future__ import annotations

from sqlalchemy import exists, func
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain import case_workflow as wf
from tutela_app.models import (
    Case,
    CaseStageChange,
    Evaluation,
    Goal,
    Intervention,
    Person,
    RoleGrant,
    Staff,
    Tenant,
    utcnow,
)
from tutela_app.services import audit
from tutela_app.services.board_cards import build_cards
from tutela_app.services.board_query import BoardFilters, board_conditions, needs_person_join
from tutela_app.services.case_access import EditConflict, check_id, load_case, today_rome, visible_cases
from tutela_app.services.metrics_cache import ResultCache

MAX_COLUMN_LIMIT = 500
DEFAULT_COLUMN_LIMIT = 25
#: a shared board page is reused for at most this long even when no case changed: card
#: urgencies and the deadline filters move with the clock, and a person's name edit does
#: not touch the case (the live marker would not see it)
SHARED_PAGE_SECONDS = 10.0
_SHARED_PAGES = ResultCache(max_entries=128, ttl=SHARED_PAGE_SECONDS)

__all__ = [
    "BoardFilters", "MoveRefused", "board_marker", "board_page", "board_scope", "board_services", "move_case_to_stage",
    "record_board_read", "shared_board_page",
    "staff_filter_options", "tenant_filter_options",
]


class MoveRefused(Exception):
    """The workflow refuses the move; ``reasons`` are Italian sentences for the user."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def board_services(session: Session, actor: Actor | None) -> list[str]:
    """Services the actor works in: bought by a Comune where the actor may list cases."""
    tenants = perm.tenants_for(actor, "case.list")
    if not tenants:
        return []
    rows = session.exec(select(Tenant.buys_tutela_minori, Tenant.buys_segretariato).where(Tenant.id.in_(tenants))).all()  # type: ignore[union-attr]
    services = []
    if any(tm for tm, _ in rows):
        services.append(wf.ServiceKind.TUTELA_MINORI.value)
    if any(seg for _, seg in rows):
        services.append(wf.ServiceKind.SERVIZIO_SOCIALE.value)
    return services


def counts_statement(actor: Actor, filters: BoardFilters, now, conds: list | None = None):  # noqa: ANN001, ANN201
    """``SELECT stage, count(*) ... GROUP BY stage`` over the actor's filtered cases.

    ``conds`` (from :func:`board_conditions`) lets one request build the filter once."""
    conds = board_conditions(actor, filters, now) if conds is None else conds
    stmt = select(Case.stage, func.count()).where(*conds)
    if needs_person_join(filters):
        stmt = stmt.join(Person, Person.id == Case.subject_person_id)  # type: ignore[arg-type]
    return stmt.group_by(Case.stage)


def column_statement(actor: Actor, filters: BoardFilters, stage: str, limit: int, now,  # noqa: ANN001, ANN201
                     conds: list | None = None):
    """The first ``limit`` cards of one column, by next deadline (closed: latest closed first).

    The cases are ordered and cut to ``limit`` first (``ix_case_board``), and only those
    few rows are joined to ``person``: joining before the LIMIT made PostgreSQL hash-join
    every person of the data set for each column.
    """
    conds = board_conditions(actor, filters, now) if conds is None else conds
    inner = select(
        Case.id, Case.number, Case.stage, Case.version, Case.tenant_id, Case.current_measure_type,
        Case.next_deadline_at, Case.responsible_staff_id, Case.closed_on, Case.subject_person_id,
    ).where(*conds, Case.stage == stage)
    if needs_person_join(filters):
        inner = inner.join(Person, Person.id == Case.subject_person_id)  # type: ignore[arg-type]
    if stage == wf.CLOSED:
        inner = inner.order_by(Case.closed_on.desc(), Case.id.desc())  # type: ignore[union-attr]
    else:
        inner = inner.order_by(Case.next_deadline_at.is_(None), Case.next_deadline_at, Case.id)  # type: ignore[union-attr]
    page = inner.limit(limit).subquery("page")
    stmt = select(
        page.c.id, page.c.number, page.c.stage, page.c.version, page.c.tenant_id, page.c.current_measure_type,
        page.c.next_deadline_at, page.c.responsible_staff_id, page.c.closed_on,
        Person.given_name, Person.surname, Person.birth_date,
    ).join(Person, Person.id == page.c.subject_person_id)
    if stage == wf.CLOSED:
        return stmt.order_by(page.c.closed_on.desc(), page.c.id.desc())
    return stmt.order_by(page.c.next_deadline_at.is_(None), page.c.next_deadline_at, page.c.id)


def board_page(
    session: Session, actor: Actor | None, filters: BoardFilters, limits: dict[str, int] | None = None,
    *, audit_read: bool = True,
) -> dict:
    """Columns of the board: ``{"columns": [{stage, label, count, cards, targets}], "total", "read_tenants"}``.

    With ``audit_read`` the board read is audited in ``session`` (and committed). A caller
    that reads in a read-only transaction passes ``audit_read=False`` and then appends the
    same events with :func:`record_board_read` in its own short write transaction, using
    ``read_tenants`` (the Comuni whose cases were shown).
    """
    if actor is None or not perm.tenants_for(actor, "case.list"):
        raise NotFoundOrForbidden
    now = utcnow()
    conds = board_conditions(actor, filters, now)  # built once for the count and every column
    counts = {stage: n for stage, n in session.exec(counts_statement(actor, filters, now, conds)).all()}
    columns, all_rows = [], []
    for stage in wf.stages(filters.service):
        limit = max(1, min(MAX_COLUMN_LIMIT, int((limits or {}).get(stage, DEFAULT_COLUMN_LIMIT))))
        rows = list(session.exec(column_statement(actor, filters, stage, limit, now, conds)).all()) \
            if counts.get(stage) else []
        all_rows.extend(rows)
        columns.append({
            "stage": stage, "label": wf.stage_label(stage), "count": counts.get(stage, 0), "n": len(rows),
            "targets": [{"value": t, "label": wf.stage_label(t)} for t in wf.allowed_targets(filters.service, stage)],
        })
    cards = iter(build_cards(session, all_rows, now))  # same order as all_rows
    for column in columns:
        column["cards"] = [next(cards) for _ in range(column.pop("n"))]
    read_tenants = sorted({r.tenant_id for r in all_rows})
    if audit_read:
        record_board_read(session, actor, read_tenants, filters.service)
        session.commit()
    return {"columns": columns, "total": sum(counts.values()), "read_tenants": read_tenants}


def shared_board_page(session: Session, actor: Actor | None, filters: BoardFilters, limits: dict[str, int],
                      marker: str) -> dict:
    """:func:`board_page` (not audited) shared by every tab with the same scope, filters,
    column limits and data ``marker`` (:func:`board_marker`, read by the caller in the same
    transaction).

    A change to any visible case changes the marker, so a cached page is never older than
    the data it was built from (but for ``SHARED_PAGE_SECONDS``, see there). It answers the
    common repeats — colleagues on the same board, the same filter chosen again — and the
    herd of live refreshes every open board sends when one case changes, which would
    otherwise rebuild the same page once per tab. The returned dict is shared: read only.
    The caller still audits the read (:func:`record_board_read`) for its own actor.
    """
    if actor is None or not perm.tenants_for(actor, "case.list"):
        raise NotFoundOrForbidden
    key = (board_scope(actor), filters.model_dump_json(), tuple(sorted((limits or {}).items())), marker)
    return _SHARED_PAGES.get_or_compute(key, lambda: board_page(session, actor, filters, limits, audit_read=False))


def record_board_read(session: Session, actor: Actor | None, tenant_ids: list[int], service: str) -> None:
    """Audit a board load: one ``read`` of ``case_board`` per Comune whose cards were shown.

    Only Comuni where the actor may list cases are recorded (the ids come from
    :func:`board_page`, but this function never trusts them blindly)."""
    allowed = perm.tenants_for(actor, "case.list")
    if actor is None or service not in wf.STAGES:
        raise NotFoundOrForbidden
    for tenant_id in sorted({t for t in tenant_ids if isinstance(t, int) and t in allowed}):
        audit.record(session, actor, "read", "case_board", None, tenant_id=tenant_id, detail=service)


def board_scope(actor: Actor | None) -> tuple:
    """What decides which cases the board shows the actor, as a hashable key.

    Two actors with the same scope see the same cards for the same filters: the Comuni
    where they may list cases, those where they read every case, and — only when some
    Comune limits them to their équipe's cases — who they are.
    """
    if actor is None:
        return ()
    listed = perm.tenants_for(actor, "case.list")
    full = tuple(sorted(t for t in perm.tenants_for(actor, "case.read") if not perm.needs_assignment(actor, "case.read", t)))
    assigned = tuple(sorted(t for t in perm.tenants_for(actor, "case.read") if perm.needs_assignment(actor, "case.read", t)))
    return tuple(sorted(listed)), full, assigned, actor.staff_id if assigned else None


def board_marker(session: Session, actor: Actor | None, service: str) -> str:
    """A cheap fingerprint of the actor's visible cases: changes whenever one of them does.

    Every write to a case sets ``updated_at`` (edits, moves, ``touch_case`` for its
    records and team) and cases are never deleted, so the latest ``updated_at`` per Comune
    plus the newest case id (a new case) suffice. Where the actor sees the whole Comune,
    each Comune's latest ``updated_at`` is one seek at the end of ``ix_case_changed``
    (tenant, service, updated_at) and the newest id one seek on the primary key: the cost
    does not grow with the number of cases. Where the actor sees only their équipe's cases
    the count and latest change of those few cases are read instead.
    """
    tenants = perm.tenants_for(actor, "case.list")
    if actor is None or not tenants or service not in wf.STAGES:
        return ""
    _listed, full, assigned, _staff = board_scope(actor)
    full = tuple(t for t in full if t in tenants)
    parts = [select(func.max(Case.id)).scalar_subquery()]
    parts += [select(func.max(Case.updated_at)).where(Case.tenant_id == t, Case.service == service).scalar_subquery()
              for t in full]
    row = session.exec(select(*parts)).one()
    values = (row,) if len(parts) == 1 else tuple(row)  # one column comes back as a scalar
    marker = f"{values[0]}|" + ";".join(f"{t}:{m.isoformat() if m else ''}" for t, m in zip(full, values[1:], strict=True))
    assigned = tuple(t for t in assigned if t in tenants)
    if assigned:
        rows = session.exec(
            select(Case.tenant_id, func.count(), func.max(Case.updated_at)).where(
                Case.tenant_id.in_(assigned), Case.service == service, visible_cases(actor)  # type: ignore[attr-defined]
            ).group_by(Case.tenant_id)
        ).all()
        marker += "|" + ";".join(f"{t}:{n}:{m.isoformat() if m else ''}" for t, n, m in sorted(rows))
    return marker


def _facts(session: Session, actor: Actor, case: Case, closure_reason: str | None) -> wf.TransitionFacts:
    interventions = session.exec(select(func.count()).where(Intervention.case_id == case.id)).one()
    with_baseline = session.exec(
        select(func.count()).select_from(Goal).where(
            Goal.case_id == case.id,
            exists(select(Evaluation.id).where(Evaluation.goal_id == Goal.id, Evaluation.is_baseline.is_(True))),  # type: ignore[attr-defined]
        )
    ).one()
    return wf.TransitionFacts(
        has_responsible_worker=case.responsible_staff_id is not None,
        interventions_count=int(interventions),
        goals_with_baseline=int(with_baseline),
        closure_reason=closure_reason,
        actor_is_coordinator=perm.can(actor, "case.reopen", case.tenant_id),
    )


def move_case_to_stage(
    session: Session, actor: Actor | None, case_id: object, to_stage: object, expected_version: object,
    closure_reason: object = None,
) -> dict:
    """Move a case along its workflow; records who and when, audits ``move``.

    Raises NotFoundOrForbidden, EditConflict (the case changed since it was loaded) or
    MoveRefused (the workflow's Italian reasons).
    """
    case = load_case(session, actor, case_id, "case.move")
    assert actor is not None
    version = check_id(expected_version) if expected_version not in (None, "") else case.version
    target = to_stage if isinstance(to_stage, str) else ""
    reason = closure_reason if isinstance(closure_reason, str) and closure_reason else None
    if case.version != version:
        raise EditConflict({"Fase": wf.stage_label(case.stage)}, case.version)
    reasons = wf.check_transition(case.service, case.stage, target, _facts(session, actor, case, reason))
    if reasons:
        raise MoveRefused(reasons)
    from_stage, now = case.stage, utcnow()
    case.stage = target
    if target == wf.CLOSED:
        case.closed_on, case.closure_reason = today_rome(), reason
    elif from_stage == wf.CLOSED:
        case.closed_on, case.closure_reason = None, None
    case.updated_at = now
    session.add(case)
    session.add(CaseStageChange(
        case_id=case.id, tenant_id=case.tenant_id, from_stage=from_stage, to_stage=target,
        changed_by=actor.staff_id, changed_at=now, closure_reason=reason if target == wf.CLOSED else None,
    ))
    audit.record(session, actor, "move", "case", case.id, tenant_id=case.tenant_id,
                 person_id=case.subject_person_id, detail=f"{from_stage}->{target}")
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise EditConflict({"Fase": "modificata"}, version + 1) from exc
    return {"case_id": case.id, "stage": target, "version": case.version, "from_stage": from_stage}


def tenant_filter_options(session: Session, actor: Actor | None) -> list[dict[str, str]]:
    """The actor's Comuni (only those where they may list cases), for the filter."""
    tenants = perm.tenants_for(actor, "case.list")
    if not tenants:
        return []
    rows = session.exec(select(Tenant.id, Tenant.name).where(Tenant.id.in_(tenants)).order_by(Tenant.name)).all()  # type: ignore[union-attr]
    return [{"value": str(i), "label": n} for i, n in rows]


def staff_filter_options(session: Session, actor: Actor | None) -> list[dict[str, str]]:
    """Staff of the actor's Comuni who work cases (équipe and coordinators), for the filter."""
    tenants = perm.tenants_for(actor, "case.list")
    if not tenants:
        return []
    rows = session.exec(
        select(Staff.id, Staff.display_name, Staff.profession)
        .where(
            Staff.active.is_(True),  # type: ignore[attr-defined]
            exists(select(RoleGrant.id).where(
                RoleGrant.staff_id == Staff.id, RoleGrant.tenant_id.in_(tenants),  # type: ignore[attr-defined]
                RoleGrant.role.in_(("equipe", "coordinatore")),  # type: ignore[attr-defined]
            )),
        )
        .order_by(Staff.display_name)
    ).all()
    return [{"value": str(i), "label": name} for i, name, _p in rows]

