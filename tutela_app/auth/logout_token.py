"""Back-channel logout token validation (OpenID Connect Back-Channel Logout 1.0, 2.6)."""

from __future__ import annotations

import time
from typing import Any

from joserfc.jwk import KeySet

from tutela_app.auth.jwt_checks import CLOCK_LEEWAY_SECONDS, allowed_algs, check_audience, verify_signature
from tutela_app.auth.oidc_errors import OidcError

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_TYPES = {"logout+jwt", "application/logout+jwt", "jwt"}


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
    """Verify the signature and the claims of a logout token; return its claims."""
    decoded = verify_signature(token, keyset, allowed_algs(algorithms))
    typ = decoded.header.get("typ")
    if typ is not None and str(typ).lower() not in LOGOUT_TOKEN_TYPES:
        raise OidcError("logout_token_typ")
    claims = dict(decoded.claims)
    current = now if now is not None else int(time.time())
    if claims.get("iss") != issuer:
        raise OidcError("token_invalid_iss")
    check_audience(claims, client_id)
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
