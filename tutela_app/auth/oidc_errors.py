"""Errors of the OpenID Connect relying party.

Each refusal carries a short reason code (safe to log) and never token contents.
"""

from __future__ import annotations


class ConfigurationError(RuntimeError):
    """The OpenID configuration is unusable (e.g. an http issuer that is not loopback)."""


class OidcError(Exception):
    """A refused login or logout token. ``reason`` is a short code, safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderUnavailable(OidcError):
    """The provider could not be reached (network error, timeout, 5xx)."""


def safe_error_code(value: object) -> str:
    """An OAuth ``error`` value sent by the provider, if it looks like one; else ``unknown``."""
    if isinstance(value, str) and value.replace("_", "").isalpha() and len(value) < 40:
        return value
    return "unknown"
