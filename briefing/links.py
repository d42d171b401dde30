"""The one URL and link helper: find links in text, defang them, clean and key URLs.

A link is a scheme URL (``https://...``), a ``www.`` host, or a bare domain
(``news.site.org/path``): dotted labels ending in a lowercase top-level label of two or
more letters, as hosts are written. No top-level domain is listed or special-cased, so
a briefing about any site is read the same way; abbreviations ("a.m.", "U.S.", "No.4")
do not look like hosts and are left alone.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

_PATH = r"(?:[/?#][^\s<>\"')\]]*)?"
_SCHEME_OR_WWW = r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+"
_BARE_DOMAIN = r"(?<![\w@.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[a-z]{2,24}(?![\w@-])"
LINK = re.compile(f"{_SCHEME_OR_WWW}|{_BARE_DOMAIN}{_PATH}")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# What a mail client turns into a link by itself: a scheme or a leading www.
_AUTOLINKED = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*)://|\bwww\.")
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_hsenc|_hsmi"
    r"|ref|ref_src|cmpid|ocid|smid|sr_share|at_medium|at_campaign|src)$",
    re.IGNORECASE,
)


def links_in(text: str) -> list[str]:
    """The links in ``text``, trailing punctuation removed."""
    return [m.group().rstrip(".,;:!?") for m in LINK.finditer(text)]


def has_link(text: str) -> bool:
    """True when ``text`` holds a link or an e-mail address."""
    return LINK.search(text) is not None or EMAIL.search(text) is not None


def defang(text: str) -> str:
    """Text that names a URL keeps its words but cannot become a link in a mail client.

    A zero-width space breaks the scheme's ``://`` or the ``www.``.
    """
    return _AUTOLINKED.sub(lambda m: m.group(0)[:-1] + "\u200b" + m.group(0)[-1], text)


def bare(url: str) -> str:
    """A URL without scheme, ``www.`` or trailing slash, lower-cased: for comparison."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")


def clean_url(url: str | None) -> str | None:
    """An http(s) URL without tracking parameters or fragment, for display; else None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not _TRACKING.match(k)]
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))


def canonical_url(url: str | None) -> str | None:
    """The key two URLs of one article share: also without ``www.`` or trailing slash."""
    cleaned = clean_url(url)
    if cleaned is None:
        return None
    parts = urlsplit(cleaned)
    host = (parts.hostname or "").removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), query, ""))



_NETLOC = re.compile(r"[A-Za-z0-9.\-:\[\]@%_~]+")
_URL_PART_SAFE = "/?&=+,;:@!$*%~-._"  # never ( ) < > " ' ` \\ [ ] space or a control


def safe_link(url: str | None) -> str | None:
    """An http(s) URL fit to print as a link in Markdown, HTML or text, else None.

    Any other scheme (``javascript:``, ``data:`` ...) is refused, and every character
    that could close a link or an attribute (``<>()[]"'``, spaces, backslashes,
    backticks, controls) is percent-encoded, so the URL stays the one link its source
    gave.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not hostname:
        return None
    if not _NETLOC.fullmatch(parts.netloc):
        return None
    path, query, fragment = (quote(p, safe=_URL_PART_SAFE) for p in parts[2:])
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, query, fragment))
