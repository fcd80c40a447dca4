"""Lists of the front-desk page: Comuni where the actor can open an accesso, drafts to
resume (and stale drafts for coordinators and administrators), recent confirmed accessi.

Every query is scoped to the tenants the actor holds the relevant action in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor
from tutela_app.models import Accesso, Staff, Tenant
from tutela_app.services.intake import ROME, base_flow
from tutela_app.services.persons import OUTCOME_LABELS
from tutela_app.settings import get_settings

MAX_ROWS = 50


def _local(ts: datetime | None) -> str:
    return ts.astimezone(ROME).strftime("%d/%m/%Y %H:%M") if ts else ""


def intake_tenants(session: Session, actor: Actor) -> list[dict]:
    """Comuni where the actor may open an accesso: [{"id": "3", "name": "Comune Demo"}]."""
    ids = perm.tenants_for(actor, "intake.use")
    if not ids:
        return []
    rows = session.exec(select(Tenant).where(Tenant.id.in_(ids), Tenant.active.is_(True)).order_by(Tenant.name)).all()
    return [{"id": str(t.id), "name": t.name} for t in rows]


def _question_label(qid: str | None) -> str:
    if not qid:
        return "Riepilogo da confermare"
    try:
        q = base_flow().question(qid)
    except StopIteration:
        return qid
    return f"{q.section}: {q.prompt}"


def list_drafts(session: Session, actor: Actor, *, now: datetime | None = None) -> list[dict]:
    """Drafts of the actor's Comuni, newest first; stale ones flagged.

    Front-desk operators see every draft of their Comuni; administrators (and coordinators)
    also see the stale drafts of Comuni where they hold ``intake.view_stale_drafts``.
    """
    use = perm.tenants_for(actor, "intake.use")
    stale_view = perm.tenants_for(actor, "intake.view_stale_drafts") - use
    if not use and not stale_view:
        return []
    now = now or datetime.now(UTC)
    threshold = now - timedelta(hours=get_settings().stale_draft_hours)
    names = {t.id: t.name for t in session.exec(select(Tenant).where(Tenant.id.in_(use | stale_view)))}
    rows: list[Accesso] = []
    if use:
        rows += session.exec(
            select(Accesso).where(Accesso.tenant_id.in_(use), Accesso.status == "bozza")
            .order_by(Accesso.updated_at.desc()).limit(MAX_ROWS)
        ).all()
    if stale_view:
        rows += session.exec(
            select(Accesso).where(Accesso.tenant_id.in_(stale_view), Accesso.status == "bozza",
                                  Accesso.updated_at < threshold)
            .order_by(Accesso.updated_at.desc()).limit(MAX_ROWS)
        ).all()
    staff_ids = {a.last_operator_id or a.operator_id for a in rows}
    staff = {s.id: s.display_name for s in session.exec(select(Staff).where(Staff.id.in_(staff_ids)))} if rows else {}
    out = []
    for a in rows:
        answers = a.answers or {}
        who = " ".join(str(answers[k]) for k in ("surname", "name") if isinstance(answers.get(k), str))
        out.append({
            "id": str(a.id),
            "number": a.number,
            "tenant": names.get(a.tenant_id, ""),
            "person": who or "Persona non ancora indicata",
            "updated": _local(a.updated_at),
            "operator": staff.get(a.last_operator_id or a.operator_id, ""),
            "position": _question_label(a.current_question),
            "stale": a.updated_at < threshold,
            "can_resume": a.tenant_id in use,
        })
    return out


def recent_accessi(session: Session, actor: Actor, limit: int = 20) -> list[dict]:
    """Latest confirmed accessi of the actor's Comuni (for reprinting the scheda)."""
    use = perm.tenants_for(actor, "intake.use")
    if not use:
        return []
    rows = session.exec(
        select(Accesso, Tenant.name).join(Tenant, Tenant.id == Accesso.tenant_id)
        .where(Accesso.tenant_id.in_(use), Accesso.status == "confermato")
        .order_by(Accesso.confirmed_at.desc()).limit(max(1, min(int(limit), MAX_ROWS)))
    ).all()
    return [
        {
            "id": str(a.id), "number": a.number, "tenant": name, "confirmed": _local(a.confirmed_at),
            "outcome": OUTCOME_LABELS.get(a.outcome or "", ""),
            "need_area": next((o.label for o in base_flow().question("need_area").options if o.value == a.need_area), ""),
        }
        for a, name in rows
    ]


__all__ = ["intake_tenants", "list_drafts", "recent_accessi"]
