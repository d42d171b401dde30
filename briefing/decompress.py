"""Response bodies read raw and decompressed here, chunk by chunk, under a byte cap.

A compression bomb stops at ``max_bytes`` of output without ever holding more; one
layer of gzip, deflate or brotli is accepted, anything else is refused.
"""

from __future__ import annotations

import zlib
from typing import Protocol

import httpx

from briefing.errors import FetchError


class _Decoder(Protocol):
    def decode(self, data: bytes, budget: int) -> bytes: ...


class _Identity:
    def decode(self, data: bytes, budget: int) -> bytes:
        return data


class _Zlib:
    """gzip or deflate, never producing more than budget + 1 bytes per call."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._first = True
        self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)

    def decode(self, data: bytes, budget: int) -> bytes:
        out = bytearray()
        pending = data
        while pending:
            try:
                chunk = self._obj.decompress(pending, budget + 1 - len(out))
            except zlib.error:
                if self._gzip or not self._first:
                    raise
                # "deflate" is often sent as raw deflate without the zlib header.
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                continue
            self._first = False
            out += chunk
            if len(out) > budget:
                break
            pending = self._obj.unconsumed_tail
            if not pending and self._obj.eof and self._obj.unused_data and self._gzip:
                pending = self._obj.unused_data  # concatenated gzip members
                self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return bytes(out)


class _Brotli:
    def __init__(self) -> None:
        import brotli

        self._obj = brotli.Decompressor()

    def decode(self, data: bytes, budget: int) -> bytes:
        out = bytearray(self._obj.process(data, output_buffer_limit=budget + 1))
        while len(out) <= budget and not self._obj.can_accept_more_data():
            more = self._obj.process(b"", output_buffer_limit=budget + 1 - len(out))
            if not more:
                break
            out += more
        return bytes(out)


def _brotli_available() -> bool:
    try:
        import brotli
    except ImportError:
        return False
    return hasattr(brotli.Decompressor(), "can_accept_more_data")


ACCEPT_ENCODING = "gzip, deflate" + (", br" if _brotli_available() else "")


def _decoder(url: str, content_encoding: str) -> _Decoder:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) > 1:
        raise FetchError(f"layered content-encoding {content_encoding!r} refused", location=url)
    coding = codings[0]
    if coding in ("gzip", "x-gzip"):
        return _Zlib(gzip=True)
    if coding == "deflate":
        return _Zlib(gzip=False)
    if coding == "br" and _brotli_available():
        return _Brotli()
    raise FetchError(f"unsupported content-encoding {content_encoding!r}", location=url)


async def read_capped(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    """The response body, decompressed; FetchError past ``max_bytes`` or when corrupt."""
    decoder = _decoder(url, response.headers.get("content-encoding", ""))
    body = bytearray()
    received = 0
    async for raw in response.aiter_raw():
        received += len(raw)
        if received > max_bytes:
            raise FetchError(f"response is over the {max_bytes}-byte cap", location=url)
        try:
            piece = decoder.decode(raw, max_bytes - len(body))
        except (zlib.error, OSError, ValueError) as exc:
            raise FetchError(f"cannot decompress the response ({exc})", location=url) from None
        except Exception as exc:  # brotli.error does not derive from a stdlib error
            raise FetchError(f"cannot decompress the response ({exc})", location=url) from None
        body += piece
        if len(body) > max_bytes:
            raise FetchError(f"decompressed response is over the {max_bytes}-byte cap", location=url)
    return bytes(body)
