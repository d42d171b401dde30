"""A real SMTP server on 127.0.0.1 for the delivery tests (aiosmtpd in a thread).

It records every accepted message, can refuse chosen recipients with 550 or answer 451
a set number of times first, can drop the connection after accepting a message's data
but before the final reply, offers STARTTLS or implicit TLS with a certificate from a
throw-away CA made here with the ``openssl`` command, and can require AUTH.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass
class Received:
    """One message as the server accepted it."""

    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Recorder:
    """The handler: keeps what arrives, refuses or delays the recipients it is told to."""

    refuse: dict[str, str] = field(default_factory=dict)  # address -> "550 ..." reply
    temp_failures: dict[str, int] = field(default_factory=dict)  # address -> 451s left
    # Accept the message, then drop the connection before the final reply (this many times).
    drop_after_data: int = 0
    messages: list[Received] = field(default_factory=list)
    rcpt_attempts: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str,
        rcpt_options: list[str],
    ) -> str:
        with self.lock:
            self.rcpt_attempts.append(address)
            if address in self.refuse:
                return self.refuse[address]
            if self.temp_failures.get(address, 0) > 0:
                self.temp_failures[address] -= 1
                return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        with self.lock:
            self.messages.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), content)
            )
            if self.drop_after_data > 0:
                self.drop_after_data -= 1
                server.transport.abort()  # the message is queued; the client never hears
        return "250 Message accepted"

    def count_for(self, address: str) -> int:
        """How many accepted messages went to ``address``."""
        with self.lock:
            return sum(address in m.rcpt_tos for m in self.messages)


@dataclass
class Authenticator:
    """Checks one user and password; records every attempt the client made."""

    user: str
    password: str
    attempts: list[tuple[str, str]] = field(default_factory=list)

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        self.attempts.append((mechanism, login))
        ok = login == self.user and auth_data.password.decode() == self.password
        return AuthResult(success=ok, handled=False)


@dataclass(frozen=True)
class Certs:
    """A throw-away CA and a server certificate for 127.0.0.1 and localhost."""

    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """The server side TLS context."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.cert), str(self.key))
        return context


def make_certs(directory: Path) -> Certs:
    """Create a CA and a server certificate signed by it, with the openssl command."""
    ca_key, ca = directory / "ca.key", directory / "ca.pem"
    key, csr, cert = directory / "server.key", directory / "server.csr", directory / "server.pem"
    ext = directory / "server.ext"
    ext.write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "authorityKeyIdentifier=keyid,issuer\n"
        "subjectKeyIdentifier=hash\n"
    )

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out",
        str(ca), "-days", "2", "-subj", "/CN=brief test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
        "-subj", "/CN=localhost")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
        "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext))
    return Certs(ca=ca, cert=cert, key=key)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """A started server: where it listens and what it saw."""

    port: int
    recorder: Recorder
    authenticator: Authenticator | None


@contextmanager
def smtp_server(
    recorder: Recorder | None = None,
    *,
    mode: str = "plain",  # "plain", "starttls" or "ssl"
    certs: Certs | None = None,
    auth: tuple[str, str] | None = None,
    auth_require_tls: bool = True,
) -> Iterator[RunningServer]:
    """Run an aiosmtpd server on 127.0.0.1 for the duration of the block."""
    recorder = recorder or Recorder()
    authenticator = Authenticator(*auth) if auth else None
    kwargs: dict[str, Any] = {"server_hostname": "localhost"}
    if mode == "starttls":
        assert certs is not None
        kwargs.update(tls_context=certs.server_context(), require_starttls=True)
    elif mode == "ssl":
        assert certs is not None
        kwargs["ssl_context"] = certs.server_context()
    if authenticator is not None:
        kwargs.update(
            authenticator=authenticator, auth_required=True, auth_require_tls=auth_require_tls
        )
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield RunningServer(port=port, recorder=recorder, authenticator=authenticator)
    finally:
        controller.stop()
