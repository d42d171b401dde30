"""What site chrome looks like, one line at a time: the rules the cleaner applies.

Headings of other-story lists ("Popular Articles"), boilerplate and promotions, author
bios, lines that are only a date, and the test for prose: story paragraphs end in
sentence punctuation and most of their words are lower case, where chrome reads as
labels and headlines. The cleaner (cleaner.py) walks a page's lines with these.
"""

from __future__ import annotations

import re

from briefing.text import squash, words

HEADINGS = re.compile(
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
BROWSER = (
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
    r"(also|read) (read|also|more):.*|(" + BROWSER + r"\s*)+|"
    r"(get|download) (the|our) app.*|shop now|buy now|sponsored by .{1,60}|promoted by .{1,60}|"
    r"advertisement ?[-–—:]? ?(story|article)? ?continues below.*|"
    r"(like|enjoy(ed)?|liked) this (story|article)\?.*|tell us what you think.*|"
    r"(write to|email|contact) [A-Z][\w'’. -]{1,60} at \S+@\S+.*)$",
    re.IGNORECASE,
)

# A lead-in to other stories: "Related: ...", "SEE MORE: ...", "Also on example.com ...".
LEAD_IN = re.compile(
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

BYLINE = re.compile(r"^(by|written by|words by|reporting by)\s+[A-Z][^.]{1,80}$", re.IGNORECASE)

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

COPYRIGHT = re.compile(
    r"^(?:copyright\s*)?(?:©|\(c\))\s*(?:copyright\s*)?(?:\d{4}\s*)?(?:-\s*\d{4}\s*)?"
    r"(?P<site>[^.|]{3,60}?)(?:\s+(?:ltd|llc|inc|media|group|limited)\b.*|\.|\s*\||$)",
    re.IGNORECASE,
)

SENTENCE_END = re.compile(r"[.!?…。！？]['\"”’)\]」』]*$")



def is_date_line(line: str) -> bool:
    """True for a line that is only a date (a dateline or the site's date widget)."""
    return bool(_DATE_LINE.match(squash(line)))



def is_chrome(line: str) -> bool:
    """True for a line that is site furniture whatever its position."""
    line = squash(line)
    return bool(
        HEADINGS.match(line) or is_furniture(line) or is_date_line(line) or is_bio(line)
    )



_SEPARATORS = re.compile(r"\s+[|·•/]\s+")



def is_furniture(line: str) -> bool:
    """Boilerplate, promotions and contact boxes, or a bar of labels ("Share | Tweet")."""
    if _BOILERPLATE.match(line) or (_PROMO.search(line) and len(line.split()) < _PROMO_WORDS):
        return True
    if len(_CONTACT.findall(line)) >= 2:
        return True  # a contact box: two or more numbers or addresses to reach the site
    parts = _SEPARATORS.split(line)
    return len(parts) > 1 and all(_BOILERPLATE.match(part.strip()) for part in parts)



def is_bio(line: str) -> bool:
    """True for an author's bio line ("Jane Roe is a correspondent covering ...")."""
    return bool(_BIO.match(line)) and bool(_BIO_HINTS.search(line))



def is_prose(line: str) -> bool:
    """True for a line that reads as a story paragraph rather than a label or headline."""
    tokens = line.split()
    size = count_words(line)  # Chinese and Japanese are counted by character
    if size < 4:
        return False
    if not SENTENCE_END.search(line) and size < 25:
        return False
    lowered = [w for w in words(line) if len(w) > 3]
    capitalised = sum(1 for t in tokens if t[:1].isupper() and len(t) > 3)
    # German capitalises every noun: a long line ending a sentence reads as prose even
    # with most words capitalised, where a title-cased headline or menu stays short
    limit = 0.8 if SENTENCE_END.search(line) and size >= 15 else 0.6
    return not lowered or capitalised / max(1, len(lowered)) < limit



def headline_like(line: str) -> bool:
    """True for a short line without closing punctuation: a headline or a label."""
    size = count_words(line)
    longest = 40 if _UNSPACED.search(line) else 25  # a CJK headline runs to ~40 characters
    return 3 <= size <= longest and not line.endswith((".", ":", ";", ",", "。"))



MIN_WORDS = 40  # below this a page has no story worth briefing
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
