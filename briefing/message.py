"""The briefing as an email: subject, safe headers, HTML and text bodies, PDF attachment.

Everything that goes into a header passes through ``clean_header`` or ``check_address``,
so a title or a config value cannot start a new header line. The HTML body is rendered
with autoescaping and inline CSS; its only links are the briefing's http(s) sources.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefing.config import EmailSettings
from briefing.errors import ConfigError, DeliveryError
from briefing.models import DevelopmentSection, Sitrep
from briefing.render import briefing_context, count, render_template, template_env

log = logging.getLogger(__name__)

MAX_HTML_BYTES = 100_000


# ---------------------------------------------------------------- safe header values


UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def clean_header(value: str, limit: int = 200) -> str:
    """A single-line header value: control and line-separator characters become spaces."""
    text = UNSAFE_CHARS.sub(" ", value)
    # Any other line or paragraph separator (Unicode Zl, Zp) or control char (Cc).
    text = "".join(" " if unicodedata.category(ch) in ("Zl", "Zp", "Cc") else ch for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def make_subject(template: str, sitrep: Sitrep) -> str:
    """The subject line from the configured template, made safe for a header."""
    values = {
        "date": sitrep.date,
        "developments": len(sitrep.developments),
        "developments_text": count(len(sitrep.developments), "development"),
        "sources": len(sitrep.sources),
        "title": sitrep.title,
    }
    return format_subject(template, values)


def format_subject(template: str, values: Mapping[str, object]) -> str:
    """Fill the subject template; a bad template is a ConfigError naming the setting."""
    try:
        subject = template.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise ConfigError(
            f"bad setting 'email.subject' ({template!r}): {exc}; "
            "use {date}, {developments}, {developments_text}, {sources} or {title}"
        ) from None
    return clean_header(subject)


def check_address(value: str, key: str) -> tuple[str, str]:
    """A configured mail address as (header form, bare address); raises ConfigError."""
    if UNSAFE_CHARS.search(value):
        raise ConfigError(f"bad setting '{key}': {value!r} contains a line break or control char")
    name, addr = parseaddr(value.strip())
    local, _, domain = addr.rpartition("@")
    if not local or not domain or re.search(r"[\s<>,;\"()\[\]\\]", addr):
        raise ConfigError(f"bad setting '{key}': {value!r} is not a mail address")
    try:
        # Address quotes a display name such as "Brief, Inc." so it stays one address.
        header_form = str(Address(display_name=clean_header(name), addr_spec=addr))
    except (ValueError, IndexError, HeaderParseError):
        raise ConfigError(f"bad setting '{key}': {value!r} is not a mail address") from None
    return header_form, addr


def list_unsubscribe_header(value: str) -> str:
    if UNSAFE_CHARS.search(value) or any(ch.isspace() for ch in value):
        raise ConfigError("bad setting 'email.list_unsubscribe': it must be one mailto: or URL")
    scheme = urlsplit(value.strip("<>")).scheme.lower()
    if scheme not in ("mailto", "https", "http"):
        raise ConfigError("bad setting 'email.list_unsubscribe': use a mailto: or https: URL")
    return f"<{value.strip('<>')}>"


# ---------------------------------------------------------------- bodies


@dataclass(frozen=True)
class Bodies:
    """The two renderings of one briefing, shared by every recipient."""

    html: str
    text: str
    omitted: int  # developments left out of the body to keep it under the size cap


def render_bodies(sitrep: Sitrep, templates_dir: Path | None, pdf_name: str | None) -> Bodies:
    """Render the HTML and text bodies; drop developments until the HTML fits 100 KB."""
    env = template_env(templates_dir)
    # Escaping and whitespace are decided here, not by the shared environment's settings.
    blocks: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True}
    html_env = env.overlay(autoescape=True, **blocks)
    text_env = env.overlay(autoescape=False, **blocks)

    def render(shown: list[DevelopmentSection]) -> tuple[str, str]:
        # The same context as the Markdown, HTML and PDF briefing: one voice everywhere.
        ctx = briefing_context(sitrep, developments=shown, pdf_name=pdf_name)
        return (render_template(html_env, "email.html.j2", ctx),
                render_template(text_env, "email.txt.j2", ctx))

    kept = len(sitrep.developments)
    html, text = render(sitrep.developments)
    while len(html.encode()) > MAX_HTML_BYTES and kept > 0:
        kept //= 2
        html, text = render(sitrep.developments[:kept])
    if len(html.encode()) > MAX_HTML_BYTES:
        log.warning("the email body for %s is %d bytes even without developments",
                    sitrep.date, len(html.encode()))
    return Bodies(html=html, text=text, omitted=len(sitrep.developments) - kept)


def build_message(
    settings: EmailSettings, sitrep: Sitrep, recipient: str, bodies: Bodies,
    pdf: bytes | None, now: datetime | None = None,
) -> EmailMessage:
    """One recipient's message: headers, text, HTML and the PDF attachment."""
    sender, sender_addr = check_address(settings.from_ or "", "email.from")
    to, to_addr = check_address(recipient, "email.to")
    now = now or datetime.now(UTC)
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = make_subject(settings.subject, sitrep)
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = briefing_message_id(sitrep.date, to_addr, sender_addr)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    if settings.list_unsubscribe:
        msg["List-Unsubscribe"] = list_unsubscribe_header(settings.list_unsubscribe)
    msg.set_content(bodies.text, cte="quoted-printable")
    msg.add_alternative(bodies.html, subtype="html", cte="quoted-printable")
    if pdf is not None:
        msg.add_attachment(
            pdf, maintype="application", subtype="pdf", filename=pdf_filename(sitrep)
        )
    return msg


def briefing_message_id(briefing_date: str, recipient: str, sender: str) -> str:
    """The one Message-ID of a day's briefing to a recipient, the same on every copy.

    A copy re-sent after an unconfirmed delivery is then recognised as a duplicate by
    mail servers and clients instead of arriving as a new message.
    """
    day = checked_date(briefing_date)
    digest = hashlib.sha256(f"{day}\n{recipient.lower()}\n{sender.lower()}".encode()).hexdigest()
    return f"<brief.{day}.{digest[:16]}@{sender.rpartition('@')[2]}>"


def message_id(prefix: str, sender: str) -> str:
    # Short enough never to be folded (a folded Message-ID confuses some clients).
    return f"<{prefix}.{secrets.token_hex(8)}@{sender.rpartition('@')[2]}>"


def pdf_filename(sitrep: Sitrep) -> str:
    """The attachment's name, built from the checked date only."""
    return f"sitrep-{checked_date(sitrep.date)}.pdf"


def checked_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise DeliveryError(f"briefing date {value!r} is not YYYY-MM-DD") from None


def build_notice(settings: EmailSettings, subject: str, body: str) -> EmailMessage:
    """A short plain-text failure notice for ``email.operator``."""
    operator, _ = check_address(settings.operator or "", "email.operator")
    sender, sender_addr = check_address(settings.from_ or "", "email.from")
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = clean_header(subject)
    msg["From"] = sender
    msg["To"] = operator
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = message_id("brief.failure", sender_addr)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body + "\n")
    return msg
