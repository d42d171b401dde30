"""One exit-status scale for every delivery channel (mail, webhooks), for cron.

0 delivered to everyone (or already); 1 nothing produced; 2 delivered to some only;
3 delivered to no one; 5 handed over, but some deliveries were never confirmed.
A run over several channels exits with ``combined_exit`` of their statuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path


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
