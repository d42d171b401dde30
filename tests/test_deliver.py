"""Delivery against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import shutil
import threading
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from smtp_server import Certs, Recorder, RunningServer, make_certs, smtp_server

from briefing.config import EmailSettings, Settings
from briefing.deliver import (
    ExitCode,
    check_email_settings,
    deliver_briefing,
    find_briefing,
    send_existing,
)
from briefing.errors import ConfigError, NothingToReportError
from briefing.message import MAX_HTML_BYTES, clean_header, make_subject
from briefing.models import (
    CitedText,
    Coverage,
    DevelopmentSection,
    FigureEntry,
    Sitrep,
    SourceEntry,
)

# pytest-recording's --block-network reads --allowed-hosts, not pytest-socket's --allow-hosts:
# allow the loopback server explicitly (regexes, anchored at the start).
pytestmark = [
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"localhost$", r"::1$"]),
    # Two tests offer AUTH without STARTTLS on purpose; aiosmtpd warns about it.
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]

ALICE, BOB, CAROL = "alice@example.org", "bob@example.org", "carol@example.org"
FAST = 0.01  # retry backoff in tests, seconds


def make_sitrep(title: str = "Situation Report", developments: int = 2) -> Sitrep:
    """A small but complete briefing, built directly (no pipeline)."""
    at = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    sources = [
        SourceEntry(number=1, article_id="a1", title="Floods hit the river valley",
                    site="example.org", url="https://example.org/news/floods?id=1&x=2",
                    published_at=at),
        SourceEntry(number=2, article_id="a2", title="Ministry statement", site="gov.example",
                    url="http://gov.example/statement"),
        SourceEntry(number=3, article_id="a3", title="Notes from the inbox", file="notes.md",
                    undated=True),
    ]
    sections = [
        DevelopmentSection(
            headline=CitedText(text=f"Development {i}: rivers rose overnight", sources=[1]),
            points=[
                CitedText(text="At least 27 people were evacuated.", sources=[1, 2]),
                CitedText(text="Roads remain closed.", sources=[3], verified=False),
            ],
            conflicts=[CitedText(text="Officials and residents differ on timing.",
                                 sources=[1, 2])],
            sources=[1, 2, 3],
        )
        for i in range(1, developments + 1)
    ]
    return Sitrep(
        title=title, date="2026-11-24", period_start=at.replace(day=23), period_end=at,
        generated_at=at, backend="extractive",
        takeaways=[CitedText(text="Flooding is the main story of the day.", sources=[1])],
        developments=sections,
        key_figures=[FigureEntry(value="at least 27", context="At least 27 people were "
                                 "evacuated.", sources=[1])],
        sources=sources,
        coverage=Coverage(articles_read=5, articles_used=3, duplicates_merged=1),
    )


@pytest.fixture(scope="session")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny real PDF rendered by weasyprint."""
    from weasyprint import HTML

    path = tmp_path_factory.mktemp("pdf") / "sitrep-2026-11-24.pdf"
    HTML(string="<h1>Situation Report</h1><p>Rivers rose overnight.</p>").write_pdf(path)
    return path


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make test certificates")
    return make_certs(tmp_path_factory.mktemp("certs"))


def settings_for(tmp_path: Path, port: int | None = None, **mail: Any) -> Settings:
    values: dict[str, Any] = {
        "to": [ALICE], "from": "Brief <brief@example.org>", "host": "127.0.0.1",
        "port": port, "security": "none", "timeout": 10.0,
    }
    values.update(mail)
    return Settings(db_path=tmp_path / "brief.db", out_dir=tmp_path / "briefings",
                    email=EmailSettings.model_validate(values))


def deliver(settings: Settings, pdf: Path, sitrep: Sitrep | None = None, **kw: Any) -> Any:
    kw.setdefault("backoff", FAST)
    kw.setdefault("env", {})
    return deliver_briefing(settings, sitrep or make_sitrep(), {"pdf": pdf}, **kw)


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


@pytest.fixture
def server() -> Any:
    with smtp_server() as running:
        yield running


# ---------------------------------------------------------------- the message


def test_received_message_has_text_html_and_identical_pdf(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    report = deliver(settings_for(tmp_path, server.port), pdf_file)

    assert report.exit_code == ExitCode.OK and report.sent == [ALICE]
    [received] = server.recorder.messages
    assert received.rcpt_tos == [ALICE]
    msg = parse(received.content)
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    assert "Development 1: rivers rose overnight [1]" in text.get_content()
    assert "At least 27 people were evacuated. [1][2]" in text.get_content()
    assert "https://example.org/news/floods?id=1&x=2" in text.get_content()
    assert "(unverified)" in text.get_content()
    assert "rivers rose overnight" in html.get_content()
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "sitrep-2026-11-24.pdf"
    assert attachment.get_content() == pdf_file.read_bytes()


def test_headers_are_set(tmp_path: Path, pdf_file: Path, server: RunningServer) -> None:
    settings = settings_for(tmp_path, server.port,
                            list_unsubscribe="mailto:brief-off@example.org")
    deliver(settings, pdf_file)

    msg = parse(server.recorder.messages[0].content)
    assert msg["Subject"] == "SITREP 2026-11-24 — 2 developments"
    assert msg["From"] == "Brief <brief@example.org>"
    assert msg["To"] == ALICE
    assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@example.org>")
    assert msg["Date"].datetime.tzinfo is not None
    assert msg["List-Unsubscribe"] == "<mailto:brief-off@example.org>"
    assert msg["Auto-Submitted"] == "auto-generated"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_has_no_script_no_remote_image_and_only_source_links(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    sitrep = make_sitrep()
    hostile = '<script>alert(1)</script><img src="https://evil.example/p.png"><a href="https://evil.example">x</a>'
    sitrep.developments[0].points[0].text = hostile
    sitrep.sources[0].title = hostile
    sitrep.sources.append(SourceEntry(number=4, article_id="a4", title="Bad link",
                                      url="javascript:alert(1)"))
    deliver(settings_for(tmp_path, server.port), pdf_file, sitrep)

    html = parse(server.recorder.messages[0].content).get_body(("html",))
    assert html is not None
    parser = _Tags()
    parser.feed(html.get_content())
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names and "img" not in names and "style" not in names
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    hrefs = {attrs.get("href") for tag, attrs in parser.tags if tag == "a"}
    # Citations point at the numbered entries of the email itself; those link out.
    anchors = {h for h in hrefs if h and h.startswith("#source-")}
    ids = {attrs.get("id") for _, attrs in parser.tags}
    assert anchors and {a[1:] for a in anchors} <= ids
    assert hrefs - anchors == {
        "https://example.org/news/floods?id=1&x=2", "http://gov.example/statement"}
    assert "&lt;script&gt;" in html.get_content()


def test_html_body_stays_under_100_kb(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    sitrep = make_sitrep(developments=400)
    deliver(settings_for(tmp_path, server.port), pdf_file, sitrep)

    msg = parse(server.recorder.messages[0].content)
    html, text = msg.get_body(("html",)), msg.get_body(("plain",))
    assert html is not None and text is not None
    assert len(html.get_content().encode()) < MAX_HTML_BYTES
    assert "did not fit in this email: see the attached PDF" in html.get_content()
    assert "did not fit in this email" in text.get_content()


# ---------------------------------------------------------------- header injection


@pytest.mark.parametrize(
    "title",
    [
        "Report\r\nBcc: victim@evil.example",
        "Report\nBcc: victim@evil.example",
        "Report\u2028Bcc: victim@evil.example",
        "Report\u2029\x85\x00\tBcc: victim@evil.example",
    ],
)
def test_title_cannot_inject_headers(
    tmp_path: Path, pdf_file: Path, server: RunningServer, title: str
) -> None:
    settings = settings_for(tmp_path, server.port, subject="{title} {date}")
    deliver(settings, pdf_file, make_sitrep(title=title))

    [received] = server.recorder.messages
    assert received.rcpt_tos == [ALICE]
    msg = parse(received.content)
    assert msg["Bcc"] is None
    assert msg["Subject"] == "Report Bcc: victim@evil.example 2026-11-24"
    raw_headers = received.content.split(b"\r\n\r\n", 1)[0]
    assert not any(line.lower().startswith(b"bcc") for line in raw_headers.split(b"\r\n"))


@pytest.mark.parametrize("value", ["\u2028\r\n", "a\u2028b", "x\x85y", "  spaced\t out  "])
def test_clean_header_leaves_one_line(value: str) -> None:
    cleaned = clean_header(value)
    assert not any(ch in cleaned for ch in "\r\n\u2028\u2029\x85\t")
    assert cleaned == cleaned.strip()


def test_bad_subject_template_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"email\.subject"):
        make_subject("SITREP {nope}", make_sitrep())


@pytest.mark.parametrize(
    "field,value",
    [("to", ["alice@example.org\r\nBcc: victim@evil.example"]),
     ("to", ["not an address"]),
     ("from", "brief@example.org\nBcc: victim@evil.example")],
)
def test_injected_addresses_are_refused_before_sending(
    tmp_path: Path, pdf_file: Path, server: RunningServer, field: str, value: Any
) -> None:
    with pytest.raises(ConfigError, match=f"email.{field}"):
        deliver(settings_for(tmp_path, server.port, **{field: value}), pdf_file)
    assert server.recorder.messages == []


# ---------------------------------------------------------------- TLS and AUTH


def test_starttls_and_auth_success(tmp_path: Path, pdf_file: Path, certs: Certs) -> None:
    with smtp_server(mode="starttls", certs=certs, auth=("brief", "s3cret")) as srv:
        settings = settings_for(tmp_path, srv.port, security="starttls", username="brief",
                                ca_file=str(certs.ca))
        report = deliver(settings, pdf_file, env={"BRIEF_SMTP_PASSWORD": "s3cret"})

    assert report.exit_code == ExitCode.OK
    assert srv.authenticator is not None and [u for _, u in srv.authenticator.attempts] == [
        "brief"
    ]
    assert srv.recorder.count_for(ALICE) == 1


def test_auth_failure_sends_nothing(tmp_path: Path, pdf_file: Path, certs: Certs) -> None:
    with smtp_server(mode="starttls", certs=certs, auth=("brief", "s3cret")) as srv:
        settings = settings_for(tmp_path, srv.port, security="starttls", username="brief",
                                ca_file=str(certs.ca))
        report = deliver(settings, pdf_file, env={"BRIEF_SMTP_PASSWORD": "wrong"})

    assert report.exit_code == ExitCode.DELIVERY_FAILED
    assert report.error is not None and "rejected the login for brief" in report.error
    assert [r.recipient for r in report.refused] == [ALICE]
    assert srv.recorder.messages == []


def test_password_from_file(tmp_path: Path, pdf_file: Path, certs: Certs) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret\n")
    with smtp_server(mode="starttls", certs=certs, auth=("brief", "s3cret")) as srv:
        settings = settings_for(tmp_path, srv.port, security="starttls", username="brief",
                                ca_file=str(certs.ca), password_file=str(secret))
        report = deliver(settings, pdf_file)
    assert report.sent == [ALICE]


def test_username_without_password_is_a_config_error(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    with pytest.raises(ConfigError, match="BRIEF_SMTP_PASSWORD"):
        deliver(settings_for(tmp_path, server.port, username="brief"), pdf_file)


def test_starttls_absent_means_no_credentials_in_clear(
    tmp_path: Path, pdf_file: Path
) -> None:
    # The server offers AUTH without TLS: a client that fell back would log in in clear.
    with smtp_server(auth=("brief", "s3cret"), auth_require_tls=False) as srv:
        settings = settings_for(tmp_path, srv.port, security="starttls", username="brief")
        report = deliver(settings, pdf_file, env={"BRIEF_SMTP_PASSWORD": "s3cret"})

    assert report.exit_code == ExitCode.DELIVERY_FAILED
    assert report.error is not None and "does not offer STARTTLS" in report.error
    assert srv.authenticator is not None and srv.authenticator.attempts == []
    assert srv.recorder.messages == []


def test_certificate_is_verified(tmp_path: Path, pdf_file: Path, certs: Certs) -> None:
    with smtp_server(mode="starttls", certs=certs) as srv:
        settings = settings_for(tmp_path, srv.port, security="starttls")  # no ca_file
        report = deliver(settings, pdf_file)

    assert report.exit_code == ExitCode.DELIVERY_FAILED
    assert report.error is not None and "CERTIFICATE_VERIFY_FAILED" in report.error
    assert srv.recorder.messages == []


def test_implicit_tls(tmp_path: Path, pdf_file: Path, certs: Certs) -> None:
    # aiosmtpd counts only STARTTLS as TLS for its AUTH rule; this session is TLS throughout.
    with smtp_server(mode="ssl", certs=certs, auth=("brief", "s3cret"),
                     auth_require_tls=False) as srv:
        settings = settings_for(tmp_path, srv.port, security="ssl", username="brief",
                                ca_file=str(certs.ca))
        report = deliver(settings, pdf_file, env={"BRIEF_SMTP_PASSWORD": "s3cret"})
    assert report.sent == [ALICE] and srv.recorder.count_for(ALICE) == 1


def test_no_encryption_only_for_loopback(tmp_path: Path, pdf_file: Path) -> None:
    settings = settings_for(tmp_path, 2525, host="mail.example.org", security="none")
    with pytest.raises(ConfigError, match="loopback"):
        deliver(settings, pdf_file)


# ---------------------------------------------------------------- recipients


def test_one_refused_recipient_does_not_stop_the_others(
    tmp_path: Path, pdf_file: Path
) -> None:
    recorder = Recorder(refuse={BOB: "550 5.1.1 no such user"})
    with smtp_server(recorder) as srv:
        settings = settings_for(tmp_path, srv.port, to=[ALICE, BOB, CAROL])
        report = deliver(settings, pdf_file)

    assert report.exit_code == ExitCode.PARTLY_DELIVERED
    assert report.sent == [ALICE, CAROL]
    [refusal] = report.refused
    assert (refusal.recipient, refusal.code) == (BOB, 550)
    assert "no such user" in refusal.reason and "no such user" in report.summary()
    assert recorder.rcpt_attempts.count(BOB) == 1  # 5xx: not retried
    assert recorder.count_for(ALICE) == recorder.count_for(CAROL) == 1


def test_451_is_retried_then_delivered(tmp_path: Path, pdf_file: Path) -> None:
    recorder = Recorder(temp_failures={ALICE: 1})
    with smtp_server(recorder) as srv:
        report = deliver(settings_for(tmp_path, srv.port), pdf_file)

    assert report.exit_code == ExitCode.OK and report.sent == [ALICE]
    assert recorder.rcpt_attempts == [ALICE, ALICE]
    assert recorder.count_for(ALICE) == 1


def test_persistent_4xx_gives_up_after_three_tries(tmp_path: Path, pdf_file: Path) -> None:
    recorder = Recorder(temp_failures={ALICE: 99})
    with smtp_server(recorder) as srv:
        report = deliver(settings_for(tmp_path, srv.port), pdf_file)

    assert report.exit_code == ExitCode.DELIVERY_FAILED
    assert report.refused[0].code == 451
    assert recorder.rcpt_attempts == [ALICE] * 3


def test_display_names_are_quoted(tmp_path: Path, pdf_file: Path, server: RunningServer) -> None:
    settings = settings_for(tmp_path, server.port, to=['"Doe, Jane" <jane@example.org>'],
                            **{"from": '"Brief, Inc." <brief@example.org>'})
    deliver(settings, pdf_file)

    [received] = server.recorder.messages
    assert received.rcpt_tos == ["jane@example.org"]
    msg = parse(received.content)
    assert [a.addr_spec for a in msg["To"].addresses] == ["jane@example.org"]
    assert [a.display_name for a in msg["From"].addresses] == ["Brief, Inc."]


def test_duplicate_recipients_get_one_copy(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    settings = settings_for(tmp_path, server.port, to=[ALICE, "Alice <ALICE@example.org>"])
    deliver(settings, pdf_file)
    assert len(server.recorder.messages) == 1


def test_failure_mail_goes_to_the_operator(tmp_path: Path, pdf_file: Path) -> None:
    recorder = Recorder(refuse={BOB: "550 5.1.1 no such user"})
    with smtp_server(recorder) as srv:
        settings = settings_for(tmp_path, srv.port, to=[BOB], operator="ops@example.org")
        report = deliver(settings, pdf_file)

    assert report.exit_code == ExitCode.DELIVERY_FAILED and report.operator_notified
    [notice] = recorder.messages
    assert notice.rcpt_tos == ["ops@example.org"]
    body = parse(notice.content).get_body(("plain",))
    assert body is not None and "bob@example.org: 550" in body.get_content()


# ---------------------------------------------------------------- exactly once


def test_second_run_sends_nothing_and_force_resends(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    settings = settings_for(tmp_path, server.port, to=[ALICE, BOB])
    deliver(settings, pdf_file)
    again = deliver(settings, pdf_file)
    assert again.exit_code == ExitCode.OK
    assert again.sent == [] and again.already_sent == [ALICE, BOB]
    assert server.recorder.count_for(ALICE) == 1

    forced = deliver(settings, pdf_file, force=True)
    assert forced.sent == [ALICE, BOB]
    assert server.recorder.count_for(ALICE) == 2


def test_two_overlapping_runs_send_one_copy_each(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    settings = settings_for(tmp_path, server.port, to=[ALICE, BOB, CAROL])
    start = threading.Barrier(2)
    reports: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            reports.append(deliver(settings, pdf_file))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for address in (ALICE, BOB, CAROL):
        assert server.recorder.count_for(address) == 1
    assert sorted(len(r.sent) for r in reports) == [0, 3]
    assert all(r.exit_code == ExitCode.OK for r in reports)


def test_rerun_after_a_crash_sends_the_rest_once(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    settings = settings_for(tmp_path, server.port, to=[ALICE, BOB, CAROL])

    def crash(recipient: str) -> None:
        raise RuntimeError(f"simulated crash after {recipient}")

    with pytest.raises(RuntimeError, match="after alice"):
        deliver(settings, pdf_file, after_send=crash)
    assert server.recorder.count_for(ALICE) == 1 and server.recorder.count_for(BOB) == 0

    report = deliver(settings, pdf_file)
    assert report.already_sent == [ALICE] and report.sent == [BOB, CAROL]
    for address in (ALICE, BOB, CAROL):
        assert server.recorder.count_for(address) == 1


def test_sent_log_is_written_with_synchronous_full(
    tmp_path: Path, pdf_file: Path, server: RunningServer
) -> None:
    import sqlite3

    deliver(settings_for(tmp_path, server.port), pdf_file)
    with sqlite3.connect(tmp_path / "brief.db") as db:
        rows = db.execute("SELECT briefing_date, recipient, times FROM sent_log").fetchall()
    assert rows == [("2026-11-24", ALICE, 1)]


# ---------------------------------------------------------------- dry run and brief send


def test_dry_run_writes_one_eml_per_recipient(tmp_path: Path, pdf_file: Path) -> None:
    settings = Settings(
        db_path=tmp_path / "brief.db",
        email=EmailSettings.model_validate({"to": [ALICE, BOB], "from": "brief@example.org"}),
    )
    report = deliver(settings, pdf_file, to_dir=tmp_path / "outbox")

    assert report.exit_code == ExitCode.OK and report.sent == []
    assert [p.name for p in report.written] == [
        "2026-11-24-01-alice@example.org.eml", "2026-11-24-02-bob@example.org.eml"
    ]
    msg = parse(report.written[1].read_bytes())
    assert msg["To"] == BOB
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_content() == pdf_file.read_bytes()
    assert not (tmp_path / "brief.db").exists()  # nothing recorded as sent


def test_send_existing_briefing(tmp_path: Path, pdf_file: Path, server: RunningServer) -> None:
    settings = settings_for(tmp_path, server.port)
    day_dir = settings.out_dir / "2026-11-24"
    day_dir.mkdir(parents=True)
    (day_dir / "sitrep-2026-11-24.json").write_text(make_sitrep().model_dump_json())
    shutil.copy(pdf_file, day_dir / "sitrep-2026-11-24.pdf")

    sitrep, paths = find_briefing(settings.out_dir, "2026-11-24")
    assert sitrep.date == "2026-11-24" and paths["pdf"].name == "sitrep-2026-11-24.pdf"
    report = send_existing(settings, "2026-11-24", env={})
    assert report.sent == [ALICE]
    attachment = next(parse(server.recorder.messages[0].content).iter_attachments())
    assert attachment.get_content() == pdf_file.read_bytes()


def test_send_missing_briefing_is_nothing_to_report(tmp_path: Path) -> None:
    with pytest.raises(NothingToReportError, match="no briefing for 2026-11-23"):
        send_existing(settings_for(tmp_path), "2026-11-23")


def test_check_email_settings_fails_fast(tmp_path: Path) -> None:
    good = settings_for(tmp_path, 2525)
    check_email_settings(good, env={})
    with pytest.raises(ConfigError, match=r"email\.host"):
        check_email_settings(settings_for(tmp_path, 2525, host=None), env={})
    # A dry run needs only `to` and `from`.
    check_email_settings(settings_for(tmp_path, None, host=None), dry_run=True)
    with pytest.raises(ConfigError, match=r"email\.to is empty"):
        check_email_settings(settings_for(tmp_path, None, to=[]), dry_run=True)


# ---------------------------------------------------------------- the CLI, as cron runs it


def _write_briefing(out_dir: Path, pdf_file: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "sitrep-2026-11-24.json").write_text(make_sitrep().model_dump_json())
    shutil.copy(pdf_file, out_dir / "sitrep-2026-11-24.pdf")


def _cli_env(tmp_path: Path, port: int, to: str) -> dict[str, str]:
    return {
        "BRIEF_EMAIL_TO": to, "BRIEF_EMAIL_FROM": "brief@example.org",
        "BRIEF_SMTP_HOST": "127.0.0.1", "BRIEF_SMTP_PORT": str(port),
        "BRIEF_EMAIL_SECURITY": "none", "BRIEF_OUT_DIR": str(tmp_path / "out"),
        "BRIEF_DB_PATH": str(tmp_path / "brief.db"),
    }


@pytest.mark.parametrize(
    "to,expected",
    [(f"{ALICE},{CAROL}", 0), (f"{ALICE},{BOB}", 2), (BOB, 3)],
)
def test_brief_send_exit_codes(
    tmp_path: Path, pdf_file: Path, to: str, expected: int
) -> None:
    from conftest import run_brief

    _write_briefing(tmp_path / "out", pdf_file)
    with smtp_server(Recorder(refuse={BOB: "550 5.1.1 no such user"})) as srv:
        result = run_brief("send", "2026-11-24", cwd=tmp_path,
                           env=_cli_env(tmp_path, srv.port, to))
        again = run_brief("send", "2026-11-24", cwd=tmp_path,
                          env=_cli_env(tmp_path, srv.port, to))

    assert result.returncode == expected, result.stderr
    if expected:
        assert "bob@example.org: 550" in result.stderr
    assert srv.recorder.count_for(ALICE) == (1 if ALICE in to else 0)
    assert again.returncode == expected  # the refused one is tried again, the rest skipped
    assert srv.recorder.count_for(ALICE) == (1 if ALICE in to else 0)


def test_brief_send_without_briefing_exits_1(tmp_path: Path) -> None:
    from conftest import run_brief

    result = run_brief("send", "2026-11-24", cwd=tmp_path, env=_cli_env(tmp_path, 1, ALICE))
    assert result.returncode == 1 and "no briefing for 2026-11-24" in result.stderr


def test_brief_send_dry_run_needs_only_to_and_from(tmp_path: Path, pdf_file: Path) -> None:
    from conftest import run_brief

    _write_briefing(tmp_path / "out", pdf_file)
    env = {"BRIEF_EMAIL_TO": ALICE, "BRIEF_EMAIL_FROM": "brief@example.org",
           "BRIEF_OUT_DIR": str(tmp_path / "out")}
    result = run_brief("send", "2026-11-24", "--email-to-file", str(tmp_path / "eml"),
                       cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    [eml] = list((tmp_path / "eml").glob("*.eml"))
    assert result.stdout.splitlines()[0] == str(eml)


def test_default_subject_counts_developments_in_good_english() -> None:
    assert make_subject(EmailSettings().subject, make_sitrep(developments=1)).endswith(
        "— 1 development")
    assert make_subject(EmailSettings().subject, make_sitrep(developments=3)).endswith(
        "— 3 developments")
