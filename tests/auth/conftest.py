"""Fixtures for the login tests: the real dev OpenID provider, a migrated database, and a
"browser" made of two httpx clients: one drives the Tutela /auth app in-process
(ASGITransport), the other talks to the provider over HTTP (its login form)."""

from __future__ import annotations

import html
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from sqlmodel import Session, select

from tutela_app import db
from tutela_app.auth import oidc_client
from tutela_app.auth.routes import build_auth_app
from tutela_app.models import AuthSession, RoleGrant, Staff, Tenant
from tutela_app.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "devtools" / "oidc"))

from dev_idp import DevIdp, start_dev_idp  # noqa: E402

TENANTS = {"demo": "Comune Demo", "inzago": "Inzago", "cantu": "Cantù", "brugherio": "Brugherio"}


class BackchannelReceiver:
    """Listens at the app's public URL (the provider posts back-channel logouts there);
    the tests forward what arrives to the in-process app."""

    def __init__(self) -> None:
        self.bodies: list[str] = []
        self.received = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                if self.path == "/auth/backchannel-logout":
                    receiver.bodies.append(self.rfile.read(length).decode())
                    receiver.received.set()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def clear(self) -> None:
        self.bodies.clear()
        self.received.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def receiver() -> Iterator[BackchannelReceiver]:
    r = BackchannelReceiver()
    yield r
    r.close()


@pytest.fixture(scope="session")
def idp(receiver: BackchannelReceiver) -> Iterator[DevIdp]:
    with start_dev_idp(public_urls=[receiver.url]) as provider:
        yield provider


@dataclass
class AuthEnv:
    idp: DevIdp
    public_url: str
    receiver: BackchannelReceiver

    def session(self) -> Session:
        return Session(db.get_engine(), expire_on_commit=False)

    def staff(self, subject: str) -> Staff | None:
        with self.session() as s:
            return s.exec(
                select(Staff).where(Staff.issuer == self.idp.issuer, Staff.subject == subject)
            ).first()

    def grants(self, staff_id: int) -> set[tuple[str, str, str]]:
        with self.session() as s:
            rows = s.exec(
                select(Tenant.code, RoleGrant.role, RoleGrant.source)
                .join(Tenant, Tenant.id == RoleGrant.tenant_id)
                .where(RoleGrant.staff_id == staff_id)
            ).all()
        return set(rows)

    def sessions(self, staff_id: int) -> list[AuthSession]:
        with self.session() as s:
            return list(s.exec(select(AuthSession).where(AuthSession.staff_id == staff_id)).all())

    def tenant_id(self, code: str) -> int:
        with self.session() as s:
            return s.exec(select(Tenant.id).where(Tenant.code == code)).one()


def configure(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    db._engine_for.cache_clear()
    oidc_client.reset_oidc_clients()


@pytest.fixture
def auth_env(
    idp: DevIdp, receiver: BackchannelReceiver, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AuthEnv]:
    configure(
        monkeypatch,
        TUTELA_OIDC_ISSUER=idp.issuer,
        TUTELA_PUBLIC_URL=receiver.url,
        TUTELA_OIDC_CLIENT_ID=idp.client_id,
        TUTELA_OIDC_CLIENT_SECRET=idp.client_secret,
    )
    with Session(db.get_engine()) as s:
        for code, name in TENANTS.items():
            s.add(Tenant(code=code, name=name, buys_tutela_minori=True))
        s.commit()
    receiver.clear()
    yield AuthEnv(idp, receiver.url, receiver)
    oidc_client.reset_oidc_clients()


# ---------------------------------------------------------------------------
# a browser: app in-process, provider over HTTP
# ---------------------------------------------------------------------------


class Browser:
    def __init__(self, env: AuthEnv) -> None:
        self.env = env
        self.app = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=build_auth_app()), base_url=env.public_url
        )
        self.provider = httpx.AsyncClient(timeout=10)

    async def aclose(self) -> None:
        await self.app.aclose()
        await self.provider.aclose()

    async def __aenter__(self) -> Browser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def start(self, next_path: str | None = None) -> str:
        """GET /auth/login; returns the provider's authorization URL."""
        params = {"next": next_path} if next_path is not None else {}
        response = await self.app.get("/auth/login", params=params)
        assert response.status_code == 303, response.text
        return response.headers["location"]

    async def authenticate(self, authorize_url: str, username: str, password: str = "demo") -> str:
        """Log in with the provider's form; returns the callback URL (not requested)."""
        callback_prefix = self.env.public_url + "/auth/callback"
        response = await self.provider.get(authorize_url)
        for _ in range(10):
            if response.status_code in (302, 303):
                location = urljoin(str(response.url), response.headers["location"])
                if location.startswith(callback_prefix):
                    return location
                response = await self.provider.get(location)
                continue
            assert response.status_code == 200, response.text
            match = re.search(
                r'<form method="post" action="(/interaction/[A-Za-z0-9_-]+/login)"', response.text
            )
            assert match, response.text
            response = await self.provider.post(
                urljoin(str(response.url), html.unescape(match.group(1))),
                data={"username": username, "password": password},
            )
        raise AssertionError("too many redirects at the provider")

    async def callback(self, callback_url: str) -> httpx.Response:
        parts = urlsplit(callback_url)
        return await self.app.get(f"{parts.path}?{parts.query}")

    async def login(self, username: str, next_path: str | None = None) -> httpx.Response:
        return await self.callback(await self.authenticate(await self.start(next_path), username))

    def session_cookie(self) -> str | None:
        return self.app.cookies.get("tutela_session")


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
