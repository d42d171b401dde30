"""Normalising text before judging it: what an attacker's spelling tricks hide.

NFKC first (full-width and styled letters), then invisible characters out (zero-width
joiners, soft hyphens, bidi controls), then look-alike letters folded to Latin with
Unicode's confusables table (shipped by ``confusable-homoglyphs``), but only inside
words that are mostly Latin, so Greek and Russian prose keeps its own letters.
Encoded blobs (base64, hex, rot13, URL escapes) are decoded so the decoded text can be judged too.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import re
import unicodedata
import urllib.parse

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_BASE64 = re.compile(r"(?<![\w/+])[A-Za-z0-9+/]{24,}={0,2}(?![\w/+])")
# Words that make up a large share of any English sentence: rot13 text has almost none.
_ENGLISH_COMMON = frozenset({
    "the", "a", "an", "and", "or", "to", "of", "in", "on", "at", "for", "that", "this", "is",
    "are", "was", "be", "with", "by", "as", "it", "you", "your", "all", "say", "said", "from",
    "not", "no", "instead", "only", "now",
})


# Unicode's format characters (general category Cf), which render as nothing.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
# Words with at least one non-ASCII letter: the only ones folding can change.
_NON_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*")


def strip_invisible(text: str) -> str:
    """Remove zero-width, soft-hyphen and bidi-control characters."""
    return _FORMAT.sub("", _INVISIBLE.sub("", text))


@functools.lru_cache(maxsize=4096)
def _latin_lookalike(char: str) -> str | None:
    """The Latin letter ``char`` is confusable with, from Unicode's confusables table."""
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=False)
    if not found:
        return None
    for glyph in found[0]["homoglyphs"]:
        candidate = glyph["c"]
        if candidate.isascii() and candidate.isalpha():
            # The table's skeleton for capital I is "l"; a capital look-alike means "I".
            return "I" if candidate == "l" and char.isupper() else str(candidate)
    return None


@functools.lru_cache(maxsize=4096)
def _fold_word(word: str, latin_text: bool = True) -> str:
    """A mostly-Latin word with its look-alike letters replaced by the Latin ones."""
    if word.isascii():
        return word
    latin = sum(1 for ch in word if ch.isascii())
    foreign = [ch for ch in word if not ch.isascii()]
    folded = {ch: _latin_lookalike(ch) for ch in set(foreign)}
    mappable = sum(1 for ch in foreign if folded[ch])
    # "Ιgnore" (one Greek letter) or "Аttеntіon" (all look-alikes): fold. Real Greek
    # or Russian words have letters with no Latin twin, so they are left alone.
    # A word of look-alikes only ("АΙ") is folded when short: longer ones are real
    # Cyrillic or Greek words that happen to use shared shapes.
    if mappable == len(foreign) and (latin > 0 or (latin_text and len(word) <= 4)):
        return "".join(folded.get(ch) or ch for ch in word)
    return word


def fold_confusables(text: str) -> str:
    """Fold look-alike letters to Latin inside words that are written in Latin.

    A short word made only of look-alikes ("АΙ") is folded only in mostly-Latin text:
    in Russian or Greek prose such a word ("Не", "на") is a word of that language.
    """
    letters = [ch for ch in text if ch.isalpha()]
    latin_text = sum(ch.isascii() for ch in letters) * 2 >= len(letters)
    return _NON_ASCII_WORD.sub(lambda m: _fold_word(m.group(0), latin_text), text)


@functools.lru_cache(maxsize=1024)
def normalise(text: str) -> str:
    """Text as judged: NFKC, invisible characters out, look-alikes folded to Latin.

    Cached: a sentence is normalised for its own judgement and for its paragraph's.
    """
    if text.isascii():
        return text
    return fold_confusables(strip_invisible(unicodedata.normalize("NFKC", text)))


_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){12,}(?![0-9A-Fa-f])")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def _readable(decoded: str) -> bool:
    letters = sum(ch.isalpha() or ch.isspace() for ch in decoded)
    return bool(decoded) and letters / len(decoded) > 0.8 and " " in decoded


def percent_decoded(text: str) -> str | None:
    """``text`` with URL percent-escapes decoded, when it spells words with them."""
    if len(_PERCENT.findall(text)) < 3:
        return None
    decoded = urllib.parse.unquote(text)
    return decoded if decoded != text else None


def decoded_blobs(text: str) -> list[str]:
    """Readable text hidden in base64 or hex runs inside ``text``."""
    found = []
    for blob in _HEX.findall(text):
        try:
            decoded = bytes.fromhex(blob).decode("utf-8")
        except ValueError:
            continue
        if _readable(decoded):
            found.append(decoded)
    for blob in _BASE64.findall(text):
        padded = blob + "=" * (-len(blob) % 4)
        try:
            decoded = base64.b64decode(padded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if _readable(decoded):
            found.append(decoded)
    return found


_ROT13_COMMON = frozenset(codecs.decode(w, "rot13") for w in _ENGLISH_COMMON)


def _common_share(text: str) -> float:
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(w in _ENGLISH_COMMON for w in words) / len(words) if words else 0.0


def rot13_reading(text: str) -> str | None:
    """The rot13 decoding of ``text`` when it reads as English and the original does not."""
    words = _WORD.findall(text)
    if len(words) < 5:
        return None
    # rot13 maps letters to letters, so the decoding's words are the words decoded one
    # by one; an ASCII word decodes to a common word exactly when it is one encoded.
    decoded_common = sum(
        w.lower() in _ROT13_COMMON if w.isascii()
        else codecs.decode(w, "rot13").lower() in _ENGLISH_COMMON
        for w in words
    )
    share = decoded_common / len(words)
    if share >= 0.15 and share > 3 * _common_share(text):
        return str(codecs.decode(text, "rot13"))
    return None
