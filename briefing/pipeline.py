"""The day's run: prepare the day -> summarise -> verify -> compose -> render.

``prepare.prepare_day`` reads the sources, extracts, stores, applies the period and
groups; this module takes its ``Day`` the rest of the way to the briefing's files.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from briefing import archive, continuity
from briefing.backends.base import SummaryBackend
from briefing.compose import compose
from briefing.config import Settings
from briefing.errors import BackendError, LLMUnavailableError
from briefing.models import Article, Sitrep, SummaryOptions
from briefing.prepare import Day, DayRequest, extract_all, prepare_day, select, window
from briefing.render import check_templates_dir, render
from briefing.verify import verify, widen_citations

log = logging.getLogger(__name__)
Progress = Callable[[str], None]

__all__ = ["DayRequest", "RunResult", "extract_all", "make_backend", "run_today", "select", "summarise",
           "window"]


@dataclass
class RunResult:
    """What a run produced: the briefing, its files, and what it read."""

    sitrep: Sitrep
    paths: dict[str, Path]
    articles: list[Article] = field(default_factory=list)
    day: Day | None = None


def make_backend(name: str, settings: Settings) -> SummaryBackend:
    """The backend by name; the LLM backend is imported only when asked for."""
    if name == "extractive":
        from briefing.backends.extractive import ExtractiveBackend

        return ExtractiveBackend()
    try:
        from briefing.backends.llm import OpenAIBackend
    except ImportError as exc:
        raise BackendError(f"the openai backend is not available: {exc}") from None
    return OpenAIBackend.from_settings(settings)


def summarise(prepared: Day, settings: Settings, say: Progress = lambda message: None) -> Sitrep:
    """Summarise the day's developments, check every statement, compose the Sitrep."""
    backend_name = settings.resolved_backend()
    say(f"Summarising {len(prepared.developments)} developments ({backend_name})")
    backend = make_backend(backend_name, settings)
    options = SummaryOptions(
        takeaways=settings.takeaways, date=prepared.label, focus=settings.focus
    )
    llm_unavailable = None
    try:
        summary = backend.summarise(prepared.developments, options)
    except LLMUnavailableError as exc:  # the briefing still goes out, saying so on top
        log.info("%s: summarising extractively", exc)
        llm_unavailable = exc.reason
        summary = make_backend("extractive", settings).summarise(prepared.developments, options)
    # Checked whichever backend ran: quotes, numbers and citations must match the sources.
    summary = widen_citations(
        verify(summary, prepared.articles, settings.llm.on_unverified), prepared.developments
    )
    sitrep = compose(
        summary, prepared.developments, prepared.coverage,
        title=f"{settings.title} — {prepared.label}", date=prepared.label,
        period=(prepared.start, prepared.end), generated_at=prepared.now,
        warning=prepared.warning,
    )
    sitrep.llm_unavailable = llm_unavailable
    return sitrep


def run_today(
    settings: Settings,
    request: DayRequest | None = None,
    *,
    day: date | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Produce the day's briefing files from the inbox, the feeds, the request and the store.

    ``day`` is short for ``DayRequest(day=day)``.
    """
    say = progress or (lambda message: None)
    check_templates_dir(settings.templates_dir)  # before the sources are read
    request = request or DayRequest(day=day)
    if request.now is None:
        request = replace(request, now=datetime.now(UTC))
    prepared = prepare_day(settings, request, say)
    sitrep = summarise(prepared, settings, say)
    sitrep = continuity.annotate(settings.db_path, settings.out_dir, sitrep, prepared.briefed)
    say("Rendering " + ", ".join(settings.formats))
    paths = render(sitrep, settings.formats, settings.out_dir, settings.templates_dir)
    archive.publish(settings.db_path, settings.out_dir, sitrep, settings.title,
                    settings.templates_dir, settings.formats)
    return RunResult(sitrep=sitrep, paths=paths, articles=prepared.articles, day=prepared)
