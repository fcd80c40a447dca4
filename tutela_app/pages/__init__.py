"""Pages. Each module exposes ``register(app)``; ``register_all`` wires them in order."""

from __future__ import annotations

import reflex as rx


def register_all(app: rx.App) -> None:
    from tutela_app.pages import (
        admin,
        audit,
        board,
        case_file,
        court,
        dashboards,
        errors,
        home,
        intake,
        privacy,
    )

    for module in (home, board, case_file, court, admin, audit, intake, dashboards, privacy, errors):
        module.register(app)
