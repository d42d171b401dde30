"""Extraction: from a saved page's bytes to an Article with clean text and metadata.

One policy for every source: ``extract_page`` decodes, extracts, cleans and judges a
page, and returns an ``Extraction`` (the article, and whether it would be briefed and
why not) so a page too thin to brief still shows its title and date. HTML goes through
trafilatura (extract_html) after comments and hidden elements are removed (text a
reader cannot see has no place in a briefing, and is where injected instructions
hide). Plain text, Markdown and JSON go through extract_text. Every path ends with the
same chrome pass, the prompt-injection filter and the length check.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass

from pydantic import BaseModel

from briefing.chrome import MIN_WORDS
from briefing.cleaner import count_words, is_date_line
from briefing.errors import SourceError
from briefing.extract_html import from_html
from briefing.extract_text import from_json, from_markdown, from_text
from briefing.hidden import strip_markdown_comments
from briefing.language import detect_language
from briefing.models import (
    FEED_SUMMARY_NOTE,
    Article,
    Quarantined,
    RawDocument,
    SourceRef,
)
from briefing.safety import is_injection, quarantine
from briefing.store import clean_url, text_hash
from briefing.text import split_sentences, squash
from briefing.workers import process_pool

log = logging.getLogger(__name__)

# A feed's own summary stands in for a page that cannot be fetched: RSS summaries are a
# sentence or two, so only an empty-sounding one (a bare headline) is refused.
MIN_SUMMARY_WORDS = 8

POOL_THRESHOLD = 200  # documents before worker processes pay for their start-up (BENCHMARKS.md)



class Extraction(BaseModel):
    """What brief sees of one page: the article, and whether it would be briefed."""

    article: Article
    accepted: bool = True
    reason: str | None = None  # why the page would not be briefed, when it would not
    words: int = 0



def extract_page(raw: RawDocument) -> Extraction:
    """Extract one page with its metadata, accepted or not; raise only when unreadable."""
    text = decode(raw.content, raw.location)
    if raw.media_type == "html":
        article = from_html(text, raw)
    elif raw.media_type == "json":
        article = from_json(text, raw)
    elif raw.media_type == "markdown":
        text, comments = strip_markdown_comments(text)
        article = from_markdown(text, raw)
        article.quarantined += comments
    else:
        article = from_text(text, raw)
    return _finish(article, raw)



def extract_document(raw: RawDocument) -> Article:
    """Turn one collected document into an Article, or raise SourceError saying why not."""
    result = extract_page(raw)
    if not result.accepted:
        raise SourceError(f"{raw.location}: {result.reason}")
    return result.article



def decode(content: bytes, location: str) -> str:
    """Bytes to text: a BOM's encoding, a declared charset, UTF-8, else a detected one."""
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{location}: binary file, not a saved article")
    head = content[:4096]
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", head, re.I) or re.search(
        rb"^\s*<\?xml[^>]+encoding=[\"']([\w-]+)", head, re.I
    )
    encodings = ["utf-8-sig"]
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif declared:
        encodings.insert(0, declared.group(1).decode("ascii", "replace"))
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_binary(text):
            break
        return text
    else:
        # Saved pages without a (right) charset: guess as a browser would.
        guessed = _detected(content)
        if guessed is not None and not _looks_binary(guessed):
            return guessed
    raise SourceError(f"{location}: not valid UTF-8 text (re-save the page as UTF-8)")



def _detected(content: bytes) -> str | None:
    """The text under charset_normalizer's best guess, else Windows-1252 (never fails)."""
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return content.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return content.decode("cp1252", errors="replace")



_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")



def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) > len(sample) * 0.01



def _finish(article: Article, raw: RawDocument) -> Extraction:
    """Shared last steps: injection filter, feed fallbacks, hash, source, acceptance."""
    paragraphs, held = quarantine(article.paragraphs)
    paragraphs = [p for p in paragraphs if not is_date_line(p)]
    article.text = "\n\n".join(paragraphs)
    if article.title and is_injection(article.title):
        held.append(Quarantined(reason="headline addressed to an AI", text=article.title))
        article.title = ""
    article.quarantined += held
    article.suspicious_passages = len(article.quarantined)
    if article.published_at is None and raw.published_at is not None:
        article.published_at, article.date_source = raw.published_at, raw.date_source
    article.title = squash(article.title) or raw.feed_title or _fallback_title(article, raw)
    article.url = clean_url(article.url or raw.url)
    article.fetched_at = raw.fetched_at
    article.content_hash = text_hash(article.text)
    article.language = detect_language(article.text)
    if article.suspicious_passages:
        log.warning(
            "%s: held back %d hidden passage(s) or passage(s) addressed to an AI",
            raw.location,
            article.suspicious_passages,
        )
    article.sources = [
        SourceRef(
            kind=raw.kind,
            location=raw.location,
            url=article.url,
            site=article.site,
            title=article.title,
            name=raw.source_name,
            published_at=article.published_at,
            tag=raw.tag,
            reliability=raw.reliability,
        )
    ]
    if raw.summary_only:
        article.notes.append(FEED_SUMMARY_NOTE)
    found = count_words(article.text)
    if raw.summary_only and found < MIN_SUMMARY_WORDS:
        reason = f"the feed's summary is too short to brief ({found} words)"
        return Extraction(article=article, accepted=False, reason=reason, words=found)
    if not raw.summary_only and found < MIN_WORDS:
        reason = f"too little article text ({found} words); is this a saved article page?"
        return Extraction(article=article, accepted=False, reason=reason, words=found)
    return Extraction(article=article, words=found)



_MAX_TITLE_WORDS = 30



def _fallback_title(article: Article, raw: RawDocument) -> str:
    """No headline found: the first sentence when it is short, else the file's name."""
    paragraphs = article.paragraphs
    first = split_sentences(paragraphs[0])[0] if paragraphs else ""
    if first and count_words(first) <= _MAX_TITLE_WORDS:
        return squash(first)
    name = raw.location.rstrip("/").rsplit("/", 1)[-1]
    return squash(re.sub(r"[-_]+", " ", name.rsplit(".", 1)[0])) or raw.location



def extract_safely(raw: RawDocument) -> Article | SourceError:
    """extract_document that returns its error instead of raising, for batch runs.

    A bug in a parser on one odd page must not sink the briefing: anything unexpected
    becomes a SourceError naming the file, reported in the coverage section.
    """
    try:
        return extract_document(raw)
    except SourceError as exc:
        return exc
    except Exception as exc:  # a third-party parser failing on one page
        log.debug("extraction of %s failed", raw.location, exc_info=True)
        return SourceError(f"{raw.location}: extraction failed ({type(exc).__name__}: {exc})")



@dataclass(frozen=True)
class Read:
    """What became of one document: the document read (it, or its stand-in) and the outcome."""

    document: RawDocument
    outcome: Article | SourceError



Extractor = Callable[[RawDocument], "Article | SourceError"]



def read_document(raw: RawDocument, extract: Extractor = extract_safely) -> Read:
    """The one extraction service for every source: ``extract``, never raising.

    A document that cannot be read gives way to its stand-in (a feed item's summary for
    its page); when both fail, the document's own reason is the one reported.
    """
    outcome = _guarded(extract, raw)
    if isinstance(outcome, SourceError) and raw.stand_in is not None:
        stand_in = _guarded(extract, raw.stand_in)
        if not isinstance(stand_in, SourceError):
            return Read(raw.stand_in, stand_in)
        log.info("stand-in for %s unusable: %s", raw.location, stand_in)
    return Read(raw, outcome)



def _guarded(extract: Extractor, raw: RawDocument) -> Article | SourceError:
    """``extract`` with whatever it raises turned into a SourceError for this document."""
    try:
        return extract(raw)
    except SourceError as exc:
        return exc
    except Exception as exc:  # an extractor that raised instead of returning its error
        log.debug("extraction of %s failed", raw.location, exc_info=True)
        return SourceError(
            f"extraction failed ({type(exc).__name__}: {exc})", location=raw.location
        )



def outcome_of(raw: RawDocument) -> Article | SourceError:
    """``read_document``'s outcome alone (module level: worker processes pickle it)."""
    return read_document(raw).outcome


def extract_many(
    documents: Iterable[RawDocument], workers: int = 1, window: int = 64
) -> Iterator[tuple[RawDocument, Article | SourceError]]:
    """Extract documents in order through ``read_document``, on ``workers`` processes once
    the run is big enough.

    At most ``window`` documents are in flight, so memory stays bounded however large
    the inbox; small runs never pay for starting worker processes.
    """
    iterator = iter(documents)
    first = list(itertools.islice(iterator, POOL_THRESHOLD))
    if workers <= 1 or len(first) < POOL_THRESHOLD:
        for raw in itertools.chain(first, iterator):
            yield raw, outcome_of(raw)
        return
    with process_pool(workers) as pool:
        pending: deque[tuple[RawDocument, Future[Article | SourceError]]] = deque()
        try:
            for raw in itertools.chain(first, iterator):
                pending.append((raw, pool.submit(outcome_of, raw)))
                if len(pending) >= window:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        except BaseException:  # interrupted (SIGTERM, Ctrl-C): drop the queued work
            pool.shutdown(wait=False, cancel_futures=True)
            raise
