"""The address guard: no fetch reaches a private, loopback or reserved address.

The host is resolved here, every resolved address is checked (loopback, private,
link-local, carrier-grade NAT, multicast, reserved, documentation, IPv4-mapped, odd
spellings such as ``2130706433`` or ``127.1``), and the connection is made to that
checked address, so DNS cannot change its answer between the check and the connect.
A source marked ``allow_private`` may reach its own private host, and nothing else.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from briefing.errors import BlockedAddressError, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]


# Ranges ipaddress does not flag consistently across Python versions.
_EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "192.0.0.0/24",
        "192.0.2.0/24",  # documentation
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "240.0.0.0/4",
        "64:ff9b::/96",  # NAT64: embeds an IPv4 address
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4: embeds an IPv4 address
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
    )
)
# Ranges an explicit ``allow_private`` still never reaches.
_NEVER = tuple(ipaddress.ip_network(n) for n in ("0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4"))


def blocked_reason(ip: IPAddress, allow_private: bool = False) -> str | None:
    """Why a fetch must not connect to ``ip``, or None when it may."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ip.teredo[1] if ip.teredo else None) or ip.sixtofour
        if embedded is not None:
            reason = blocked_reason(embedded, allow_private)
            return f"{reason} (inside IPv6 {ip})" if reason else None
        if ip in ipaddress.ip_network("64:ff9b::/96"):
            reason = blocked_reason(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), allow_private)
            return f"{reason} (inside NAT64 {ip})" if reason else None
    if ip.is_unspecified:
        return f"unspecified address {ip}"
    if ip.is_multicast:
        return f"multicast address {ip}"
    if any(ip in net for net in _NEVER if net.version == ip.version):
        return f"reserved address {ip}"
    if allow_private:
        return None
    for test, label in (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
    ):
        if test:
            return f"{label} address {ip}"
    if any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version):
        return f"non-public address {ip}"
    if not ip.is_global:
        return f"non-public address {ip}"
    return None


def ip_literal(host: str) -> IPAddress | None:
    """The address a host string spells, including legacy forms like ``127.1`` or ``0x7f000001``."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
        # inet_aton accepts what C resolvers accept: 2130706433, 0x7f000001, 0177.1, 127.1.
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def host_key(host: str) -> str:
    """A host name as politeness and same-host checks compare it."""
    return host.lower().rstrip(".").strip("[]")


def same_host(url: str, other: str) -> bool:
    """True when two http(s) URLs name the same host (ports aside)."""
    try:
        return host_key(httpx.URL(url).host) == host_key(httpx.URL(other).host)
    except (httpx.InvalidURL, TypeError):
        return False


@dataclass(frozen=True)
class Allowance:
    """The hosts that may resolve to private addresses: a source's own host, or none.

    It names hosts rather than switching the guard off, so a redirect (or a robots.txt
    redirect) from an allowed host to any other private host is still refused.
    ``everywhere`` is the global ``fetch.allow_private`` setting, for tests and labs.
    """

    hosts: frozenset[str] = frozenset()
    everywhere: bool = False

    @classmethod
    def of(cls, *hosts: str) -> Allowance:
        """The allowance for these host names (or URLs' hosts, already extracted)."""
        return cls(frozenset(host_key(h) for h in hosts if h))

    def covers(self, host: str) -> bool:
        """True when ``host`` may reach a private address."""
        return self.everywhere or host_key(host) in self.hosts

    def covers_url(self, url: str) -> bool:
        """True when the host of ``url`` may reach a private address."""
        try:
            return self.covers(httpx.URL(url).host)
        except (httpx.InvalidURL, TypeError):
            return False


NO_ALLOWANCE = Allowance()


def _is_localhost_name(host: str) -> bool:
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


# Said whenever a private address is refused: the one way to reach a host of your own.
ALLOW_HINT = (
    "; for a feed or page on your own network, follow it with"
    " `brief sources add URL --allow-private` (with --page for a single page), or set"
    " allow_private = true on its [[sources]] entry in brief.toml"
)


def check_url(url: str, allow_private: bool = False) -> httpx.URL:
    """Parse ``url`` and refuse schemes and literal hosts a fetch must never reach."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https"):
        raise BlockedAddressError(f"{url}: only http and https URLs are fetched")
    if not parsed.host:
        raise FetchError(f"{url}: the URL has no host")
    if not allow_private and _is_localhost_name(parsed.host):
        raise BlockedAddressError(
            f"{url}: refused to fetch loopback host {parsed.host}{ALLOW_HINT}"
        )
    literal = ip_literal(parsed.host)
    if literal is not None:
        reason = blocked_reason(literal, allow_private)
        if reason:
            raise BlockedAddressError(f"{url}: refused to fetch {reason}{ALLOW_HINT}")
    return parsed




async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for ``host``, in its order."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host}: {exc.strerror}") from None
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]), None)
    return list(seen)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, then connects to a checked address only."""

    def __init__(self, resolver: Resolver, allowance: Allowance) -> None:
        self._resolver = resolver
        self._allowance = allowance
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        # The allowance is checked here too, per host, so no pool can reach a private
        # host its source was not given, whatever path (redirect, robots.txt) led there.
        allow_private = self._allowance.covers(host)
        literal = ip_literal(host)
        if literal is None and not allow_private and _is_localhost_name(host):
            raise BlockedAddressError(f"refused to connect to loopback host {host}{ALLOW_HINT}")
        addresses = [str(literal)] if literal is not None else await self._resolver(host, port)
        if not addresses:
            raise FetchError(f"cannot resolve host {host}: no addresses")
        checked: list[str] = []
        for address in addresses:
            try:
                ip = ipaddress.ip_address(address.split("%", 1)[0])
            except ValueError:
                raise BlockedAddressError(f"host {host} resolved to {address!r}") from None
            reason = blocked_reason(ip, allow_private)
            if reason:
                # One bad answer poisons the lot: a mixed answer is how rebinding starts.
                raise BlockedAddressError(f"host {host} resolves to {reason}{ALLOW_HINT}")
            checked.append(str(ip))
        last: Exception | None = None
        for address in checked:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError(f"refused to connect to unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with its connection pool built on the guarded backend."""

    def __init__(self, resolver: Resolver, allowance: Allowance, max_connections: int) -> None:
        # Few idle connections: the pool checks every idle one on each request, and with
        # per-host delays most of them would only sit there for a second.
        limits = httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max(4, max_connections // 4),
            keepalive_expiry=5.0,
        )
        super().__init__(verify=True, trust_env=False, http2=True, limits=limits)
        # The pool is rebuilt rather than configured because httpx has no public hook for
        # the network backend; the arguments mirror what httpx passes.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=True, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=True,
            network_backend=GuardedBackend(resolver, allowance),
        )
