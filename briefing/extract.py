"""Extraction: from a saved page's bytes to an Article with clean text and metadata.

HTML goes through trafilatura in precision mode after hidden elements are removed
(text a reader cannot see has no place in a briefing, and is where injected
instructions hide). Plain text and Markdown go through our own line-level chrome
cleaner. Every path ends with the same chrome pass and the prompt-injection filter.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import Any

from briefing.cleaner import clean_lines, clean_paragraphs, is_date_line
from briefing.dates import date_from_html, date_from_lines, parse_datetime
from briefing.errors import SourceError
from briefing.language import detect_language
from briefing.models import Article, DateSource, RawDocument, SourceRef
from briefing.safety import is_injection, strip_injections
from briefing.store import clean_url, text_hash
from briefing.text import squash
from briefing.workers import process_pool

log = logging.getLogger(__name__)

MIN_WORDS = 40  # below this a page has no story worth briefing
POOL_THRESHOLD = 200  # documents before worker processes pay for their start-up (BENCHMARKS.md)
_HIDDEN_XPATH = (
    "//*[@hidden or @aria-hidden='true' or contains(translate(@style,' ',''),'display:none')"
    " or contains(translate(@style,' ',''),'visibility:hidden')"
    " or contains(translate(@style,' ',''),'font-size:0')]"
)
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "pubdate",
    "publishdate",
    "sailthru.date",
    "parsely-pub-date",
)


def extract_document(raw: RawDocument) -> Article:
    """Turn one collected document into an Article, or raise SourceError saying why not."""
    text = decode(raw.content, raw.location)
    if raw.media_type == "html":
        article = _from_html(text, raw)
    elif raw.media_type == "json":
        article = _from_json(text, raw)
    elif raw.media_type == "markdown":
        article = _from_lines(_markdown_lines(text), raw)
    else:
        article = _from_lines(text.splitlines(), raw)
    return _finish(article, raw)


def decode(content: bytes, location: str) -> str:
    """Bytes to text: UTF-8 (or a BOM's encoding, or a declared HTML charset)."""
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{location}: binary file, not a saved article")
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", content[:4096], re.I)
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
    raise SourceError(f"{location}: not valid UTF-8 text (re-save the page as UTF-8)")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) > len(sample) * 0.01


def _from_html(html: str, raw: RawDocument) -> Article:
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.document_fromstring(html)
    except Exception as exc:  # lxml raises several unrelated types on bad markup
        raise SourceError(f"{raw.location}: cannot parse HTML ({exc})") from None
    meta = _html_metadata(tree)
    hidden_injections = _drop_hidden(tree)
    # The cleaned tree goes straight in: no second parse. Metadata comes from our own
    # reading of the page's tags above, which is cheaper and never guesses a date.
    document = trafilatura.bare_extraction(
        tree,
        url=raw.url,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        with_metadata=False,
    )
    body = getattr(document, "text", None)
    paragraphs = clean_paragraphs(body.splitlines()) if isinstance(body, str) else []
    if sum(len(p.split()) for p in paragraphs) < MIN_WORDS:
        # Old layouts (story text loose in a <td>) defeat the extractor: read the page
        # as a person would, line by line, with the same cleaner as for saved text.
        paragraphs = clean_lines(_visible_lines(html)).paragraphs
    if not paragraphs:
        raise SourceError(f"{raw.location}: no article text found in the page")
    found = date_from_html(html, meta.get("published"))
    published = found.when if found else None
    article = Article(
        title=squash(meta.get("title") or getattr(document, "title", None) or ""),
        text="\n\n".join(paragraphs),
        url=raw.url or meta.get("url") or getattr(document, "url", None),
        site=meta.get("site") or getattr(document, "sitename", None),
        author=meta.get("author"),
        published_at=published,
        date_source=found.source if found else DateSource.NONE,
    )
    article.suspicious_passages += hidden_injections
    return article


_BLOCKS = (
    "p", "div", "td", "th", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "section",
    "article", "header", "footer", "nav", "aside", "blockquote", "table", "ul", "ol", "dd", "dt",
)


def _visible_lines(html: str) -> list[str]:
    """The page's visible text, one line per block element or line break."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    _drop_hidden(tree)
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    return str(tree.text_content()).splitlines()


def _drop_hidden(tree: Any) -> int:
    """Remove elements a reader cannot see; count those that address an AI."""
    injections = 0
    for element in tree.xpath(_HIDDEN_XPATH):
        if is_injection(element.text_content()):
            injections += 1
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    for element in tree.xpath("//script|//style|//noscript|//template|//iframe"):
        element.getparent().remove(element)
    return injections


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
        elif key in _DATE_META and "published" not in meta:
            meta["published"] = parse_datetime(content)
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    meta["url"] = canonical[0].strip() if canonical else meta.pop("url_og", None)
    if not meta.get("title"):
        h1 = tree.xpath("//h1")
        titles = tree.xpath("//title")
        meta["title"] = (h1 or titles)[0].text_content() if (h1 or titles) else None
    if meta.get("published") is None:
        meta.pop("published", None)
        for value in tree.xpath("//article//time/@datetime | //time[@pubdate]/@datetime"):
            if (parsed := parse_datetime(value)) is not None:
                meta["published"] = parsed
                break
    return meta


def _from_lines(lines: list[str], raw: RawDocument) -> Article:
    cleaned = clean_lines(lines)
    found = date_from_lines(cleaned.date_lines)
    published = found.when if found else None
    return Article(
        title=cleaned.title or (cleaned.paragraphs[0][:120] if cleaned.paragraphs else ""),
        text="\n\n".join(cleaned.paragraphs),
        author=cleaned.byline,
        site=cleaned.site,
        url=raw.url,
        published_at=published,
        date_source=found.source if found else DateSource.NONE,
    )


def _markdown_lines(text: str) -> list[str]:
    """Markdown blocks as plain lines: headings become title candidates, links keep text."""
    lines = []
    for block in re.split(r"\n\s*\n", text):
        block = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", block)  # images
        block = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", block)  # links keep their text
        block = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", block)
        block = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", block, flags=re.M)
        lines.append(squash(block))
    return lines


def _from_json(text: str, raw: RawDocument) -> Article:
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{raw.location}: invalid JSON ({exc.msg} at line {exc.lineno})"
        ) from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise SourceError(f"{raw.location}: JSON item needs a 'text' string (and a 'title')")
    body = [squash(p) for p in re.split(r"\n\s*\n|\n", item["text"]) if p.strip()]
    published = parse_datetime(str(item.get("published") or item.get("published_at") or ""))
    return Article(
        title=squash(str(item.get("title") or "")),
        text="\n\n".join(clean_paragraphs(body)),
        url=item.get("url") if isinstance(item.get("url"), str) else raw.url,
        site=item.get("site") if isinstance(item.get("site"), str) else None,
        author=item.get("author") if isinstance(item.get("author"), str) else None,
        published_at=published,
        date_source=DateSource.META if published else DateSource.NONE,
    )


def _finish(article: Article, raw: RawDocument) -> Article:
    """Shared last steps: injection filter, feed fallbacks, hash, source reference."""
    paragraphs, injected = strip_injections(article.paragraphs)
    paragraphs = [p for p in paragraphs if not is_date_line(p)]
    article.text = "\n\n".join(paragraphs)
    article.suspicious_passages += injected
    if len(article.text.split()) < MIN_WORDS:
        raise SourceError(
            f"{raw.location}: too little article text ({len(article.text.split())}"
            " words); is this a saved article page?"
        )
    if article.published_at is None and raw.published_at is not None:
        article.published_at, article.date_source = raw.published_at, raw.date_source
    if not article.title:
        article.title = raw.feed_title or article.paragraphs[0][:120]
    article.url = clean_url(article.url or raw.url)
    article.fetched_at = raw.fetched_at
    article.content_hash = text_hash(article.text)
    article.language = detect_language(article.text)
    if injected or article.suspicious_passages:
        log.warning(
            "%s: removed %d passage(s) addressed to an AI",
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
        )
    ]
    return article


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
