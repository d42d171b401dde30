"""The one-method protocol every summarising backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from briefing.models import Development, Summary, SummaryOptions


class SummaryBackend(Protocol):
    """Turns the day's developments into cited statements; compose never knows which ran."""

    name: str

    def summarise(self, developments: Sequence[Development], options: SummaryOptions) -> Summary:
        """Headline and points per development, plus cross-cutting takeaways."""
        ...
