"""The briefing as a chat message: Slack blocks, a Teams Adaptive Card, or plain JSON.

Every payload is built from one outline of the briefing (title, takeaways, developments,
what to watch), so the three services say the same thing in the same order. Article
text is untrusted: it is escaped for each service's markup and defanged, so the only
links in a message are the sources' own URLs and the configured link to the full
briefing. Each service's size limits are kept by dropping whole sections from the end
and saying so, with the link to the full briefing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from briefing.links import clean_url, defang
from briefing.models import CitedText, Sitrep

SLACK_MAX_BLOCKS = 50
SLACK_MAX_SECTION = 3000  # characters of one section block's text
SLACK_MAX_HEADER = 150
TEAMS_MAX_BYTES = 28_000  # Teams refuses larger payloads (about 28 KB)
JSON_MAX_BYTES = 256_000  # a generic receiver's limit is unknown: stay well under common ones

Payload = dict[str, Any]


@dataclass(frozen=True)
class Part:
    """One titled part of the outline: its lines, each already carrying its citations."""

    title: str
    lines: list[tuple[str, list[int]]]


def outline(sitrep: Sitrep) -> list[Part]:
    """The briefing's sections in the order every format uses."""
    parts = []
    if sitrep.warning:
        parts.append(Part("Warning", [(sitrep.warning, [])]))
    if sitrep.takeaways:
        parts.append(Part("Key takeaways", [_cited(t) for t in sitrep.takeaways]))
    for number, dev in enumerate(sitrep.developments, 1):
        lines = [_cited(p) for p in dev.points]
        lines += [(f"Conflicting account: {c.text}", c.sources) for c in dev.conflicts]
        label = _STATUS_LABELS.get(dev.status, dev.status.upper())
        parts.append(Part(f"{number}. [{label}] {dev.headline.text}", lines))
    if sitrep.outlook:
        parts.append(Part("What to watch", [_cited(t) for t in sitrep.outlook]))
    return parts


_STATUS_LABELS = {"new": "NEW", "updated": "UPDATED", "unchanged": "ONGOING"}  # as sitrep.md


def _cited(item: CitedText) -> tuple[str, list[int]]:
    suffix = "" if item.verified else " (unverified)"
    return item.text + suffix, item.sources


def full_briefing_url(template: str | None, briefing_date: str) -> str | None:
    """The configured link to the full briefing for this date, when it is http(s)."""
    if not template:
        return None
    return clean_url(template.replace("{date}", briefing_date))


def _source_urls(sitrep: Sitrep) -> dict[int, str]:
    urls = {}
    for source in sitrep.sources:
        url = clean_url(source.url)
        if url:
            urls[source.number] = url
    return urls


def _url_safe(url: str, unsafe: str) -> str:
    """Percent-encode the characters that would end the link in a service's markup."""
    for char in unsafe + " ":
        url = url.replace(char, f"%{ord(char):02X}")
    return url


def _heading(sitrep: Sitrep) -> str:
    """The title with the date, said once (the pipeline's title may carry it already)."""
    return sitrep.title if sitrep.date in sitrep.title else f"{sitrep.title} — {sitrep.date}"


def _counts(sitrep: Sitrep) -> str:
    devs = len(sitrep.developments)
    return (f"{devs} development{'s' if devs != 1 else ''} from"
            f" {len(sitrep.sources)} source{'s' if len(sitrep.sources) != 1 else ''}")


def _more(link: str | None, dropped: int, render_link: Callable[[str, str], str]) -> str:
    what = f"{dropped} more section{'s' if dropped != 1 else ''} not shown"
    if link is None:
        return f"Truncated: {what}; see the full briefing."
    return f"Truncated: {what}; {render_link(link, 'read the full briefing')}."


# ---------------------------------------------------------------- Slack


def slack_escape(text: str) -> str:
    """Article text as Slack mrkdwn shows it literally: no markup, mentions or links."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "*_~`":  # a zero-width space stops the pair from formatting
        text = text.replace(char, char + "\u200b")
    return defang(text)


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, marked with "…"."""
    if len(text) <= limit:
        return text
    return text[: limit - 2].rsplit(" ", 1)[0] + " …"


def _slack_link(url: str, label: str) -> str:
    return f"<{_url_safe(url, '|<>')}|{label}>"


def _slack_cites(numbers: list[int], urls: dict[int, str]) -> str:
    return " ".join(_slack_link(urls[n], f"[{n}]") if n in urls else f"[{n}]" for n in numbers)


def _slack_section(part: Part, urls: dict[int, str]) -> list[str]:
    """The section's text, split into pieces of at most SLACK_MAX_SECTION characters."""
    pieces = [f"*{_shorten(slack_escape(part.title), 300)}*"]
    for text, sources in part.lines:
        cites = _slack_cites(sources, urls)
        # Shorten the words, never the citations that back them.
        words = _shorten(slack_escape(text), SLACK_MAX_SECTION - len(cites) - 10)
        line = f"• {words} {cites}".rstrip()
        if len(pieces[-1]) + 1 + len(line) > SLACK_MAX_SECTION:
            pieces.append(line)
        else:
            pieces[-1] += "\n" + line
    return pieces


def slack_payload(sitrep: Sitrep, link: str | None) -> Payload:
    """Slack incoming-webhook blocks: header, counts, one section per part, within limits."""
    urls = _source_urls(sitrep)
    heading = _heading(sitrep)
    if len(heading) > SLACK_MAX_HEADER:
        heading = heading[: SLACK_MAX_HEADER - 1] + "…"
    head: list[Payload] = [
        {"type": "header", "text": {"type": "plain_text", "text": heading}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _counts(sitrep)}]},
    ]
    sections = [_slack_section(part, urls) for part in outline(sitrep)]
    tail: list[Payload] = []
    if link:
        tail.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": _slack_link(link, "Full briefing")}]})
    room = SLACK_MAX_BLOCKS - len(head) - len(tail) - 1  # one block kept for the notice
    body: list[Payload] = []
    shown = 0
    for pieces in sections:
        if len(body) + len(pieces) > room:
            break
        body += [{"type": "section", "text": {"type": "mrkdwn", "text": p}} for p in pieces]
        shown += 1
    if shown < len(sections):
        notice = _more(link, len(sections) - shown, _slack_link)
        body.append({"type": "section", "text": {"type": "mrkdwn", "text": notice}})
    return {"text": f"{heading}: {_counts(sitrep)}", "blocks": head + body + tail}


# ---------------------------------------------------------------- Microsoft Teams


def teams_escape(text: str) -> str:
    """Article text as a Teams TextBlock shows it literally: no markdown, no links."""
    for char in "\\*_[]()#`>~":
        text = text.replace(char, "\\" + char)
    return defang(text)


def _teams_link(url: str, label: str) -> str:
    return f"[{label}]({_url_safe(url, '()<>')})"


def _teams_cites(numbers: list[int], urls: dict[int, str]) -> str:
    return " ".join(_teams_link(urls[n], f"\\[{n}\\]") if n in urls else f"\\[{n}\\]"
                    for n in numbers)


def _teams_blocks(part: Part, urls: dict[int, str]) -> list[Payload]:
    lines = [f"- {teams_escape(text)} {_teams_cites(sources, urls)}".rstrip()
             for text, sources in part.lines]
    blocks: list[Payload] = [{"type": "TextBlock", "text": teams_escape(part.title),
                              "weight": "Bolder", "wrap": True, "spacing": "Medium"}]
    if lines:
        blocks.append({"type": "TextBlock", "text": "\n".join(lines), "wrap": True})
    return blocks


def _teams_envelope(body: list[Payload], link: str | None) -> Payload:
    card: Payload = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Full briefing", "url": link}]
    return {"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive",
        "contentUrl": None,
        "content": card,
    }]}


def payload_bytes(payload: Payload) -> bytes:
    """The payload exactly as it is posted (and written by the dry run)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def teams_payload(sitrep: Sitrep, link: str | None, max_bytes: int = TEAMS_MAX_BYTES) -> Payload:
    """An Adaptive Card in the message envelope Teams workflows accept, within max_bytes."""
    urls = _source_urls(sitrep)
    head: list[Payload] = [
        {"type": "TextBlock", "text": teams_escape(_heading(sitrep)), "size": "Large",
         "weight": "Bolder", "wrap": True},
        {"type": "TextBlock", "text": _counts(sitrep), "isSubtle": True, "wrap": True},
    ]
    sections = [_teams_blocks(part, urls) for part in outline(sitrep)]
    for shown in range(len(sections), -1, -1):
        body = head + [block for blocks in sections[:shown] for block in blocks]
        if shown < len(sections):
            body.append({"type": "TextBlock", "wrap": True, "color": "Warning",
                         "text": _more(link, len(sections) - shown, _teams_link)})
        payload = _teams_envelope(body, link)
        if len(payload_bytes(payload)) <= max_bytes:
            return payload
    return _teams_envelope(head[:1], link)  # a heading alone always fits


# ---------------------------------------------------------------- generic JSON


def json_payload(
    sitrep: Sitrep, link: str | None, full: bool, max_bytes: int = JSON_MAX_BYTES
) -> Payload:
    """The full Sitrep, or a compact summary (also when the Sitrep would be too big)."""
    if full:
        payload: Payload = {"type": "brief.sitrep", "briefing_url": link,
                            "sitrep": sitrep.model_dump(mode="json")}
        if len(payload_bytes(payload)) <= max_bytes:
            return payload
    urls = _source_urls(sitrep)
    sections = [
        {"title": part.title,
         "items": [{"text": text, "sources": sources} for text, sources in part.lines]}
        for part in outline(sitrep)
    ]
    summary: Payload = {
        "type": "brief.summary", "title": sitrep.title, "date": sitrep.date,
        "developments": len(sitrep.developments), "briefing_url": link,
        "sections": sections, "truncated": False,
        "sources": [{"number": s.number, "title": s.title, "url": urls.get(s.number)}
                    for s in sitrep.sources],
    }
    while len(payload_bytes(summary)) > max_bytes and summary["sections"]:
        summary["sections"].pop()
        summary["truncated"] = True
    return summary
