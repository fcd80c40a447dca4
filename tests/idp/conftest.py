"""Fixtures for the development OpenID provider (devtools/oidc)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "devtools" / "oidc"))

from dev_idp import DevIdp, start_dev_idp  # noqa: E402


class BackchannelReceiver:
    """A stand-in for the Tutela app's /auth/backchannel-logout endpoint."""

    def __init__(self) -> None:
        self.requests: list[dict[str, object]] = []
        self.received = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                receiver.requests.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "body": body,
                    }
                )
                receiver.received.set()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def backchannel_receiver() -> Iterator[BackchannelReceiver]:
    receiver = BackchannelReceiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def idp(backchannel_receiver: BackchannelReceiver) -> Iterator[DevIdp]:
    # the first public URL is the receiver (it gets back-channel logout calls);
    # the second one mimics another app instance on another port.
    with start_dev_idp(public_urls=[backchannel_receiver.url, "http://localhost:39998"]) as provider:
        yield provider
