"""ID-token validation (pure; the OIDC client supplies the keys).

The signature is verified against the provider's JWKS with asymmetric algorithms only,
then the claims are validated by authlib's ``CodeIDToken`` with explicit
``claims_options`` for ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``, and checked again
here, independently of the library's defaults, plus our ``azp`` rule.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from authlib.oidc.core import CodeIDToken
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from tutela_app.auth.jwt_checks import CLOCK_LEEWAY_SECONDS, allowed_algs, check_audience, verify_signature
from tutela_app.auth.oidc_errors import OidcError


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
    decoded = verify_signature(token, keyset, allowed_algs(algorithms))
    claims = dict(decoded.claims)
    current = now if now is not None else int(time.time())
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
        ).validate(now=current, leeway=leeway)
    except JoseError as exc:
        claim = getattr(exc, "claim", None)
        raise OidcError(f"token_{exc.error}" + (f"_{claim}" if isinstance(claim, str) else "")) from exc
    # explicit checks, independent of the library's defaults
    if claims.get("iss") != issuer:
        raise OidcError("token_invalid_iss")
    check_audience(claims, client_id)
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= current - leeway:
        raise OidcError("token_expired")
    if not isinstance(claims.get("iat"), int | float) or claims["iat"] > current + leeway:
        raise OidcError("token_invalid_iat")
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(claims["nonce"], nonce):
        raise OidcError("token_invalid_nonce")
    if not isinstance(claims.get("sub"), str) or not claims["sub"] or len(claims["sub"]) > 255:
        raise OidcError("token_invalid_sub")
    return claims
