"""What the user sees and what the log keeps when an event handler fails.

Reflex's default handler logs the whole traceback with the exception message, and
database errors carry the SQL parameters (names, codici fiscali, free text) in their
message. This handler logs only the exception type and the code locations (file, line,
function) and shows an Italian message; the browser keeps what the user typed (drafts
are saved server-side answer by answer), so a retry loses nothing.

No ``from __future__ import annotations`` here: Reflex checks the handler's annotations.
"""

import logging
import re
import traceback
import uuid

import reflex as rx
from reflex_base.event import EventSpec
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger("tutela.errors")

MSG_DATABASE = ("Il database non è raggiungibile in questo momento. Quello che hai scritto non è andato perso: "
                "riprova tra qualche istante.")
MSG_GENERIC = "Si è verificato un errore imprevisto. Riprova; se il problema continua avvisa l'assistenza (codice {ref})."


def _where(filename: str) -> str:
    """``tutela_app/...`` for the app's own code, the bare file name for libraries."""
    if "/tutela_app/" in filename:
        return "tutela_app/" + filename.rsplit("/tutela_app/", 1)[1]
    return filename.rsplit("/", 1)[-1]


def _locations(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    return " <- ".join(f"{_where(f.filename)}:{f.lineno}:{f.name}" for f in reversed(frames))


def is_database_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def backend_exception_handler(exception: Exception) -> EventSpec:
    """Log type and code location only (no message: it may hold personal data); tell the user in Italian."""
    ref = uuid.uuid4().hex[:8]
    log.error("event handler failed ref=%s type=%s at %s", ref, type(exception).__name__, _locations(exception))
    message = MSG_DATABASE if is_database_unavailable(exception) else MSG_GENERIC.format(ref=ref)
    return rx.toast.error(message, id="errore_server", duration=10000, position="top-center")


# -- log redaction for the framework's own messages ---------------------------------------

#: Loggers of the framework that may print events (payload, headers with the session cookie).
FRAMEWORK_LOGGERS = (
    "reflex", "reflex.app", "reflex.state", "reflex_base", "reflex_base.event.processor.event_processor",
    "reflex_base.event.processor.base_state_processor", "reflex.istate.manager.redis", "reflex.utils.token_manager",
    "socketio", "socketio.server", "socketio.asyncio_server", "engineio", "engineio.server", "engineio.asyncio_server",
)
_REDACTIONS = (
    (re.compile(r"router_data=\{.*?\}, payload=.*?\)(?= \[txid=|$)", re.S), "router_data=<omesso>, payload=<omesso>)"),
    (re.compile(r"(Event data|event data|payload)(:| =|=) .*", re.S), r"\1\2 <omesso>"),
    (re.compile(r"(tutela_session|tutela_login_[\w-]*)=[^;'\"\s]+"), r"\1=<omesso>"),
    (re.compile(r"'cookie': '[^']*'"), "'cookie': '<omesso>'"),
)


class RedactFrameworkLogs(logging.Filter):
    """Strip payloads, headers and cookies from framework log records; keep exception type and place."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for pattern, replacement in _REDACTIONS:
            message = pattern.sub(replacement, message)
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message += f" [{type(exc).__name__} at {_locations(exc)}]"
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = message[:500], None
        return True


def install_log_redaction() -> None:
    redactor = RedactFrameworkLogs()
    for name in FRAMEWORK_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFrameworkLogs) for f in logger.filters):
            logger.addFilter(redactor)


install_log_redaction()
