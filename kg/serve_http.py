"""The HTTP side of ``kg serve``: an asyncio listener speaking HTTP/1.1 through ``h11`` (the
sans-I/O parser under httpx and uvicorn), with the bounds a public endpoint needs:

- at most ``max_connections`` connections at once; the next one gets 503 and is closed;
- each request, head and body, must arrive within ``read_timeout_s`` (a client sending one byte
  a second gets 408), and an idle keep-alive connection is closed after as long;
- a head over ``max_head`` bytes gets 431; a body is refused with 413 from its declared length,
  before any of it is read; a POST without a valid ``Content-Length`` gets 400 (h11 refuses
  negative and non-numeric lengths, and this layer refuses a missing one and chunked bodies).

What to answer is the application's: ``app.check(request)`` may refuse a request from its head
alone (then the body is never read), ``await app.handle(request)`` answers it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

import h11

SERVER_NAME = "kg-serve"
_REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
            413: "Content Too Large", 415: "Unsupported Media Type", 421: "Misdirected Request",
            431: "Request Header Fields Too Large", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}


@dataclass(frozen=True)
class Limits:
    max_connections: int = 64
    max_body: int = 1_000_000
    max_head: int = 65_536
    read_timeout_s: float = 10.0
    write_timeout_s: float = 60.0


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    headers: dict[str, str]  # names in lower case; a repeated header's values joined with ", "
    body: bytes = b""
    repeated: frozenset[str] = frozenset()  # names that came more than once

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> str:
        return urlsplit(self.target).query


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def text(status: int, message: str, *headers: tuple[str, str]) -> Response:
    return Response(status, (message.rstrip("\n") + "\n").encode("utf-8"), headers=tuple(headers))


class App(Protocol):
    def check(self, request: Request) -> Response | None: ...
    async def handle(self, request: Request) -> Response: ...
    def extra_headers(self, request: Request | None) -> list[tuple[str, str]]: ...


class _Timeout(Exception):
    pass


class _Closed(Exception):
    pass


@dataclass(eq=False)
class Listener:
    """``await Listener(app, limits).start(host, port)``; ``close()`` stops it."""

    app: App
    limits: Limits = field(default_factory=Limits)
    active: int = 0
    refused: int = 0

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._connection, host, port, limit=self.limits.max_head)
        return self._server.sockets[0].getsockname()[:2]

    async def close(self) -> None:
        self._server.close()
        try:
            await asyncio.wait_for(self._server.wait_closed(), 2)
        except (asyncio.TimeoutError, TimeoutError):
            pass

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.active >= self.limits.max_connections:
            self.refused += 1
            return await self._turn_away(reader, writer)
        self.active += 1
        try:
            await _Connection(self, reader, writer).serve()
        except (ConnectionError, _Closed, _Timeout, h11.ProtocolError, asyncio.CancelledError):
            pass
        finally:
            self.active -= 1
            writer.close()

    async def _turn_away(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        body = b"too many connections; retry shortly\n"
        writer.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     b"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        try:
            await asyncio.wait_for(writer.drain(), 1)
            writer.write_eof()
            await asyncio.wait_for(reader.read(65536), 0.5)  # let the request in, so closing sends no reset
        except (OSError, asyncio.TimeoutError, TimeoutError):
            pass
        finally:
            writer.close()


class _Connection:
    def __init__(self, listener: Listener, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.limits, self.app = listener.limits, listener.app
        self.reader, self.writer = reader, writer
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_head)

    async def serve(self) -> None:
        while True:
            deadline = time.monotonic() + self.limits.read_timeout_s
            try:
                request = await self._request(deadline)
            except h11.RemoteProtocolError as e:
                return await self._refuse(text(e.error_status_hint, f"bad request: {e}"), None)
            except _Timeout:
                if self.conn.their_state is not h11.IDLE or self.conn.our_state is not h11.IDLE:
                    await self._refuse(text(408, "the request did not arrive in time"), None)
                return
            if request is None:
                return
            await self._send(await self._answer(request), request)
            if self.conn.our_state is not h11.DONE or self.conn.their_state is not h11.DONE:
                return
            self.conn.start_next_cycle()

    async def _answer(self, request: Request) -> Response:
        try:
            return await self.app.handle(request)
        except Exception as e:  # a bug must not leak a traceback to the client, nor kill the server
            import sys
            import traceback

            traceback.print_exc(file=sys.stderr)
            return text(500, f"internal error ({type(e).__name__})")

    async def _request(self, deadline: float) -> Request | None:
        head = await self._event(deadline)
        if isinstance(head, h11.ConnectionClosed):
            return None
        assert isinstance(head, h11.Request)
        request = _request_of(head)
        refusal = _head_refusal(request, self.limits) or self.app.check(request)
        if refusal is not None:
            await self._refuse(refusal, request)
            raise _Closed
        if self.conn.client_is_waiting_for_100_continue:
            self.writer.write(self.conn.send(h11.InformationalResponse(status_code=100, headers=[])))
        chunks = []
        while not isinstance(event := await self._event(deadline), h11.EndOfMessage):
            if isinstance(event, h11.ConnectionClosed):
                raise _Closed
            chunks.append(bytes(event.data))
        return Request(request.method, request.target, request.headers, b"".join(chunks), request.repeated)

    async def _event(self, deadline: float):
        while (event := self.conn.next_event()) is h11.NEED_DATA:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Timeout
            try:
                data = await asyncio.wait_for(self.reader.read(65536), remaining)
            except (asyncio.TimeoutError, TimeoutError):
                raise _Timeout from None
            self.conn.receive_data(data)
        return event

    async def _refuse(self, response: Response, request: Request | None) -> None:
        """Answer and close without reading (the rest of) the request."""
        if self.conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        closing = Response(response.status, response.body, response.content_type,
                           response.headers + (("Connection", "close"),))
        try:
            await self._send(closing, request)
        except (h11.LocalProtocolError, OSError):
            pass

    async def _send(self, response: Response, request: Request | None) -> None:
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body))),
                   ("Server", SERVER_NAME), ("X-Content-Type-Options", "nosniff"),
                   *self.app.extra_headers(request), *response.headers]
        reason = _REASONS.get(response.status, "")
        data = self.conn.send(h11.Response(status_code=response.status, headers=headers, reason=reason))
        if request is None or request.method != "HEAD":
            data += self.conn.send(h11.Data(data=response.body))
        data += self.conn.send(h11.EndOfMessage())
        self.writer.write(data)
        try:
            await asyncio.wait_for(self.writer.drain(), self.limits.write_timeout_s)
        except (asyncio.TimeoutError, TimeoutError):
            raise _Timeout from None


def _request_of(head: h11.Request) -> Request:
    headers: dict[str, str] = {}
    repeated = set()
    for name, value in head.headers:
        key = name.decode("latin-1").lower()
        text_value = value.decode("latin-1")
        if key in headers:
            repeated.add(key)
            headers[key] = f"{headers[key]}, {text_value}"
        else:
            headers[key] = text_value
    return Request(head.method.decode("latin-1").upper(), head.target.decode("latin-1"), headers,
                   repeated=frozenset(repeated))


def _head_refusal(request: Request, limits: Limits) -> Response | None:
    """From the head alone: a head that is too large (h11 bounds only a head still arriving),
    a body that is too large, or one of unknown length."""
    if len(request.target) + sum(len(k) + len(v) + 4 for k, v in request.headers.items()) > limits.max_head:
        return text(431, f"the request head is over {limits.max_head} bytes")
    if "transfer-encoding" in request.headers:
        return text(400, "chunked request bodies are not accepted; send a Content-Length")
    length = request.headers.get("content-length")
    if length is None:
        return text(400, "a Content-Length is required") if request.method in ("POST", "PUT", "PATCH") else None
    if not length.isdigit():  # h11 has refused malformed values already; a repeated header ends here
        return text(400, f"bad Content-Length: {length[:40]}")
    if int(length) > limits.max_body:
        return text(413, f"the request body is over {limits.max_body} bytes")
    return None
