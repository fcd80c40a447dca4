"""A simulated user: one tab (token), one real session cookie, a mirror of its state.

Requests are matched to the state update they cause. Reflex processes a tab's events one
at a time, in order, so pending requests complete in FIFO order: an update that satisfies
a later request's check means every earlier one finished without its expected change,
which is counted as an error ("no state change"), never as a success.
Bytes are the sizes of the Socket.IO frames received while a request was the oldest
pending one (deltas and the events they carry); frames that arrive while nothing is
pending (live-refresh pushes) are counted apart as ``stray_bytes``.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.reflex_ws import FIELD_MARKER, IS_HYDRATED, ROOT_STATE, Frame, ReflexSocket, event

Check = Callable[[dict, "SimUser"], "bool | str | None"]
"""(delta, user) -> True: done; a string: done with that error; None/False: not yet."""

BACKEND_ERROR_MARKERS = ("backend_error", "An error occurred.")


@dataclass
class Outcome:
    ok: bool
    latency_ms: float
    bytes: int
    error: str = ""
    result: Any = None


@dataclass
class Pending:
    t0: float
    check: Check | None  # None: a Socket.IO ping, completed by the "ping" reply
    future: asyncio.Future
    bytes: int = 0


def v(name: str) -> str:
    return name + FIELD_MARKER


@dataclass
class SimUser:
    index: int
    url: str
    cookie: str
    path: str = "/"
    query: dict[str, str] = field(default_factory=dict)
    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    sock: ReflexSocket | None = None
    pending: deque = field(default_factory=deque)
    stray_bytes: int = 0
    backend_errors: int = 0
    disconnects: int = 0
    token: str | None = None
    scratch: dict[str, Any] = field(default_factory=dict)  # per-scenario user memory

    # ---- state mirror -------------------------------------------------------------
    def get(self, substate: str, name: str, default: Any = None) -> Any:
        return self.state.get(substate, {}).get(v(name), default)

    @property
    def hydrated(self) -> bool:
        return bool(self.state.get(ROOT_STATE, {}).get(IS_HYDRATED))

    def _apply(self, delta: dict) -> None:
        for substate, values in delta.items():
            if isinstance(values, dict):
                self.state.setdefault(substate, {}).update(values)

    # ---- frames -------------------------------------------------------------------
    def on_frame(self, frame: Frame) -> None:
        if frame.name == "disconnect":
            self.disconnects += 1
            return
        head = self.pending[0] if self.pending else None
        if head is not None:
            head.bytes += frame.size
        else:
            self.stray_bytes += frame.size
        if frame.name == "ping":
            if head is not None and head.check is None:
                self._finish(frame.at, head, None)
            return
        if frame.name != "event" or not isinstance(frame.data, dict):
            return
        delta = frame.data.get("delta") or {}
        self._apply(delta)
        events = frame.data.get("events") or []
        if events and any(m in str(events) for m in BACKEND_ERROR_MARKERS):
            self.backend_errors += 1
            if head is not None:
                self._finish(frame.at, head, "backend exception (see app log)")
            return
        if not delta:
            return
        for position, item in enumerate(self.pending):
            if item.check is None:
                continue
            verdict = item.check(delta, self)
            if verdict:
                for _ in range(position):  # earlier requests ended without their change
                    self._finish(frame.at, self.pending[0], "no state change")
                self._finish(frame.at, item, verdict if isinstance(verdict, str) else None)
                break

    def _finish(self, at: float, item: Pending, error: str | None) -> None:
        if self.pending and self.pending[0] is item:
            self.pending.popleft()
        else:
            self.pending.remove(item)
        if not item.future.done():
            item.future.set_result(Outcome(error is None, (at - item.t0) * 1000.0, item.bytes, error or ""))

    # ---- actions ------------------------------------------------------------------
    async def request(self, name: str, payload: dict | None, check: Check, *, timeout: float = 30.0,
                      t0: float | None = None) -> Outcome:
        """Send one event with the tab's router data; wait for the update ``check`` accepts."""
        return await self._send(event(name, payload, self.path, self.query or None), check, timeout, t0)

    async def ping(self, *, timeout: float = 30.0, t0: float | None = None) -> Outcome:
        return await self._send(None, None, timeout, t0)

    async def _send(self, ev: dict | None, check: Check | None, timeout: float, t0: float | None) -> Outcome:
        if self.sock is None or self.sock.closed:
            return Outcome(False, 0.0, 0, "not connected")
        item = Pending(0.0, check, asyncio.get_running_loop().create_future())
        self.pending.append(item)
        sent = self.sock.emit("ping") if ev is None else self.sock.send_event(ev)
        item.t0 = t0 if t0 is not None else sent
        try:
            return await asyncio.wait_for(asyncio.shield(item.future), timeout)
        except TimeoutError:
            if item in self.pending:
                self.pending.remove(item)
            return Outcome(False, (time.perf_counter() - item.t0) * 1000.0, item.bytes, "timeout")

    async def navigate(self, path: str, query: dict[str, str] | None = None, *, timeout: float = 60.0,
                       t0: float | None = None) -> Outcome:
        """Client-side navigation: ``on_load_internal`` with the new route; done when hydrated."""
        from bench.reflex_ws import ON_LOAD_INTERNAL

        self.path, self.query = path, dict(query or {})
        self.state.setdefault(ROOT_STATE, {})[IS_HYDRATED] = False
        return await self.request(ON_LOAD_INTERNAL, {}, hydrated_check, timeout=timeout, t0=t0)

    async def connect(self, path: str, query: dict[str, str] | None = None, *, timeout: float = 60.0) -> Outcome:
        """Open the tab's websocket like the browser does (boot hydrate in the CONNECT packet).

        Done when the page's on_load handlers ran (``is_hydrated`` true); the same token is
        reused on reconnect, as a browser tab does (session storage).
        """
        from bench.reflex_ws import HYDRATE_AND_LOAD

        self.path, self.query = path, dict(query or {})
        self.state.setdefault(ROOT_STATE, {})[IS_HYDRATED] = False
        sock = ReflexSocket(self.url, cookie=self.cookie, on_frame=self.on_frame)
        if self.token:
            sock.token = self.token
        self.token = sock.token
        self.sock = sock
        item = Pending(time.perf_counter(), hydrated_check, asyncio.get_running_loop().create_future())
        self.pending.append(item)
        try:
            await sock.connect(event(HYDRATE_AND_LOAD, {}, path, self.query or None), timeout=timeout)
            return await asyncio.wait_for(asyncio.shield(item.future), timeout)
        except Exception as exc:  # noqa: BLE001 - reported as this user's error
            if item in self.pending:
                self.pending.remove(item)
            return Outcome(False, (time.perf_counter() - item.t0) * 1000.0, item.bytes, f"connect: {exc!r}"[:200])

    async def close(self) -> None:
        if self.sock is not None:
            await self.sock.close()
        for item in list(self.pending):
            if not item.future.done():
                item.future.set_result(Outcome(False, 0.0, item.bytes, "closed"))
        self.pending.clear()


def hydrated_check(delta: dict, _user: SimUser) -> bool:
    return bool(delta.get(ROOT_STATE, {}).get(IS_HYDRATED))
