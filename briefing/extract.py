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
from typing import Any

from pydantic import BaseModel

from briefing.cleaner import (
    clean_lines,
    clean_paragraphs,
    count_words,
    find_dateline,
    is_date_line,
)
from briefing.dates import date_from_html, parse_html
from briefing.errors import SourceError
from briefing.extract_html import (
    body_text,
    collapse_source_breaks,
    drop_popups,
    strip_comments,
    tables_as_rows,
)
from briefing.extract_text import dateline_notes, from_json, from_markdown, from_text
from briefing.hidden import (
    drop_hidden,
    page_titles,
    rejected_title,
    strip_markdown_comments,
    title_from_page,
)
from briefing.language import detect_language
from briefing.models import (
    FEED_SUMMARY_NOTE,
    Article,
    DateSource,
    Quarantined,
    RawDocument,
    SourceRef,
)
from briefing.safety import is_injection, quarantine
from briefing.store import clean_url, text_hash
from briefing.text import fold, split_sentences, squash
from briefing.workers import process_pool

log = logging.getLogger(__name__)

MIN_WORDS = 40  # below this a page has no story worth briefing
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
        article = _from_html(text, raw)
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


def _from_html(html: str, raw: RawDocument) -> Article:

    try:
        tree = parse_html(html)
    except Exception as exc:  # lxml raises several unrelated types on bad markup
        raise SourceError(f"{raw.location}: cannot parse HTML ({exc})") from None
    # Dated before anything is removed (JSON-LD lives in <script>) or rejected.
    found = date_from_html(html, tree=tree, url=raw.url, fetched_at=raw.fetched_at)
    # A comment node splits the text around it in lxml; trafilatura then loses it.
    strip_comments(tree)
    meta = _html_metadata(tree)
    hidden = drop_hidden(tree)
    if _hid_the_page(tree, hidden):
        # A page hiding more text than it shows hides nothing from a reader: its
        # stylesheet (rules under media queries, blocks a script reveals) was misread.
        # Read it again by its markup and inline styles alone; every sentence still
        # goes through the injection filter.
        tree = parse_html(html)
        strip_comments(tree)
        for style in tree.iter("style"):
            style.text = ""
        hidden = drop_hidden(tree)
    drop_popups(tree)
    tables_as_rows(tree)
    collapse_source_breaks(tree)
    # The cleaned tree goes straight in: no second parse. Metadata comes from our own
    # reading of the page's tags above, which is cheaper and never guesses a date.
    links = frozenset(squash(a.text_content()) for a in tree.iter("a"))
    lines = body_text(tree, raw.url).splitlines()
    paragraphs = clean_paragraphs(lines, links)
    dateline = find_dateline(lines)
    if count_words(" ".join(paragraphs)) < MIN_WORDS:
        # Old layouts (story text loose in a <td>) defeat the extractor: read the page
        # as a person would, line by line, with the same cleaner as for saved text.
        cleaned = clean_lines(_visible_lines(tree))
        paragraphs, dateline = cleaned.paragraphs, cleaned.dateline
    title = squash(
        title_from_page(meta.get("title"), page_titles(tree), "\n".join(paragraphs)) or ""
    )
    if paragraphs and title and fold(paragraphs[0]) in (fold(title), fold(meta.get("h1") or "")):
        paragraphs = paragraphs[1:]  # the headline is the title, not the story's first line
    article = Article(
        title=title,
        text="\n\n".join(paragraphs),
        url=raw.url or meta.get("url"),
        site=meta.get("site"),
        author=meta.get("author"),
        published_at=found.when if found else None,
        date_source=found.source if found else DateSource.NONE,
        notes=dateline_notes(dateline),
    )
    article.quarantined += hidden + rejected_title(meta.get("title"), article.title)
    return article


def _hid_the_page(tree: Any, hidden: list[Quarantined]) -> bool:
    """True when the passages taken as hidden outweigh the text left on the page."""
    held = sum(count_words(q.text) for q in hidden)
    return held > MIN_WORDS and held > count_words(tree.text_content())


_BLOCKS = (
    "p",
    "div",
    "td",
    "th",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
)


def _visible_lines(tree: Any) -> list[str]:
    """The page's visible text, one line per block element or line break.

    The source's own line breaks were made spaces (collapse_source_breaks), so a
    sentence wrapped in the HTML file stays one line.
    """
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    return str(tree.text_content()).splitlines()


def _html_metadata(tree: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for element in tree.xpath("//meta[@content]"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        key, content = key.lower(), element.get("content").strip()
        if key in ("og:title", "twitter:title") and content:
            meta.setdefault("title", content)
        elif key == "og:site_name" and content:
            meta.setdefault("site", content)
        elif key in ("author", "article:author", "dc.creator") and content:
            meta.setdefault("author", content)
        elif key == "og:url" and content:
            meta.setdefault("url_og", content)
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    meta["url"] = canonical[0].strip() if canonical else meta.pop("url_og", None)
    h1 = tree.xpath("//h1")
    meta["h1"] = squash(h1[0].text_content()) if h1 else None
    if not meta.get("title"):
        titles = tree.xpath("//title")
        meta["title"] = (h1 or titles)[0].text_content() if (h1 or titles) else None
    return meta


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


def extract_many(
    documents: Iterable[RawDocument], workers: int = 1, window: int = 64
) -> Iterator[tuple[RawDocument, Article | SourceError]]:
    """Extract documents in order, on ``workers`` processes once the run is big enough.

    At most ``window`` documents are in flight, so memory stays bounded however large
    the inbox; small runs never pay for starting worker processes.
    """
    iterator = iter(documents)
    first = list(itertools.islice(iterator, POOL_THRESHOLD))
    if workers <= 1 or len(first) < POOL_THRESHOLD:
        for raw in itertools.chain(first, iterator):
            yield raw, extract_safely(raw)
        return
    with process_pool(workers) as pool:
        pending: deque[tuple[RawDocument, Future[Article | SourceError]]] = deque()
        try:
            for raw in itertools.chain(first, iterator):
                pending.append((raw, pool.submit(extract_safely, raw)))
                if len(pending) >= window:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
        except BaseException:  # interrupted (SIGTERM, Ctrl-C): drop the queued work
            pool.shutdown(wait=False, cancel_futures=True)
            raise
