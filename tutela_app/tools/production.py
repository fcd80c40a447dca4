"""Production mode: the checks and the environment of ``manage run-prod``.

Production runs the same one-origin command as ``make run`` (``reflex run --env prod
--single-port``) with Granian serving ``TUTELA_WORKERS`` worker processes on
``TUTELA_BIND_HOST:TUTELA_BIND_PORT`` behind the TLS reverse proxy (deploy/nginx). With
more than one worker, Reflex's state lives in Redis (``REFLEX_REDIS_URL``), so any worker
can serve any tab; login sessions and drafts live in the database, so a Redis restart
logs nobody out and loses no input.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tutela_app.settings import Settings

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
DEV_CLIENT_SECRET = "tutela-dev-secret"  # noqa: S105 (the dev provider's well-known secret)


def production_problems(settings: Settings) -> list[str]:
    """What makes this configuration unfit for production (Italian, for the operator)."""
    problems: list[str] = []
    host = urlsplit(settings.public_url).hostname or ""
    if settings.public_url.startswith("http://") and host not in LOCAL_HOSTS:
        problems.append("TUTELA_PUBLIC_URL deve essere https:// (TLS sul reverse proxy).")
    if settings.workers < 1:
        problems.append("TUTELA_WORKERS deve essere almeno 1.")
    if settings.workers > 1 and not settings.redis_url:
        problems.append("Con più worker serve Redis per lo stato condiviso: impostare REFLEX_REDIS_URL.")
    if settings.redis_url and not settings.redis_url.startswith(("redis://", "rediss://", "unix://")):
        problems.append("REFLEX_REDIS_URL deve iniziare con redis://, rediss:// o unix://.")
    if settings.uses_dev_idp:
        problems.append("In produzione serve il provider OpenID dell'ente: impostare TUTELA_OIDC_ISSUER.")
    if settings.oidc_client_secret == DEV_CLIENT_SECRET and host not in LOCAL_HOSTS:
        problems.append("TUTELA_OIDC_CLIENT_SECRET è quello di sviluppo: usare il segreto registrato sul provider.")
    if not settings.secret_key and host not in LOCAL_HOSTS:
        problems.append("Impostare TUTELA_SECRET_KEY (uguale su tutti i worker).")
    if settings.is_sqlite and settings.workers > 1:
        problems.append("Con più worker usare PostgreSQL (TUTELA_DATABASE_URL=postgresql://...).")
    return problems


def production_env(settings: Settings) -> dict[str, str]:
    """Environment for the Reflex CLI in production mode."""
    env = {
        "REFLEX_ENV_MODE": "prod",
        "REFLEX_USE_GRANIAN": "true",
        "GRANIAN_WORKERS": str(max(1, settings.workers)),
    }
    if settings.redis_url:
        env["REFLEX_REDIS_URL"] = settings.redis_url
        env["REFLEX_STATE_MANAGER_MODE"] = "redis"
    return env
