"""The pending login (state, nonce, PKCE verifier, return path, time), sealed in a cookie.

It is sealed with AES-GCM into a short-lived HttpOnly cookie, one per login attempt:
nothing to share between workers, and the browser can neither read nor alter it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tutela_app.auth.jwt_checks import CLOCK_LEEWAY_SECONDS
from tutela_app.auth.oidc_errors import ConfigurationError, OidcError
from tutela_app.settings import Settings, get_settings

PENDING_LOGIN_TTL_SECONDS = 600
PENDING_COOKIE_PREFIX = "tutela_login_"
MAX_SEALED_LENGTH = 4096
IV_BYTES = 12


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
    iv = secrets.token_bytes(IV_BYTES)
    aad = pending_cookie_name(pending.state).encode()
    return _b64e(iv + AESGCM(_sealing_key(settings)).encrypt(iv, payload, aad))


def unseal_pending(state: str, sealed: str | None, settings: Settings | None = None) -> PendingLogin:
    """The pending login for ``state``, or :class:`OidcError` (tampered, expired, absent)."""
    settings = settings or get_settings()
    if not sealed or len(sealed) > MAX_SEALED_LENGTH:
        raise OidcError("pending_login_missing")
    try:
        raw = _b64d(sealed)
        plain = AESGCM(_sealing_key(settings)).decrypt(
            raw[:IV_BYTES], raw[IV_BYTES:], pending_cookie_name(state).encode()
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
