"""Route constants and URL helpers (one place for every path)."""

from __future__ import annotations

HOME = "/"
INTAKE = "/sportello"
INTAKE_WIZARD = "/sportello/accesso/[accesso_id]"
BOARD = "/casi"
CASE_FILE = "/casi/[case_id]"
CASE_COURT = "/casi/[case_id]/tribunale"
ADMIN_DEADLINE_RULES = "/amministrazione/scadenze"
ADMIN_PRIVACY = "/amministrazione/privacy"
DASHBOARDS = "/cruscotti"
AUDIT = "/audit"
ADMIN = "/amministrazione"
NOT_AUTHORISED = "/non-autorizzato"

LOGIN = "/auth/login"
CALLBACK = "/auth/callback"
LOGOUT = "/auth/logout"
LOGGED_OUT = "/auth/logged-out"
BACKCHANNEL_LOGOUT = "/auth/backchannel-logout"


def safe_next_path(value: str | None) -> str:
    """A same-origin relative path to return to after login; anything else becomes ``/``.

    Refuses absolute URLs, scheme-relative ``//host`` and backslash tricks (open redirect).
    """
    if not value or not isinstance(value, str) or len(value) > 500:
        return HOME
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return HOME
    if any(ord(c) < 32 for c in value) or value.startswith(("/auth/", "/_")):
        return HOME
    return value


def case_file_url(case_id: int) -> str:
    return f"/casi/{int(case_id)}"


def wizard_url(accesso_id: int) -> str:
    return f"/sportello/accesso/{int(accesso_id)}"


def case_court_url(case_id: int) -> str:
    return f"/casi/{int(case_id)}/tribunale"
