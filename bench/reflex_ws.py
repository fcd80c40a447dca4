"""A minimal asyncio client for Reflex's event websocket (Engine.IO 4 / Socket.IO 5).

It speaks what the browser's ``utils/state.js`` speaks, nothing more:

* ``GET /_event/?EIO=4&transport=websocket&token=<tab token>`` with the tab's ``Cookie``
  and ``Origin`` headers (the app refuses any Origin but its public URL);
* the Socket.IO namespace is ``/_event`` (the browser's ``io(".../_event")``);
* the Socket.IO CONNECT packet carries the boot event (``State.hydrate_and_load``) in its
  auth payload, exactly like the browser (``auth: {event: ...}``);
* events go out as ``42/_event,["event", {name, payload, router_data}]``; state updates
  come back as ``42/_event,["event", {delta, events}]`` (Reflex 0.10 sends no ``final`` flag); a Socket.IO ``ping`` is answered with ``pong``;
* Engine.IO pings (``2``) from the server are answered with pongs (``3``).

The frame layer is ``wsproto`` (sans-IO, already a dependency of the app server), so the
client adds no package. Every received text frame is time-stamped on arrival, before it is
decoded, and its size (UTF-8 bytes of the payload) is reported with it.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Ping,
    RejectConnection,
    RejectData,
    Request,
    TextMessage,
)

NAMESPACE = "/_event"  # socket.io namespace = the path of the event URL (state.js: io(".../_event"))
ROOT_STATE = "reflex___state____state"
HYDRATE_AND_LOAD = f"{ROOT_STATE}.hydrate_and_load"
ON_LOAD_INTERNAL = f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal"
SET_IS_HYDRATED = f"{ROOT_STATE}.reflex___state____on_load_internal_state.set_is_hydrated"
FIELD_MARKER = "_rx_state_"
IS_HYDRATED = "is_hydrated" + FIELD_MARKER


class ConnectError(RuntimeError):
    """The websocket or the Socket.IO namespace refused the connection."""


@dataclass
class Frame:
    """One Socket.IO message from the server, as it arrived."""

    at: float  # perf_counter() when the complete frame was read, before decoding
    size: int  # bytes of the frame payload
    name: str  # Socket.IO event name ("event", "ping", "new_token", ...)
    data: Any


def router_data(path: str, query: dict[str, str] | None = None) -> dict[str, Any]:
    """What ``withRouterData`` in state.js attaches to every event."""
    data: dict[str, Any] = {"pathname": path, "asPath": path}
    if query:
        data["query"] = dict(query)
    return data


def event(name: str, payload: dict | None = None, path: str = "/", query: dict[str, str] | None = None) -> dict:
    return {"name": name, "payload": payload or {}, "router_data": router_data(path, query)}


@dataclass
class ReflexSocket:
    """One browser tab's websocket. ``on_frame`` is called for every Socket.IO message."""

    url: str  # the app's public URL, e.g. http://localhost:3000
    cookie: str = ""
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    on_frame: Callable[[Frame], None] | None = None
    origin: str | None = None
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None
    _ws: WSConnection | None = None
    _pump: asyncio.Task | None = None
    _connected: asyncio.Future | None = None
    _partial: list[str] = field(default_factory=list)
    closed: bool = True

    async def connect(self, boot_event: dict | None, timeout: float = 30.0) -> float:
        """Open the websocket and the namespace (with the boot event); returns perf_counter at send."""
        parts = urlsplit(self.url)
        host, port = parts.hostname or "localhost", parts.port or 80
        self._reader, self._writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        self._ws = WSConnection(ConnectionType.CLIENT)
        headers = [(b"origin", (self.origin or self.url).encode())]
        if self.cookie:
            headers.append((b"cookie", self.cookie.encode()))
        target = f"/_event/?EIO=4&transport=websocket&token={self.token}"
        self._writer.write(self._ws.send(Request(host=f"{host}:{port}", target=target, extra_headers=headers)))
        loop = asyncio.get_running_loop()
        self._connected = loop.create_future()
        self._partial = []
        self.closed = False
        self._pump = asyncio.create_task(self._read_loop(boot_event), name=f"ws-{self.token[:8]}")
        sent_at = time.perf_counter()
        try:
            await asyncio.wait_for(asyncio.shield(self._connected), timeout)
        except BaseException:
            await self.close()
            raise
        return sent_at

    async def _read_loop(self, boot_event: dict | None) -> None:
        assert self._reader is not None and self._ws is not None
        try:
            while True:
                data = await self._reader.read(262_144)
                if not data:
                    break
                self._ws.receive_data(data)
                for ev in self._ws.events():
                    self._handle_ws_event(ev, boot_event)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.closed = True
            if self._connected and not self._connected.done():
                self._connected.set_exception(ConnectError("connection closed before the namespace connected"))
            if self.on_frame is not None:
                self.on_frame(Frame(time.perf_counter(), 0, "disconnect", None))

    def _handle_ws_event(self, ev: object, boot_event: dict | None) -> None:
        if isinstance(ev, AcceptConnection):
            return
        if isinstance(ev, (RejectConnection, RejectData)):
            if self._connected and not self._connected.done():
                self._connected.set_exception(ConnectError(f"websocket refused: {getattr(ev, 'status_code', '?')}"))
            return
        if isinstance(ev, Ping):
            self._send_raw(self._ws.send(ev.response()))
            return
        if isinstance(ev, CloseConnection):
            if self._ws.state.name == "REMOTE_CLOSING":
                self._send_raw(self._ws.send(ev.response()))
            return
        if isinstance(ev, TextMessage):
            self._partial.append(ev.data)
            if ev.message_finished:
                text, self._partial = "".join(self._partial), []
                self._on_text(time.perf_counter(), text, boot_event)

    def _on_text(self, at: float, text: str, boot_event: dict | None) -> None:
        kind = text[:1]
        if kind == "0":  # Engine.IO open: join the default namespace, boot event in the auth payload
            auth = {"event": boot_event} if boot_event else {}
            self._send_text(f"40{NAMESPACE}," + json.dumps(auth, separators=(",", ":")))
        elif kind == "2":  # Engine.IO ping
            self._send_text("3")
        elif kind == "4":
            self._on_socketio(at, len(text.encode()), text[1:])
        elif kind == "1":  # Engine.IO close
            self.closed = True

    def _on_socketio(self, at: float, size: int, packet: str) -> None:
        kind, body = packet[:1], packet[1:]
        if body.startswith(NAMESPACE + ","):
            body = body[len(NAMESPACE) + 1:]
        elif body.startswith("/"):
            return  # another namespace: not ours
        if kind == "0":  # CONNECT ack
            if self._connected and not self._connected.done():
                self._connected.set_result(True)
            return
        if kind == "4":  # CONNECT_ERROR
            if self._connected and not self._connected.done():
                self._connected.set_exception(ConnectError(f"namespace refused: {body[:200]}"))
            return
        if kind == "2":  # EVENT, possibly with an ack id before the JSON array
            start = body.find("[")
            try:
                args = json.loads(body[start:])
            except json.JSONDecodeError:
                return
            if self.on_frame is not None and args:
                self.on_frame(Frame(at, size, str(args[0]), args[1] if len(args) > 1 else None))

    def _send_raw(self, data: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    def _send_text(self, text: str) -> None:
        if self._ws is not None:
            self._send_raw(self._ws.send(TextMessage(data=text)))

    def emit(self, name: str, data: Any = None) -> float:
        """Send a Socket.IO event; returns perf_counter() just before the write."""
        args = [name] if data is None else [name, data]
        frame = f"42{NAMESPACE}," + json.dumps(args, separators=(",", ":"))
        at = time.perf_counter()
        self._send_text(frame)
        return at

    def send_event(self, ev: dict) -> float:
        return self.emit("event", ev)

    async def close(self) -> None:
        """Close like a tab that goes away (the server sees a disconnect)."""
        if self._ws is not None and self._writer is not None and not self._writer.is_closing():
            try:
                self._send_raw(self._ws.send(CloseConnection(code=1000)))
            except Exception:  # noqa: BLE001 - already closing
                pass
            self._writer.close()
        if self._pump is not None:
            try:
                await asyncio.wait_for(self._pump, 5)
            except (TimeoutError, asyncio.CancelledError):
                self._pump.cancel()
        self.closed = True
