"""Line-level removal of site chrome from text copied out of a news page.

A page saved as text ("select all, copy") mixes the story with menus, "Top 5 This
Week" lists, "Related Posts", author bios, comment forms and the site's date widget.
Each line is classified on its own by the rules in chrome.py, plus one piece of state
kept here: after a chrome heading ("Popular Articles"), the headline list under it is
chrome until prose starts again. ``polish`` then removes widget residue glued inside a
paragraph (bullets, wire datelines, author hover cards, browser banners).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from briefing.chrome import (
    BROWSER,
    BYLINE,
    COPYRIGHT,
    HEADINGS,
    LEAD_IN,
    SENTENCE_END,
    count_words,
    headline_like,
    is_bio,
    is_chrome,
    is_date_line,
    is_furniture,
    is_prose,
)
from briefing.text import squash, words

__all__ = [  # the line rules are chrome.py's; these names stay importable from here
    "DATELINE_NOTE",
    "CleanText",
    "clean_lines",
    "clean_paragraphs",
    "count_words",
    "find_dateline",
    "is_chrome",
    "is_date_line",
    "is_prose",
    "polish",
    "strip_lead_dateline",
    "unwrap",
]
@dataclass
class CleanText:
    """Story paragraphs recovered from a noisy page, with what the chrome told us."""

    paragraphs: list[str]
    title: str | None = None
    byline: str | None = None
    date_lines: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    site: str | None = None
    dateline: str | None = None  # "BEIRUT (Reuters)": taken off the story's first line



def _looks_wrapped(lines: list[str]) -> bool:
    """True when the text was hard-wrapped (newsletters, mail): many long unfinished lines."""
    filled = [line.rstrip() for line in lines if line.strip()]
    unfinished = [
        line for line in filled if 50 <= len(line) <= 100 and not SENTENCE_END.search(line)
    ]
    return len(filled) >= 6 and len(unfinished) >= 0.3 * len(filled)



def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs; leave one-paragraph-a-line text alone."""
    if not _looks_wrapped(lines):
        return lines
    out: list[str] = []
    joinable = False  # the previous line was a wrapped, unfinished prose line
    for raw in lines:
        line = raw.strip()
        if joinable and line and not (is_chrome(line) or BYLINE.match(line)):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        current = out[-1] if out else ""
        joinable = bool(line) and len(raw.rstrip()) >= 50 and not SENTENCE_END.search(line) and (
            len(current.split()) > 12 or raw.rstrip().endswith(",")
            or line.split()[-1][:1].islower()
        )
    return out



def clean_lines(lines: list[str]) -> CleanText:
    """Story paragraphs, title, byline and date lines from the lines of a page."""
    lines = unwrap(lines)
    out = CleanText(paragraphs=[])
    in_block = False
    candidates: list[str] = []  # headline-like lines seen before the first paragraph
    hinted: set[str] = set()  # candidates right above a byline or date line
    previous: str | None = None  # the last headline-like line, while nothing else followed
    for raw in lines:
        line = squash(raw)
        if not line:
            continue
        headline = None
        if HEADINGS.match(line) or LEAD_IN.match(line):
            in_block = True
            out.removed.append(line)
        elif is_date_line(line) or (BYLINE.match(line) and not out.paragraphs):
            if is_date_line(line):
                out.date_lines.append(line)
            else:
                out.byline = re.sub(r"^(written |words |reporting )?by\s+", "", line, flags=re.I)
            if previous is not None and not out.paragraphs:
                hinted.add(previous)  # a headline may follow a chrome list: it ends it
                if previous not in candidates:
                    candidates.append(previous)
            in_block = False
        elif is_furniture(line) or is_bio(line):
            out.removed.append(line)
            if (found := COPYRIGHT.match(line)) and out.site is None:
                out.site = found.group("site").strip()
        elif is_prose(line := polish(line)) and not (in_block and len(line.split()) < 20):
            if not out.paragraphs and candidates:
                out.title = _best_title(candidates, hinted, line)
            out.paragraphs.append(line)
            in_block = False
        else:
            if headline_like(line):
                headline = line
                if not in_block:
                    candidates.append(line)
            out.removed.append(line)
        previous = headline
    if out.title is not None and out.title in out.removed:
        out.removed.remove(out.title)
    script_dateline, out.paragraphs = strip_lead_dateline(out.paragraphs)
    out.dateline = find_dateline(lines) or script_dateline
    return out



def _best_title(candidates: list[str], hinted: set[str], first_paragraph: str) -> str:
    """The story's headline among the headline-like lines above its first paragraph.

    A headline shares words with the story's lead; a line right above the byline or
    dateline is the headline too, unless it shares nothing (a menu above the site's
    date widget). Ties go to the line nearest the story.
    """
    body = set(words(first_paragraph))

    def score(index: int) -> tuple[bool, bool, int, int]:
        line = candidates[index]
        overlap = len({w for w in words(line) if len(w) > 3} & body)
        return (overlap > 0, line in hinted, overlap, index)

    return candidates[max(range(len(candidates)), key=score)]



def clean_paragraphs(paragraphs: list[str], links: frozenset[str] = frozenset()) -> list[str]:
    """Drop chrome lines that slipped through an HTML extractor; keep the rest as is.

    ``links`` holds the page's link texts (squashed): a list of them after the story's
    last sentence is the site's list of other stories.
    """
    kept: list[str] = []
    in_block = False  # under a chrome heading: only a long prose paragraph ends it
    in_list = False  # under "Related: ...": the bulleted links end at the next prose
    for paragraph in paragraphs:
        line = squash(paragraph)
        if not line:
            continue
        if HEADINGS.match(line):
            in_block = True
            continue
        if LEAD_IN.match(line):
            in_list = True
            continue
        bulleted = bool(_LEADING_BULLET.match(line))
        line = polish(line)
        if not line or is_furniture(line) or is_bio(line) or is_date_line(line):
            continue
        if in_block and not (is_prose(line) and len(line.split()) >= 20):
            continue
        if in_list and (bulleted or not is_prose(line)):
            continue
        in_block = in_list = False
        kept.append(line)
    return _without_link_lists(kept, links)



def _without_link_lists(kept: list[str], links: frozenset[str]) -> list[str]:
    """Drop runs of link-only lines: three or more anywhere, two or more at the end.

    Those are the site's lists of other stories; a list that the line before it
    introduces ("Tour dates:") is the story's own.
    """
    out: list[str] = []
    index = 0
    while index < len(kept):
        end = index
        while end < len(kept) and kept[end] in links and not is_prose(kept[end]):
            end += 1
        run = end - index
        introduced = bool(out) and out[-1].endswith(":")
        if run >= (2 if end == len(kept) else 3) and not introduced:
            index = end
            continue
        out.extend(kept[index : max(end, index + 1)])
        index = max(end, index + 1)
    return out



# Residue inside a paragraph: what a page's widgets leave glued to the story's text.
_LEADING_BULLET = re.compile(r"^\s*(?:[-–—•·▪►*]|\d{1,2}[.)])\s+(?=\S)")

_SHORTCODE = re.compile(r"\[[a-z_]+\s+[a-z_]+=[^\]]*\]|\[/[a-z_]+\]")  # not "[a]", "[sic]"

_DATELINE = re.compile(
    r"(?:^|(?<=[.!?”\"’] ))"
    r"[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3}"  # the place, in capitals: BEIRUT, NEW YORK
    r"(?:, [A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,2})?"  # its region or country
    r"(?:,? [A-Z][a-z]{2,8}\.? \d{1,2})?"  # the day some wires add: "Dec 1"
    r"(?: \((?:[A-Z][\w&./ -]{0,30})\))?"  # the agency: (Reuters), (AP)
    r" ?[—–-]{1,2} (?=[A-Z“\"‘'])"
)

_NAME_WORD = r" (?!(?:View|Read|Email|More|See|All)\b)[A-Z][\w'’.-]++"

_HOVER_CARD = re.compile(  # author widgets: "Follow Jane Roe", "View profile", "12K followers"
    rf"\s*(?:\b(?:Un)?Follow(?:{_NAME_WORD}){{0,3}}(?: on (?:Twitter|X|LinkedIn|Facebook))?"
    r"|\bView (?:full )?profile|\bRead (?:full )?bio|\bEmail (?:the )?author"
    r"|\b\d[\d,.]*[KkMm]? [Ff]ollowers"
    rf"|\b(?:More|See all|All) (?:articles|stories|posts|news) (?:by|from)(?:{_NAME_WORD}){{1,3}})"
    r"(?:\s*[|·•,])?"
)

_HOVER_CUES = ("follow", "profile", "bio", "author", "articles", "stories", "posts", "news")

# A cheap test before the dateline pattern: a dash after a word or an agency's ")". The
# word may end in lower case or a digit: "IDLIB, Syria —", "NEW YORK, Dec 9 —".
_DASHES = re.compile(r"[\w)] ?[—–-]{1,2} ")

_DOUBLED_NAME = re.compile(r"\b((?:[A-Z][\w'’.-]+ ){1,2}[A-Z][\w'’.-]+) \1\b")

_GLUED_BROWSER = re.compile(rf"(?:{BROWSER}\s*)+", re.IGNORECASE)



def polish(paragraph: str) -> str:
    """Remove widget residue from one paragraph: bullets, datelines, hover cards, banners."""
    text = _LEADING_BULLET.sub("", paragraph)
    if "[" in text:
        text = _SHORTCODE.sub(" ", text)  # a CMS's [button link=...] markup left as text
    lowered = text.lower()
    # Cheap substring checks first: these patterns are rare and costly to scan for.
    if "browser" in lowered or "javascript" in lowered:
        text = _GLUED_BROWSER.sub(" ", text)
    if any(cue in lowered for cue in _HOVER_CUES) and _HOVER_CARD.search(text):
        text = _DOUBLED_NAME.sub(r"\1", _HOVER_CARD.sub(" ", text))
    if _DASHES.search(text):
        text = _DATELINE.sub("", squash(text))
    return squash(text)



DATELINE_NOTE = "dateline: "  # an Article note: the place a wire dateline gave

_DATELINE_SCAN = 60  # lines: a dateline opens the story, near the top of the page



def find_dateline(lines: Iterable[str]) -> str | None:
    """The wire dateline opening the story ("BEIRUT (Reuters)"), which polish strips.

    Only a dateline on a line that reads as prose once stripped counts: a menu such as
    "HOME - News" is not one.
    """
    for line in itertools.islice((line for line in lines if line.strip()), _DATELINE_SCAN):
        text = squash(_LEADING_BULLET.sub("", line))
        if not _DASHES.search(text) or not (found := _DATELINE.match(text)):
            continue
        if is_prose(polish(text)):
            return re.sub(r"\s*[—–-]+\s*$", "", found.group(0))
    return None



# Datelines in scripts the capitals rule cannot see. Arabic, Persian, Hebrew and the
# Indic scripts have no capital letters, so position stands in for case: a short
# place name (and agency) then a dash, on the story's first line only. Chinese wires
# open with a fixed formula: "本报讯", "本报北京11月26日讯", "新华社北京11月26日电".
_CASELESS_WORD = r"[^\W\d_a-zA-Z]+"
_CASELESS_DATELINE = re.compile(
    rf"^({_CASELESS_WORD}(?:[ ،,]+{_CASELESS_WORD}){{0,2}}"  # the place: اللاذقية, دمشق، سوريا
    r"(?: ?[(（][^()（）]{1,30}[)）])?)"  # the agency: (رويترز)
    r" ?[—–-]{1,2} (?=\S)"
)
_CJK_DATE = r"(?:\d{4}年)?\d{1,2}月\d{1,2}日"
_CHINESE_DATELINE = re.compile(
    r"^[【\[]?("
    rf"本报(?:[\u4e00-\u9fff]{{0,8}}?{_CJK_DATE})?讯"  # a paper's own: 本报讯, 本报北京11月26日讯
    rf"|[\u4e00-\u9fffA-Za-z]{{2,12}}?{_CJK_DATE}电"  # an agency's: 新华社北京11月26日电
    r")[】\]]?"
    r"(?:\s*[（(][^（）()]{1,30}[）)])?"  # the reporter: （记者 张三）
    r"[\s:：]*(?=\S)"
)


def _caseless(text: str) -> bool:
    """True when ``text`` has letters and none of them has case (Arabic, Hebrew, Hindi)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.lower() != c.upper() for c in letters)


def _lead_dateline(paragraph: str) -> tuple[str | None, str]:
    """A caseless-script or Chinese wire dateline opening ``paragraph``, and the rest."""
    found = _CHINESE_DATELINE.match(paragraph)
    if found is None and (found := _CASELESS_DATELINE.match(paragraph)) is not None:
        place = re.sub(r"[(（].*", "", found.group(1))
        found = found if _caseless(place) else None
    rest = paragraph[found.end() :] if found else paragraph
    if found is None or not is_prose(rest):
        return None, paragraph
    return found.group(1).strip(), rest


def strip_lead_dateline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Take a caseless-script or Chinese dateline off the story's first prose paragraph.

    Only the first: further in, a short phrase before a dash is as likely the story's
    own words. Returns the dateline (None when there was none) and the paragraphs.
    """
    for index, paragraph in enumerate(paragraphs):
        if is_prose(paragraph):
            dateline, rest = _lead_dateline(paragraph)
            if dateline is None:
                break
            return dateline, [*paragraphs[:index], rest, *paragraphs[index + 1 :]]
    return None, paragraphs
