"""A raw client of Reflex 0.10's event channel, for hostile-client and load tests.

It speaks what the browser speaks (reflex_base/.templates/web/utils/state.js), without a
browser: an engine.io v4 websocket on ``/_event/?EIO=4&transport=websocket&token=<tab>``
carrying socket.io packets in the ``/_event`` namespace. Events go out as
``42/_event,["event", {name, payload, router_data}]``; state deltas come back as
``42/_event,["event", {delta, events}]``. The handshake carries the ``Cookie`` and
``Origin`` headers, like a browser tab of the app. Built on ``wsproto`` (already installed
with uvicorn) over asyncio streams, so it can also send what no browser would.

When an event is done
---------------------
Reflex 0.10 sends no "event finished" signal (``StateUpdate.final`` is deprecated and never
set), and an event that changes nothing, or is refused, sends nothing at all. What it does
guarantee: a tab's events are decoded in arrival order on the socket's receive loop
(``async_handlers=False``), go through one FIFO queue, and non-background events of a token
run one at a time, in that order (``EventProcessor._enqueue_for_token``). So after an event
the client sends a *marker*: Reflex's own no-op ``OnLoadInternalState.set_is_hydrated(True)``,
which always answers with a delta setting ``State.is_hydrated`` (an assignment always
dirties the var). The marker's answer proves every earlier event of the tab was processed,
including refused ones (unknown handler, bad payload) that answer nothing. A second marker,
sent once the first is answered, also covers what an event left behind when it finished:
backend events it chained (queued behind the first marker) and the exception-handler task of
a handler that raised. ``sync()`` does this; ``send_event`` and ``collect`` use it.
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
#: The marker: a no-op of Reflex's own, answered with ``{ROOT_STATE: {IS_HYDRATED: true}}``.
SET_IS_HYDRATED = f"{ROOT_STATE}.reflex___state____on_load_internal_state.set_is_hydrated"
IS_HYDRATED = "is_hydrated_rx_state_"
#: Marker rounds per sync: the second also covers events chained by the synced ones.
SYNC_ROUNDS = 2


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
        self._markers_sent = 0  # markers sent; each is answered by exactly one update
        self._markers_answered = 0

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
        """Send one event; return the updates it produced, as soon as it was processed."""
        await self.send_raw(self.event_packet(handler_name(state_path, handler), payload if payload is not None else {}))
        return await self.collect(timeout)

    async def hydrate(self, timeout: float = 15.0) -> list[dict[str, Any]]:
        return await self.send_event(ROOT_STATE, "hydrate", {}, timeout=timeout)

    async def collect(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The updates of everything sent so far, once the server processed all of it.

        Returns when the last marker of a ``sync`` is answered, when the connection ends (the
        server dropped the socket), or after ``timeout`` s (an event still running: the
        caller's assertions see what arrived). Marker answers are left out of the result
        (they stay in ``received``, with every other update).
        """
        return await self.sync(timeout=timeout)

    async def sync(self, rounds: int = SYNC_ROUNDS, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Send ``rounds`` markers one after the other; return the other updates meanwhile."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        updates: list[dict[str, Any]] = []
        for _ in range(rounds):
            if self.closed:
                break
            self._send_marker()
            if not await self._until_markers_answered(updates, deadline):
                break
        return updates

    def _send_marker(self) -> None:
        with contextlib.suppress(Exception):  # the server may be closing the socket
            self._send(TextMessage(data=self.event_packet(SET_IS_HYDRATED, {"value": True})))
            self._markers_sent += 1

    async def _until_markers_answered(self, updates: list[dict[str, Any]], deadline: float) -> bool:
        """Move updates into ``updates`` until every marker sent is answered; False if cut short."""
        loop = asyncio.get_running_loop()
        while self._markers_answered < self._markers_sent:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                update = await asyncio.wait_for(self._updates.get(), remaining)
            except TimeoutError:
                return False
            if update is None:  # connection ended
                self._updates.put_nowait(None)  # every later wait ends at once, too
                return False
            if self._is_marker_answer(update):
                self._markers_answered += 1
            else:
                updates.append(update)
        return True

    @staticmethod
    def _is_marker_answer(update: dict[str, Any]) -> bool:
        """A marker's answer: ``is_hydrated`` set to true, no events.

        Markers are counted, not named (an event carries no id back), so an event of the tab
        that itself sets ``is_hydrated`` to true (the end of a page's on_load chain) would be
        taken for the marker; ``hydrate`` sets it to false, no test event sets it.
        """
        root = (update.get("delta") or {}).get(ROOT_STATE)
        return isinstance(root, dict) and root.get(IS_HYDRATED) is True and not update.get("events")

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
