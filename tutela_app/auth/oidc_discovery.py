"""The provider's metadata and signing keys, cached per client.

* Discovery comes from ``{issuer}/.well-known/openid-configuration`` (timeout, cached);
  its ``issuer`` must equal the configured one exactly, and every endpoint must pass
  :func:`check_provider_url`.
* The JWKS is cached too; a token signed with an unknown ``kid`` triggers one re-fetch
  (key rotation), at most once per cooldown.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from tutela_app.auth.jwt_checks import allowed_algs, token_kid
from tutela_app.auth.oidc_errors import ConfigurationError, OidcError, ProviderUnavailable
from tutela_app.auth.provider_url import check_provider_url

log = logging.getLogger("tutela.auth")

HTTP_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
METADATA_TTL_SECONDS = 3600
JWKS_TTL_SECONDS = 24 * 3600
#: minimum delay between two JWKS re-fetches caused by an unknown ``kid``.
JWKS_REFETCH_COOLDOWN_SECONDS = 5.0


@dataclass
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None
    iss_parameter_supported: bool
    id_token_algs: list[str]


async def get_provider_json(url: str, reason: str) -> dict[str, Any]:
    """GET a JSON object from the provider; ``reason`` prefixes the error codes."""
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT, follow_redirects=False) as http:
            response = await http.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise ProviderUnavailable(f"{reason}_unreachable") from exc
    if response.status_code >= 500:
        raise ProviderUnavailable(f"{reason}_http_{response.status_code}")
    if response.status_code != 200:
        raise OidcError(f"{reason}_http_{response.status_code}")
    try:
        data = response.json()
    except ValueError as exc:
        raise OidcError(f"{reason}_not_json") from exc
    if not isinstance(data, dict):
        raise OidcError(f"{reason}_not_json")
    return data


def _parse_metadata(issuer: str, doc: dict[str, Any]) -> ProviderMetadata:
    if doc.get("issuer") != issuer:
        raise OidcError("discovery_issuer_mismatch")
    try:
        endpoints = {
            name: check_provider_url(str(doc[name]), f"discovery {name}")
            for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        }
    except (KeyError, ConfigurationError) as exc:
        raise OidcError("discovery_incomplete") from exc
    end_session = doc.get("end_session_endpoint")
    if end_session is not None:
        try:
            end_session = check_provider_url(str(end_session), "end_session_endpoint")
        except ConfigurationError:
            end_session = None
    algs = doc.get("id_token_signing_alg_values_supported")
    return ProviderMetadata(
        issuer=issuer,
        end_session_endpoint=end_session,
        iss_parameter_supported=doc.get("authorization_response_iss_parameter_supported") is True,
        id_token_algs=allowed_algs(algs if isinstance(algs, list) else None),
        **endpoints,
    )


class ProviderDiscovery:
    """Discovery document and JWKS of one issuer, with their caches."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self._metadata: ProviderMetadata | None = None
        self._metadata_at = 0.0
        self._keyset: KeySet | None = None
        self._keyset_at = 0.0
        self._last_refetch = 0.0

    async def metadata(self) -> ProviderMetadata:
        if self._metadata is not None and time.monotonic() - self._metadata_at < METADATA_TTL_SECONDS:
            return self._metadata
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        self._metadata = _parse_metadata(self.issuer, await get_provider_json(url, "discovery"))
        self._metadata_at = time.monotonic()
        return self._metadata

    async def keyset(self, *, refresh: bool = False) -> KeySet:
        fresh = self._keyset is not None and time.monotonic() - self._keyset_at < JWKS_TTL_SECONDS
        if fresh and not refresh:
            return self._keyset  # type: ignore[return-value]
        meta = await self.metadata()
        data = await get_provider_json(meta.jwks_uri, "jwks")
        try:
            keys = [k for k in data.get("keys", []) if isinstance(k, dict) and k.get("use", "sig") == "sig"]
            self._keyset = KeySet.import_key_set({"keys": keys})
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise OidcError("jwks_invalid") from exc
        self._keyset_at = time.monotonic()
        return self._keyset

    async def keyset_for(self, token: str) -> KeySet:
        """The JWKS, re-fetched once when the token's ``kid`` is unknown (key rotation)."""
        keys = await self.keyset()
        kid = token_kid(token)
        known = {k.kid for k in keys.keys}
        if (
            kid is not None
            and kid not in known
            and time.monotonic() - self._last_refetch > JWKS_REFETCH_COOLDOWN_SECONDS
        ):
            self._last_refetch = time.monotonic()
            log.info("unknown signing key id, re-fetching the provider JWKS")
            keys = await self.keyset(refresh=True)
        return keys
