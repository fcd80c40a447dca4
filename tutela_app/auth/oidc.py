"""OpenID Connect relying party: discovery, PKCE, code exchange, token validation.

* Discovery comes from ``{issuer}/.well-known/openid-configuration`` (timeout, cached);
  its ``issuer`` must equal the configured one exactly.
* An ``http`` issuer (or endpoint) is accepted only on loopback, for development.
* ID tokens and back-channel logout tokens are verified against the provider's JWKS
  (cached; a token signed with an unknown ``kid`` triggers one re-fetch: key rotation),
  with asymmetric algorithms only, then validated by authlib's ``CodeIDToken`` with
  explicit ``claims_options`` for ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``, plus
  our own ``azp`` rule (required and equal to the client id when ``aud`` has several
  values).
* The pending login (state, nonce, PKCE verifier, return path, time) is sealed with
  AES-GCM into a short-lived HttpOnly cookie: nothing to share between workers, and the
  browser can neither read nor alter it.

Errors carry a short reason code (safe to log) and never token contents.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from tutela_app.routes import CALLBACK
from tutela_app.settings import Settings, get_settings

log = logging.getLogger("tutela.auth")

HTTP_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
METADATA_TTL_SECONDS = 3600
JWKS_TTL_SECONDS = 24 * 3600
#: minimum delay between two JWKS re-fetches caused by an unknown ``kid``.
JWKS_REFETCH_COOLDOWN_SECONDS = 5.0
CLOCK_LEEWAY_SECONDS = 60
PENDING_LOGIN_TTL_SECONDS = 600
PENDING_COOKIE_PREFIX = "tutela_login_"
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
ASYMMETRIC_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LOOPBACK_HOSTS = {"localhost"}


class ConfigurationError(RuntimeError):
    """The OpenID configuration is unusable (e.g. an http issuer that is not loopback)."""


class OidcError(Exception):
    """A refused login or logout token. ``reason`` is a short code, safe to log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderUnavailable(OidcError):
    """The provider could not be reached (network error, timeout, 5xx)."""


# ---------------------------------------------------------------------------
# configuration checks
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# pending login, sealed in a cookie
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    state: str
    nonce: str
    code_verifier: str
    next_path: str
    created_at: float

    @classmethod
    def new(cls, next_path: str) -> PendingLogin:
        return cls(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),  # 86 chars, within RFC 7636's 43..128
            next_path=next_path,
            created_at=time.time(),
        )

    @property
    def code_challenge(self) -> str:
        return create_s256_code_challenge(self.code_verifier)


def pending_cookie_name(state: str) -> str:
    """One cookie per login attempt, so two tabs logging in at once do not collide."""
    return PENDING_COOKIE_PREFIX + hashlib.sha256(state.encode()).hexdigest()[:16]


def _sealing_key(settings: Settings) -> bytes:
    material = (settings.secret_key or settings.oidc_client_secret or "").encode()
    if not material:
        raise ConfigurationError("set TUTELA_SECRET_KEY (or TUTELA_OIDC_CLIENT_SECRET)")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"tutela/pending-login/v1").derive(
        material
    )


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal_pending(pending: PendingLogin, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    payload = json.dumps(
        {
            "s": pending.state,
            "n": pending.nonce,
            "v": pending.code_verifier,
            "p": pending.next_path,
            "t": pending.created_at,
        },
        separators=(",", ":"),
    ).encode()
    iv = secrets.token_bytes(12)
    aad = pending_cookie_name(pending.state).encode()
    return _b64e(iv + AESGCM(_sealing_key(settings)).encrypt(iv, payload, aad))


def unseal_pending(state: str, sealed: str | None, settings: Settings | None = None) -> PendingLogin:
    """The pending login for ``state``, or :class:`OidcError` (tampered, expired, absent)."""
    settings = settings or get_settings()
    if not sealed or len(sealed) > 4096:
        raise OidcError("pending_login_missing")
    try:
        raw = _b64d(sealed)
        plain = AESGCM(_sealing_key(settings)).decrypt(
            raw[:12], raw[12:], pending_cookie_name(state).encode()
        )
        data = json.loads(plain)
        pending = PendingLogin(data["s"], data["n"], data["v"], data["p"], float(data["t"]))
    except Exception as exc:  # noqa: BLE001 - any failure means "not ours"
        raise OidcError("pending_login_invalid") from exc
    if not secrets.compare_digest(pending.state, state):
        raise OidcError("state_mismatch")
    age = time.time() - pending.created_at
    if age > PENDING_LOGIN_TTL_SECONDS or age < -CLOCK_LEEWAY_SECONDS:
        raise OidcError("pending_login_expired")
    return pending


# ---------------------------------------------------------------------------
# token validation (pure functions; the client below supplies keys)
# ---------------------------------------------------------------------------


def _allowed_algs(supported: list[str] | None) -> list[str]:
    algs = [a for a in (supported or ["RS256"]) if a in ASYMMETRIC_ALGS]
    return algs or ["RS256"]


def _verify_signature(token: str, keyset: KeySet, algorithms: list[str]) -> jwt.Token:
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > 16_384:
        raise OidcError("token_malformed")
    try:
        return jwt.decode(token, keyset, algorithms=algorithms)
    except JoseError as exc:
        raise OidcError(f"token_{exc.error}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise OidcError("token_malformed") from exc


def token_kid(token: str) -> str | None:
    try:
        header = json.loads(_b64d(token.split(".", 1)[0]))
    except Exception:  # noqa: BLE001
        return None
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None


def _check_audience(claims: dict[str, Any], client_id: str) -> None:
    aud = claims.get("aud")
    auds = [aud] if isinstance(aud, str) else aud
    if not isinstance(auds, list) or client_id not in auds:
        raise OidcError("token_invalid_aud")
    if len(auds) > 1 and claims.get("azp") != client_id:
        raise OidcError("token_invalid_azp")
    if "azp" in claims and claims["azp"] != client_id:
        raise OidcError("token_invalid_azp")


def validate_id_token(
    token: str,
    *,
    keyset: KeySet,
    issuer: str,
    client_id: str,
    nonce: str,
    algorithms: list[str] | None = None,
    now: int | None = None,
    leeway: int = CLOCK_LEEWAY_SECONDS,
) -> dict[str, Any]:
    """Verify the signature and the claims of an ID token; return its claims."""
    decoded = _verify_signature(token, keyset, _allowed_algs(algorithms))
    claims = dict(decoded.claims)
    options = {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True, "value": nonce},
    }
    try:
        CodeIDToken(
            claims, decoded.header, options=options, params={"nonce": nonce, "client_id": client_id}
        ).validate(now=now if now is not None else int(time.time()), leeway=leeway)
    except JoseError as exc:
        claim = getattr(exc, "claim", None)
        raise OidcError(f"token_{exc.error}" + (f"_{claim}" if isinstance(claim, str) else "")) from exc
    # explicit checks, independent of the library's defaults
    if claims.get("iss") != issuer:
        raise OidcError("token_invalid_iss")
    _check_audience(claims, client_id)
    current = now if now is not None else int(time.time())
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= current - leeway:
        raise OidcError("token_expired")
    if not isinstance(claims.get("iat"), int | float) or claims["iat"] > current + leeway:
        raise OidcError("token_invalid_iat")
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(claims["nonce"], nonce):
        raise OidcError("token_invalid_nonce")
    if not isinstance(claims.get("sub"), str) or not claims["sub"] or len(claims["sub"]) > 255:
        raise OidcError("token_invalid_sub")
    return claims


def validate_logout_token(
    token: str,
    *,
    keyset: KeySet,
    issuer: str,
    client_id: str,
    algorithms: list[str] | None = None,
    now: int | None = None,
    leeway: int = CLOCK_LEEWAY_SECONDS,
    max_age: int = 600,
) -> dict[str, Any]:
    """OpenID Connect Back-Channel Logout 1.0, section 2.6."""
    decoded = _verify_signature(token, keyset, _allowed_algs(algorithms))
    typ = decoded.header.get("typ")
    if typ is not None and str(typ).lower() not in {"logout+jwt", "application/logout+jwt", "jwt"}:
        raise OidcError("logout_token_typ")
    claims = dict(decoded.claims)
    current = now if now is not None else int(time.time())
    if claims.get("iss") != issuer:
        raise OidcError("token_invalid_iss")
    _check_audience(claims, client_id)
    iat = claims.get("iat")
    if not isinstance(iat, int | float) or iat > current + leeway or iat < current - max_age - leeway:
        raise OidcError("token_invalid_iat")
    exp = claims.get("exp")
    if exp is not None and (not isinstance(exp, int | float) or exp <= current - leeway):
        raise OidcError("token_expired")
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_EVENT), dict):
        raise OidcError("logout_token_events")
    if "nonce" in claims:
        raise OidcError("logout_token_nonce")
    sid, sub = claims.get("sid"), claims.get("sub")
    if not (isinstance(sid, str) and sid) and not (isinstance(sub, str) and sub):
        raise OidcError("logout_token_no_subject")
    for name in ("sid", "sub"):
        if name in claims and (not isinstance(claims[name], str) or len(claims[name]) > 255):
            raise OidcError(f"logout_token_{name}")
    return claims


# ---------------------------------------------------------------------------
# the client
# ---------------------------------------------------------------------------


@dataclass
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None
    iss_parameter_supported: bool
    id_token_algs: list[str]


@dataclass
class OidcClient:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: str
    token_auth_method: str = "client_secret_basic"  # noqa: S105 - a method name
    _metadata: ProviderMetadata | None = field(default=None, repr=False)
    _metadata_at: float = 0.0
    _keyset: KeySet | None = field(default=None, repr=False)
    _keyset_at: float = 0.0
    _last_refetch: float = 0.0

    def __post_init__(self) -> None:
        check_provider_url(self.issuer)
        if self.token_auth_method not in {"client_secret_basic", "client_secret_post"}:
            raise ConfigurationError(
                "TUTELA_OIDC_TOKEN_AUTH_METHOD must be client_secret_basic or client_secret_post"
            )

    # -- provider documents ------------------------------------------------

    async def _get_json(self, url: str, reason: str) -> dict[str, Any]:
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

    async def metadata(self) -> ProviderMetadata:
        if self._metadata is not None and time.monotonic() - self._metadata_at < METADATA_TTL_SECONDS:
            return self._metadata
        doc = await self._get_json(self.issuer.rstrip("/") + "/.well-known/openid-configuration", "discovery")
        if doc.get("issuer") != self.issuer:
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
        self._metadata = ProviderMetadata(
            issuer=self.issuer,
            end_session_endpoint=end_session,
            iss_parameter_supported=doc.get("authorization_response_iss_parameter_supported") is True,
            id_token_algs=_allowed_algs(algs if isinstance(algs, list) else None),
            **endpoints,
        )
        self._metadata_at = time.monotonic()
        return self._metadata

    async def keyset(self, *, refresh: bool = False) -> KeySet:
        fresh = self._keyset is not None and time.monotonic() - self._keyset_at < JWKS_TTL_SECONDS
        if fresh and not refresh:
            return self._keyset  # type: ignore[return-value]
        meta = await self.metadata()
        data = await self._get_json(meta.jwks_uri, "jwks")
        try:
            keys = [k for k in data.get("keys", []) if isinstance(k, dict) and k.get("use", "sig") == "sig"]
            self._keyset = KeySet.import_key_set({"keys": keys})
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise OidcError("jwks_invalid") from exc
        self._keyset_at = time.monotonic()
        return self._keyset

    async def _keyset_for(self, token: str) -> KeySet:
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

    # -- front channel -----------------------------------------------------

    async def authorization_url(self, pending: PendingLogin) -> str:
        meta = await self.metadata()
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scopes,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": pending.code_challenge,
            "code_challenge_method": "S256",
        }
        sep = "&" if urlsplit(meta.authorization_endpoint).query else "?"
        return meta.authorization_endpoint + sep + urlencode(params)

    async def check_response_issuer(self, iss: str | None) -> None:
        """RFC 9207: the ``iss`` authorization response parameter."""
        meta = await self.metadata()
        if iss is None:
            if meta.iss_parameter_supported:
                raise OidcError("iss_parameter_missing")
            return
        if iss != self.issuer:
            raise OidcError("iss_parameter_mismatch")

    # -- back channel ------------------------------------------------------

    async def exchange_code(self, code: str, code_verifier: str) -> dict[str, Any]:
        meta = await self.metadata()
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": code_verifier,
        }
        auth = None
        if self.token_auth_method == "client_secret_basic":  # noqa: S105
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
            safe = (
                error
                if isinstance(error, str) and error.replace("_", "").isalpha() and len(error) < 40
                else "unknown"
            )
            raise OidcError(f"token_endpoint_{safe}")
        if not isinstance(body, dict) or not isinstance(body.get("id_token"), str):
            raise OidcError("token_response_without_id_token")
        return body

    async def validate_id_token(self, token: str, nonce: str) -> dict[str, Any]:
        meta = await self.metadata()
        keys = await self._keyset_for(token)
        return validate_id_token(
            token,
            keyset=keys,
            issuer=self.issuer,
            client_id=self.client_id,
            nonce=nonce,
            algorithms=meta.id_token_algs,
        )

    async def validate_logout_token(self, token: str) -> dict[str, Any]:
        meta = await self.metadata()
        keys = await self._keyset_for(token)
        return validate_logout_token(
            token, keyset=keys, issuer=self.issuer, client_id=self.client_id, algorithms=meta.id_token_algs
        )

    async def end_session_url(self, id_token_hint: str | None, post_logout_redirect_uri: str) -> str | None:
        meta = await self.metadata()
        if not meta.end_session_endpoint:
            return None
        params = {"client_id": self.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
        if id_token_hint:
            params["id_token_hint"] = id_token_hint
        sep = "&" if urlsplit(meta.end_session_endpoint).query else "?"
        return meta.end_session_endpoint + sep + urlencode(params)


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
