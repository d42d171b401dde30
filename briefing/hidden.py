"""Visibility: drop from a parsed page every element a reader cannot see.

Hidden text has no place in a briefing whatever it says, and it is where injected
instructions hide: inline styles and the page's own stylesheet rules (display:none,
visibility:hidden, tiny fonts, off-screen or clipped boxes, opacity 0, text coloured
as its background), the ``hidden`` and ``aria-hidden`` attributes, <template>,
<noscript>, scripts and comments. Attributes a reader sees only on hover (title) and
alt text never become content either.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from briefing.models import Quarantined
from briefing.safety import is_injection
from briefing.stylesheet import (
    Stylesheet,
    computed_style,
    inline_declarations,
    stylesheet_rules,
)

# Hidden text shorter than this is a label or notice ("Skip to content", "Please enable
# JavaScript"), dropped without a record unless it speaks to an AI.
_MIN_QUARANTINE_WORDS = 12
_ALWAYS_HIDDEN = ("script", "style", "noscript", "template", "iframe", "object", "embed")
_NAMED_COLOURS = {
    "white": (255, 255, 255), "black": (0, 0, 0), "snow": (255, 250, 250),
    "ivory": (255, 255, 240), "whitesmoke": (245, 245, 245), "transparent": None,
}


def drop_hidden(tree: Any) -> list[Quarantined]:
    """Remove invisible elements from ``tree``; the passages they held, for the record."""
    removed: list[Quarantined] = []
    rules = stylesheet_rules(tree)  # read before the <style> elements go
    page_background = _page_background(tree, rules)
    for comment in tree.xpath("//comment()"):
        _remove(comment, "HTML comment", removed)
    for element in tree.xpath("//" + "|//".join(_ALWAYS_HIDDEN)):
        is_text_carrier = element.tag in ("noscript", "template")
        _remove(element, f"<{element.tag}>", removed if is_text_carrier else None)
    for element in _suspects(tree, rules, page_background):
        if _attached(element, tree):  # not inside an element already removed
            reason = hidden_reason(element, rules, page_background)
            if reason:
                _remove(element, reason, removed)
    for element in tree.xpath("//*[@title or @alt]"):
        # Seen only on hover or when an image fails: never a place for the story.
        element.attrib.pop("title", None)
        element.attrib.pop("alt", None)
    return removed


# Attributes that make an element worth judging whatever the stylesheet says.
_STYLING_ATTRIBUTES = frozenset(("style", "hidden", "aria-hidden", "color", "bgcolor"))


def _suspects(
    tree: Any, rules: Stylesheet, page_background: tuple[int, int, int] | None
) -> list[Any]:
    """The elements that could be hidden, in document order (outermost first).

    Judging every element's computed style costs most of extraction, yet an element
    matched by no rule that can hide text, with no inline style or hiding attribute,
    is visible. A rule can hide text when it sets a hiding value, half of a hiding
    pair (an offset or a tiny size; the position or overflow may come from another
    rule), or a text colour close to a background colour found anywhere on the page.
    The suspects are then judged exactly as every element used to be.
    """
    backgrounds = _backgrounds(tree, rules, page_background)
    near_background: dict[str | None, bool] = {}

    def can_hide(declarations: dict[str, str]) -> bool:
        if _hides_alone(tuple(declarations.items())):
            return True
        value = declarations.get("color")
        if value not in near_background:
            colour = _colour(value)
            near_background[value] = colour is not None and any(
                _close(colour, behind) for behind in backgrounds
            )
        return near_background[value]

    hiders = rules.select_where(can_hide)
    keys = rules.keys_of(hiders)
    tags = {key for key in keys if key[:1] not in ("#", ".")}
    ids = {key[1:] for key in keys if key[:1] == "#"}
    classes = {key[1:] for key in keys if key[:1] == "."}
    found = []
    for element in tree.iter():
        tag = element.tag
        if element is tree or not isinstance(tag, str):
            continue
        if not _STYLING_ATTRIBUTES.isdisjoint(element.keys()) or (
            (
                tag.lower() in tags
                or (ids and (element.get("id") or "").lower() in ids)
                or (classes and not classes.isdisjoint((element.get("class") or "").lower().split()))
            )
            and rules.selected_by_any(element, hiders)
        ):
            found.append(element)
    return found


def _attached(element: Any, root: Any) -> bool:
    """Still on the page: not inside an element removed before it."""
    parent = element.getparent()
    while parent is not None and parent is not root:
        parent = parent.getparent()
    return parent is root


def _hides_alone(items: tuple[tuple[str, str], ...]) -> bool:
    """Whether a rule's declarations, alone or with another rule's, can hide an element
    (a text colour aside: that depends on the page's backgrounds).

    Each declaration is judged alone: a hiding value, or half of a hiding pair (an
    offset or a tiny box; the position or overflow may come from another rule).
    """
    return any(_declaration_hides(name, value) for name, value in items)


@functools.lru_cache(maxsize=8192)
def _declaration_hides(name: str, value: str) -> bool:
    if name in ("clip", "clip-path"):
        return True
    if name in ("display", "visibility", "opacity", "transform", "color"):
        return _style_verdict(((name, value),))[0] is not None or _offscreen(
            {"position": "absolute", name: value}
        )
    limit = _HIDING_LENGTHS.get(name)
    length = _length(value) if limit is not None else None
    return length is not None and length <= limit  # type: ignore[operator]


# Lengths at or below which a property hides text (font-size) or does so with another
# property (offsets with a position, sizes with overflow); the same as _style_verdict's.
_HIDING_LENGTHS = {
    "font-size": 2, "text-indent": -999, "width": 1, "height": 1, "max-width": 1,
    "max-height": 1, **dict.fromkeys(("left", "top", "right", "bottom", "margin-left",
                                      "margin-top"), -500),
}


def _backgrounds(
    tree: Any, rules: Stylesheet, page_background: tuple[int, int, int] | None
) -> set[Colour]:
    """Every background colour the page sets anywhere (rules, inline styles, bgcolor)."""
    values = [d.get(name) for _, d in rules.rules for name in ("background-color", "background")]
    for inline in tree.xpath("//@style"):
        declarations = inline_declarations(str(inline))
        values += [declarations.get("background-color"), declarations.get("background")]
    values += [str(v).strip().lower() for v in tree.xpath("//@bgcolor")]
    found = {colour for colour in map(_colour, values) if colour is not None}
    if page_background is not None:
        found.add(page_background)
    return found


def _remove(node: Any, reason: str, record: list[Quarantined] | None) -> None:
    parent = node.getparent()
    if parent is None:
        return
    text = node.text if reason == "HTML comment" else node.text_content()
    if record is not None and text and (
        len(text.split()) >= _MIN_QUARANTINE_WORDS or is_injection(text)
    ):
        record.append(Quarantined(reason=f"hidden text ({reason})", text=" ".join(text.split())))
    # Keep the tail: it is visible text that follows the hidden element.
    tail = node.tail
    previous = node.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def hidden_reason(
    element: Any, rules: Stylesheet,
    page_background: tuple[int, int, int] | None = (255, 255, 255),
) -> str | None:
    """Why a reader cannot see ``element`` (its own attributes and style), or None."""
    if element.get("hidden") is not None:
        return "hidden attribute"
    if (element.get("aria-hidden") or "").strip().lower() == "true":
        return "aria-hidden"
    style = computed_style(element, rules)
    if not style:
        return None
    reason, colour, background = _style_verdict(tuple(style.items()))
    if reason or colour is None:
        return reason
    behind = background or _ancestor_background(element, rules, page_background)
    if behind is not None and _close(colour, behind):
        return "text coloured as its background"
    return None


Colour = tuple[int, int, int]


@functools.lru_cache(maxsize=4096)
def _style_verdict(
    items: tuple[tuple[str, str], ...],
) -> tuple[str | None, Colour | None, Colour | None]:
    """What a computed style alone says: why it hides, else its text and background colours.

    Pages repeat a handful of styles over thousands of elements, so each is judged once.
    """
    style = dict(items)
    if style.get("display") == "none":
        return "display:none", None, None
    if style.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden", None, None
    if _length(style.get("font-size")) is not None and _length(style["font-size"]) <= 2:  # type: ignore[operator]
        return "tiny font", None, None
    if _number(style.get("opacity")) is not None and _number(style["opacity"]) <= 0.05:  # type: ignore[operator]
        return "opacity 0", None, None
    if _clipped(style):
        return "clipped box", None, None
    if _offscreen(style):
        return "off-screen position", None, None
    if _invisible_colour(style.get("color")):
        return "transparent text", None, None
    background = _colour(style.get("background-color") or style.get("background"))
    return None, _colour(style.get("color")), background


def _invisible_colour(value: str | None) -> bool:
    if not value:
        return False
    alpha = re.search(
        r"rgba?\(\s*[\d.%]+[\s,]+[\d.%]+[\s,]+[\d.%]+\s*[,/]\s*(?:0?\.0*|0)%?\s*\)", value
    )
    return value.strip() == "transparent" or alpha is not None or bool(
        re.fullmatch(r"#[0-9a-f]{6}00|#[0-9a-f]{3}0", value.strip())
    )


def _length(value: str | None) -> float | None:
    """A CSS length in pixels (em/rem as 16px); None when it cannot be read."""
    if not value:
        return None
    found = re.match(r"^(-?[\d.]+)(px|pt|em|rem|%|vw|vh)?$", value.strip())
    if not found:
        return None
    number = float(found.group(1)) if found.group(1) not in (".", "-") else 0.0
    unit = found.group(2) or "px"
    return number * {"px": 1, "pt": 1.33, "em": 16, "rem": 16, "%": 0.16}.get(unit, 1)


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _clipped(style: dict[str, str]) -> bool:
    clip = style.get("clip", "") + style.get("clip-path", "")
    if re.search(r"rect\(\s*(0|1)(px)?[ ,]+(0|1)(px)?[ ,]+(0|1)(px)?[ ,]+(0|1)(px)?\s*\)", clip):
        return True
    if re.search(r"inset\(\s*(50%|100%)", clip):
        return True
    if re.search(r"scale[xy]?\(\s*0(?:\.0+)?\s*[,)]", style.get("transform", "")):
        return True
    width = _length(style.get("width") or style.get("max-width"))
    height = _length(style.get("height") or style.get("max-height"))
    tiny = (width is not None and width <= 1) or (height is not None and height <= 1)
    return tiny and style.get("overflow") in ("hidden", "clip")


def _offscreen(style: dict[str, str]) -> bool:
    indent = _length(style.get("text-indent"))
    if indent is not None and indent <= -999:
        return True
    if style.get("position") not in ("absolute", "fixed"):
        return False
    for side in ("left", "top", "right", "bottom", "margin-left", "margin-top"):
        offset = _length(style.get(side))
        if offset is not None and offset <= -500:
            return True
    transform = style.get("transform", "")
    return bool(re.search(r"translate[xy]?\(\s*-\d{3,}", transform))


def _colour(value: str | None) -> tuple[int, int, int] | None:
    """An RGB triple from a CSS colour (hex, rgb(), a few names), else None."""
    if not value:
        return None
    value = value.strip()
    for token in value.split():
        if token in _NAMED_COLOURS:
            return _NAMED_COLOURS[token]
    hexed = re.search(r"#([0-9a-f]{3}|[0-9a-f]{6})\b", value)
    if hexed:
        digits = hexed.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    rgb = re.search(r"rgba?\(\s*(\d+)[ ,]+(\d+)[ ,]+(\d+)(?:[ ,/]+([\d.]+))?", value)
    if rgb:
        if rgb.group(4) is not None and float(rgb.group(4)) <= 0.05:
            return None  # a transparent colour: judged by opacity rules, not here
        return (int(rgb.group(1)), int(rgb.group(2)), int(rgb.group(3)))
    return None


def _close(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """Colours a reader cannot tell apart on screen."""
    return abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) <= 24


def _page_background(
    tree: Any, rules: Stylesheet
) -> tuple[int, int, int] | None:
    for selector, declarations in rules.rules:
        if selector in ("body", "html"):
            colour = _colour(declarations.get("background-color") or declarations.get("background"))
            if colour is not None:
                return colour
    return (255, 255, 255)


def _ancestor_background(
    element: Any, rules: Stylesheet,
    page_background: tuple[int, int, int] | None,
) -> tuple[int, int, int] | None:
    if rules.backers is None:
        rules.backers = rules.select_where(
            lambda declarations: "background" in declarations
            or "background-color" in declarations
        )
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        if _STYLING_ATTRIBUTES.isdisjoint(ancestor.keys()) and not rules.selected_by_any(
            ancestor, rules.backers
        ):
            continue  # no background of its own: computing its style would tell nothing
        style = computed_style(ancestor, rules)
        colour = _colour(style.get("background-color") or style.get("background"))
        if colour is not None:
            return colour
    return page_background


def page_titles(tree: Any) -> list[str]:
    """The titles a reader sees on the page: its <h1> and the browser tab's <title>."""
    found = [tree.xpath("//h1"), tree.xpath("//title")]
    return [" ".join(els[0].text_content().split()) for els in found if els]


_MARKUP_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def strip_markdown_comments(text: str) -> tuple[str, list[Quarantined]]:
    """Markdown or text without its HTML comments (unseen once rendered), and what they held."""
    held = [
        Quarantined(reason="hidden text (HTML comment)", text=" ".join(m.split()))
        for m in _MARKUP_COMMENT.findall(text)
        if len(m.split()) >= _MIN_QUARANTINE_WORDS or is_injection(m)
    ]
    return _MARKUP_COMMENT.sub("", text), held


def title_from_page(meta_title: str | None, visible_titles: list[str], body: str) -> str | None:
    """The headline: a metadata title only when the visible page agrees with it.

    og:title and twitter:title are unseen by readers, so a title there that shares
    little with the page's own <h1>/<title> is ignored.
    """
    visible = [t for t in (" ".join(v.split()) for v in visible_titles) if t]
    if not meta_title or not visible:
        # With no headline on the page to compare, the metadata title stands (the
        # injection check on titles still applies to it).
        return meta_title or (visible[0] if visible else None)
    if any(_agrees(meta_title, r) for r in visible):
        return meta_title
    return visible[0]


def rejected_title(meta_title: str | None, used_title: str) -> list[Quarantined]:
    """A metadata headline that was passed over and speaks to an AI, for the record."""
    if meta_title and " ".join(meta_title.split()) != used_title and is_injection(meta_title):
        return [Quarantined(reason="metadata headline addressed to an AI", text=meta_title)]
    return []


def _agrees(claimed: str, seen: str) -> bool:
    claimed_words = {w for w in re.findall(r"\w+", claimed.lower()) if len(w) > 2}
    seen_words = set(re.findall(r"\w+", seen.lower()))
    if not claimed_words:
        return False
    return len(claimed_words & seen_words) / len(claimed_words) >= 0.6
