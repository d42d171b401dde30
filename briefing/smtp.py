"""SMTP: the mail server's settings checked, one connection, one message per recipient.

Transient answers (4xx, dropped connections) are retried ``TRIES`` times per recipient;
a refusal is returned with the server's code and reason, never raised. A connection
lost after the whole message went out but before the server's final reply is neither:
the server may have queued it, so it is reported as *uncertain* and never retried.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import smtplib
import ssl
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from briefing.config import EmailSettings
from briefing.errors import ConfigError, DeliveryError
from briefing.message import clean_header

log = logging.getLogger(__name__)

TRIES = 3  # per recipient, for 4xx answers and dropped connections
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}


@dataclass(frozen=True)
class Refusal:
    """A recipient the server would not take, with its answer."""

    recipient: str
    code: int | None  # SMTP reply code; None when the connection failed
    reason: str
    uncertain: bool = False  # the message went out; the server's verdict never came



def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def smtp_password(settings: EmailSettings, env: Mapping[str, str] | None = None) -> str | None:
    """The SMTP password from the environment or the password file, read at send time."""
    env = os.environ if env is None else env
    if env.get(settings.password_env):
        return env[settings.password_env]
    if settings.password_file:
        path = Path(settings.password_file).expanduser()
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigError(f"cannot read email.password_file {path}: {exc}") from None
    return None


def smtp_target(
    settings: EmailSettings, env: Mapping[str, str] | None
) -> tuple[str, str | None]:
    """The host to reach and the password to use, or a ConfigError saying what is missing."""
    host = settings.host
    if not host:
        raise ConfigError("email.host is not set: set it in [email] or BRIEF_SMTP_HOST")
    if settings.security == "none" and not _is_loopback(host):
        raise ConfigError(
            f"email.security = 'none' is only allowed for a loopback host, not {host}: "
            "use 'starttls' or 'ssl'"
        )
    password = smtp_password(settings, env) if settings.username else None
    if settings.username and password is None:
        raise ConfigError(
            f"email.username is set but there is no password: set {settings.password_env} "
            "or email.password_file"
        )
    return host, password


def connect(settings: EmailSettings, env: Mapping[str, str] | None = None) -> smtplib.SMTP:
    """An SMTP session, encrypted and verified as configured, logged in when a user is set."""
    host, password = smtp_target(settings, env)
    port = settings.port or DEFAULT_PORTS[settings.security]
    # smtplib's own default context does not verify certificates; this one does.
    try:
        context = ssl.create_default_context(cafile=settings.ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load email.ca_file {settings.ca_file}: {exc}") from None
    where = f"{host}:{port}"
    try:
        smtp: smtplib.SMTP
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(host, port, timeout=settings.timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=settings.timeout)
        try:
            smtp.ehlo()
            if settings.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(
                        f"mail server {where} does not offer STARTTLS: refusing to send "
                        "credentials or mail in clear (check email.security and port)"
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.username and password is not None:
                if not smtp.has_extn("auth"):
                    raise DeliveryError(
                        f"mail server {where} does not offer AUTH: check email.port and "
                        "email.security, or unset email.username"
                    )
                smtp.login(settings.username, password)
        except BaseException:
            with suppress(OSError, smtplib.SMTPException):
                smtp.close()
            raise
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"mail server {where} rejected the login for {settings.username}: "
            f"{exc.smtp_code} {_reply(exc.smtp_error)}"
        ) from None
    except ssl.SSLError as exc:
        raise DeliveryError(
            f"TLS with {where} failed: {exc.reason or exc} (set email.ca_file for a private CA)"
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"cannot talk to mail server {where}: {exc}") from None
    return smtp


def _reply(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return clean_header(text, 300)


class Session:
    """One SMTP connection, reopened when the server drops it."""

    def __init__(self, settings: EmailSettings, env: Mapping[str, str] | None) -> None:
        self.settings = settings
        self.env = env
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = connect(self.settings, self.env)
        return self.smtp

    def drop(self) -> None:
        if self.smtp is not None:
            with suppress(OSError, smtplib.SMTPException):
                self.smtp.close()
        self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            with suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
        self.drop()


class _Unconfirmed(Exception):
    """The message body was sent; the connection failed before the final reply."""


_LEADING_DOT = re.compile(rb"(?m)^\.")


def transmit(smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> None:
    """MAIL, RCPT, DATA for one recipient, telling a lost final reply from other failures.

    smtplib's ``sendmail`` cannot say whether a dropped connection happened before or
    after the message went out, and a retry after would mail the message twice.
    """
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.docmd("data")
    if code != 354:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)
    body = _LEADING_DOT.sub(b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body + b".\r\n")
    try:
        code, reply = smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Unconfirmed(str(exc) or "connection closed") from None
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def _reset(smtp: smtplib.SMTP) -> None:
    with suppress(smtplib.SMTPException, OSError):
        smtp.rset()


def send_one(
    session: Session, sender: str, recipient: str, data: bytes, backoff: float
) -> Refusal | None:
    """Send to one recipient: 4xx and dropped connections retried, 5xx final."""
    code: int | None = None
    reason = ""
    for attempt in range(1, TRIES + 1):
        try:
            transmit(session.get(), sender, recipient, data)
            return None
        except _Unconfirmed as exc:
            session.drop()
            log.warning("%s: no reply after the message was sent (%s)", recipient, exc)
            return Refusal(
                recipient, None,
                f"delivery uncertain: the connection was lost after the message was sent ({exc})",
                uncertain=True,
            )
        except smtplib.SMTPRecipientsRefused as exc:
            code, raw = exc.recipients.get(recipient, (None, b"refused"))
            reason = _reply(raw)
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            code, reason = exc.smtp_code, _reply(exc.smtp_error)
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as exc:
            session.drop()
            code, reason = getattr(exc, "smtp_code", None), clean_header(str(exc), 300)
        if code == 421:  # the server is closing the connection: open a new one to retry
            session.drop()
        if code is not None and code >= 500:
            break
        if attempt < TRIES:
            delay = backoff * 2 ** (attempt - 1)
            log.info("%s: %s %s; retrying in %.1fs", recipient, code, reason, delay)
            time.sleep(delay)
    log.warning("not delivered to %s: %s %s", recipient, code, reason)
    return Refusal(recipient, code, reason)
