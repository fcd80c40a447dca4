"""Checks shared by ID tokens and logout tokens: signature with asymmetric algorithms only,
the audience / ``azp`` rule, and reading the ``kid`` of a token's header."""

from __future__ import annotations

import base64
import json
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from tutela_app.auth.oidc_errors import OidcError

CLOCK_LEEWAY_SECONDS = 60
ASYMMETRIC_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
MAX_TOKEN_LENGTH = 16_384


def allowed_algs(supported: list[str] | None) -> list[str]:
    """The provider's advertised algorithms that are asymmetric; RS256 when none is."""
    algs = [a for a in (supported or ["RS256"]) if a in ASYMMETRIC_ALGS]
    return algs or ["RS256"]


def verify_signature(token: str, keyset: KeySet, algorithms: list[str]) -> jwt.Token:
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > MAX_TOKEN_LENGTH:
        raise OidcError("token_malformed")
    try:
        return jwt.decode(token, keyset, algorithms=algorithms)
    except JoseError as exc:
        raise OidcError(f"token_{exc.error}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise OidcError("token_malformed") from exc


def token_kid(token: str) -> str | None:
    """The ``kid`` of the token's (unverified) header, or None."""
    try:
        encoded = token.split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except Exception:  # noqa: BLE001 - anything unreadable simply has no kid
        return None
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None


def check_audience(claims: dict[str, Any], client_id: str) -> None:
    """``aud`` contains the client id; ``azp`` is required and equal to it when ``aud`` has
    several values, and equal to it whenever present."""
    aud = claims.get("aud")
    auds = [aud] if isinstance(aud, str) else aud
    if not isinstance(auds, list) or client_id not in auds:
        raise OidcError("token_invalid_aud")
    if len(auds) > 1 and claims.get("azp") != client_id:
        raise OidcError("token_invalid_azp")
    if "azp" in claims and claims["azp"] != client_id:
        raise OidcError("token_invalid_azp")
