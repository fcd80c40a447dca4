"""Heavy page data is dropped when the tab moves to another page.

Reflex keeps every state a tab has touched, and a reconnecting tab gets the whole tree
back: without this, a user who visited the board, a case file and the dashboards would
receive all three pages' data again on every reconnect. Page states with large client
vars register them here with the paths where they are shown; they are reset to their
defaults whenever the tab shows another page (``SessionState.check_session``, the first
on_load handler of every protected page, calls :func:`release_other_pages`). The page's
own on_load reloads its data when the user comes back, so nothing visible is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import reflex as rx

#: state class -> (paths where its data is shown, factory of the defaults to reset to)
_HEAVY: dict[type[rx.State], tuple[re.Pattern[str], Callable[[], dict[str, Any]]]] = {}


def register_heavy(state_cls: type[rx.State], shown_on: str, defaults: Callable[[], dict[str, Any]]) -> None:
    """``shown_on``: a regex matched against the page path (e.g. ``r"^/casi/?$"``)."""
    _HEAVY[state_cls] = (re.compile(shown_on), defaults)


async def release_other_pages(state: rx.State, path: str) -> None:
    """Reset the heavy vars of every registered page state not shown on ``path``."""
    for cls, (shown_on, defaults) in _HEAVY.items():
        if shown_on.match(path):
            continue
        other = await state.get_state(cls)
        for name, value in defaults().items():
            if getattr(other, name) != value:  # only what changed goes into the delta
                setattr(other, name, value)
