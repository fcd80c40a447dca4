"""ASGI guard in front of the whole app: one origin, security headers.

* A websocket (Reflex's event channel) from any Origin but the public URL is refused
  before it is accepted; so is a cross-origin non-GET HTTP request.
* Every HTTP response carries conservative security headers; the production reverse
  proxy adds TLS, HSTS and the Content-Security-Policy (see deploy/nginx).
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tutela_app.settings import get_settings

log = logging.getLogger("tutela.security")

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class OriginGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.allowed_origin = get_settings().public_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "websocket":
            origin = _header(scope, b"origin")
            if origin != self.allowed_origin:
                log.warning("refused websocket from foreign origin path=%s", scope.get("path"))
                await send({"type": "websocket.close", "code": 4403})
                return
        elif kind == "http":
            origin = _header(scope, b"origin")
            if origin is not None and origin != self.allowed_origin and scope["method"] not in SAFE_METHODS:
                log.warning("refused cross-origin %s path=%s", scope["method"], scope.get("path"))
                await send({"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": "Origine non consentita.".encode()})
                return

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
                await send(message)

            await self.app(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send)
