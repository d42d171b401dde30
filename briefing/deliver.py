"""Delivery: mail the day's briefing to each recipient exactly once.

Each recipient gets their own message (HTML body with inline CSS, a plain-text
alternative and the PDF attached byte for byte). A sent-log table in the article store's
SQLite file (``synchronous=FULL``) remembers who got which day's briefing, and a lock
file beside it serialises overlapping runs, so two cron jobs send one copy and a re-run
after a crash sends only to those not yet served. The one window left is the instant
between the server's ``250`` and the sent-log commit: a crash exactly there re-sends to
that one recipient.

The sent-log and its lock are in sentlog.py, the SMTP session in smtp.py.

Exit codes (``DeliveryReport.exit_code``, on the scale of delivery_status.py; used by ``brief today --email`` and ``brief send``):

    0  sent to everyone, or nothing to send because everyone already had it
    1  nothing produced: no briefing for the day (the CLI maps NothingToReportError)
    2  partly delivered: some recipients got it, some were refused
    3  delivery failed entirely: nobody got it (connection, TLS, AUTH or all refused)
    5  delivery uncertain: a message went out but the server's final reply never came;
       it is logged 'uncertain' and not re-sent without ``--force`` (same Message-ID)
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from briefing.config import EmailSettings, Settings
from briefing.delivery_status import ChannelReport, ExitCode, write_dry_run
from briefing.errors import ConfigError, DeliveryError, NothingToReportError
from briefing.message import (
    Bodies,
    build_message,
    build_notice,
    check_address,
    checked_date,
    format_subject,
    list_unsubscribe_header,
    pdf_filename,
    render_bodies,
)
from briefing.models import Sitrep
from briefing.sentlog import SentLog, send_lock, sent_log_path
from briefing.smtp import (
    Refusal,
    Session,
    connect,
    send_one,
    smtp_target,
)

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport(ChannelReport):
    """What one delivery run did, recipient by recipient."""

    refused: list[Refusal] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # sent, final reply never came
    error: str | None = None  # a failure that stopped the run (connection, TLS, AUTH)
    operator_notified: bool = False

    @property
    def exit_code(self) -> ExitCode:
        """0 all delivered, 2 partly delivered, 3 nobody got it, 5 delivery uncertain."""
        return self.status(failed=bool(self.refused or self.error), uncertain=bool(self.uncertain))

    def summary(self) -> str:
        """One line for the terminal or a log."""
        if self.written:
            return f"wrote {len(self.written)} message(s) for {self.date} (dry run, nothing sent)"
        parts = [f"briefing {self.date}: sent to {len(self.sent)}"]
        if self.already_sent:
            parts.append(f"already sent to {len(self.already_sent)}")
        if self.uncertain:
            parts.append(
                f"delivery uncertain for {', '.join(self.uncertain)} (the server never"
                " confirmed; logged as uncertain, not re-sent: check that mailbox, then"
                " use --force only if it did not arrive)"
            )
        if self.refused:
            why = "; ".join(f"{r.recipient}: {r.code or '-'} {r.reason}" for r in self.refused)
            parts.append(f"not delivered to {len(self.refused)} ({why})")
        if self.error:
            parts.append(f"error: {self.error}")
        return ", ".join(parts)


# ---------------------------------------------------------------- the delivery run


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
    smtp_target(email, env)


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
    session = Session(email, env)
    try:
        for index, (header_form, addr) in enumerate(pending):
            msg = build_message(email, sitrep, header_form, bodies, pdf)
            try:
                refusal = send_one(session, sender, addr, msg.as_bytes(), backoff)
            except DeliveryError as exc:  # could not (re)connect: nobody else will get it
                report.error = str(exc)
                report.refused.extend(Refusal(a, None, str(exc)) for _, a in pending[index:])
                return
            if refusal is not None and refusal.uncertain:
                sent_log.record(report.date, addr, str(msg["Message-ID"]), status="uncertain")
                report.uncertain.append(addr)
                continue
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
    return write_dry_run(out_dir, "--email-to-file", checked_date(sitrep.date), (
        (check_address(recipient, "email.to")[1], "eml",
         build_message(email, sitrep, recipient, bodies, pdf).as_bytes())
        for recipient in recipients
    ))


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
