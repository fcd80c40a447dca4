"""iCalendar feed of a person's open deadlines: GET /calendario/{token}.ics.

The token is a revocable secret (hash stored in ``CalendarFeedToken``); an unknown or
revoked token answers 404. Events carry the case number, the child's initials and a fixed
label of the obligation kind — never names nor free text typed by users.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tutela_app.db import write_session
from tutela_app.services import audit
from tutela_app.services.my_deadlines import KIND_LABELS, actor_for_token, feed_rows
from tutela_app.settings import get_settings

FEED_PATH = "/calendario/{token}.ics"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render_ics(rows: list[dict], base_url: str, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tutela//Scadenze//IT", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "X-WR-CALNAME:Tutela - le mie scadenze",
    ]
    for r in rows:
        label = KIND_LABELS.get(r["kind"], "Scadenza")
        summary = f"{label} - caso {r['case_number']} ({r['initials']})"
        lines += [
            "BEGIN:VEVENT",
            f"UID:obligation-{r['id']}@tutela",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(r['due'])}",
            f"DTEND:{_stamp(r['due'])}",
            f"SUMMARY:{_escape(summary)}",
            f"URL:{base_url}/casi/{int(r['case_id'])}/tribunale",
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P1D", f"DESCRIPTION:{_escape(label)}", "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _feed_for(token: str) -> str | None:
    with write_session() as session:
        actor = actor_for_token(session, token)
        if actor is None:
            return None
        rows = feed_rows(session, actor)
        audit.record(session, actor, "export", "calendar_feed", actor.staff_id, detail=f"events:{len(rows)}")
    return render_ics(rows, get_settings().public_url.rstrip("/"))


async def calendar(request: Request) -> Response:
    token = str(request.path_params.get("token", ""))
    body = await asyncio.to_thread(_feed_for, token)
    if body is None:
        return PlainTextResponse("Calendario non trovato.", status_code=404)
    return Response(body, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "private, no-store"})


def build_calendar_app() -> Starlette:
    return Starlette(routes=[Route(FEED_PATH, calendar, methods=["GET"])])
