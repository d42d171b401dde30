"""A real webhook receiver on 127.0.0.1: records each POST and answers from a script.

Each path has a queue of replies (status, headers, body) used in order; the last one
repeats. Every request is logged with its path, headers, body and arrival time.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    """One scripted reply."""

    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    """One POST the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class Receiver:
    """The running receiver: script answers with ``answer``, read ``received``."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[Received] = []
        self.script: dict[str, list[Answer]] = {}
        self.lock = threading.Lock()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The URL of ``path`` on this receiver."""
        return f"http://{host}:{self.port}{path}"

    def answer(self, path: str, *answers: Answer) -> None:
        """Answer POSTs to ``path`` with these replies in order (the last one repeats)."""
        self.script[path] = list(answers)

    def posts(self, path: str) -> list[Received]:
        """The POSTs received at ``path``."""
        with self.lock:
            return [r for r in self.received if r.path == path]

    def _next(self, path: str) -> Answer:
        with self.lock:
            queue = self.script.get(path)
            if not queue:
                return Answer(404, b"no_service")
            return queue.pop(0) if len(queue) > 1 else queue[0]


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    """Run a receiver in a background thread for the duration of the block."""
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.received.append(Received(self.path, dict(self.headers.items()),
                                                  body, time.monotonic()))
            reply = receiver._next(self.path)
            self.send_response(reply.status)
            for name, value in {"Content-Type": "text/plain", **reply.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    receiver = Receiver(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        httpd.shutdown()
        httpd.server_close()
