"""Extraction of text, Markdown and JSON pages: their story, headline and metadata.

Saved text goes through the line-level chrome cleaner. Markdown is reduced to plain
lines after its front matter (``---`` YAML-style or ``+++`` TOML-style key/value block)
is read: the page's own title, date, URL and site outrank anything guessed from the
text. A JSON item's fields are its metadata as they stand.
"""

from __future__ import annotations

import json
import re

from briefing.cleaner import (
    DATELINE_NOTE,
    clean_lines,
    clean_paragraphs,
    find_dateline,
    strip_lead_dateline,
)
from briefing.dates import date_from_fields, date_from_lines, parse_datetime
from briefing.errors import SourceError
from briefing.models import Article, DateSource, RawDocument
from briefing.text import squash

_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(\r?\n|\Z)", re.S)
_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*?)\s*$")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "published_at", "publishdate", "pubdate", "datepublished")
_URL_KEYS = ("url", "link", "canonical", "source_url", "original_url")
_SITE_KEYS = ("source", "site", "site_name", "publisher")
_AUTHOR_KEYS = ("author", "byline")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")


def from_text(text: str, raw: RawDocument) -> Article:
    """A saved plain-text page: the cleaner finds the story and its headline."""
    return _from_lines(text.splitlines(), raw)


def from_markdown(text: str, raw: RawDocument) -> Article:
    """A Markdown page: front matter first, then the body as plain lines."""
    fields, body = front_matter(text)
    article = _from_lines(_markdown_lines(body), raw)
    heading = _first_heading(body)
    if title := _first(fields, _TITLE_KEYS) or heading:
        article.title = squash(title)
    published = parse_datetime(_first(fields, _DATE_KEYS))
    if published is not None:
        article.published_at, article.date_source = published, DateSource.FRONT_MATTER
    article.url = raw.url or _first(fields, _URL_KEYS) or article.url
    article.site = _first(fields, _SITE_KEYS) or article.site
    article.author = _first(fields, _AUTHOR_KEYS) or article.author
    return article


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The front matter's scalar fields (keys lower-cased) and the text after it."""
    found = _FRONT_MATTER.match(text)
    if not found:
        return {}, text
    fields: dict[str, str] = {}
    for line in found.group(2).splitlines():
        if (field := _FIELD.match(line)) and field.group(2):
            value = field.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields.setdefault(field.group(1).lower(), value.strip())
    return fields, text[found.end() :]


def _first(fields: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((fields[k] for k in keys if fields.get(k)), None)


def _first_heading(body: str) -> str | None:
    """The page's top heading: the first of the highest level used."""
    headings = [(len(m.group(1)), m.group(2)) for m in map(_HEADING.match, body.splitlines()) if m]
    if not headings:
        return None
    top = min(level for level, _ in headings)
    return _plain_inline(next(text for level, text in headings if level == top))


def _plain_inline(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their text
    return re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)


def _markdown_lines(text: str) -> list[str]:
    """Markdown blocks as plain lines: headings become title candidates, links keep text."""
    lines = []
    for block in re.split(r"\n\s*\n", text):
        block = _plain_inline(block)
        block = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", block, flags=re.M)
        lines.append(squash(block))
    return lines


def _from_lines(lines: list[str], raw: RawDocument) -> Article:
    cleaned = clean_lines(lines)
    found = date_from_lines(lines, title=cleaned.title, fetched_at=raw.fetched_at)
    return Article(
        title=cleaned.title or "",
        text="\n\n".join(cleaned.paragraphs),
        author=cleaned.byline,
        site=cleaned.site,
        url=raw.url,
        published_at=found.when if found else None,
        date_source=found.source if found else DateSource.NONE,
        notes=dateline_notes(cleaned.dateline),
    )


def dateline_notes(dateline: str | None) -> list[str]:
    """The Article note keeping a stripped wire dateline's place, when there was one."""
    return [DATELINE_NOTE + dateline] if dateline else []


def from_json(text: str, raw: RawDocument) -> Article:
    """A JSON item ({"title", "text", "url", "published", ...}) as an Article."""
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{raw.location}: invalid JSON ({exc.msg} at line {exc.lineno})"
        ) from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise SourceError(f"{raw.location}: JSON item needs a 'text' string (and a 'title')")
    body = [squash(p) for p in re.split(r"\n\s*\n|\n", item["text"]) if p.strip()]
    found = date_from_fields(item)

    def field(name: str) -> str | None:
        value = item.get(name)
        return value if isinstance(value, str) and value.strip() else None

    script_dateline, paragraphs = strip_lead_dateline(clean_paragraphs(body))
    return Article(
        title=squash(field("title") or ""),
        text="\n\n".join(paragraphs),
        url=field("url") or raw.url,
        site=field("site") or field("source"),
        author=field("author"),
        published_at=found.when if found else None,
        date_source=found.source if found else DateSource.NONE,
        notes=dateline_notes(find_dateline(body) or script_dateline),
    )
