"""Structural signals that do not depend on how an attack is worded.

News reports on the world; it does not talk about itself. A sentence that refers to
the very text it sits in ("this page", "diesen Text", "本文") and says what must be
made of it, or that heads a passage with an address to whoever processes that text,
is speaking to its reader-machine, whatever words it uses for the machine.
"""

from __future__ import annotations

import re

from briefing.safety.lexicon import COMPILED as P

# "Note for …:", "Hinweis für …:", "给 …：": a heading that turns to an addressee.
# The preposition opens the heading or follows its first words ("Note for", "Hinweis für").
_ADDRESSEE = re.compile(
    r"^(?:\w+\s+){0,2}?(?:(?:to|for|für|an (?:die|das|den|alle|jede)|pour|à|aux|para|"
    r"a (?:quien|los|las|la|cualquier))\b|для|к\b|всем|إلى|الى|给|致)", re.I
)
# "Corrections to this article:", "Update on this story:": the text is the topic, not the reader.
_ABOUT_THE_TEXT = re.compile(r"\b(?:to|for|in|on|of|about|à|pour|für|zu|para|a)\s*$", re.I)


def _names_its_reader(head: str) -> bool:
    """A heading that addresses whoever handles this text ("Note for anyone reading this page")."""
    if P["worked_on"].search(head):
        return True
    ref = P["self_ref"].search(head)
    return bool(ref and _ADDRESSEE.match(" ".join(head.split()[:3]))
                and not _ABOUT_THE_TEXT.search(head[: ref.start()]))


def about_this_text(text: str) -> str | None:
    """Why ``text`` speaks to whoever processes the page it sits in, or None."""
    if P["self_ref"].search(text) is None:
        return None
    head, colon, _ = [*re.split(r"([:：])", text, maxsplit=1), "", ""][:3]
    # A heading of at most 14 words, the bound detect uses for address headings.
    if colon and len(head.split()) <= 14 and _names_its_reader(head):
        return "addressed to whoever processes this text"
    obligation = P["deontic"].search(text)
    if obligation is None or P["attribution"].search(text[: obligation.start()]):
        return None  # no order, or an order a speaker gave (reported speech)
    # The one obliged is what is made of this text, or whoever makes it: both come
    # before the modal ("Any recap of this piece should..."), unlike "The council
    # must publish a summary of this report", where a named party is obliged.
    subject = text[: obligation.start()]
    if re.match(r"\s*(?:not\s+)?have\b", text[obligation.end():], re.I):
        return None  # "should have said": a correction of the past, not an order
    if P["self_ref"].search(subject) and (P["derived"].search(subject) or P["worked_on"].search(subject)):
        return "order about what is made of this text"
    return None


# The text set against itself: "whatever the body text says".
_AGAINST_ITSELF = re.compile(
    r"\b(?:whatever|regardless of what|no matter what|despite what|contrary to what|"
    r"irrespective of what)\s+(?:the|this)\s+(?:body\s+)?(?:text|article|story|page|report|copy)\s+"
    r"(?:says|states|reports|claims|shows)\b", re.I
)


def against_itself(text: str) -> str | None:
    """A sentence telling its reader to prefer it over the text it sits in."""
    match = _AGAINST_ITSELF.search(text)
    if match and P["deontic"].search(text):
        return "overrides the text it sits in"
    return None
