"""A story split across sibling containers is joined back into the first of them.

Some sites cut an article's body into several sibling blocks of the same markup
(the same tag and class) so that a full-width advert can sit between them.
trafilatura takes the first element matching its body selectors and so keeps only
the first part: on the public extraction benchmark one page lost two thirds of its
story this way. Joining the parts before the reading gives trafilatura the whole.

Only blocks that each hold prose in several paragraphs are joined, so teaser cards
(one short summary each) and comment threads of one-paragraph replies stay apart,
and only when what lies between them holds next to no text (an advert, a label).
"""

from __future__ import annotations

from typing import Any

# A part of a story holds at least this many paragraphs and words (picked by
# reasoning, not on the dev split: a teaser card has one short paragraph).
_PART_PARAGRAPHS = 2
_PART_WORDS = 40
# What may sit between two parts: an advert's label, an empty slot.
_GAP_WORDS = 5


def _signature(node: Any) -> tuple[str, str] | None:
    """The tag and class a part is known by; None for unclassed or non-element nodes."""
    if not isinstance(node.tag, str):
        return None
    classes = " ".join((node.get("class") or "").split())
    return (node.tag, classes) if classes else None


def _words(node: Any) -> int:
    """Words of an element's text; comments and processing instructions have none."""
    return len(node.text_content().split()) if isinstance(node.tag, str) else 0


def _holds_prose(node: Any) -> bool:
    """True when the block holds several paragraphs of running text."""
    if not isinstance(node.tag, str):
        return False
    paragraphs = [p.text_content().split() for p in node.iter("p")]
    paragraphs = [words for words in paragraphs if words]
    return (len(paragraphs) >= _PART_PARAGRAPHS
            and sum(len(words) for words in paragraphs) >= _PART_WORDS)


def _merge(first: Any, later: Any, gap: list[Any]) -> None:
    """Move the gap's nodes, then later's children, into first, keeping the page's order.

    When later is a wrapper around one prose block (beside empty slots), that block
    joins first's matching block, the gap going in ahead of it; otherwise later's
    children follow first's own.
    """
    targets = {_signature(child): child for child in first if _holds_prose(child)}
    prose = [child for child in later if isinstance(child.tag, str) and _holds_prose(child)]
    rest_words = sum(_words(child) for child in later if child not in prose)
    inner = prose[0] if len(prose) == 1 and rest_words <= _GAP_WORDS else None
    target = targets.get(_signature(inner)) if inner is not None else None
    if target is not None:
        _merge(target, inner, gap + [c for c in later if c is not inner and c not in gap])
    else:
        for child in gap + list(later):
            first.append(child)  # lxml moves the node, tail included
    later.getparent().remove(later)


def join_split_bodies(tree: Any) -> int:
    """Join sibling prose blocks of the same markup split only by near-empty nodes.

    Returns how many blocks were joined into an earlier one.
    """
    joined = 0
    for parent in list(tree.iter()):
        children = [child for child in parent if isinstance(child.tag, str)]
        seen = [_signature(child) for child in children]
        if len(set(filter(None, seen))) == len(list(filter(None, seen))):
            continue  # no repeated markup among these children: the common case
        first: Any = None
        gap: list[Any] = []
        for child, signature in zip(children, seen, strict=True):
            if first is not None and signature == _signature(first) and _holds_prose(child):
                _merge(first, child, gap)
                joined += 1
                gap = []
            elif signature is not None and _holds_prose(child):
                first, gap = child, []
            elif sum(_words(node) for node in [*gap, child]) > _GAP_WORDS:
                first, gap = None, []  # real content between: these are separate blocks
            else:
                gap.append(child)
    return joined
