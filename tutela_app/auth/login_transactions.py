"""The database work behind the /auth routes: one audited transaction each, run with
``run_db`` from the route handlers."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from tutela_app.auth import sessions
from tutela_app.auth.permissions import Actor
from tutela_app.db import write_session
from tutela_app.models import AuthSession, Staff
from tutela_app.services import audit
from tutela_app.services.staff import grant_count, sync_staff_from_claims
from tutela_app.settings import get_settings


def staff_actor(staff: Staff, session_ref: str | None) -> Actor:
    return Actor(
        staff_id=staff.id,
        display_name=staff.display_name,
        profession=staff.profession,
        session_ref=session_ref,
    )


def open_login_session(
    issuer: str, claims: dict[str, Any], id_token: str, previous_cookie: str | None
) -> tuple[str | None, int, bool]:
    """Sync staff and grants, end the previous session, open a new one.

    Returns (cookie value or None when the account is disabled, staff id, authorised).
    """
    settings = get_settings()
    with write_session() as session:
        staff = sync_staff_from_claims(session, issuer, claims, settings)
        if not staff.active:
            audit.record(
                session,
                staff_actor(staff, None),
                "denied",
                "staff",
                staff.id,
                detail="login account_disabled",
            )
            return None, staff.id, False
        if previous_cookie:
            sessions.end_session(session, sessions.hash_token(previous_cookie), "replaced")
        sid = claims.get("sid") if isinstance(claims.get("sid"), str) else None
        token = sessions.create_session(session, staff.id, issuer, sid, id_token)
        authorised = grant_count(session, staff.id) > 0
        audit.record(
            session,
            staff_actor(staff, sessions.hash_token(token)[:16]),
            "login",
            "staff",
            staff.id,
            detail="grants" if authorised else "no_grants",
        )
        return token, staff.id, authorised


def end_app_session(cookie: str | None) -> str | None:
    """End the session of this cookie (audited); return its ID token for the hint."""
    if not cookie or len(cookie) > 200:
        return None
    with write_session() as session:
        row = session.get(AuthSession, sessions.hash_token(cookie))
        if row is None:
            return None
        id_token = row.id_token
        if row.ended_at is None:
            sessions.end_session(session, row.id, "logout")
            staff = session.get(Staff, row.staff_id)
            if staff is not None:
                audit.record(
                    session,
                    staff_actor(staff, row.id[:16]),
                    "logout",
                    "staff",
                    staff.id,
                    detail="rp_initiated",
                )
        return id_token


def end_backchannel_sessions(issuer: str, claims: dict[str, Any]) -> int:
    """End the sessions named by a validated logout token (``sub`` and/or ``sid``)."""
    with write_session() as session:
        staff = None
        if isinstance(claims.get("sub"), str):
            staff = session.exec(
                select(Staff).where(Staff.issuer == issuer, Staff.subject == claims["sub"])
            ).first()
            if staff is None and not claims.get("sid"):
                return 0
        sid = claims.get("sid") if isinstance(claims.get("sid"), str) else None
        ended = sessions.end_sessions_for_idp_session(session, issuer, staff.id if staff else None, sid)
        if ended and staff is not None:
            audit.record(
                session,
                staff_actor(staff, None),
                "logout",
                "staff",
                staff.id,
                detail=f"backchannel sessions={ended}",
            )
        return ended
