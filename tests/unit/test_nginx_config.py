"""The sample nginx configuration parses (`nginx -t`) and behaves: TLS, HSTS, CSP,
body-size limit and websocket Origin enforcement, against a tiny upstream.

nginx comes from Debian (`make system-packages` installs it).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute

from tests.support.ports import free_port
from tutela_app.settings import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "deploy" / "nginx" / "tutela.conf"
PUBLIC = "https://tutela.example.it"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _nginx_available() -> None:
    assert Path(NGINX).exists(), "nginx is missing: run `make system-packages` (Debian nginx-light)"


def _self_signed(tmp: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=tutela.example.it", "-keyout", str(tmp / "privkey.pem"), "-out", str(tmp / "fullchain.pem")],
        check=True, capture_output=True,
    )


def _local_config(tmp: Path, https_port: int, http_port: int, upstream_port: int) -> Path:
    text = SAMPLE.read_text()
    for old, new in [
        ("/etc/ssl/tutela/", f"{tmp}/"),
        ("pid /run/nginx.pid;", f"pid {tmp}/nginx.pid;"),
        ("/var/log/nginx/", f"{tmp}/"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("server 127.0.0.1:8000", f"server 127.0.0.1:{upstream_port}"),
        ("user www-data;", ""),
    ]:
        assert old in text, f"the sample config no longer contains {old!r}"
        text = text.replace(old, new)
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace("http {", "http {\n" + temp_paths, 1)
    conf = tmp / "nginx.conf"
    conf.write_text(text)
    return conf


def test_sample_config_passes_nginx_t(tmp_path: Path) -> None:
    _nginx_available()
    _self_signed(tmp_path)
    conf = _local_config(tmp_path, free_port(), free_port(), free_port())
    result = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def test_sample_config_declares_the_required_protections() -> None:
    text = SAMPLE.read_text()
    assert "Strict-Transport-Security" in text and "max-age=63072000" in text
    assert "Content-Security-Policy" in text and "connect-src 'self' wss://tutela.example.it" in text
    assert "frame-ancestors 'none'" in text and "object-src 'none'" in text
    assert "client_max_body_size 1m;" in text
    assert '"https://tutela.example.it"  1;' in text and "return 403;" in text
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text


# -- behaviour, with nginx in front of a tiny upstream ------------------------------------


async def _echo_ws(websocket) -> None:  # noqa: ANN001
    await websocket.accept()
    await websocket.send_text("ciao")
    await websocket.close()


async def _ok(_request) -> PlainTextResponse:  # noqa: ANN001
    return PlainTextResponse("ok")


@pytest.fixture
def proxied(tmp_path: Path) -> Iterator[int]:
    _nginx_available()
    _self_signed(tmp_path)
    upstream_port, https_port = free_port(), free_port()
    app = Starlette(routes=[WebSocketRoute("/_event/", _echo_ws), Route("/{path:path}", _ok, methods=["GET", "POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=upstream_port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    conf = _local_config(tmp_path, https_port, free_port(), upstream_port)
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield https_port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        server.should_exit = True
        thread.join(timeout=10)


def _ws_handshake(port: int, origin: str | None) -> str:
    """Status line of a websocket upgrade through nginx (TLS, Host = public host)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    lines = [
        "GET /_event/?EIO=4&transport=websocket HTTP/1.1", "Host: tutela.example.it", "Upgrade: websocket",
        "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, ctx.wrap_socket(raw) as tls:
        tls.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return tls.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def test_proxy_enforces_origin_on_the_event_websocket(proxied: int) -> None:
    assert " 101 " in _ws_handshake(proxied, PUBLIC)
    assert " 403 " in _ws_handshake(proxied, "https://evil.example.com")
    assert " 403 " in _ws_handshake(proxied, None)
    assert " 403 " in _ws_handshake(proxied, "https://tutela.example.it.evil.com")


def test_proxy_adds_security_headers_and_limits_bodies(proxied: int) -> None:
    with httpx.Client(base_url=f"https://127.0.0.1:{proxied}", verify=False, headers={"Host": "tutela.example.it"}) as client:
        page = client.get("/casi")
        assert page.status_code == 200
        assert page.headers["strict-transport-security"].startswith("max-age=63072000")
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert "server" not in page.headers or "nginx/" not in page.headers["server"]
        small = client.post("/qualcosa", content=b"x" * 1000)
        assert small.status_code == 200
        big = client.post("/qualcosa", content=b"x" * (2 * 1024 * 1024))
        assert big.status_code == 413
        assert client.request("DELETE", "/casi").status_code == 403
