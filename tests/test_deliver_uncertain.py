"""A server that takes the message and drops the line before its final reply."""

from __future__ import annotations

import email
import sqlite3
from email import policy
from pathlib import Path

import pytest
from smtp_server import Recorder, smtp_server
from test_deliver import ALICE, BOB, _cli_env, _write_briefing, deliver, pdf_file, settings_for

from briefing.deliver import ExitCode

__all__ = ["pdf_file"]  # the fixture, imported so pytest finds it here

pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$", r"localhost$", r"::1$"])


def _message_ids(recorder: Recorder) -> list[str]:
    return [
        str(email.message_from_bytes(m.content, policy=policy.default)["Message-ID"])
        for m in recorder.messages
    ]


def test_a_lost_final_reply_is_uncertain_logged_and_never_retried(
    tmp_path: Path, pdf_file: Path
) -> None:
    recorder = Recorder(drop_after_data=1)
    with smtp_server(recorder) as srv:
        settings = settings_for(tmp_path, srv.port, to=[ALICE, BOB])
        report = deliver(settings, pdf_file)
        assert recorder.count_for(ALICE) == 1  # not re-sent within the run
        assert report.uncertain == [ALICE] and report.sent == [BOB]
        assert report.exit_code == ExitCode.DELIVERY_UNCERTAIN
        assert "uncertain" in report.summary()

        later = deliver(settings, pdf_file)  # a later run, no --force
        assert later.sent == [] and recorder.count_for(ALICE) == 1

        forced = deliver(settings, pdf_file, force=True)
        assert ALICE in forced.sent and recorder.count_for(ALICE) == 2

    with sqlite3.connect(tmp_path / "brief.db") as db:
        rows = dict(db.execute("SELECT recipient, status FROM sent_log").fetchall())
    assert rows == {ALICE: "sent", BOB: "sent"}  # the forced copy was confirmed

    ids = {m.rcpt_tos[0]: [] for m in recorder.messages}
    for message_id, message in zip(_message_ids(recorder), recorder.messages, strict=True):
        ids[message.rcpt_tos[0]].append(message_id)
    # Every copy of the day's message to Alice is one message to her mail client.
    assert len(ids[ALICE]) == 2 and ids[ALICE][0] == ids[ALICE][1]
    assert ids[BOB] != ids[ALICE][:1]  # each recipient's message is its own


def test_the_sent_log_records_uncertain(tmp_path: Path, pdf_file: Path) -> None:
    with smtp_server(Recorder(drop_after_data=1)) as srv:
        deliver(settings_for(tmp_path, srv.port), pdf_file)
    with sqlite3.connect(tmp_path / "brief.db") as db:
        assert db.execute("SELECT status FROM sent_log").fetchall() == [("uncertain",)]


def test_brief_send_says_uncertain_and_exits_non_zero(tmp_path: Path, pdf_file: Path) -> None:
    from conftest import run_brief

    _write_briefing(tmp_path / "out", pdf_file)
    with smtp_server(Recorder(drop_after_data=1)) as srv:
        env = _cli_env(tmp_path, srv.port, ALICE)
        first = run_brief("send", "2026-11-24", cwd=tmp_path, env=env)
        second = run_brief("send", "2026-11-24", cwd=tmp_path, env=env)
    assert first.returncode == ExitCode.DELIVERY_UNCERTAIN, first.stderr
    assert "uncertain" in first.stderr + first.stdout
    assert second.returncode == 0 and srv.recorder.count_for(ALICE) == 1
