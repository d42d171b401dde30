"""`brief today --email` end to end: the real command, a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from smtp_server import smtp_server

from tests.conftest import EXAMPLE_DAY, EXAMPLES, run_brief

MAIL_ENV = {"BRIEF_EMAIL_TO": "alice@example.org,bob@example.org",
            "BRIEF_EMAIL_FROM": "brief@example.org"}


def test_dry_run_writes_one_eml_per_recipient(tmp_path: Path) -> None:
    result = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY,
                       "--email-to-file", "outbox", cwd=tmp_path, env=MAIL_ENV)
    assert result.returncode == 0, result.stderr
    messages = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(messages) == 2
    parsed = email.message_from_bytes(messages[0].read_bytes(), policy=policy.default)
    assert parsed["Subject"].startswith(f"SITREP {EXAMPLE_DAY}")
    pdf = next(p for p in parsed.iter_attachments() if p.get_content_type() == "application/pdf")
    on_disk = (tmp_path / "briefings" / f"sitrep-{EXAMPLE_DAY}.pdf").read_bytes()
    assert pdf.get_content() == on_disk


def test_mail_sent_once_per_recipient_across_reruns(tmp_path: Path) -> None:
    with smtp_server() as server:
        env = {**MAIL_ENV, "BRIEF_SMTP_HOST": "127.0.0.1", "BRIEF_SMTP_PORT": str(server.port),
               "BRIEF_EMAIL_SECURITY": "none"}
        args = ("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY, "--email")
        first = run_brief(*args, cwd=tmp_path, env=env)
        second = run_brief(*args, cwd=tmp_path, env=env)
        assert first.returncode == 0, first.stderr
        assert second.returncode == 0, second.stderr
        assert server.recorder.count_for("alice@example.org") == 1
        assert server.recorder.count_for("bob@example.org") == 1


def test_nothing_to_send_exits_1_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_brief("today", "--inbox", "empty", "--email-to-file", "outbox",
                       cwd=tmp_path, env=MAIL_ENV)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "outbox").exists()


def test_bad_email_settings_fail_before_the_run(tmp_path: Path) -> None:
    result = run_brief("today", "--inbox", str(EXAMPLES), "--date", EXAMPLE_DAY, "--email",
                       cwd=tmp_path, env={"BRIEF_EMAIL_FROM": "brief@example.org"})
    assert result.returncode == 1
    assert "email" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "briefings").exists()


def test_operator_is_told_when_nothing_was_produced(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with smtp_server() as server:
        env = {**MAIL_ENV, "BRIEF_SMTP_HOST": "127.0.0.1", "BRIEF_SMTP_PORT": str(server.port),
               "BRIEF_EMAIL_SECURITY": "none", "BRIEF_EMAIL_OPERATOR": "ops@example.org"}
        result = run_brief("today", "--inbox", "empty", "--email", cwd=tmp_path, env=env)
        assert result.returncode == 1
        assert server.recorder.count_for("ops@example.org") == 1
        assert server.recorder.count_for("alice@example.org") == 0
        notice = email.message_from_bytes(server.recorder.messages[0].content,
                                          policy=policy.default)
        assert "failed" in notice["Subject"]
