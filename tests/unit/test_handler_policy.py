"""Every public event handler of every state is covered by the permission policy.

Reflex does not enforce type hints and a client can call any public handler of any
state, so each one must appear in ``permissions.HANDLER_ACTIONS`` (which says which
action the service behind it enforces). Handlers of Reflex's own states and the ones
every state inherits from ``rx.State`` are framework built-ins.
"""

from __future__ import annotations

import os

os.environ.setdefault("TUTELA_DATABASE_URL", "sqlite:////nonexistent/never-used.db")

import reflex as rx  # noqa: E402

import tutela_app.tutela_app  # noqa: E402, F401  (builds the app: registers every page and state)
from tutela_app.auth import permissions  # noqa: E402


def _all_states(cls: type[rx.State]) -> list[type[rx.State]]:
    found = []
    for sub in cls.get_substates():
        found.append(sub)
        found.extend(_all_states(sub))
    return found


def _builtin_handlers() -> set[str]:
    names: set[str] = set()
    for base in rx.State.__mro__:
        names |= set(getattr(base, "event_handlers", {}) or {})
    return names


def _is_framework_state(cls: type) -> bool:
    return cls.__module__.split(".")[0] == "reflex"


def public_handlers() -> list[str]:
    builtin = _builtin_handlers()
    out = []
    for cls in _all_states(rx.State):
        if _is_framework_state(cls):
            continue
        for name in cls.event_handlers:
            if name.startswith("_") or name in builtin:
                continue
            out.append(f"{cls.__name__}.{name}")
    return sorted(out)


def test_builtins_are_computed_not_guessed() -> None:
    builtin = _builtin_handlers()
    assert {"setvar", "hydrate", "set_is_hydrated"} <= builtin


def test_the_app_has_states_to_check() -> None:
    handlers = public_handlers()
    assert "SessionState.check_session" in handlers
    assert "AdminState.add_grant" in handlers
    assert "AuditLogState.export_csv" in handlers


def test_every_public_handler_is_in_the_policy_table() -> None:
    missing = [h for h in public_handlers() if h not in permissions.HANDLER_ACTIONS]
    assert not missing, "public event handlers missing from permissions.HANDLER_ACTIONS: " + ", ".join(
        missing
    )


def test_policy_table_names_only_known_actions() -> None:
    known = set(permissions.ACTION_ROLES) | {"authenticated", "public"}
    assert {a for a in permissions.HANDLER_ACTIONS.values()} <= known


def test_no_state_names_collide() -> None:
    """HANDLER_ACTIONS is keyed by class name: two states with one name would share rules."""
    names = [cls.__name__ for cls in _all_states(rx.State) if not _is_framework_state(cls)]
    assert len(names) == len(set(names))
