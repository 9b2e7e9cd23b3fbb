"""Loopback servers for the gRPC client's tests, beside the real grpcio receiver.

- `ScriptedH2Server`: an HTTP/2 server that answers each request as the test says,
  for what a grpcio server never sends (an HTTP error without a gRPC status, a reset
  stream, a GOAWAY before the call, status details);
- `ConnectProxy`: an HTTP CONNECT proxy that records the tunnels it opened.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Self

import h2.config
import h2.connection
import h2.events
import h2.exceptions

# (the server's connection, the stream, the request headers, the connection's number
# from 1) -> None; it answers by calling the connection's send_* methods.
Answer = Callable[[h2.connection.H2Connection, int, dict[str, str], int], None]


class _Loopback:
    """A listening socket on 127.0.0.1 with a thread per accepted connection."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.connections = 0
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._listener.close()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                number = self.connections
                self._open.append(sock)
            threading.Thread(target=self._serve, args=(sock, number), daemon=True).start()

    def _serve(self, sock: socket.socket, number: int) -> None:
        raise NotImplementedError


class ScriptedH2Server(_Loopback):
    """Answers every complete request with `answer`; records the requests' headers."""

    def __init__(self, answer: Answer) -> None:
        super().__init__()
        self.answer = answer
        self.requests: list[dict[str, str]] = []

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self, sock: socket.socket, number: int) -> None:
        conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        conn.initiate_connection()
        headers: dict[int, dict[str, str]] = {}
        # A client going away mid-exchange ends the thread quietly.
        with contextlib.suppress(OSError, h2.exceptions.H2Error), sock:
            sock.sendall(conn.data_to_send())
            while data := sock.recv(65536):
                for event in conn.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        headers[event.stream_id] = {
                            str(name): str(value) for name, value in event.headers or ()
                        }
                    elif isinstance(event, h2.events.DataReceived):
                        conn.acknowledge_received_data(
                            event.flow_controlled_length or 0, event.stream_id
                        )
                    elif isinstance(event, h2.events.StreamEnded):
                        request = headers.pop(event.stream_id, {})
                        with self._lock:
                            self.requests.append(request)
                        self.answer(conn, event.stream_id, request, number)
                sock.sendall(conn.data_to_send())


class ConnectProxy(_Loopback):
    """Opens the tunnels it is asked for (``CONNECT host:port``); records each
    request's head (request line and headers)."""

    def __init__(self) -> None:
        super().__init__()
        self.heads: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self, sock: socket.socket, number: int) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                sock.close()
                return
            head += chunk
        text = head.decode("latin-1").split("\r\n\r\n")[0]
        with self._lock:
            self.heads.append(text)
        host, port = text.split(" ")[1].rsplit(":", 1)
        try:
            upstream = socket.create_connection((host, int(port)), timeout=5)
        except OSError:
            sock.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            sock.close()
            return
        sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        with self._lock:
            self._open.append(upstream)
        threading.Thread(target=_pipe, args=(upstream, sock), daemon=True).start()
        _pipe(sock, upstream)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
    with contextlib.suppress(OSError):
        sink.shutdown(socket.SHUT_WR)
