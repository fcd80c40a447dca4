"""Server-side login sessions.

The browser holds only a random opaque id in an ``HttpOnly; SameSite=Lax`` cookie; the
database stores its SHA-256, the staff id, the provider's session id (for back-channel
logout) and the ID token (as ``id_token_hint`` for RP-initiated logout). Sessions end on
logout, on back-channel logout, after ``session_idle_minutes`` without activity and after
``session_absolute_hours`` in any case.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, select

from tutela_app.auth.permissions import Actor
from tutela_app.models import AuthSession, RoleGrant, Staff, Tenant, utcnow
from tutela_app.settings import get_settings

COOKIE_NAME = "tutela_session"
#: Activity refreshes ``last_seen_at`` at most this often, to spare writes.
TOUCH_INTERVAL = timedelta(seconds=60)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(
    session: Session, staff_id: int, issuer: str, idp_session_id: str | None, id_token: str | None
) -> str:
    """Create a session and return the opaque cookie value (never stored in clear)."""
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        AuthSession(
            id=hash_token(token),
            staff_id=staff_id,
            issuer=issuer,
            idp_session_id=idp_session_id,
            id_token=id_token,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
        )
    )
    return token


def _is_live(row: AuthSession, now: datetime) -> str | None:
    """None when live, else the reason it is not."""
    settings = get_settings()
    if row.ended_at is not None:
        return row.end_reason or "ended"
    if now >= row.expires_at:
        return "absolute_timeout"
    if now - row.last_seen_at >= timedelta(minutes=settings.session_idle_minutes):
        return "idle_timeout"
    return None


def resolve_session(session: Session, token: str | None, *, touch: bool = True) -> AuthSession | None:
    """Return the live session for a cookie value, ending it if it has timed out."""
    if not token or len(token) > 200:
        return None
    row = session.get(AuthSession, hash_token(token))
    if row is None:
        return None
    now = utcnow()
    reason = _is_live(row, now)
    if reason is not None:
        if row.ended_at is None:
            row.ended_at, row.end_reason = now, reason
            session.add(row)
        return None
    if touch and now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
        session.add(row)
    return row


def end_session(session: Session, token_hash: str, reason: str) -> AuthSession | None:
    row = session.get(AuthSession, token_hash)
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = utcnow(), reason
        session.add(row)
    return row


def end_sessions_for_idp_session(session: Session, issuer: str, sub_staff_id: int | None, sid: str | None) -> int:
    """Back-channel logout: end the sessions matching the provider's ``sid`` (or subject)."""
    query = select(AuthSession).where(AuthSession.issuer == issuer, AuthSession.ended_at.is_(None))
    if sid:
        query = query.where(AuthSession.idp_session_id == sid)
    elif sub_staff_id is not None:
        query = query.where(AuthSession.staff_id == sub_staff_id)
    else:
        return 0
    rows = session.exec(query).all()
    for row in rows:
        row.ended_at, row.end_reason = utcnow(), "backchannel_logout"
        session.add(row)
    return len(rows)


def _actor(staff_id: int, display_name: str, profession: str | None, grants, session_id: str) -> Actor:  # noqa: ANN001
    """The actor from their ``(tenant_id, role, tenant_code)`` grants in active Comuni."""
    roles: dict[int, set[str]] = {}
    codes: dict[int, str] = {}
    for tenant_id, role, code in grants:
        roles.setdefault(tenant_id, set()).add(role)
        codes[tenant_id] = code
    return Actor(
        staff_id=staff_id,
        display_name=display_name,
        profession=profession,
        roles_by_tenant={t: frozenset(r) for t, r in roles.items()},
        tenant_codes=codes,
        session_ref=session_id[:16],
    )


def actor_for_session(session: Session, row: AuthSession) -> Actor | None:
    staff = session.get(Staff, row.staff_id)
    if staff is None or not staff.active:
        return None
    grants = session.exec(
        select(RoleGrant.tenant_id, RoleGrant.role, Tenant.code)
        .join(Tenant, Tenant.id == RoleGrant.tenant_id)
        .where(RoleGrant.staff_id == staff.id, Tenant.active.is_(True))
    ).all()
    return _actor(staff.id, staff.display_name, staff.profession, grants, row.id)  # type: ignore[arg-type]


#: the session, its staff member and their grants in one statement, built once: every event
#: of every user resolves its session, so the cheap path matters (see ``peek_actor``)
_SESSION_AND_GRANTS = (
    select(AuthSession.id, AuthSession.staff_id, AuthSession.ended_at, AuthSession.end_reason, AuthSession.expires_at,
           AuthSession.last_seen_at, Staff.display_name, Staff.profession, Staff.active,
           RoleGrant.tenant_id, RoleGrant.role, Tenant.code, Tenant.active.label("tenant_active"))
    .join(Staff, Staff.id == AuthSession.staff_id)  # type: ignore[arg-type]
    .outerjoin(RoleGrant, RoleGrant.staff_id == Staff.id)  # type: ignore[arg-type]
    .outerjoin(Tenant, Tenant.id == RoleGrant.tenant_id)  # type: ignore[arg-type]
    .where(AuthSession.id == bindparam("session_id"))
)


def peek_actor(session: Session, token: str | None) -> tuple[bool, Actor | None]:
    """Resolve a session without writing: ``(True, actor or None)`` when that is the
    answer, ``(False, None)`` when the session must be written first (its ``last_seen_at``
    is due, or it has just timed out and must be ended): then use :func:`actor_from_cookie`
    in a write transaction. Same rules as :func:`resolve_session` and :func:`actor_for_session`."""
    if not token or len(token) > 200:
        return True, None
    rows = session.connection().execute(_SESSION_AND_GRANTS, {"session_id": hash_token(token)}).all()
    if not rows:
        return True, None
    first, now = rows[0], utcnow()
    reason = _is_live(first, now)  # type: ignore[arg-type]
    if reason is not None:
        return first.ended_at is not None, None
    if now - first.last_seen_at >= TOUCH_INTERVAL:
        return False, None
    if not first.active:
        return True, None
    grants = [(r.tenant_id, r.role, r.code) for r in rows if r.tenant_id is not None and r.tenant_active]
    return True, _actor(first.staff_id, first.display_name, first.profession, grants, first.id)


def actor_from_cookie(session: Session, token: str | None) -> Actor | None:
    row = resolve_session(session, token)
    return actor_for_session(session, row) if row else None
