"""The one place that reads the environment.

Every ``TUTELA_*`` variable is documented in the README. Nothing else in the code base
reads ``os.environ`` for configuration.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "tutela.db"


class Settings(BaseSettings):
    """Typed configuration of a Tutela process."""

    model_config = SettingsConfigDict(env_prefix="TUTELA_", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DEFAULT_SQLITE_PATH}")
    public_url: str = "http://localhost:3000"
    bind_host: str = "127.0.0.1"
    #: Port the app listens on behind a reverse proxy; defaults to the public URL's port.
    bind_port: int | None = None
    #: Redis for Reflex's shared state (several workers); REFLEX_REDIS_URL is accepted too.
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("TUTELA_REDIS_URL", "REFLEX_REDIS_URL"))
    workers: int = 1
    #: Threads per worker process for interactive database calls (``db.run_db``). Unset:
    #: 1 on SQLite, 2 on PostgreSQL (see ``db.interactive_threads``).
    db_threads: int | None = Field(default=None, ge=1, le=32)

    oidc_issuer: str | None = None
    oidc_client_id: str = "tutela"
    oidc_client_secret: str = "tutela-dev-secret"
    oidc_scopes: str = "openid profile email"
    oidc_roles_claim: str = "roles"
    oidc_tenants_claim: str = "comuni"
    oidc_profession_claim: str = "professione"
    oidc_token_auth_method: str = "client_secret_basic"
    #: Key material for sealing the short-lived pending-login cookie (same on every
    #: worker). Optional: when unset it is derived from the OIDC client secret.
    secret_key: str | None = None
    dev_idp_port: int = 9000

    session_idle_minutes: int = 30
    session_absolute_hours: int = 10
    contact_silence_days: int = 90
    stale_draft_hours: int = 48
    data_dir: Path = PROJECT_ROOT / "var"

    @field_validator("public_url")
    @classmethod
    def _strip_public_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("TUTELA_PUBLIC_URL must be an absolute http(s) URL")
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("database_url")
    @classmethod
    def _psycopg3_driver(cls, value: str) -> str:
        # Plain postgresql:// URLs would pick psycopg2; Tutela ships psycopg 3.
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix):]
        return value

    @property
    def port(self) -> int:
        parts = urlsplit(self.public_url)
        return parts.port or (443 if parts.scheme == "https" else 80)

    @property
    def listen_port(self) -> int:
        return self.bind_port or self.port

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def uses_dev_idp(self) -> bool:
        return not self.oidc_issuer

    @property
    def effective_issuer(self) -> str:
        return self.oidc_issuer or f"http://127.0.0.1:{self.dev_idp_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
