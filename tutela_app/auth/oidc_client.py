"""OpenID Connect relying party: authorization request (PKCE S256), RFC 9207 ``iss`` check,
code exchange, token validation with the provider's keys, RP-initiated logout URL.

One client per configuration per process (:func:`get_oidc_client`), so discovery and
keys are cached. Errors carry a short reason code (safe to log) and never token contents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from tutela_app.auth.id_token import validate_id_token
from tutela_app.auth.logout_token import validate_logout_token
from tutela_app.auth.oidc_discovery import HTTP_TIMEOUT, ProviderDiscovery
from tutela_app.auth.oidc_errors import ConfigurationError, OidcError, ProviderUnavailable, safe_error_code
from tutela_app.auth.pending_login import PendingLogin
from tutela_app.auth.provider_url import check_provider_url
from tutela_app.routes import CALLBACK
from tutela_app.settings import Settings, get_settings

TOKEN_AUTH_METHODS = {"client_secret_basic", "client_secret_post"}


def _with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` appended, keeping any query string it already has."""
    return url + ("&" if urlsplit(url).query else "?") + urlencode(params)


@dataclass
class OidcClient:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: str
    token_auth_method: str = "client_secret_basic"  # noqa: S105 - an auth method name, not a secret
    _provider: ProviderDiscovery = field(init=False, repr=False)

    def __post_init__(self) -> None:
        check_provider_url(self.issuer)
        if self.token_auth_method not in TOKEN_AUTH_METHODS:
            raise ConfigurationError(
                "TUTELA_OIDC_TOKEN_AUTH_METHOD must be client_secret_basic or client_secret_post"
            )
        self._provider = ProviderDiscovery(self.issuer)

    # -- front channel -----------------------------------------------------

    async def authorization_url(self, pending: PendingLogin) -> str:
        meta = await self._provider.metadata()
        return _with_query(
            meta.authorization_endpoint,
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": self.scopes,
                "state": pending.state,
                "nonce": pending.nonce,
                "code_challenge": pending.code_challenge,
                "code_challenge_method": "S256",
            },
        )

    async def check_response_issuer(self, iss: str | None) -> None:
        """RFC 9207: the ``iss`` authorization response parameter."""
        meta = await self._provider.metadata()
        if iss is None:
            if meta.iss_parameter_supported:
                raise OidcError("iss_parameter_missing")
            return
        if iss != self.issuer:
            raise OidcError("iss_parameter_mismatch")

    async def end_session_url(self, id_token_hint: str | None, post_logout_redirect_uri: str) -> str | None:
        meta = await self._provider.metadata()
        if not meta.end_session_endpoint:
            return None
        params = {"client_id": self.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
        if id_token_hint:
            params["id_token_hint"] = id_token_hint
        return _with_query(meta.end_session_endpoint, params)

    # -- back channel ------------------------------------------------------

    async def exchange_code(self, code: str, code_verifier: str) -> dict[str, Any]:
        meta = await self._provider.metadata()
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": code_verifier,
        }
        auth = None
        if self.token_auth_method == "client_secret_basic":  # noqa: S105 - an auth method name
            # RFC 6749 2.3.1: form-urlencode id and secret before Basic encoding.
            auth = httpx.BasicAuth(quote(self.client_id, safe=""), quote(self.client_secret, safe=""))
        else:
            data |= {"client_id": self.client_id, "client_secret": self.client_secret}
        try:
            async with httpx.AsyncClient(timeout=HTTP_TIMEOUT, follow_redirects=False) as http:
                response = await http.post(
                    meta.token_endpoint, data=data, auth=auth, headers={"Accept": "application/json"}
                )
        except httpx.HTTPError as exc:
            raise ProviderUnavailable("token_unreachable") from exc
        if response.status_code >= 500:
            raise ProviderUnavailable(f"token_http_{response.status_code}")
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200:
            error = body.get("error") if isinstance(body, dict) else None
            raise OidcError(f"token_endpoint_{safe_error_code(error)}")
        if not isinstance(body, dict) or not isinstance(body.get("id_token"), str):
            raise OidcError("token_response_without_id_token")
        return body

    async def validate_id_token(self, token: str, nonce: str) -> dict[str, Any]:
        meta = await self._provider.metadata()
        keys = await self._provider.keyset_for(token)
        return validate_id_token(
            token,
            keyset=keys,
            issuer=self.issuer,
            client_id=self.client_id,
            nonce=nonce,
            algorithms=meta.id_token_algs,
        )

    async def validate_logout_token(self, token: str) -> dict[str, Any]:
        meta = await self._provider.metadata()
        keys = await self._provider.keyset_for(token)
        return validate_logout_token(
            token, keyset=keys, issuer=self.issuer, client_id=self.client_id, algorithms=meta.id_token_algs
        )


_CLIENTS: dict[tuple, OidcClient] = {}


def get_oidc_client(settings: Settings | None = None) -> OidcClient:
    """The process-wide client for the configured provider (caches discovery and JWKS)."""
    settings = settings or get_settings()
    key = (
        settings.effective_issuer,
        settings.oidc_client_id,
        settings.oidc_client_secret,
        settings.public_url,
        settings.oidc_scopes,
        settings.oidc_token_auth_method,
    )
    client = _CLIENTS.get(key)
    if client is None:
        client = OidcClient(
            issuer=settings.effective_issuer,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            redirect_uri=settings.public_url + CALLBACK,
            scopes=settings.oidc_scopes,
            token_auth_method=settings.oidc_token_auth_method,
        )
        _CLIENTS[key] = client
    return client


def reset_oidc_clients() -> None:
    """Forget cached discovery documents and keys (tests, configuration reload)."""
    _CLIENTS.clear()
