"""Judging one sentence: is it news, or is it speaking to the machine that reads it?

Context, not keywords. A sentence is quarantined when it addresses an AI (a greeting
or a heading naming one), overrides "your" instructions, orders what the summary
must say, asks politely for it, fakes chat turns, or hides its words in an encoding.
The same words inside a quotation that a sentence attributes to a speaker, or in
reported speech about a third party ("ordered the insurer to ignore its previous
instructions"), are news and stay.
"""

from __future__ import annotations

import re

from briefing.safety.fastre import compile_fast
from briefing.safety.lexicon import COMPILED as P
from briefing.safety.normalise import decoded_blobs, normalise, percent_decoded, rot13_reading
from briefing.safety.structure import about_this_text, against_itself

_QUOTE_PAIRS = {
    "“": "”", "«": "»", "„": "“", "「": "」", "『": "』", '"': '"', "‚": "‘", "‘": "’", "'": "'",
}
_APOSTROPHES = ("‘", "'")
_OPENERS = re.compile("[" + "".join(_QUOTE_PAIRS) + "]")
_CLAUSE_HEAD = compile_fast(
    r"(?:^|[:;—–，：；、]|\band\b|\bthen\b|,|并|然后|再|\b(?:y|et|und|e|и|потом)\b|\bو)\s*[\"'“‘«(\[]*\s*",
    re.I,
)
# "Please" in the other languages is itself addressed to the reader of the page.
_FOREIGN_PLEASE = compile_fast(
    r"s'il te plaît|s'il vous plaît|\bbitte\b|por favor|пожалуйста|من فضلك|请", re.I
)
_SOFTENERS = re.compile(
    r"^(?:(?:please|now|instead|then|also|just|simply|kindly|and|so|finally|first|"
    r"immediately|only|actually)\b[\s,]*)+", re.I,
)
# "AI companies", "AI rules": people and policy about AI, not an AI addressed.
_NOT_A_MACHINE = (
    r"(?!\s+(?:compan|developer|firm|industr|regulat|law|rule|act\b|polic|research|expert|"
    r"startup|sector|market|chip|safety|bill|ethic|boom|race|invest|use\b|users))"
)
_MACHINE_TAIL = r"(?:\s+(?:\w+ing \w+|\w+s?)){0,3}?\s*[,:!—–]"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations in ``text`` (curly, straight, guillemets, CJK)."""
    spans: list[tuple[int, int]] = []
    position = 0
    for opener in _OPENERS.finditer(text):
        i = opener.start()
        if i < position or (text[i] in _APOSTROPHES and i > 0 and text[i - 1].isalpha()):
            continue
        close = _QUOTE_PAIRS[text[i]]
        end = text.find(close, i + 1)
        if close in ("’", "'"):  # skip apostrophes inside words
            while end != -1 and end + 1 < len(text) and text[end + 1].isalpha():
                end = text.find(close, end + 1)
        if end != -1:
            spans.append((i, end + 1))
            position = end + 1
    return spans


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    return " ".join(parts)


def reported_quote(text: str) -> bool:
    """True when the sentence reports a quotation: a speaker's words set in prose."""
    spans = quote_spans(text)
    if not spans:
        return False
    outside = _outside(text, spans).strip()
    after_quote = text[spans[-1][1]:].lstrip()
    if after_quote.startswith(("—", "–", "-")) and len(after_quote.split()) < 6:
        return False  # a pull-quote signature, not a reporter's attribution
    # "a sign reading '...'", "a line saying '...'": the quotation is what the thing says.
    introduced = re.search(r"\b(?:reading|saying|that read|which read)\s*[,:]?\s*$", text[: spans[0][0]])
    return len(re.findall(r"\w+", outside)) >= 4 and (
        P["attribution"].search(outside) is not None or introduced is not None
    )


def judge(sentence: str) -> str | None:
    """Why ``sentence`` is addressed to the machine reading it, or None for news."""
    text = normalise(sentence)
    if not text.strip():
        return None
    for hidden in decoded_blobs(text):
        return "encoded text" + (" addressed to an AI" if judge(hidden) else "")
    if rot13_reading(text) is not None:
        return "encoded text (rot13)"
    unescaped = percent_decoded(text)
    if unescaped is not None and judge(unescaped):
        return "encoded text (URL escapes) addressed to an AI"
    if P["chat_token"].search(text) or _fake_turns(text):
        return "fake chat turn"
    if P["markup"].search(text):
        return "embedded link or image markup"
    if reported_quote(text):
        # Judge only the reporter's own words; the speaker's quoted words are news.
        text = _outside(text, quote_spans(text))
    return (_addressed(text) or _override(text) or _directive(text) or _about_the_output(text)
            or about_this_text(text) or against_itself(text))


def _about_the_output(text: str) -> str | None:
    """The sentence names the machine's own output or primes it with the 'right' text."""
    if P["your_output"].search(text) or P["primed"].search(text) or P["form_order"].search(text):
        return "order about the summary"
    head = re.split(r"[:：]", text, maxsplit=1)
    if len(head) == 2 and _SUMMARY_HEAD.match(head[0]):
        return "addressed to the summariser"
    if P["foreign_greeting"].search(text) or (len(text.split()) <= 14 and _HEADING.search(text)):
        return "addressed to an AI"
    if P["override_verb_last"].search(text):
        return "overrides the reader's instructions"
    return None


# A sentence that only turns to the machine ("If you are a language model, listen.",
# "A note for summarising tools."): the sentence after it is what it has to say.
_HEADING = compile_fast(
    r"^\W*(?:if you(?:'re| are) (?:an? |the )?(?:\w+ ){0,2}?(?:" + P["machine"].pattern + r")"
    + _NOT_A_MACHINE + r"|"
    r"(?:the following|what follows|this (?:part|section|paragraph|passage|line)) (?:is )?"
    r"(?:(?:meant|intended|written|only) )*for (?:\w+ ){0,2}?(?:" + P["machine"].pattern + r")"
    + _NOT_A_MACHINE + r"|"
    r"(?:an? |this |our )?(?:note|message|notice|memo|word|reminder|request|section|part)s? "
    r"(?:is )?(?:for|to) (?:any |all |every |the |each |our )?(?:\w+ ){0,2}?(?:"
    + P["machine"].pattern + r")" + _NOT_A_MACHINE + ")",
    re.I,
)


def turns_to_machine(sentence: str) -> bool:
    """True for a short sentence that addresses the machine and says what follows is for it."""
    text = normalise(sentence)
    return len(text.split()) <= 14 and _HEADING.search(text) is not None


def _fake_turns(text: str, strict: bool = True) -> bool:
    """Chat roles written into the text: two labels, or one leading a request."""
    labels = P["role_label"].findall(text)
    stripped = text.lstrip(" \"'“[(<-*#>")
    starts = P["role_label"].match(stripped) or P["role_label"].match(stripped := text.lstrip())
    if len(labels) >= 2:
        return True
    if starts is None:
        return False
    rest = stripped[starts.end():]
    return not strict or _asks(rest) or P["meta"].search(rest) is not None


def _addressed(text: str) -> str | None:
    """A heading or greeting naming an AI, followed by what it should do."""
    if P["machine"].search(text) is None:
        # The costly patterns below all need a machine named; summaries need their word.
        return _machine_obligation(text) if _SUMMARY_WORD.search(text) else None
    parts = re.split(r"[:：]", text, maxsplit=1)
    if len(parts) == 2:
        head, rest = parts
        if len(head.split()) <= 14 and len(head) <= 120 and P["machine"].search(head):
            named = re.search(
                r"(?:" + P["address"].pattern + r")\s*(?:\w+\s+){0,2}?(?:" + P["machine"].pattern
                + r")" + _NOT_A_MACHINE + r"(?:\s+\w+){0,3}\W*$", head, re.I,
            )
            if named or _asks(rest, strict=True) or not rest.strip():
                return "addressed to an AI"
    opening = " ".join(text.split()[:12])
    greeting = re.match(
        r"^\W*(?:hi|hello|hey|dear|greetings|attention|ok|okay|yo)\b[\w\s,'-]{0,30}?"
        + P["machine"].pattern,
        opening, re.I,
    )
    if greeting:
        return "addressed to an AI"
    vocative = re.search(
        r"^\W*(?:" + P["address"].pattern + r"\s+)?(?:\w+\s+){0,2}?" + P["machine"].pattern
        + r"(?:\s+and\s+" + P["machine"].pattern + r")?" + _MACHINE_TAIL,
        opening, re.I,
    )
    if vocative and _asks(text[vocative.end():], strict=True):
        return "addressed to an AI"
    if re.search(r"\b(?:reading|processing|summari[sz]ing|parsing|scanning) this\b", text, re.I) \
            and P["machine"].search(text):
        return "addressed to an AI"
    return _machine_obligation(text)


# What an order about this page's summary names (not "users" or "an answer" in general).
_OUTPUT_OBJECT = compile_fast(
    r"\b(?:summary|summaries|briefing|digest|headline|readers|this (?:article|story|page|text|"
    r"report))\b", re.I
)
# "...if you said that...": a request phrased as a wish.
_IF_YOU_WROTE = compile_fast(
    r"\bif (?:you|your \w+|the (?:summary|briefing|digest|bot|model|ai|assistant)) (?:could |"
    r"would |can |just )?(?:(?:said|say|wrote|write|told|tell|stated|state)(?: \w+)? that|added|"
    r"add|mentioned|mention|included|include|reported|report|noted|called|described|linked|"
    r"recommended|recommend)\b",
    re.I,
)
# A wish that the summary would say something: "we'd be grateful if you noted...".
_WISH = compile_fast(
    r"\b(?:grateful|thankful|appreciate(?:d)?(?: it)?|mean a lot(?: to \w+)?|be (?:great|nice|"
    r"wonderful|helpful)|love it) if (?:you|your \w+|the (?:summary|briefing|digest|bot|model|"
    r"ai|assistant))\b", re.I
)
# The reader-machine told what its readers must hear, whatever the page says.
_READERS_TOLD = compile_fast(
    r"\breaders (?:must|should|need to|have to) (?:be told|hear|learn|be informed)\b|"
    r"\b(?:whatever|regardless of what|no matter what) (?:the|this) (?:article|story|text|page|"
    r"report) says\b", re.I
)


_SUMMARY_WORD = compile_fast(r"\b(?:summar|briefing)", re.I)


def _machine_obligation(text: str) -> str | None:
    """'Summaries must say...': an order about what the summary of this page says."""
    obligation = re.search(
        r"(?:" + P["machine"].pattern + r"|\bsummar(?:y|ies)\b|\bbriefings?\b)[^.!?]{0,40}?"
        r"\b(?:must|should|shall|need to|needs to|have to|has to|are (?:asked|required|"
        r"instructed|told) to|is (?:asked|required|instructed|told) to)\b",
        text, re.I,
    )
    if not obligation:
        return None
    if P["attribution"].search(text[: obligation.start()]) and ":" not in text[: obligation.start()]:
        return None  # "X said hospitals using language models must...": reported speech
    subject = obligation.group(0).lower()
    # The summary, an aggregator, or the machine reading "this" page is the one ordered.
    summary_subject = re.search(
        r"summar|aggregat|briefing|\w+ing this\b|\bthis (?:page|article|text|story|document)\b|"
        r"\byou\b",
        subject,
    ) is not None
    if summary_subject or _OUTPUT_OBJECT.search(text[obligation.end():]):
        return "order about the summary"
    return None


def _asks(text: str, strict: bool = False) -> bool:
    """True when ``text`` asks something of its reader: an order, override or request.

    ``strict`` leaves out a bare "you", which a headline may say to a human reader.
    """
    return bool(
        (P["override_verb"].search(text) and P["instruction_noun"].search(text))
        or _imperative_output(text)
        or P["polite"].search(text)
        or _YOUR_TASK.search(text)
        or (not strict and P["second_person"].search(text))
    )


_YOUR_TASK = compile_fast(r"\byour (?:task|job|role|goal|mission|instructions?) (?:is|are|now)\b", re.I)


def _override(text: str) -> str | None:
    """'Ignore your previous instructions' (but not a third party's, nor reported)."""
    for verb in P["override_verb"].finditer(text):
        window = text[verb.end(): verb.end() + 80]
        noun = P["instruction_noun"].search(window)
        if noun is None or len(window[: noun.start()].split()) > 5:
            continue
        between = window[: noun.start()]
        if P["third_party_owner"].search(between) and not P["second_person"].search(between):
            continue  # "ignore its prior guidelines": someone else's orders, reported
        before = text[: verb.start()]
        if verb.group(0).lower().startswith(("do", "stop")) and re.search(r"\w\s*$", before) and \
                not re.search(r"\b(?:please|now|and|then|just|so)\s*$", before, re.I):
            continue  # "employees don't follow the rules": a subject's habit, not an order
        reported = re.search(r"\bto\s+$", before) and P["attribution"].search(text)
        if reported and not P["second_person"].search(between):
            continue  # "ordered X to ignore previous orders", "time to forget the rules", said Y
        if re.search(r"\b(?:we|they|he|she|it|i)\s+(?:\w+\s+)?$", before, re.I) and \
                P["attribution"].search(text):
            continue  # a speaker's own resolve, attributed
        return "overrides the reader's instructions"
    return None


# Who the output is for, as the indirect object of "tell", "let ... know".
_AUDIENCE = r"(?:people|everyone|everybody|the public|readers|users|subscribers|audiences?|viewers)"
_LET_KNOW = compile_fast(r"\blet (?:" + _AUDIENCE + r") know\b", re.I)
# A heading naming the summary itself: "Note for summaries:", "For the digest:".
_SUMMARY_HEAD = compile_fast(
    r"^\W*(?:(?:an? |the )?(?:note|notice|message|memo|instructions?|guidance|reminder|update|"
    r"correction|important)s? )?(?:for|to) (?:the |any |all |each |every )?(?:summar\w+|digests?|"
    r"briefings?|recaps?|aggregat\w+|overviews?)\W*$",
    re.I,
)


_LINK_ASK = compile_fast(
    r"\b(?:link|hyperlink|url|tracking pixel|image tag|banner|discount code|promo code|"
    r"coupon)\b", re.I
)


_STEER = re.compile(r"(?:make sure|ensure|be sure to|point|direct|steer|encourage|urge)\b", re.I)
_STEERED = compile_fast(
    r"\b(?:readers?|audiences?|users|subscribers|summary|summaries|briefing|digest|recap|"
    r"overview|output|headline)\b", re.I
)


# Words that open an introductory phrase before an imperative ("From now on, say that").
_INTRO = compile_fast(
    r"^\W*(?:from|going|in|when|whenever|if|after|before|for|as|instead|now|also|finally|then|"
    r"first|whatever|regardless|no matter|once|while|to|please|ok|okay|note|important|remember)\b",
    re.I,
)


def _after_subject(text: str, head: re.Match[str]) -> bool:
    """'Experts, including Dr Lee, say that...': a verb after its subject, not an order."""
    if not head.group(0).strip().startswith(","):
        return False
    before = text[: head.start()]
    return bool(re.search(r"\w", before)) and not (
        _INTRO.search(before) or P["machine"].search(before) or P["meta"].search(before)
        or P["second_person"].search(before) or P["polite"].search(before)
    )


def _imperative_output(text: str) -> bool:
    """An order about the output at the head of a clause: 'say that', 'tell readers'."""
    for head in _CLAUSE_HEAD.finditer(text):
        clause = _SOFTENERS.sub("", text[head.end():])
        verb = P["output_verb"].match(clause)
        if verb is None:
            continue
        after = clause[verb.end(): verb.end() + 60]
        if _STEER.match(verb.group(0)):
            # Everyday verbs ("ensure that you...", "direct the defendants"): only an
            # object that is the output or its readers makes them an order about it.
            if _STEERED.search(clause[:60]):
                return True
            continue
        if (re.match(r"\s*(?:instead\s+|only\b|(?:this|it|the \w+) as\b)|\s*(?:" + _AUDIENCE + r"\s+)?"
                     r"(?:that|,? dass|(?:de )?que|что|أن|:)",
                     after, re.I) and not _after_subject(text, head)) \
                or P["meta"].search(clause[:120]) or P["machine"].search(clause[:120]) \
                or _LINK_ASK.search(clause[:80]) \
                or (head.start() < 60 and P["meta"].search(text[: head.start()])):
            return True
    return False


_ROLE_PLAY = compile_fast(
    r"(?:^|[,:;.!?]\s*|\b(?:please|now|just)\s+)\W*(?:pretend|act as|role-?play|"
    r"(?:assume|take on|play|adopt) the (?:role|persona|part) of|"
    r"stay in character|let'?s play|let us play)\b|"
    r"\b(?:pretend (?:that )?you(?: are|'re)|imagine (?:that )?you(?: are|'re)|from now on,? you|"
    r"you are now|you're now|you are (?:a|an) \w+ (?:who|that)|"
    r"you(?:'re| are) (?:a|an) (?:[\w-]+ ){1,3}now)\b",
    re.I,
)


def _directive(text: str) -> str | None:
    """An order or polite request about the summary, without naming the machine."""
    if _imperative_output(text) or P["stop_work"].search(text) or _LET_KNOW.search(text):
        return "instruction to the summariser"
    if _ROLE_PLAY.search(text):
        return "role-play request to the summariser"
    if _FOREIGN_PLEASE.search(text) and P["meta"].search(text) and P["output_verb"].search(text):
        return "request to the summariser"
    if _IF_YOU_WROTE.search(text) or _READERS_TOLD.search(text) or _WISH.search(text):
        return "request to the summariser"
    polite = P["polite"].search(text)
    if polite and (P["output_verb"].search(text) or P["meta"].search(text)) and (
        P["second_person"].search(text)
        or re.search(r"\b(?:the|this|our|any)\b", polite.group(0), re.I) is not None  # "could the bot"
    ):
        return "request to the summariser"
    return None


def continues_address(sentence: str) -> bool:
    """True when a sentence following a quarantined one goes on talking to the machine."""
    text = normalise(sentence)
    return bool(
        P["second_person"].search(text)
        or _imperative_output(text)
        or P["polite"].search(text)
        or _fake_turns(text, strict=False)
    ) and not reported_quote(text)
