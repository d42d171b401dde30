"""The day's run: collect -> extract -> store -> group -> summarise -> compose -> render."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from briefing.backends.base import SummaryBackend
from briefing.compose import compose, defang
from briefing.config import Settings
from briefing.errors import BackendError, NothingToReportError, SourceError
from briefing.extract import extract_many
from briefing.group import group
from briefing.models import (
    Article,
    Coverage,
    Development,
    RawDocument,
    Sitrep,
    Skipped,
    SummaryOptions,
)
from briefing.render import render
from briefing.sources import inbox
from briefing.store import Store
from briefing.verify import verify, widen_citations

if TYPE_CHECKING:
    from briefing.ingest import IngestReport

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass
class RunResult:
    """What a run produced: the briefing, its files, and what it read."""

    sitrep: Sitrep
    paths: dict[str, Path]
    articles: list[Article] = field(default_factory=list)


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


def make_backend(name: str, settings: Settings) -> SummaryBackend:
    """The backend by name; the LLM backend is imported only when asked for."""
    if name == "extractive":
        from briefing.backends.extractive import ExtractiveBackend

        return ExtractiveBackend()
    try:
        from briefing.backends.openai_backend import OpenAIBackend
    except ImportError as exc:
        raise BackendError(f"the openai backend is not available: {exc}") from None
    return OpenAIBackend.from_settings(settings)


def extract_all(
    documents: Iterable[RawDocument], store: Store, skipped: list[Skipped], workers: int = 1
) -> list[str]:
    """Extract and store each document; a bad one is skipped with its reason."""
    ids: list[str] = []
    for document, outcome in extract_many(documents, workers):
        if isinstance(outcome, SourceError):
            skipped.append(Skipped(location=document.location, reason=_reason(outcome, document)))
            continue
        article_id, _ = store.put(outcome)
        ids.append(article_id)
    return ids


def _reason(exc: SourceError, document: RawDocument) -> str:
    message = str(exc)
    prefix = f"{document.location}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def select(
    candidates: Sequence[Article], start: datetime, end: datetime, keep: Set[str] = frozenset()
) -> tuple[list[Article], int]:
    """Articles in [start, end), undated ones and those in ``keep``; and how many fell outside."""
    inside = [
        a for a in candidates
        if a.id in keep or a.published_at is None or start <= a.published_at < end
    ]
    return inside, len(candidates) - len(inside)


@dataclass
class Gathered:
    """Everything the day's sources gave, before the period is applied."""

    candidates: list[Article]
    skipped: list[Skipped]
    requested: set[str]  # ids of articles the user asked for by URL: kept whatever their date
    health: list[str]
    warning: str | None = None


def gather(
    settings: Settings,
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    urls: Sequence[str] = (),
    fetch_sources: bool = True,
    extra_documents: Sequence[RawDocument] = (),
    say: Progress = lambda message: None,
) -> Gathered:
    """Fetch feeds and URLs, read the inbox, store it all; return the candidate articles."""
    skipped: list[Skipped] = []
    health: list[str] = []
    requested: set[str] = set()
    warning = None
    with Store(settings.db_path) as store:
        if urls or (fetch_sources and has_sources(settings, store)):
            from briefing.ingest import health_lines, ingest

            say("Fetching feeds and pages")
            report = ingest(settings, store, urls, include_sources=fetch_sources, now=now)
            health = health_lines(report)
            requested = {i for r in report.sources if r.kind == "url" for i in r.article_ids}
            warning = _source_warning(report, start)
        documents = itertools.chain(
            inbox.iter_documents(settings.inbox, skipped, settings.max_file_bytes),
            extra_documents,
        )
        say("Reading and extracting articles")
        ids = extract_all(documents, store, skipped, settings.resolved_workers())
        in_store = store.in_window(start, end)
        candidates = store.articles([*requested, *ids, *(a.id for a in in_store)])
    return Gathered(candidates, skipped, requested, health, warning)


def has_sources(settings: Settings, store: Store) -> bool:
    """True when feeds or pages are configured, in brief.toml or with `brief sources add`."""
    from briefing.sources.registry import all_sources

    return bool(all_sources(settings, store))


def _source_warning(report: IngestReport, start: datetime) -> str | None:
    """Say so at the top when no source gave anything from inside the period."""
    feeds = [r for r in report.sources if r.kind != "url"]
    if not feeds or any(r.new_items for r in feeds if r.status.value == "ok"):
        return None
    newest = max((r.newest for r in feeds if r.newest), default=None)
    when = f"; the newest item is from {newest:%Y-%m-%d %H:%M} UTC" if newest else ""
    if newest is not None and newest >= start:
        return None
    return f"no source published anything new in this period{when}"


def run_today(
    settings: Settings,
    *,
    day: date | None = None,
    now: datetime | None = None,
    urls: Sequence[str] = (),
    fetch_sources: bool = True,
    extra_documents: Sequence[RawDocument] = (),
    progress: Progress | None = None,
) -> RunResult:
    """Produce the day's briefing files from the inbox, the feeds, ``urls`` and the store."""
    say = progress or (lambda message: None)
    now = now or datetime.now(UTC)
    start, end = window(day, now, settings.window_hours, settings.timezone)
    gathered = gather(settings, start, end, now=now, urls=urls, fetch_sources=fetch_sources,
                      extra_documents=extra_documents, say=say)
    articles, out_of_window = select(gathered.candidates, start, end, keep=gathered.requested)
    coverage = Coverage(
        articles_read=len(gathered.candidates) + len(gathered.skipped),
        out_of_window=out_of_window,
        skipped=gathered.skipped,
        undated=[defang(a.title) for a in articles if a.undated],
        suspicious_passages=sum(a.suspicious_passages for a in articles),
        duplicates_merged=sum(len(a.sources) - 1 for a in articles if a.sources),
        source_health=gathered.health,
    )
    if not articles:
        raise NothingToReportError(_nothing_message(
            settings.inbox, len(gathered.candidates), gathered.skipped, gathered.health
        ))

    say(f"Grouping {len(articles)} articles")
    developments = group(articles)
    coverage.duplicates_merged += sum(len(s.articles) - 1 for d in developments for s in d.stories)
    developments, coverage.notes = _leading(developments, settings.max_developments)

    backend_name = settings.resolved_backend()
    say(f"Summarising {len(developments)} developments ({backend_name})")
    backend = make_backend(backend_name, settings)
    summary = backend.summarise(developments, SummaryOptions(
        takeaways=settings.takeaways, date=(day or end.date()).isoformat(), focus=settings.focus
    ))
    # Checked whichever backend ran: quotes, numbers and citations must match the sources.
    summary = widen_citations(verify(summary, articles, settings.llm.on_unverified), developments)

    day_label = (day or end.date()).isoformat()
    sitrep = compose(
        summary, developments, coverage,
        title=f"{settings.title} — {day_label}", date=day_label, period=(start, end),
        generated_at=now, warning=gathered.warning or _staleness(articles),
    )
    say("Rendering " + ", ".join(settings.formats))
    paths = render(sitrep, settings.formats, settings.out_dir, settings.templates_dir)
    return RunResult(sitrep=sitrep, paths=paths, articles=articles)


def _leading(
    developments: list[Development], limit: int
) -> tuple[list[Development], list[str]]:
    """The most widely reported developments; a SITREP of hundreds helps no one."""
    shown, rest = developments[:limit], developments[limit:]
    if not rest:
        return shown, []
    articles = sum(len(d.articles) for d in rest)
    return shown, [
        f"{len(rest)} smaller developments ({articles} articles) are not shown; "
        "raise max_developments to include them"
    ]


def _staleness(articles: Sequence[Article]) -> str | None:
    dated = [a.published_at for a in articles if a.published_at is not None]
    if articles and not dated:
        return "no article in this briefing carries a publication date"
    return None


def _nothing_message(
    folders: Sequence[Path], seen: int, skipped: Sequence[Skipped], health: Sequence[str] = ()
) -> str:
    failures = [line for line in health if "failed" in line and not line[:1].isdigit()]
    if failures and not seen:
        return f"nothing could be fetched: {failures[0]}" + (
            f" (and {len(failures) - 1} more)" if len(failures) > 1 else "")
    where = ", ".join(str(f) for f in folders) or "(no inbox configured)"
    if seen:
        return (f"no article in {where} falls in the briefing period ({seen} outside it); "
                "try --date YYYY-MM-DD")
    if skipped:
        return (f"no usable article in {where}: {len(skipped)} skipped "
                f"(first: {skipped[0].location}: {skipped[0].reason})")
    return f"no articles found in {where}: add saved pages or pass --inbox DIR"
