"""Prepare the day: sources -> extract -> store -> period -> dedup and grouping.

``prepare_day`` is the one path from the day's sources to the typed ``Day`` that the
briefing run (``pipeline.run_today``), the cost estimate (``brief today --estimate``)
and the benchmarks all summarise. Stages hand each other records, never text to parse.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from briefing import continuity, language
from briefing.config import Settings
from briefing.errors import NothingToReportError
from briefing.extract import Read, extract_many
from briefing.group import group
from briefing.links import defang
from briefing.models import (
    Article,
    Coverage,
    Development,
    LeftOut,
    RawDocument,
    Skipped,
    SourceKind,
)
from briefing.safety import coverage_lines
from briefing.sources.base import GivenDocuments, InboxSource, Source, admit, skipped_entry
from briefing.sources.report import SourceReport, SourceStatus, health_lines
from briefing.store import Store

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass
class Day:
    """The day ready to summarise: its period, articles, developments and coverage."""

    label: str  # YYYY-MM-DD, the briefing's date
    start: datetime
    end: datetime
    now: datetime
    articles: list[Article]  # every article in the period: what statements are checked against
    developments: list[Development]  # the leading developments, most reported first
    coverage: Coverage
    sources: list[SourceReport] = field(default_factory=list)  # each feed, page and URL
    warning: str | None = None
    briefed: int = 0  # articles in the period that an earlier briefing already used


def window(
    day: date | None, now: datetime | None = None, hours: int = 24, tz: str = "UTC"
) -> tuple[datetime, datetime]:
    """The period covered: the ``hours`` ending at the end of ``day`` in ``tz``, or now."""
    if day is not None:
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz))
    else:
        end = now or datetime.now(UTC)
    end = end.astimezone(UTC)
    return end - timedelta(hours=hours), end


def select(
    candidates: Sequence[Article], start: datetime, end: datetime, keep: Set[str] = frozenset()
) -> tuple[list[Article], int]:
    """Articles in [start, end), undated ones and those in ``keep``; and how many fell outside."""
    inside = [
        a for a in candidates
        if a.id in keep or a.published_at is None or start <= a.published_at < end
    ]
    return inside, len(candidates) - len(inside)


def extract_all(
    documents: Iterable[RawDocument], store: Store, skipped: list[Skipped], workers: int = 1
) -> list[str]:
    """Extract and store each document; a bad one is skipped with its reason."""
    ids: list[str] = []
    for document, outcome in extract_many(documents, workers):
        admitted = admit(store, document, Read(document, outcome))
        if admitted.article_id is None:
            skipped.append(skipped_entry(admitted))
        else:
            ids.append(admitted.article_id)
    return ids


@dataclass(frozen=True)
class DayRequest:
    """Which day to prepare and what to read beyond the settings' inbox: one record that
    ``run_today``, ``prepare_day`` and the estimate pass along unchanged."""

    day: date | None = None  # the day to brief (in the settings' time zone); None: up to now
    now: datetime | None = None  # the clock: the run's "now" (tests and benchmarks fix it)
    urls: tuple[str, ...] = ()  # pages to fetch and brief whatever their date (``--url``)
    fetch_sources: bool = True  # fetch the configured feeds and pages first
    extra_documents: tuple[RawDocument, ...] = ()  # documents handed in by the caller

    @classmethod
    def of(cls, request: DayRequest | date | None) -> DayRequest:
        """A request as given, or one for a bare day."""
        return request if isinstance(request, DayRequest) else cls(day=request)


@dataclass
class Gathered:
    """Everything the day's sources gave, before the period is applied."""

    candidates: list[Article]
    skipped: list[Skipped]
    requested: set[str]  # ids of articles the user asked for by URL: kept whatever their date
    sources: list[SourceReport]
    read_now: set[str]  # ids extracted or fetched in this run
    revised: list[Article] = field(default_factory=list)  # texts replaced in the period


def gather(
    settings: Settings, request: DayRequest, start: datetime, end: datetime, now: datetime,
    say: Progress = lambda message: None,
) -> Gathered:
    """Read every source (network first, then local), store it all; return the candidates."""
    skipped: list[Skipped] = []
    reports: list[SourceReport] = []
    requested: set[str] = set()
    fetched: list[str] = []
    local: list[Source] = [InboxSource(settings.inbox, settings.max_file_bytes)]
    if request.extra_documents:
        local.append(GivenDocuments(request.extra_documents))
    with Store(settings.db_path) as store:
        if request.urls or (request.fetch_sources and has_sources(settings, store)):
            from briefing.ingest import ingest

            say("Fetching feeds and pages")
            report = ingest(settings, store, request.urls, include_sources=request.fetch_sources,
                            now=now, since=start)  # --date for a past day: its items count
            reports = report.sources
            requested = {i for r in reports if r.kind == "url" for i in r.article_ids}
            fetched = report.article_ids
            for source in reports:  # a page that failed is named, never its whole feed
                skipped.extend(source.failed_items)
        say("Reading and extracting articles")
        documents = (d for source in local for d in source.documents(skipped))
        ids = extract_all(documents, store, skipped, settings.resolved_workers())
        in_store = store.in_window(start, end)
        # Every article read this run is a candidate, so one dated outside the period
        # (a feed's old page, a stored story listed again) gets its coverage line.
        candidates = store.articles([*requested, *ids, *fetched, *(a.id for a in in_store)])
        known = {a.id for a in candidates}
        revised = [a for a in store.revised_between(start, end) if a.id not in known]
    return Gathered(candidates, skipped, requested, reports, {*ids, *fetched}, revised)


def has_sources(settings: Settings, store: Store) -> bool:
    """True when feeds or pages are configured, in brief.toml or with `brief sources add`."""
    from briefing.sources.registry import all_sources

    return bool(all_sources(settings, store))


def prepare_day(
    settings: Settings, request: DayRequest | date | None = None, progress: Progress | None = None
) -> Day:
    """Read every source and return the day's articles grouped into developments.

    Raises NothingToReportError, saying why, when no article falls in the period.
    """
    request = DayRequest.of(request)
    day = request.day
    say = progress or (lambda message: None)
    now = request.now or datetime.now(UTC)
    language.preload()  # a fixed cost paid on another core while the sources are read
    start, end = window(day, now, settings.window_hours, settings.timezone)
    gathered = gather(settings, request, start, end, now, say)
    articles, _ = select(gathered.candidates, start, end, keep=gathered.requested)
    kept = {a.id for a in articles}
    briefing_day = (day or end.date()).isoformat()
    # A live story briefed before whose page now says more is news again, whatever its date.
    articles += continuity.updated_since_briefed(
        settings.db_path, settings.out_dir, briefing_day,
        [*(a for a in gathered.candidates if a.id not in kept), *gathered.revised])
    kept = {a.id for a in articles}
    left_out = [left_out_entry(a) for a in gathered.candidates if a.id not in kept]
    # An article is briefed once: those another day's briefing used are not news again.
    articles, briefed = continuity.unbriefed(
        settings.db_path, settings.out_dir, briefing_day, articles)
    hint = period_hint(left_out, len(articles), settings.timezone)
    if not articles:
        raise NothingToReportError(nothing_message(
            settings.inbox, len(gathered.candidates), gathered.skipped, gathered.sources,
            left_out_days(left_out, settings.timezone),
        ))
    coverage = Coverage(
        articles_read=len(gathered.candidates) + len(gathered.skipped),
        out_of_window=len(left_out),
        left_out=left_out,
        skipped=gathered.skipped,
        undated=[f"{found_at(a)} — {defang(a.title)}" for a in articles if a.undated],
        suspicious_passages=sum(a.suspicious_passages for a in articles),
        quarantined=coverage_lines(articles),
        duplicates_merged=sum(len(a.sources) - 1 for a in articles if a.sources),
        source_health=health_lines(gathered.sources),
    )
    say(f"Grouping {len(articles)} articles")
    developments = group(articles)
    coverage.duplicates_merged += sum(len(s.articles) - 1 for d in developments for s in d.stories)
    developments, coverage.notes = leading(developments, settings.max_developments)
    return Day(
        label=(day or end.date()).isoformat(), start=start, end=end, now=now,
        articles=articles, developments=developments, coverage=coverage, briefed=briefed,
        sources=gathered.sources,
        warning=hint or source_warning(gathered.sources, start) or staleness(articles),
    )


def located(article: Article) -> str:
    """Where the user finds an article again: the file or URL it was last read from."""
    ref = article.sources[-1] if article.sources else None
    return (ref.location if ref else None) or article.url or article.id


def found_at(article: Article) -> str:
    """An undated article's file name in the inbox (as the sources list names it) or URL."""
    ref = article.sources[-1] if article.sources else None
    if ref is not None and ref.kind == SourceKind.INBOX:
        return Path(ref.location).name
    return located(article)


def left_out_entry(article: Article) -> LeftOut:
    """How the coverage section names an article dated outside the period."""
    return LeftOut(
        location=located(article),
        title=defang(article.title),
        published_at=article.published_at,
        date_source=article.date_source,
    )


def left_out_days(left_out: Sequence[LeftOut], tz: str = "UTC") -> list[tuple[str, int]]:
    """The days (in ``tz``) the left-out articles carry, with counts, most common first."""
    days = Counter(
        entry.published_at.astimezone(ZoneInfo(tz)).date().isoformat()
        for entry in left_out if entry.published_at is not None
    )
    return days.most_common()


def try_dates(days: Sequence[tuple[str, int]]) -> str:
    """"9 articles from 2026-11-24, 1 article from ...: try --date 2026-11-24"."""
    named = ", ".join(
        f"{count} article{'s' if count != 1 else ''} from {label}" for label, count in days[:3]
    )
    more = f" and {len(days) - 3} other days" if len(days) > 3 else ""
    return f"{named}{more}: try --date {days[0][0]}"


def period_hint(left_out: Sequence[LeftOut], kept: int, tz: str = "UTC") -> str | None:
    """When most articles fall outside the period, the dates they carry and a --date to try."""
    days = left_out_days(left_out, tz)
    dated = sum(count for _, count in days)
    if dated <= kept:
        return None
    return f"most articles fall outside this period ({dated} of {dated + kept}): {try_dates(days)}"


def leading(developments: list[Development], limit: int) -> tuple[list[Development], list[str]]:
    """The most widely reported developments; a SITREP of hundreds helps no one."""
    shown, rest = developments[:limit], developments[limit:]
    if not rest:
        return shown, []
    articles = sum(len(d.articles) for d in rest)
    return shown, [
        f"{len(rest)} smaller developments ({articles} articles) are not shown; "
        "raise max_developments to include them"
    ]


def source_warning(sources: Sequence[SourceReport], start: datetime) -> str | None:
    """Say so at the top when no source gave anything from inside the period.

    A feed that answered 304 Not Modified is unchanged since the last fetch, which the
    coverage section says; it is no sign that sources went quiet.
    """
    feeds = [r for r in sources if r.kind != "url" and not r.not_modified]
    if not feeds or any(r.new_items for r in feeds if r.status is SourceStatus.OK):
        return None
    newest = max((r.newest for r in feeds if r.newest), default=None)
    when = f"; the newest item is from {newest:%Y-%m-%d %H:%M} UTC" if newest else ""
    if newest is not None and newest >= start:
        return None
    return f"no source published anything new in this period{when}"


def staleness(articles: Sequence[Article]) -> str | None:
    """A warning when no article in the briefing carries a date."""
    dated = [a.published_at for a in articles if a.published_at is not None]
    if articles and not dated:
        return "no article in this briefing carries a publication date"
    return None


def nothing_message(
    folders: Sequence[Path],
    seen: int,
    skipped: Sequence[Skipped],
    sources: Sequence[SourceReport] = (),
    days: Sequence[tuple[str, int]] = (),
) -> str:
    """Why there is no briefing, from the run's records: the user's next step."""
    failures = [s for s in sources if s.status is SourceStatus.FAILED]
    if failures and not seen:
        first = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        return f"nothing could be fetched: {first.name}: failed — {first.reason}{more}"
    where = ", ".join(str(f) for f in folders) or "(no inbox configured)"
    stale = [s for s in sources if s.status is SourceStatus.STALE]
    if stale and not seen and not skipped:
        newest = f", newest {stale[0].newest:%Y-%m-%d}" if stale[0].newest else ""
        return (f"nothing new in the period: {stale[0].name} has only older items"
                f"{newest}; to brief an earlier day, pass --date YYYY-MM-DD")
    if seen:
        return (f"no article in {where} falls in the briefing period ({seen} outside it); "
                + (try_dates(days) if days else "try --date YYYY-MM-DD"))
    if skipped:
        return (f"no usable article in {where}: {len(skipped)} skipped "
                f"(first: {skipped[0].location}: {skipped[0].reason})")
    return f"no articles found in {where}: add saved pages or pass --inbox DIR"
