"""A real threaded HTTP server on 127.0.0.1 for fetch, feed and ingest tests.

Routes are keyed by (host, path): the host is the Host header's name, so tests can
give one server several names through ``resolver_for`` and the fetcher then treats
them as distinct hosts. Every request is logged with its start and end time so
tests can check what was (and was not) fetched, and how requests overlapped.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from briefing.netguard import Resolver


@dataclass
class Reply:
    """What a route answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # accept the request and never answer (until the server stops)
    chunks: Iterator[bytes] | None = None  # streamed without Content-Length


@dataclass
class Logged:
    """One request the server received."""

    host: str
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0
    status: int = 0


Handler = Callable[[Logged], Reply]


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the benchmark opens many connections at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], OSError):  # clients hanging up is expected
            super().handle_error(request, client_address)


class TestServer:
    """Serve registered routes on 127.0.0.1 from a background thread."""

    __test__ = False  # not a pytest test class

    def __init__(self, latency: float = 0.0, tls: tuple[str, str] | None = None) -> None:
        self.routes: dict[tuple[str | None, str], Reply | Handler] = {}
        self.log: list[Logged] = []
        self.latency = latency
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._serve(self)

        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        if tls is not None:  # (certificate file, key file): serve HTTPS
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> TestServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """The URL of ``path`` under ``host`` (a name given to resolver_for, or the IP)."""
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path: str, reply: Reply | Handler, host: str | None = None) -> None:
        """Serve ``reply`` at ``path`` (for one host name, or for any when host is None)."""
        self.routes[(host, path)] = reply

    def requests(self, path: str | None = None, host: str | None = None) -> list[Logged]:
        """Logged requests, optionally only those for ``path`` / ``host``."""
        with self._lock:
            return [
                r
                for r in self.log
                if (path is None or r.path == path) and (host is None or r.host == host)
            ]

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        host = (h.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        entry = Logged(
            host=host, path=h.path, headers=dict(h.headers.items()), started=time.monotonic()
        )
        with self._lock:
            self.log.append(entry)
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            self.max_in_flight[host] = max(self.max_in_flight.get(host, 0), self._in_flight[host])
        try:
            route = self.routes.get((host, h.path)) or self.routes.get((None, h.path))
            reply = route(entry) if callable(route) else route
            if reply is None:
                reply = Reply(404, b"not found")
            if self.latency:
                time.sleep(self.latency)
            if reply.hang:
                self.stopping.wait(60)
                h.close_connection = True
                return
            entry.status = reply.status
            h.send_response(reply.status)
            headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
            for name, value in headers.items():
                h.send_header(name, value)
            if reply.chunks is not None:
                h.send_header("Connection", "close")
                h.end_headers()
                try:
                    for chunk in reply.chunks:
                        h.wfile.write(chunk)
                except OSError:
                    pass  # the client hung up, as it should past its cap
                h.close_connection = True
                return
            h.send_header("Content-Length", str(len(reply.body)))
            h.end_headers()
            h.wfile.write(reply.body)
        except OSError:
            h.close_connection = True  # the client hung up (a cap or a deadline): expected
        finally:
            with self._lock:
                self._in_flight[host] -= 1
                entry.ended = time.monotonic()


def resolver_for(names: dict[str, str]) -> Resolver:
    """A resolver answering ``names`` (host -> address) and nothing else."""

    async def resolve(host: str, port: int) -> list[str]:
        from briefing.errors import FetchError

        name = host.lower().rstrip(".")
        if name not in names:
            raise FetchError(f"cannot resolve host {host}: not a test name")
        return [names[name]]

    return resolve


def gzip_bomb(decompressed: int, chunk: int = 1 << 20) -> bytes:
    """A gzip body that inflates to ``decompressed`` zero bytes."""
    zeros = b"\0" * chunk
    import io

    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as gz:
        for _ in range(decompressed // chunk):
            gz.write(zeros)
    return buffer.getvalue()


def rss(items: list[dict[str, str]], title: str = "Test Wire", extra: str = "") -> bytes:
    """An RSS 2.0 document with the given items (keys: title, link, guid, pubDate, description)."""
    parts = []
    for item in items:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in item.items() if k != "description")
        if "description" in item:
            fields += f"<description><![CDATA[{item['description']}]]></description>"
        parts.append(f"<item>{fields}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.test/</link>{extra}"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def article_page(title: str, paragraphs: list[str], published: str | None = None) -> bytes:
    """A news article page that extraction accepts."""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title>{meta}</head><body>"
        f"<header><nav><a href='/'>Home</a></nav></header><main><article><h1>{title}</h1>"
        f"{body}</article></main><footer>© Test Wire</footer></body></html>"
    ).encode()


def story(topic: str, n: int = 4) -> list[str]:
    """Paragraphs of plausible, distinct news text about ``topic`` (over 40 words)."""
    return [
        f"Officials in the region said on Tuesday that the {topic} situation had changed"
        f" overnight, with paragraph {i} describing how residents, aid workers and local"
        f" councils responded to events that unfolded across several districts."
        for i in range(1, n + 1)
    ]
