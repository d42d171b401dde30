"""Delivery: mail the day's briefing to each recipient exactly once.

Each recipient gets their own message (HTML body with inline CSS, a plain-text
alternative and the PDF attached byte for byte). A sent-log table in the article store's
SQLite file (``synchronous=FULL``) remembers who got which day's briefing, and a lock
file beside it serialises overlapping runs, so two cron jobs send one copy and a re-run
after a crash sends only to those not yet served. The one window left is the instant
between the server's ``250`` and the sent-log commit: a crash exactly there re-sends to
that one recipient.

Exit codes (``DeliveryReport.exit_code``, used by ``brief today --email`` and ``brief send``):

    0  sent to everyone, or nothing to send because everyone already had it
    1  nothing produced: no briefing for the day (the CLI maps NothingToReportError)
    2  partly delivered: some recipients got it, some were refused
    3  delivery failed entirely: nobody got it (connection, TLS, AUTH or all refused)
"""

from __future__ import annotations

import fcntl
import ipaddress
import logging
import os
import re
import smtplib
import sqlite3
import ssl
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from pathlib import Path

from briefing.config import EmailSettings, Settings
from briefing.errors import ConfigError, DeliveryError, NothingToReportError
from briefing.message import (
    Bodies,
    build_message,
    build_notice,
    check_address,
    checked_date,
    clean_header,
    format_subject,
    list_unsubscribe_header,
    pdf_filename,
    render_bodies,
)
from briefing.migrations import connect as open_database
from briefing.models import Sitrep

log = logging.getLogger(__name__)

TRIES = 3  # per recipient, for 4xx answers and dropped connections
LOCK_TIMEOUT = 600.0  # seconds a run waits for an overlapping run to finish
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}

class ExitCode(IntEnum):
    """Process exit status for cron: see the module docstring."""

    OK = 0
    NOTHING_PRODUCED = 1
    PARTLY_DELIVERED = 2
    DELIVERY_FAILED = 3


@dataclass(frozen=True)
class Refusal:
    """A recipient the server would not take, with its answer."""

    recipient: str
    code: int | None  # SMTP reply code; None when the connection failed
    reason: str


@dataclass
class DeliveryReport:
    """What one delivery run did, recipient by recipient."""

    date: str
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # dry run: the .eml files
    error: str | None = None  # a failure that stopped the run (connection, TLS, AUTH)
    operator_notified: bool = False

    @property
    def exit_code(self) -> ExitCode:
        """0 all delivered, 2 partly delivered, 3 nobody got it."""
        if not self.refused and self.error is None:
            return ExitCode.OK
        if self.sent or self.already_sent:
            return ExitCode.PARTLY_DELIVERED
        return ExitCode.DELIVERY_FAILED

    def summary(self) -> str:
        """One line for the terminal or a log."""
        if self.written:
            return f"wrote {len(self.written)} message(s) for {self.date} (dry run, nothing sent)"
        parts = [f"briefing {self.date}: sent to {len(self.sent)}"]
        if self.already_sent:
            parts.append(f"already sent to {len(self.already_sent)}")
        if self.refused:
            why = "; ".join(f"{r.recipient}: {r.code or '-'} {r.reason}" for r in self.refused)
            parts.append(f"not delivered to {len(self.refused)} ({why})")
        if self.error:
            parts.append(f"error: {self.error}")
        return ", ".join(parts)


# ---------------------------------------------------------------- sent log and lock


def sent_log_path(settings: Settings) -> Path:
    """The SQLite file holding the sent-log: the article store's own file."""
    if str(settings.db_path) == ":memory:":
        raise ConfigError("db_path is ':memory:': delivery needs a file to remember what it sent")
    return Path(settings.db_path)


class SentLog:
    """Who got which day's briefing; every write is committed with synchronous=FULL."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            # synchronous=FULL: a recorded send survives power loss.
            self.db = open_database(path, synchronous="FULL")
        except (sqlite3.Error, OSError) as exc:
            raise DeliveryError(f"cannot open the sent-log in {path}: {exc}") from None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def was_sent(self, briefing_date: str, recipient: str) -> bool:
        """True when this recipient already got this day's briefing."""
        row = self.db.execute(
            "SELECT 1 FROM sent_log WHERE briefing_date = ? AND recipient = ?",
            (briefing_date, recipient.lower()),
        ).fetchone()
        return row is not None

    def record(self, briefing_date: str, recipient: str, message_id: str) -> None:
        """Remember a delivered message (a forced re-send counts up ``times``)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT INTO sent_log (briefing_date, recipient, message_id, sent_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(briefing_date, recipient) DO UPDATE SET"
                " message_id = excluded.message_id, sent_at = excluded.sent_at,"
                " times = times + 1",
                (briefing_date, recipient.lower(), message_id, datetime.now(UTC).isoformat()),
            )
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            with suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise DeliveryError(f"cannot write the sent-log in {self.path}: {exc}") from None


@contextmanager
def send_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` so overlapping runs take turns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DeliveryError(
                        f"another brief run holds {path} for over {timeout:.0f}s; "
                        "check for a stuck process"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# ---------------------------------------------------------------- SMTP


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


def check_email_settings(
    settings: Settings, *, dry_run: bool = False, env: Mapping[str, str] | None = None
) -> None:
    """Fail fast on a bad [email] section, before a run produces anything."""
    email = settings.email
    _recipients(email.to)
    check_address(email.from_ or "", "email.from")
    format_subject(email.subject, {"date": "2026-01-01", "developments": 0,
                                    "developments_text": "0 developments", "sources": 0,
                                    "title": ""})
    if email.list_unsubscribe:
        list_unsubscribe_header(email.list_unsubscribe)
    if dry_run:
        return
    if email.operator:
        check_address(email.operator, "email.operator")
    sent_log_path(settings)
    _smtp_target(email, env)


def _smtp_target(
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
    host, password = _smtp_target(settings, env)
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


class _Session:
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


def _send_one(
    session: _Session, sender: str, recipient: str, data: bytes, backoff: float
) -> Refusal | None:
    """Send to one recipient: 4xx and dropped connections retried, 5xx final."""
    code: int | None = None
    reason = ""
    for attempt in range(1, TRIES + 1):
        try:
            session.get().sendmail(sender, [recipient], data)
            return None
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


# ---------------------------------------------------------------- the delivery run


def deliver_briefing(
    settings: Settings,
    sitrep: Sitrep,
    paths: Mapping[str, Path],
    *,
    force: bool = False,
    to_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    backoff: float = 2.0,
    after_send: Callable[[str], None] | None = None,
) -> DeliveryReport:
    """Mail the briefing to every recipient not yet served today (or write .eml files)."""
    email = settings.email
    recipients = _recipients(email.to)
    check_address(email.from_ or "", "email.from")
    pdf_path = paths.get("pdf")
    pdf = _read_pdf(pdf_path) if pdf_path else None
    bodies = render_bodies(sitrep, settings.templates_dir, pdf_filename(sitrep) if pdf else None)
    report = DeliveryReport(date=checked_date(sitrep.date))
    if to_dir is not None:
        report.written = write_eml(email, sitrep, recipients, bodies, pdf, Path(to_dir))
        return report
    db = sent_log_path(settings)
    with send_lock(db.with_name(db.name + ".send-lock")):
        sent_log = SentLog(db)
        try:
            _deliver(email, sitrep, recipients, bodies, pdf, sent_log, report,
                     force=force, env=env, backoff=backoff, after_send=after_send)
        finally:
            sent_log.close()
    if report.exit_code != ExitCode.OK and email.operator:
        report.operator_notified = notify_operator(
            settings, f"brief: delivery of {report.date} incomplete", report.summary(), env=env
        )
    return report


def _deliver(
    email: EmailSettings, sitrep: Sitrep, recipients: Sequence[str], bodies: Bodies,
    pdf: bytes | None, sent_log: SentLog, report: DeliveryReport, *, force: bool,
    env: Mapping[str, str] | None, backoff: float, after_send: Callable[[str], None] | None,
) -> None:
    pending = []
    for header_form in recipients:
        addr = check_address(header_form, "email.to")[1]
        if not force and sent_log.was_sent(report.date, addr):
            report.already_sent.append(addr)
        else:
            pending.append((header_form, addr))
    if not pending:
        log.info("briefing %s already sent to every recipient", report.date)
        return
    _, sender = check_address(email.from_ or "", "email.from")
    session = _Session(email, env)
    try:
        for index, (header_form, addr) in enumerate(pending):
            msg = build_message(email, sitrep, header_form, bodies, pdf)
            try:
                refusal = _send_one(session, sender, addr, msg.as_bytes(), backoff)
            except DeliveryError as exc:  # could not (re)connect: nobody else will get it
                report.error = str(exc)
                report.refused.extend(Refusal(a, None, str(exc)) for _, a in pending[index:])
                return
            if refusal is not None:
                report.refused.append(refusal)
                continue
            sent_log.record(report.date, addr, str(msg["Message-ID"]))
            report.sent.append(addr)
            log.info("sent briefing %s to %s", report.date, addr)
            if after_send is not None:
                after_send(addr)
    finally:
        session.close()


def _recipients(configured: Sequence[str]) -> list[str]:
    if not configured:
        raise ConfigError("email.to is empty: set [email] to = [...] or BRIEF_EMAIL_TO")
    seen: dict[str, str] = {}
    for value in configured:
        if value.strip():
            header_form, addr = check_address(value, "email.to")
            seen.setdefault(addr.lower(), header_form)
    if not seen:
        raise ConfigError("email.to is empty: set [email] to = [...] or BRIEF_EMAIL_TO")
    return list(seen.values())


def _read_pdf(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DeliveryError(f"cannot read the PDF to attach {path}: {exc}") from None


def write_eml(
    email: EmailSettings, sitrep: Sitrep, recipients: Sequence[str], bodies: Bodies,
    pdf: bytes | None, out_dir: Path,
) -> list[Path]:
    """Dry run: one .eml file per recipient in ``out_dir``, nothing sent or recorded."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create {out_dir} for --email-to-file: {exc}") from None
    written = []
    for number, recipient in enumerate(recipients, 1):
        addr = check_address(recipient, "email.to")[1]
        name = re.sub(r"[^A-Za-z0-9._@-]", "_", addr)
        path = out_dir / f"{checked_date(sitrep.date)}-{number:02d}-{name}.eml"
        path.write_bytes(build_message(email, sitrep, recipient, bodies, pdf).as_bytes())
        written.append(path)
    return written


def notify_operator(
    settings: Settings, subject: str, body: str, env: Mapping[str, str] | None = None
) -> bool:
    """Mail a short failure notice to ``email.operator``; True when it went out."""
    email = settings.email
    if not email.operator:
        return False
    try:
        _, operator = check_address(email.operator, "email.operator")
        _, sender = check_address(email.from_ or "", "email.from")
        msg = build_notice(email, subject, body)
        smtp = connect(email, env)
        try:
            smtp.sendmail(sender, [operator], msg.as_bytes())
        finally:
            with suppress(OSError, smtplib.SMTPException):
                smtp.quit()
    except (ConfigError, DeliveryError, OSError, smtplib.SMTPException) as exc:
        log.error("could not send the failure notice to %s: %s", email.operator, exc)
        return False
    return True


# ---------------------------------------------------------------- brief send DATE


def find_briefing(out_dir: Path, briefing_date: str) -> tuple[Sitrep, dict[str, Path]]:
    """The rendered briefing for a date: its Sitrep (from the JSON) and output paths."""
    day = checked_date(briefing_date)
    candidates = sorted(
        p for p in Path(out_dir).rglob(f"*{day}*.json") if p.is_file()
    ) if Path(out_dir).is_dir() else []
    for json_path in candidates:
        try:
            sitrep = Sitrep.model_validate_json(json_path.read_bytes())
        except (OSError, ValueError):
            continue
        if sitrep.date != day:
            continue
        paths = {"json": json_path}
        for fmt in ("pdf", "html", "md"):
            if json_path.with_suffix(f".{fmt}").is_file():
                paths[fmt] = json_path.with_suffix(f".{fmt}")
        return sitrep, paths
    raise NothingToReportError(
        f"no briefing for {day} in {out_dir}: run `brief today` first (or check out_dir)"
    )


def send_existing(
    settings: Settings, briefing_date: str, *, force: bool = False,
    to_dir: Path | None = None, env: Mapping[str, str] | None = None,
) -> DeliveryReport:
    """`brief send DATE`: mail an already rendered briefing."""
    sitrep, paths = find_briefing(settings.out_dir, briefing_date)
    return deliver_briefing(settings, sitrep, paths, force=force, to_dir=to_dir, env=env)
