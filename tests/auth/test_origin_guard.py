"""The ASGI guard refuses websockets and state-changing requests from foreign origins."""

from __future__ import annotations

import pytest

from tests.auth.conftest import configure
from tutela_app.web_security import OriginGuard

PUBLIC = "https://tutela.example.org"


class Recorder:
    def __init__(self) -> None:
        self.called = False

    async def __call__(self, scope, receive, send) -> None:
        self.called = True
        if scope["type"] == "websocket":
            await send({"type": "websocket.accept"})
        else:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})


async def call(scope: dict) -> tuple[Recorder, list[dict]]:
    inner, sent = Recorder(), []

    async def receive() -> dict:
        return (
            {"type": "websocket.connect"}
            if scope["type"] == "websocket"
            else {"type": "http.request", "body": b""}
        )

    async def send(message: dict) -> None:
        sent.append(message)

    await OriginGuard(inner)(scope, receive, send)
    return inner, sent


def ws(origin: str | None) -> dict:
    headers = [(b"origin", origin.encode())] if origin else []
    return {"type": "websocket", "path": "/_event", "headers": headers}


def http(method: str, origin: str | None) -> dict:
    headers = [(b"origin", origin.encode())] if origin else []
    return {"type": "http", "method": method, "path": "/_upload", "headers": headers}


@pytest.fixture(autouse=True)
def public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, TUTELA_PUBLIC_URL=PUBLIC)


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://tutela.example.org", PUBLIC + ".evil.example", "null", None]
)
async def test_websocket_from_foreign_origin_is_refused(origin: str | None) -> None:
    inner, sent = await call(ws(origin))
    assert not inner.called
    assert sent == [{"type": "websocket.close", "code": 4403}]


async def test_websocket_from_public_origin_passes() -> None:
    inner, sent = await call(ws(PUBLIC))
    assert inner.called and sent[0]["type"] == "websocket.accept"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
async def test_cross_origin_writes_are_refused(method: str) -> None:
    inner, sent = await call(http(method, "https://evil.example"))
    assert not inner.called
    assert sent[0]["status"] == 403


async def test_same_origin_and_safe_requests_pass_with_security_headers() -> None:
    for scope in (http("POST", PUBLIC), http("GET", "https://evil.example"), http("POST", None)):
        inner, sent = await call(scope)
        assert inner.called and sent[0]["status"] == 200
        headers = dict(sent[0]["headers"])
        assert headers[b"x-frame-options"] == b"DENY"
        assert headers[b"x-content-type-options"] == b"nosniff"
