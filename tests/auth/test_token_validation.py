"""The ID token and logout token validators, with tokens we sign ourselves, plus tampered
tokens of the real provider."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests.auth.conftest import AuthEnv, Browser
from tutela_app.auth.id_token import validate_id_token
from tutela_app.auth.logout_token import BACKCHANNEL_EVENT, validate_logout_token
from tutela_app.auth.oidc_client import get_oidc_client
from tutela_app.auth.oidc_errors import OidcError

ISSUER = "https://idp.example.org/realms/tutela"
CLIENT = "tutela"
NONCE = "n-0S6_WzA2Mj"

PROVIDER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})
KEYS = KeySet([RSAKey.import_key(PROVIDER_KEY.as_dict(private=False))])


def claims(**overrides) -> dict:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "s-1",
        "exp": now + 300,
        "iat": now,
        "nonce": NONCE,
        "sid": "x",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict, key=PROVIDER_KEY, alg: str = "RS256", header: dict | None = None) -> str:
    return jwt.encode({"alg": alg, "kid": "k1", **(header or {})}, payload, key)


def check(token: str, **kw) -> dict:
    return validate_id_token(token, keyset=KEYS, issuer=ISSUER, client_id=CLIENT, nonce=NONCE, **kw)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_good_token_passes() -> None:
    assert check(sign(claims()))["sub"] == "s-1"
    # several audiences are fine when azp names us
    assert check(sign(claims(aud=[CLIENT, "other"], azp=CLIENT)))["sub"] == "s-1"


# Claims are built when the test runs, not at collection: a token collected minutes before
# a long suite reaches this test would have expired and be refused for the wrong reason.
@pytest.mark.parametrize(
    ("make_payload", "reason"),
    [
        (lambda: claims(aud="someone-else"), "aud"),
        (lambda: claims(aud=["someone-else", "another"]), "aud"),
        (lambda: claims(aud=[CLIENT, "other"]), "azp"),  # several audiences, no azp
        (lambda: claims(aud=[CLIENT, "other"], azp="other"), "azp"),
        (lambda: claims(iss="https://evil.example.org"), "iss"),
        (lambda: claims(iss=ISSUER + "/"), "iss"),
        (lambda: claims(exp=int(time.time()) - 3600, iat=int(time.time()) - 4000), "exp"),
        (lambda: claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 7200), "iat"),
        (lambda: claims(nonce="another-nonce"), "nonce"),
        (lambda: claims(nonce=None), "nonce"),
        (lambda: claims(exp=None), "exp"),
        (lambda: claims(iat=None), "iat"),
        (lambda: claims(iss=None), "iss"),
        (lambda: claims(aud=None), "aud"),
        (lambda: claims(sub=None), "sub"),
    ],
)
def test_bad_claims_are_refused(make_payload, reason: str) -> None:  # noqa: ANN001
    with pytest.raises(OidcError) as info:
        check(sign(make_payload()))
    assert reason in info.value.reason


def test_bad_signature_is_refused() -> None:
    # same kid, another key: an attacker's token
    with pytest.raises(OidcError):
        check(sign(claims(), key=OTHER_KEY))


def test_tampered_payload_is_refused() -> None:
    header, _payload, signature = sign(claims()).split(".")
    forged = base64.urlsafe_b64encode(json.dumps(claims(sub="admin")).encode()).rstrip(b"=").decode()
    with pytest.raises(OidcError):
        check(f"{header}.{forged}.{signature}")


def test_alg_none_and_hmac_confusion_are_refused() -> None:
    unsigned = (
        base64.urlsafe_b64encode(b'{"alg":"none","kid":"k1"}').rstrip(b"=").decode()
        + "."
        + base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=").decode()
        + "."
    )
    with pytest.raises(OidcError):
        check(unsigned)
    # HS256 signed with the provider's *public* key as the secret
    public_pem = PROVIDER_KEY.as_pem(private=False)
    signing_input = b64(b'{"alg":"HS256","kid":"k1"}') + "." + b64(json.dumps(claims()).encode())
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    hmac_token = signing_input + "." + b64(mac)
    with pytest.raises(OidcError):
        check(hmac_token)
    with pytest.raises(OidcError):
        check("not-a-token")


def test_clock_leeway_is_small() -> None:
    now = int(time.time())
    assert check(sign(claims(exp=now - 30, iat=now - 600)))  # within 60 s of skew
    with pytest.raises(OidcError):
        check(sign(claims(exp=now - 120, iat=now - 600)))


# ---------------------------------------------------------------------------
# logout tokens
# ---------------------------------------------------------------------------


def logout_claims(**overrides) -> dict:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "s-1",
        "sid": "sid-1",
        "iat": now,
        "exp": now + 120,
        "jti": "j1",
        "events": {BACKCHANNEL_EVENT: {}},
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def check_logout(token: str) -> dict:
    return validate_logout_token(token, keyset=KEYS, issuer=ISSUER, client_id=CLIENT)


def test_good_logout_tokens_pass() -> None:
    assert check_logout(sign(logout_claims(), header={"typ": "logout+jwt"}))["sid"] == "sid-1"
    assert check_logout(sign(logout_claims(sid=None)))["sub"] == "s-1"
    assert check_logout(sign(logout_claims(sub=None)))["sid"] == "sid-1"


@pytest.mark.parametrize(
    "make_payload",
    [  # built when the test runs (a token built at collection could have expired by then)
        lambda: logout_claims(nonce="n"),
        lambda: logout_claims(events=None),
        lambda: logout_claims(events={"http://example.org/other": {}}),
        lambda: logout_claims(events={BACKCHANNEL_EVENT: "yes"}),
        lambda: logout_claims(sid=None, sub=None),
        lambda: logout_claims(aud="other"),
        lambda: logout_claims(iss="https://evil.example.org"),
        lambda: logout_claims(iat=None),
        lambda: logout_claims(iat=int(time.time()) - 7200, exp=None),
        lambda: logout_claims(exp=int(time.time()) - 600),
    ],
)
def test_bad_logout_tokens_are_refused(make_payload) -> None:  # noqa: ANN001
    with pytest.raises(OidcError):
        check_logout(sign(make_payload()))


def test_logout_token_with_another_key_or_an_id_token_typ_is_refused() -> None:
    with pytest.raises(OidcError):
        check_logout(sign(logout_claims(), key=OTHER_KEY))
    with pytest.raises(OidcError):
        check_logout(sign(logout_claims(), header={"typ": "at+jwt"}))


# ---------------------------------------------------------------------------
# real provider tokens, tampered
# ---------------------------------------------------------------------------


async def test_real_id_token_checks(auth_env: AuthEnv) -> None:
    async with Browser(auth_env) as browser:
        await browser.login("as.demo")
    staff = auth_env.staff("u-as-demo")
    (row,) = auth_env.sessions(staff.id)
    token = row.id_token
    client = get_oidc_client()
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert (await client.validate_id_token(token, payload["nonce"]))["sub"] == "u-as-demo"
    with pytest.raises(OidcError):
        await client.validate_id_token(token, "another-nonce")
    header, body, signature = token.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    with pytest.raises(OidcError):
        await client.validate_id_token(f"{header}.{body}.{flipped}", payload["nonce"])
    payload["aud"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    with pytest.raises(OidcError):
        await client.validate_id_token(f"{header}.{forged}.{signature}", payload["nonce"])
    # an ID token is not a logout token
    with pytest.raises(OidcError):
        await client.validate_logout_token(token)
    assert httpx.get(f"{auth_env.idp.issuer}/jwks").status_code == 200
