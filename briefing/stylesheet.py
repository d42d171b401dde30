"""Stylesheets: which of a page's CSS rules and inline styles apply to an element.

Selectors are parsed once per page and indexed by the class, id or tag their last part
names, so each element is checked only against rules that can match it; an element's
tag, id and classes are read once per pass however many rules and descendants ask.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^([a-z][a-z0-9]*)?((?:[.#][\w-]+)*)$", re.I)
_QUALIFIER = re.compile(r"[.#][\w-]+")
_TAG_END = re.compile(r"[.#:\[]")
_IMPORTANT = re.compile(r"\s*!important\s*$")
_SPACES = re.compile(r"\s+")

# Properties that can hide text; rules setting none of them are not kept.
_RELEVANT = (
    "display", "visibility", "font-size", "opacity", "clip", "clip-path", "position", "left",
    "top", "right", "bottom", "margin-left", "margin-top", "transform", "text-indent", "color",
    "background", "background-color", "width", "height", "overflow", "max-width", "max-height",
)


Compound = tuple[str | None, frozenset[str], str | None]  # tag, classes, id
Features = tuple[str, str, frozenset[str]]  # an element's tag, id and classes, lower-cased
Compiled = tuple[Compound, tuple[Compound, ...]]  # last compound, the ancestors' before it


class Stylesheet:
    """A page's <style> rules, indexed by the class, id or tag their selector ends on."""

    def __init__(self, rules: list[tuple[str, dict[str, str]]]) -> None:
        self.rules = rules
        # computed_style per element for one pass: an element is asked about again for
        # each descendant whose background is looked up (the page does not change).
        self.styles: dict[Any, dict[str, str]] = {}
        self.features: dict[Any, Features] = {}
        self.ancestry: dict[tuple[int, int, Any], bool] = {}
        self.by_features: dict[Features, list[tuple[int, tuple[Compound, ...]]]] = {}
        self.index: dict[str, list[int]] = {}
        for number, (selector, _) in enumerate(rules):
            last = selector.split()[-1] if selector.split() else ""
            keys = _QUALIFIER.findall(last) or [_TAG_END.split(last)[0]]
            for key in keys[:1]:
                self.index.setdefault(key, []).append(number)

    def candidates(self, element: Any) -> list[tuple[int, tuple[Compound, ...]]]:
        """Rules whose last part selects ``element``, in order, with the ancestors each needs."""
        # Worked out once per distinct tag, id and classes: most elements share them.
        features = self.features_of(element)
        found = self.by_features.get(features)
        if found is None:
            tag, ident, classes = features
            keys = [tag, "#" + ident, *("." + c for c in classes)]
            numbers = sorted({n for key in keys for n in self.index.get(key, ())})
            found = []
            for number in numbers:
                compiled = _compile(self.rules[number][0])
                if compiled is not None and _fits(compiled[0], features):
                    found.append((number, compiled[1]))
            self.by_features[features] = found
        return found

    def features_of(self, element: Any) -> Features:
        """The element's tag, id and classes, read once per pass."""
        found = self.features.get(element)
        if found is None:
            if isinstance(element.tag, str):
                found = (
                    element.tag.lower(), (element.get("id") or "").lower(),
                    frozenset((element.get("class") or "").lower().split()),
                )
            else:
                found = ("", "", frozenset())  # matches no compound selector
            self.features[element] = found
        return found

    def ancestors_match(self, number: int, wanted: tuple[Compound, ...], node: Any) -> bool:
        """Whether ``wanted`` matches, in order, nearest first, among ``node`` and its ancestors.

        Matching is greedy from the nearest ancestor, so the answer depends only on the
        node and how many compounds are still wanted: it is kept for every step taken,
        and siblings and cousins reuse their shared ancestors' answers.
        """
        steps: list[tuple[int, int, Any]] = []
        position = len(wanted) - 1
        found = False
        while node is not None:
            key = (number, position, node)
            known = self.ancestry.get(key)
            if known is not None:
                found = known
                break
            steps.append(key)
            if _fits(wanted[position], self.features_of(node)):
                position -= 1
                if position < 0:
                    found = True
                    break
            node = node.getparent()
        for key in steps:
            self.ancestry[key] = found
        return found


def stylesheet_rules(tree: Any) -> Stylesheet:
    """The page's <style> rules as (selector, declarations), read before styles go."""
    rules: list[tuple[str, dict[str, str]]] = []
    for style in tree.xpath("//style"):
        css = re.sub(r"/\*.*?\*/", "", style.text or "", flags=re.S)
        css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)[^{}]*\}", r"\1", css)
        for selectors, body in _CSS_RULE.findall(css):
            lowered = body.lower()
            if not any(name in lowered for name in _RELEVANT):
                continue  # cheaper than parsing: a property it sets is a part of its text
            declarations = parse_declarations(body)
            if not any(name in declarations for name in _RELEVANT):
                continue
            for selector in selectors.split(","):
                rules.append((selector.strip().lower(), declarations))
    return Stylesheet(rules)


def parse_declarations(style: str) -> dict[str, str]:
    """A CSS declaration block as lower-cased property -> value, spaces squeezed."""
    declarations: dict[str, str] = {}
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if value:
            value = value.strip().lower()
            if "!" in value:
                value = _IMPORTANT.sub("", value)
            declarations[name.strip().lower()] = _SPACES.sub(" ", value)
    return declarations


@functools.lru_cache(maxsize=8192)
def _compile(selector: str) -> Compiled | None:
    """A selector split into simple compounds; None when it can never match here.

    Only the simple selectors pages use to hide text count (tag, .class, #id, tag.class).
    In a descendant selector (".site-header a") every part must match: the element, then
    its ancestors in order. Read by its last part alone, a header's white link colour
    would hide every link in the story. Rules ending on html or body set the page's
    background, not an element's.
    """
    parts = selector.replace(">", " ").split()
    if not parts or any(sibling in selector for sibling in "+~"):
        return None
    compounds = [_compound(part) for part in parts]
    last = compounds[-1]
    if last is None or last[0] in ("html", "body"):
        return None
    ancestors = [c for c in compounds[:-1] if c is not None]
    if len(ancestors) < len(compounds) - 1:
        return None
    return last, tuple(ancestors)


def _fits(compound: Compound, features: Features) -> bool:
    tag, classes, ident = compound
    return (
        (not tag or features[0] == tag) and (not ident or features[1] == ident)
        and classes <= features[2]
    )


@functools.lru_cache(maxsize=8192)
def _compound(compound: str) -> tuple[str | None, frozenset[str], str | None] | None:
    """A simple compound selector as (tag, classes, id), parsed once; None if not simple."""
    found = _SIMPLE_SELECTOR.match(compound)
    if not found or not (found.group(1) or found.group(2)):
        return None
    qualifiers = _QUALIFIER.findall(found.group(2))
    ids = [q[1:] for q in qualifiers if q[0] == "#"]
    classes = frozenset(q[1:] for q in qualifiers if q[0] == ".")
    return found.group(1), classes, ids[0] if ids else None


def computed_style(element: Any, rules: Stylesheet) -> dict[str, str]:
    """Stylesheet declarations that apply to ``element``, overlaid by its inline style."""
    cached = rules.styles.get(element)
    if cached is not None:
        return cached
    style: dict[str, str] = {}
    parent = element.getparent()
    for number, wanted in rules.candidates(element):
        if wanted:
            known = rules.ancestry.get((number, len(wanted) - 1, parent))
            if known is None:
                known = rules.ancestors_match(number, wanted, parent)
            if not known:
                continue
        style.update(rules.rules[number][1])
    # Presentational attributes of old markup (<font color>, <td bgcolor>) count as style.
    if element.get("color"):
        style["color"] = element.get("color").strip().lower()
    if element.get("bgcolor"):
        style["background-color"] = element.get("bgcolor").strip().lower()
    inline = element.get("style")
    if inline:
        style.update(_inline_declarations(inline))
    rules.styles[element] = style
    return style


@functools.lru_cache(maxsize=4096)
def _inline_declarations(style: str) -> dict[str, str]:
    """parse_declarations, once per distinct inline style (callers copy, never mutate)."""
    return parse_declarations(style)
