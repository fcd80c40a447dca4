"""A tiny TCP proxy that tests can pause (hold new and existing traffic) or cut (drop every
connection and refuse new ones), to simulate a database or Redis going away without
touching the real server."""

from __future__ import annotations

import asyncio
import contextlib
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.AbstractServer | None = None
        self._open: asyncio.Event | None = None
        self._cut = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> TcpProxy:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    async def _start(self) -> None:
        self._open = asyncio.Event()
        self._open.set()
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self._open.wait()  # type: ignore[union-attr]
                if self._cut:
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._cut:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    def _call(self, fn) -> None:  # noqa: ANN001
        self._loop.call_soon_threadsafe(fn)

    def pause(self) -> None:
        self._call(self._open.clear)  # type: ignore[union-attr]

    def resume(self) -> None:
        def _resume() -> None:
            self._cut = False
            self._open.set()  # type: ignore[union-attr]
        self._call(_resume)

    def cut(self) -> None:
        def _cut() -> None:
            self._cut = True
            self._open.set()  # type: ignore[union-attr]
            for w in list(self._writers):
                w.close()
        self._call(_cut)

    def stop(self) -> None:
        async def _stop() -> None:
            if self._server:
                self._server.close()
            for w in list(self._writers):
                w.close()
        asyncio.run_coroutine_threadsafe(_stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
