"""One exit-status scale for every delivery channel (mail, webhooks), for cron.

0 delivered to everyone (or already); 1 nothing produced; 2 delivered to some only;
3 delivered to no one; 5 handed over, but some deliveries were never confirmed.
A run over several channels exits with ``combined_exit`` of their statuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from briefing.errors import DeliveryError


class ExitCode(IntEnum):
    """Process exit status of a delivery run."""

    OK = 0
    NOTHING_PRODUCED = 1
    PARTLY_DELIVERED = 2
    DELIVERY_FAILED = 3
    DELIVERY_UNCERTAIN = 5


@dataclass
class ChannelReport:
    """What one channel's run did: who got the briefing, who had it already, dry-run files."""

    date: str
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # dry run: the files instead

    def status(self, *, failed: bool, uncertain: bool = False) -> ExitCode:
        """The exit status when some deliveries ``failed`` or were left ``uncertain``."""
        if not failed:
            return ExitCode.DELIVERY_UNCERTAIN if uncertain else ExitCode.OK
        if self.sent or self.already_sent:
            return ExitCode.PARTLY_DELIVERED
        return ExitCode.DELIVERY_FAILED


def combined_exit(codes: Sequence[int]) -> int:
    """One exit status for several channels: 0 all fine, 3 all failed, 5 uncertain, else 2."""
    if len(set(codes)) <= 1:
        return codes[0] if codes else 0  # one channel, or all alike: its own status
    if set(codes) <= {ExitCode.OK, ExitCode.DELIVERY_UNCERTAIN}:
        return ExitCode.DELIVERY_UNCERTAIN  # everything else delivered; some unconfirmed
    return ExitCode.PARTLY_DELIVERED


def write_dry_run(
    out_dir: Path, flag: str, date: str, files: Iterable[tuple[str, str, bytes]]
) -> list[Path]:
    """Dry run (``flag``): write each (name, suffix, bytes) as DATE-NN-NAME.SUFFIX in ``out_dir``.

    Nothing is sent or recorded; the names are made safe for any file system.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeliveryError(f"cannot create {out_dir} for {flag}: {exc}") from None
    written = []
    for number, (name, suffix, content) in enumerate(files, 1):
        path = out_dir / f"{date}-{number:02d}-{re.sub(r'[^A-Za-z0-9._@-]', '_', name)}.{suffix}"
        path.write_bytes(content)
        written.append(path)
    return written
