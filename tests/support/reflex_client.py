"""A raw client of Reflex 0.10's event channel, for hostile-client and load tests.

It speaks what the browser speaks (reflex_base/.templates/web/utils/state.js), without a
browser: an engine.io v4 websocket on ``/_event/?EIO=4&transport=websocket&token=<tab>``
carrying socket.io packets in the ``/_event`` namespace. Events go out as
``42/_event,["event", {name, payload, router_data}]``; state deltas come back as
``42/_event,["event", {delta, events, final}]``. The handshake carries the ``Cookie`` and
``Origin`` headers, like a browser tab of the app. Built on ``wsproto`` (already installed
with uvicorn) over asyncio streams, so it can also send what no browser would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any
from urllib.parse import urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"


def handler_name(state_path: str, handler: str) -> str:
    """``state_path`` is a state's full name (``SessionState.get_full_name()``) or a raw string."""
    return f"{state_path}.{handler}"


class Refused(Exception):
    """The server refused the websocket (status code in ``args[0]``)."""


class ReflexClient:
    def __init__(self) -> None:
        self.token = str(uuid.uuid4())
        self.path = "/"
        self.closed = False
        self.received: list[dict[str, Any]] = []  # every update, in order
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._updates: asyncio.Queue = asyncio.Queue()
        self._pump: asyncio.Task | None = None
        self._text = ""

    # -- connection -----------------------------------------------------------------------

    async def connect(self, url: str, cookie: str | None, origin: str | None = None, path: str = "/") -> ReflexClient:
        parts = urlsplit(url)
        self.path = path
        self._reader, self._writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        headers = [("Origin", origin if origin is not None else f"{parts.scheme}://{parts.netloc}")]
        if cookie:
            headers.append(("Cookie", cookie))
        target = f"{NAMESPACE}/?EIO=4&transport=websocket&token={self.token}"
        self._send(Request(host=parts.netloc, target=target, extra_headers=headers))
        while True:
            event = await self._next_ws_event()
            if isinstance(event, AcceptConnection):
                break
            if isinstance(event, RejectConnection):
                raise Refused(event.status_code)
            if isinstance(event, CloseConnection):
                raise Refused(event.code)
        open_packet = await self._next_text()
        if not open_packet.startswith("0"):
            raise Refused(f"unexpected engine.io open: {open_packet[:80]}")
        self._send(TextMessage(data=f"40{NAMESPACE},"))
        ack = await self._next_text()
        if not ack.startswith(f"40{NAMESPACE}"):
            raise Refused(f"namespace refused: {ack[:200]}")
        self._pump = asyncio.create_task(self._read_forever())
        return self

    async def close(self) -> None:
        if self._pump:
            self._pump.cancel()
            with contextlib.suppress(BaseException):
                await self._pump
        if self._writer and not self.closed:
            with contextlib.suppress(Exception):
                self._send(CloseConnection(code=1000))
        if self._writer:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()
        self.closed = True

    # -- events ---------------------------------------------------------------------------

    def event_packet(self, name: str, payload: Any, router_data: dict | None = None) -> str:
        body = {"name": name, "payload": payload,
                "router_data": router_data if router_data is not None else {"pathname": self.path, "asPath": self.path}}
        return f"42{NAMESPACE}," + json.dumps(["event", body])

    async def send_raw(self, text: str) -> None:
        self._send(TextMessage(data=text))

    async def send_event(self, state_path: str, handler: str, payload: Any = None, *,
                         timeout: float = 10.0) -> list[dict[str, Any]]:
        """Send one event; return the updates it produced (until ``final`` or quiet)."""
        await self.send_raw(self.event_packet(handler_name(state_path, handler), payload if payload is not None else {}))
        return await self.collect(timeout)

    async def hydrate(self, timeout: float = 15.0) -> list[dict[str, Any]]:
        return await self.send_event(ROOT_STATE, "hydrate", {}, timeout=timeout)

    async def collect(self, timeout: float = 10.0, quiet: float = 1.0) -> list[dict[str, Any]]:
        """Updates received until one is ``final`` and nothing more comes for ``quiet`` s."""
        updates: list[dict[str, Any]] = []
        deadline = asyncio.get_running_loop().time() + timeout
        while not self.closed:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            wait = min(remaining, quiet) if updates and updates[-1].get("final") else remaining
            try:
                update = await asyncio.wait_for(self._updates.get(), wait)
            except TimeoutError:
                break
            if update is None:  # connection ended
                break
            updates.append(update)
        return updates

    def deltas(self, updates: list[dict[str, Any]]) -> dict[str, dict]:
        merged: dict[str, dict] = {}
        for update in updates:
            for substate, values in (update.get("delta") or {}).items():
                merged.setdefault(substate, {}).update(values)
        return merged

    # -- wire -----------------------------------------------------------------------------

    def _send(self, event) -> None:  # noqa: ANN001
        assert self._writer is not None
        self._writer.write(self._ws.send(event))

    async def _next_ws_event(self):  # noqa: ANN202
        assert self._reader is not None
        while True:
            for event in self._ws.events():
                if isinstance(event, Ping):
                    self._send(event.response())
                    continue
                return event
            data = await self._reader.read(65536)
            if not data:
                self._ws.receive_data(None)
                return CloseConnection(code=1006)
            self._ws.receive_data(data)

    async def _next_text(self) -> str:
        while True:
            event = await self._next_ws_event()
            if isinstance(event, CloseConnection):
                self.closed = True
                raise ConnectionError(f"closed by server ({event.code})")
            if isinstance(event, Message):
                self._text += event.data if isinstance(event.data, str) else event.data.decode()
                if event.message_finished:
                    text, self._text = self._text, ""
                    return text

    async def _read_forever(self) -> None:
        try:
            while True:
                text = await self._next_text()
                if text == "2":  # engine.io ping
                    self._send(TextMessage(data="3"))
                elif text.startswith(f"42{NAMESPACE},"):
                    name, *args = json.loads(text[len(f"42{NAMESPACE},"):])
                    if name == "event" and args:
                        self.received.append(args[0])
                        await self._updates.put(args[0])
                elif text.startswith(("41", "1")):  # namespace or engine.io close
                    break
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self.closed = True
            await self._updates.put(None)


async def connect(url: str, cookie: str | None, origin: str | None = None, path: str = "/") -> ReflexClient:
    """A connected client; ``cookie`` is a full Cookie header value (``name=value``) or None."""
    return await ReflexClient().connect(url, cookie, origin, path)
