"""The inbox reads regular files inside it only: links out and special files are named."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from briefing.sources.inbox import collect

PAGE = "<html><body><h1>Ferry timetable</h1><p>The ferry now leaves at nine.</p></body></html>"


def _reasons(folder: Path) -> tuple[list[str], dict[str, str]]:
    documents, skipped = collect([folder])
    return [Path(d.location).name for d in documents], {
        Path(s.location).name: s.reason for s in skipped
    }


def test_a_link_to_a_file_outside_the_inbox_is_refused_with_a_coverage_line(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("the neighbour's diary, never meant for the briefing")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "looks-like-news.txt").symlink_to(secret)
    read, skipped = _reasons(inbox)
    assert read == []
    assert "outside the inbox" in skipped["looks-like-news.txt"]


def test_a_linked_folder_outside_the_inbox_is_not_walked(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "page.html").write_text(PAGE)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "more").symlink_to(outside, target_is_directory=True)
    read, skipped = _reasons(inbox)
    assert read == [] and "outside the inbox" in skipped["more"]


def test_a_link_inside_the_inbox_is_read(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "saved").mkdir(parents=True)
    (inbox / "saved" / "ferry.html").write_text(PAGE)
    (inbox / "today.html").symlink_to(inbox / "saved" / "ferry.html")
    read, skipped = _reasons(inbox)
    assert sorted(read) == ["ferry.html", "today.html"] and skipped == {}


def test_a_fifo_is_skipped_with_a_coverage_line_and_never_opened(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "page.html").write_text(PAGE)
    os.mkfifo(inbox / "stuck.html")  # opening it for reading would block forever
    read, skipped = _reasons(inbox)
    assert read == ["page.html"]
    assert "named pipe" in skipped["stuck.html"]


def test_a_socket_is_skipped_with_a_coverage_line(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(inbox / "s.txt"))
        read, skipped = _reasons(inbox)
    assert read == [] and "socket" in skipped["s.txt"]
