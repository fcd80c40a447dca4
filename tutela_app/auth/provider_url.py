"""Which provider URLs are acceptable: https, or http only on a loopback host (development)."""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

from tutela_app.auth.oidc_errors import ConfigurationError

LOOPBACK_HOSTS = {"localhost"}


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_provider_url(url: str, what: str = "TUTELA_OIDC_ISSUER") -> str:
    """Accept https URLs, and http ones only on a loopback host (development)."""
    parts = urlsplit(url or "")
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return url
    if parts.scheme == "http":
        raise ConfigurationError(
            f"{what} uses plain http on a non-loopback host ({parts.hostname}); "
            "an http issuer is allowed only on 127.0.0.1, ::1 or localhost (development). Use https."
        )
    raise ConfigurationError(f"{what} must be an absolute https URL, got {url!r}")
