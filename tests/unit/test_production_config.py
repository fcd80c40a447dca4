"""The production configuration: every setting documented, unsafe configurations refused."""

from __future__ import annotations

import re

import pytest

from tutela_app import manage
from tutela_app.settings import PROJECT_ROOT, Settings, get_settings
from tutela_app.tools.production import production_env, production_problems

SAMPLE = PROJECT_ROOT / "deploy" / "env.production.sample"

SAFE = {
    "public_url": "https://tutela.example.it", "database_url": "postgresql://t@db/tutela", "workers": 4,
    "TUTELA_REDIS_URL": "redis://127.0.0.1:6379/3", "oidc_issuer": "https://idp.example.it", "oidc_client_secret": "s" * 40,
    "secret_key": "k" * 40, "bind_port": 8000,
}


def test_every_setting_is_in_the_production_sample() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", SAMPLE.read_text(), re.M))
    expected = {f"TUTELA_{name.upper()}" for name in Settings.model_fields} - {"TUTELA_REDIS_URL"} | {"REFLEX_REDIS_URL"}
    assert expected <= documented, sorted(expected - documented)


def test_a_safe_configuration_passes_and_runs_granian_workers_on_redis() -> None:
    settings = Settings(**SAFE)
    assert production_problems(settings) == []
    env = production_env(settings)
    assert env["GRANIAN_WORKERS"] == "4" and env["REFLEX_USE_GRANIAN"] == "true"
    assert env["REFLEX_REDIS_URL"] == SAFE["TUTELA_REDIS_URL"] and env["REFLEX_ENV_MODE"] == "prod"
    assert settings.listen_port == 8000 and settings.port == 443


@pytest.mark.parametrize("change,complaint", [
    ({"public_url": "http://tutela.example.it"}, "https://"),
    ({"TUTELA_REDIS_URL": None}, "Redis"),
    ({"oidc_issuer": None}, "TUTELA_OIDC_ISSUER"),
    ({"oidc_client_secret": "tutela-dev-secret"}, "TUTELA_OIDC_CLIENT_SECRET"),
    ({"secret_key": None}, "TUTELA_SECRET_KEY"),
    ({"database_url": "sqlite:////var/lib/tutela/t.db"}, "PostgreSQL"),
    ({"TUTELA_REDIS_URL": "http://redis"}, "redis://"),
])
def test_unsafe_configurations_are_refused(change: dict, complaint: str) -> None:
    problems = production_problems(Settings(**{**SAFE, **change}))
    assert any(complaint in p for p in problems), problems


def test_run_prod_refuses_to_start_when_unsafe(monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("TUTELA_PUBLIC_URL", "https://tutela.example.it")
    monkeypatch.setenv("TUTELA_WORKERS", "4")
    monkeypatch.delenv("TUTELA_OIDC_ISSUER", raising=False)
    get_settings.cache_clear()
    try:
        assert manage.main(["run-prod"]) == 2
        assert "TUTELA_OIDC_ISSUER" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_redis_url_is_read_from_reflex_redis_url(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("TUTELA_REDIS_URL", raising=False)
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://127.0.0.1:6379/9")
    assert Settings().redis_url == "redis://127.0.0.1:6379/9"
