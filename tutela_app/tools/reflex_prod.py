"""``reflex run`` for production, with Granian respawning a worker that dies.

Reflex 0.10 builds Granian's server without ``respawn_failed_workers`` (default False), so a
single worker killed by the OOM killer or a crash takes the whole app down with it. Run as
``python -m tutela_app.tools.reflex_prod run --env prod --single-port``: it turns respawning
on (Granian still exits on a crash loop: a worker dying again within 5.5 s) and then hands
over to the Reflex command line unchanged.
"""

from __future__ import annotations

import functools

from granian import server as granian_server


def enable_worker_respawn() -> None:
    original = granian_server.Server.__init__
    if getattr(original, "_tutela_respawn", False):
        return

    @functools.wraps(original)
    def init(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        kwargs.setdefault("respawn_failed_workers", True)
        original(self, *args, **kwargs)

    init._tutela_respawn = True  # type: ignore[attr-defined]
    granian_server.Server.__init__ = init


if __name__ == "__main__":
    enable_worker_respawn()
    from reflex.reflex import cli

    cli()
