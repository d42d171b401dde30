"""Worker processes never outlive brief: SIGKILL or SIGTERM in a large run leaves none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

PARAGRAPH = (
    "<p>The harbour authority in the town of {n} said on Tuesday that repairs to the "
    "eastern quay would take another {n} weeks, after storms damaged the pier supports "
    "and two cranes. Shipping agents said cargo would move to the western berths.</p>"
)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"  # a zombie has already died


def _big_inbox(folder: Path, files: int = 600) -> None:
    folder.mkdir()
    for n in range(files):
        body = "".join(PARAGRAPH.format(n=n + k) for k in range(12))
        (folder / f"harbour-{n:04d}.html").write_text(
            f"<html><head><title>Harbour repairs {n}</title></head>"
            f"<body><article><h1>Harbour repairs {n}</h1>{body}</article></body></html>"
        )


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_no_worker_outlives_a_killed_run(tmp_path: Path, sig: signal.Signals) -> None:
    _big_inbox(tmp_path / "inbox")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEF_", "OPENAI_"))}
    env.update(BRIEF_DB_PATH=str(tmp_path / "brief.db"), BRIEF_OUT_DIR=str(tmp_path / "out"))
    brief = subprocess.Popen(
        [sys.executable, "-m", "briefing", "today", "--inbox", str(tmp_path / "inbox")],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    try:
        started = time.monotonic()
        deadline = time.monotonic() + 60
        # Wait for the pool: the forkserver and at least two workers under it.
        while len(workers) < 3 and time.monotonic() < deadline and brief.poll() is None:
            time.sleep(0.05)
            workers = _descendants(brief.pid)
        assert len(workers) >= 3, "the run never started its worker pool"
        print(f"pool up after {time.monotonic() - started:.1f}s")
        time.sleep(0.3)  # let the workers get busy
        workers |= _descendants(brief.pid)
        brief.send_signal(sig)
        brief.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_running(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in workers if _running(p)]
        if sig == signal.SIGTERM:
            assert brief.returncode == 128 + signal.SIGTERM
            assert b"Traceback" not in (brief.stderr.read() if brief.stderr else b"")
    finally:
        if brief.poll() is None:
            brief.kill()
            brief.wait()
        for pid in workers:  # never leave a stray process behind, even when failing
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
