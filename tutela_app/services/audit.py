"""Append-only audit trail of reads and writes of personal data.

Only identifiers and codes are stored; never names, codici fiscali or free text.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from tutela_app.auth.permissions import Actor
from tutela_app.models import AuditEvent

log = logging.getLogger("tutela.audit")

ACTIONS = ("read", "create", "update", "delete", "move", "login", "logout", "denied", "export", "resume")


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: int | str | None = None,
    *,
    tenant_id: int | None = None,
    person_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Append one audit event in the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(
        AuditEvent(
            actor_id=actor.staff_id if actor else None,
            session_ref=actor.session_ref if actor else None,
            tenant_id=tenant_id,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            person_id=person_id,
            detail=detail[:500] if detail else None,
        )
    )
    log.info(
        "audit action=%s entity=%s id=%s tenant=%s actor=%s",
        action, entity_type, entity_id, tenant_id, actor.staff_id if actor else None,
    )
