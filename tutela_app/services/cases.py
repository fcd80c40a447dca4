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

MAX_COLUMN_LIMIT = 500
DEFAULT_COLUMN_LIMIT = 25

__all__ = [
    "BoardFilters", "MoveRefused", "board_marker", "board_page", "board_services", "move_case_to_stage",
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


def counts_statement(actor: Actor, filters: BoardFilters, now):  # noqa: ANN001, ANN201
    """``SELECT stage, count(*) ... GROUP BY stage`` over the actor's filtered cases."""
    stmt = select(Case.stage, func.count()).where(*board_conditions(actor, filters, now))
    if needs_person_join(filters):
        stmt = stmt.join(Person, Person.id == Case.subject_person_id)  # type: ignore[arg-type]
    return stmt.group_by(Case.stage)


def column_statement(actor: Actor, filters: BoardFilters, stage: str, limit: int, now):  # noqa: ANN001, ANN201
    """The first ``limit`` cards of one column, by next deadline (closed: latest closed first)."""
    stmt = (
        select(
            Case.id, Case.number, Case.stage, Case.version, Case.tenant_id, Case.current_measure_type,
            Case.next_deadline_at, Case.responsible_staff_id, Case.closed_on,
            Person.given_name, Person.surname, Person.birth_date,
        )
        .join(Person, Person.id == Case.subject_person_id)  # type: ignore[arg-type]
        .where(*board_conditions(actor, filters, now), Case.stage == stage)
    )
    if stage == wf.CLOSED:
        stmt = stmt.order_by(Case.closed_on.desc(), Case.id.desc())  # type: ignore[union-attr]
    else:
        stmt = stmt.order_by(Case.next_deadline_at.is_(None), Case.next_deadline_at, Case.id)  # type: ignore[union-attr]
    return stmt.limit(limit)


def board_page(
    session: Session, actor: Actor | None, filters: BoardFilters, limits: dict[str, int] | None = None,
    *, audit_read: bool = True,
) -> dict:
    """Columns of the board: ``{"columns": [{stage, label, count, cards, targets}], "total"}``."""
    if actor is None or not perm.tenants_for(actor, "case.list"):
        raise NotFoundOrForbidden
    now = utcnow()
    counts = {stage: n for stage, n in session.exec(counts_statement(actor, filters, now)).all()}
    columns, all_rows = [], []
    for stage in wf.stages(filters.service):
        limit = max(1, min(MAX_COLUMN_LIMIT, int((limits or {}).get(stage, DEFAULT_COLUMN_LIMIT))))
        rows = list(session.exec(column_statement(actor, filters, stage, limit, now)).all()) if counts.get(stage) else []
        all_rows.extend(rows)
        columns.append({
            "stage": stage, "label": wf.stage_label(stage), "count": counts.get(stage, 0), "n": len(rows),
            "targets": [{"value": t, "label": wf.stage_label(t)} for t in wf.allowed_targets(filters.service, stage)],
        })
    cards = iter(build_cards(session, all_rows, now))  # same order as all_rows
    for column in columns:
        column["cards"] = [next(cards) for _ in range(column.pop("n"))]
    if audit_read:
        for tenant_id in sorted({r.tenant_id for r in all_rows}):
            audit.record(session, actor, "read", "case_board", None, tenant_id=tenant_id, detail=filters.service)
        session.commit()
    return {"columns": columns, "total": sum(counts.values())}


def board_marker(session: Session, actor: Actor | None, service: str) -> str:
    """A cheap fingerprint of the actor's visible cases: changes whenever one of them does."""
    tenants = perm.tenants_for(actor, "case.list")
    if actor is None or not tenants or service not in wf.STAGES:
        return ""
    row = session.exec(
        select(func.count(), func.coalesce(func.sum(Case.version), 0), func.max(Case.updated_at)).where(
            Case.tenant_id.in_(tenants), Case.service == service, visible_cases(actor)  # type: ignore[attr-defined]
        )
    ).one()
    return f"{row[0]}:{row[1]}:{row[2]}"


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

