"""Helpers over a seeded database: real actors and real session cookies for demo users.

Actors are built the way the app builds them (a server-side session resolved from its
cookie), so tests exercise the same grants a signed-in user has.
"""

from __future__ import annotations

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tutela_app.auth.permissions import Actor
from tutela_app.auth.sessions import actor_from_cookie, create_session
from tutela_app.models import Staff
from tutela_app.settings import get_settings


def demo_subject(username: str) -> str:
    """Provider subject of a demo user (``as.demo`` -> ``u-as-demo``)."""
    return "u-" + username.replace(".", "-")


def staff_id(engine: Engine, username: str) -> int:
    with Session(engine) as session:
        sid = session.execute(select(Staff.id).where(Staff.subject == demo_subject(username))).scalar_one_or_none()
    if sid is None:
        raise LookupError(f"demo user {username} is not in the seeded database")
    return int(sid)


def session_cookie(engine: Engine, username: str) -> str:
    """A live server-side session for a demo user; returns the cookie value."""
    with Session(engine) as session:
        token = create_session(session, staff_id(engine, username), get_settings().effective_issuer, None, None)
        session.commit()
    return token


def actor(engine: Engine, username: str) -> Actor:
    token = session_cookie(engine, username)
    with Session(engine) as session:
        found = actor_from_cookie(session, token)
        session.commit()
    assert found is not None
    return found


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table (all tables), to prove that nothing changed."""
    with engine.connect() as conn:
        quote = conn.dialect.identifier_preparer.quote
        return {
            name: int(conn.execute(text(f"SELECT count(*) FROM {quote(name)}")).scalar_one())
            for name in sorted(inspect(conn).get_table_names())
        }


def count(engine: Engine, model, *where) -> int:  # noqa: ANN001
    with Session(engine) as session:
        return int(session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())
