"""Line-level removal of site chrome from text copied out of a news page.

A page saved as text ("select all, copy") mixes the story with menus, "Top 5 This
Week" lists, "Related Posts", author bios, comment forms and the site's date widget.
Story paragraphs read as prose: they end in sentence punctuation and most of their
words are lower case. Chrome reads as labels and headlines. Each line is classified on
its own, plus one piece of state: after a chrome heading ("Popular Articles"), the
headline list under it is chrome until prose starts again.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from briefing.text import squash, words

_HEADINGS = re.compile(
    r"^(top \d+ (this|of the) (week|day|month)|top stories|related( posts| articles| stories)?|"
    r"popular( articles| posts| stories| now)?|most (read|popular|viewed|shared)|trending( now)?|"
    r"recommended( for you)?|you (may|might) (also )?like|more (from|in|on) .{1,40}|"
    r"latest( news| articles| posts)?|editor'?s picks|must read|read (also|more|next)|"
    r"leave a (reply|comment)|comments?( \(\d+\))?|\d+ comments?|"
    r"(subscribe|sign up)( to| for)?( our)?( daily| weekly| free)? newsletter.*|newsletter|"
    r"follow us.*|share this( article| story)?|tags?:?|categories|in this article|"
    r"about the author|see also|promoted( stories| content| links)?|from (our|the) partners|"
    r"(sponsored|partner|paid) (content|stories|links|post)|around the web|"
    r"recommended by \w+|more stories)[:.!]?$",
    re.IGNORECASE,
)

# "Your browser is not supported" banners, whole or glued into the story's first line.
_BROWSER = (
    r"(?:(?:your|this) (?:web )?browser (?:is (?:not|no longer) supported|is (?:out of date|"
    r"outdated|unsupported)|does not support)|you are using an? (?:outdated|unsupported|old)"
    r" browser|please (?:update|upgrade|switch) (?:your|to a (?:newer|modern|supported))"
    r" browser|(?:please )?enable javascript|javascript (?:is )?(?:disabled|required))"
    r"[^.!]{0,160}[.!]?"
)
_BOILERPLATE = re.compile(
    r"^(please enter your (comment|name|email).*|you have entered an incorrect email.*|"
    r"save my name, email,? and website.*|post comment|submit|name\*?|email\*?|website|"
    r"comment:?|reply|cancel reply|log ?in|sign ?in|sign up|register|subscribe( now)?|"
    r"share( (on|via|to|with) [\w ]{1,20})?|tweet|pin( it)?|whatsapp|telegram|linkedin|facebook|twitter|x|reddit|"
    r"email|print|copy link|read more.*|continue reading.*|click here.*|home|menu|search|"
    r"skip to (main )?content|close|accept( all)?( cookies)?|reject( all)?|"
    r"(©|\(c\)|copyright).*|all rights reserved.*|privacy( policy)?|terms( of (use|service))?|"
    r"cookie (policy|settings)|contact( us)?|about( us)?|advertise( with us)?|"
    r"we use cookies.*|this (site|website) uses cookies.*|by continuing to (use|browse).*|"
    r"enter your email( address)?.*|your email address will not be published.*|"
    r"required fields are marked.*|image:.*|photo:.*|photograph:.*|credit:.*|"
    r"(file )?photo by .*|getty images|reuters/.*|listen to this article.*|"
    r"\d+ min(ute)?s? read|updated:? .{0,40}|published:? .{0,40}|"
    r"(previous|next) (article|post).*|load more|show more|view all.*|see all.*|"
    r"back to top|powered by .*|rss|podcasts?|videos?|newsletters?|"
    r"(thank you|thanks) for (reading|subscribing).*|support (our|independent) journalism.*|"
    r"donate.*|join (us|our).*|get the latest.*|don't miss.*|advertisement|sponsored( content)?|"
    r"(also|read) (read|also|more):.*|(" + _BROWSER + r"\s*)+|"
    r"(get|download) (the|our) app.*|shop now|buy now|sponsored by .{1,60}|promoted by .{1,60}|"
    r"advertisement ?[-–—:]? ?(story|article)? ?continues below.*|"
    r"(like|enjoy(ed)?|liked) this (story|article)\?.*|tell us what you think.*|"
    r"(write to|email|contact) [A-Z][\w'’. -]{1,60} at \S+@\S+.*)$",
    re.IGNORECASE,
)

# A lead-in to other stories: "Related: ...", "SEE MORE: ...", "Also on example.com ...".
_LEAD_IN = re.compile(
    r"^(related( stories| articles| coverage)?|see (more|also)|read (more|also|next)|more|"
    r"watch|listen|recommended|don't miss)\b\s*[:|-]|^also on [\w.-]+\.[a-z]{2,}\b",
    re.IGNORECASE,
)
# A promotion inside the story's column: subscription offers, calls to click.
_PROMO = re.compile(
    r"\b(click here|subscribe (now|today|to our)|sign up (now|today|for (our|the|a) free)|"
    r"for as little as|free (daily|weekly) newsletter|delivered (to|through) your "
    r"(door|letterbox|inbox)|customer service (center|centre|team) can be contacted)\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(  # phone, fax, toll-free and e-mail details
    r"\b(?:(?:tele)?phone|tel\.|fax|toll[- ]free(?: number)?)\b[^.\n]{0,40}?[+(]?\d[\d ()-]{5,}"
    r"|\be-?mail:?\s*\S+@\S+",
    re.IGNORECASE,
)
_PROMO_WORDS = 60  # longer than this, a paragraph is the story quoting an offer
_SHORTCODE = re.compile(r"\[[a-z_]+\s+[a-z_]+=[^\]]*\]|\[/[a-z_]+\]")  # not "[a]", "[sic]"
_BIO = re.compile(
    r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3} (is|has been|was) (an? |the )?[\w\s,-]{0,60}?"
    r"\b(correspondent|reporter|journalist|editor|writer|contributor|columnist|"
    r"analyst|producer|freelancer|stringer|photographer|author)\b",
)
_BIO_HINTS = re.compile(
    r"\b(covering|covers|based in|has reported|has written|follow (him|her|them)|writes (about|on)|"
    r"previously worked|joined .{1,40} in \d{4}|reach (him|her|them)|can be reached|"
    r"specialis|specializ|contact (him|her|them))\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(by|written by|words by|reporting by)\s+[A-Z][^.]{1,80}$", re.IGNORECASE)
_MONTHS = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?)"
)
_DAYS = r"(mon|tues|wednes|thurs|fri|satur|sun)day"
_DATE_LINE = re.compile(
    rf"^((published|updated|posted|last updated|date)\s*(on|at)?:?\s*)?({_DAYS},?\s*)?"
    rf"(\d{{1,2}}\s+{_MONTHS}\.?,?\s+\d{{4}}|{_MONTHS}\.?\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}})([\s,T|-]*(at\s*)?\d{{1,2}}[:.]\d{{2}}(:\d{{2}})?\s*"
    rf"(a\.?m\.?|p\.?m\.?)?\s*([A-Z]{{2,4}}|Z|[+-]\d{{2}}:?\d{{2}})?)?\s*$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"^(?:copyright\s*)?(?:©|\(c\))\s*(?:copyright\s*)?(?:\d{4}\s*)?(?:-\s*\d{4}\s*)?"
    r"(?P<site>[^.|]{3,60}?)(?:\s+(?:ltd|llc|inc|media|group|limited)\b.*|\.|\s*\||$)",
    re.IGNORECASE,
)
_END = re.compile(r"[.!?…。！？]['\"”’)\]」』]*$")


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


def is_date_line(line: str) -> bool:
    """True for a line that is only a date (a dateline or the site's date widget)."""
    return bool(_DATE_LINE.match(squash(line)))


def is_chrome(line: str) -> bool:
    """True for a line that is site furniture whatever its position."""
    line = squash(line)
    return bool(
        _HEADINGS.match(line) or _is_furniture(line) or is_date_line(line) or _is_bio(line)
    )


_SEPARATORS = re.compile(r"\s+[|·•/]\s+")


def _is_furniture(line: str) -> bool:
    """Boilerplate, promotions and contact boxes, or a bar of labels ("Share | Tweet")."""
    if _BOILERPLATE.match(line) or (_PROMO.search(line) and len(line.split()) < _PROMO_WORDS):
        return True
    if len(_CONTACT.findall(line)) >= 2:
        return True  # a contact box: two or more numbers or addresses to reach the site
    parts = _SEPARATORS.split(line)
    return len(parts) > 1 and all(_BOILERPLATE.match(part.strip()) for part in parts)


def _is_bio(line: str) -> bool:
    return bool(_BIO.match(line)) and bool(_BIO_HINTS.search(line))


def is_prose(line: str) -> bool:
    """True for a line that reads as a story paragraph rather than a label or headline."""
    tokens = line.split()
    size = count_words(line)  # Chinese and Japanese are counted by character
    if size < 4:
        return False
    if not _END.search(line) and size < 25:
        return False
    lowered = [w for w in words(line) if len(w) > 3]
    capitalised = sum(1 for t in tokens if t[:1].isupper() and len(t) > 3)
    # German capitalises every noun: a long line ending a sentence reads as prose even
    # with most words capitalised, where a title-cased headline or menu stays short
    limit = 0.8 if _END.search(line) and size >= 15 else 0.6
    return not lowered or capitalised / max(1, len(lowered)) < limit


def _headline_like(line: str) -> bool:
    size = count_words(line)
    longest = 40 if _UNSPACED.search(line) else 25  # a CJK headline runs to ~40 characters
    return 3 <= size <= longest and not line.endswith((".", ":", ";", ",", "。"))


def _looks_wrapped(lines: list[str]) -> bool:
    """True when the text was hard-wrapped (newsletters, mail): many long unfinished lines."""
    filled = [line.rstrip() for line in lines if line.strip()]
    unfinished = [
        line for line in filled if 50 <= len(line) <= 100 and not _END.search(line)
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
        if joinable and line and not (is_chrome(line) or _BYLINE.match(line)):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        current = out[-1] if out else ""
        joinable = bool(line) and len(raw.rstrip()) >= 50 and not _END.search(line) and (
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
        if _HEADINGS.match(line) or _LEAD_IN.match(line):
            in_block = True
            out.removed.append(line)
        elif is_date_line(line) or (_BYLINE.match(line) and not out.paragraphs):
            if is_date_line(line):
                out.date_lines.append(line)
            else:
                out.byline = re.sub(r"^(written |words |reporting )?by\s+", "", line, flags=re.I)
            if previous is not None and not out.paragraphs:
                hinted.add(previous)  # a headline may follow a chrome list: it ends it
                if previous not in candidates:
                    candidates.append(previous)
            in_block = False
        elif _is_furniture(line) or _is_bio(line):
            out.removed.append(line)
            if (found := _COPYRIGHT.match(line)) and out.site is None:
                out.site = found.group("site").strip()
        elif is_prose(line := polish(line)) and not (in_block and len(line.split()) < 20):
            if not out.paragraphs and candidates:
                out.title = _best_title(candidates, hinted, line)
            out.paragraphs.append(line)
            in_block = False
        else:
            if _headline_like(line):
                headline = line
                if not in_block:
                    candidates.append(line)
            out.removed.append(line)
        previous = headline
    if out.title is not None and out.title in out.removed:
        out.removed.remove(out.title)
    out.dateline = find_dateline(lines)
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
        if _HEADINGS.match(line):
            in_block = True
            continue
        if _LEAD_IN.match(line):
            in_list = True
            continue
        bulleted = bool(_LEADING_BULLET.match(line))
        line = polish(line)
        if not line or _is_furniture(line) or _is_bio(line) or is_date_line(line):
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
_DASHES = re.compile(r"[A-Z)] ?[—–-]{1,2} ")
_DOUBLED_NAME = re.compile(r"\b((?:[A-Z][\w'’.-]+ ){1,2}[A-Z][\w'’.-]+) \1\b")
_GLUED_BROWSER = re.compile(rf"(?:{_BROWSER}\s*)+", re.IGNORECASE)


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


_UNSPACED = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f"
    r"\u1780-\u17ff]"
)


def count_words(text: str) -> int:
    """Words in any script: space-separated tokens, plus one per CJK/Thai character.

    Chinese, Japanese, Thai, Lao, Khmer and Burmese are written without spaces, so
    their characters are counted instead (a character is about a word's worth).
    """
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    return unspaced + len(_UNSPACED.sub(" ", text).split())
