"""How each network source did in one run: typed reports and the lines shown for them.

``SourceReport`` is what the pipeline reasons about (the briefing's nothing-to-report
message, its coverage section); ``health_lines`` and ``report_lines`` only render it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from briefing.models import Skipped


class SourceStatus(StrEnum):
    """How one source's ingest ended."""

    OK = "ok"
    FAILED = "failed"
    NOTHING_NEW = "nothing new"
    STALE = "only stale items"


class SourceReport(BaseModel):
    """What one source gave in this run."""

    name: str
    url: str
    kind: str  # "feed", "page" or "url"
    status: SourceStatus
    reason: str | None = None  # why it failed
    not_modified: bool = False  # the server answered 304
    items: int = 0  # items in the feed
    new_items: int = 0
    stale_items: int = 0
    newest: datetime | None = None  # newest item date, for stale reports
    added: list[str] = Field(default_factory=list)  # ids of new article texts
    merged: list[str] = Field(default_factory=list)  # ids of stored articles seen again
    failed_items: list[Skipped] = Field(default_factory=list)  # pages that could not be read
    summaries_used: int = 0
    warnings: list[str] = Field(default_factory=list)
    malformed: bool = False  # the feed's XML was broken; its readable items were used

    @property
    def article_ids(self) -> list[str]:
        """Every article this source gave in this run, new or already stored."""
        return [*self.added, *self.merged]


class IngestReport(BaseModel):
    """The outcome of one ingest run, per source."""

    started_at: datetime
    finished_at: datetime
    sources: list[SourceReport] = Field(default_factory=list)
    requests: int = 0

    @property
    def added(self) -> list[str]:
        """Ids of articles whose text was new to the store."""
        return [i for s in self.sources for i in s.added]

    @property
    def article_ids(self) -> list[str]:
        """Ids of every article the run touched, new or already stored, each once."""
        return list(dict.fromkeys(i for s in self.sources for i in s.article_ids))

    @property
    def failed(self) -> list[SourceReport]:
        """The sources that failed."""
        return [s for s in self.sources if s.status is SourceStatus.FAILED]


def health_lines(report: IngestReport | Sequence[SourceReport]) -> list[str]:
    """Coverage lines for the briefing: sources that failed, had nothing new or only stale."""
    sources = report.sources if isinstance(report, IngestReport) else list(report)
    if not sources:
        return []
    counts = {status: 0 for status in SourceStatus}
    for source in sources:
        counts[source.status] += 1
    lines = [
        f"{len(sources)} source{'' if len(sources) == 1 else 's'} checked:"
        f" {counts[SourceStatus.OK]} with new articles,"
        f" {counts[SourceStatus.FAILED]} failed, {counts[SourceStatus.NOTHING_NEW]} nothing new,"
        f" {counts[SourceStatus.STALE]} only stale items"
    ]
    for s in sources:
        if s.status is SourceStatus.FAILED:
            lines.append(f"{s.name}: failed — {s.reason}")
        elif s.status is SourceStatus.STALE:
            newest = f" (newest {s.newest:%Y-%m-%d %H:%M} UTC)" if s.newest else ""
            lines.append(f"{s.name}: only stale items{newest}")
        elif s.not_modified:
            lines.append(f"{s.name}: unchanged since last fetch")
        elif s.status is SourceStatus.NOTHING_NEW and not s.failed_items:
            lines.append(f"{s.name}: nothing new")
        if s.failed_items:
            lines.append(
                f"{s.name}: {len(s.failed_items)} of {s.new_items} new items could not be read"
            )
        if s.summaries_used:
            lines.append(
                f"{s.name}: {s.summaries_used} article(s) from the feed summary (page unavailable)"
            )
        if s.malformed:
            lines.append(f"{s.name}: the feed is malformed; its readable items were used")
    return lines


def report_lines(report: IngestReport) -> list[str]:
    """One line per source for `brief ingest` to print."""
    lines = []
    for s in report.sources:
        if s.status is SourceStatus.FAILED:
            lines.append(f"{s.name}: failed — {s.reason}")
            continue
        if s.not_modified:
            lines.append(f"{s.name}: unchanged since last fetch")
            continue
        if s.status is not SourceStatus.OK:
            unread = f" ({len(s.failed_items)} item(s) unreadable)" if s.failed_items else ""
            lines.append(f"{s.name}: {s.status.value}{unread}")
            continue
        detail = f"{len(s.added)} new article(s)"
        if s.merged:
            detail += f", {len(s.merged)} already stored"
        if s.failed_items:
            detail += f", {len(s.failed_items)} item(s) unreadable"
        if s.summaries_used:
            detail += f", {s.summaries_used} from the feed summary"
        lines.append(f"{s.name}: ok ({detail})")
    return lines
