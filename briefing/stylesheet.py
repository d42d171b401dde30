"""Stylesheets: which of a page's CSS rules and inline styles apply to an element.

Selectors are parsed once per page and indexed by the class, id or tag their last part
names, so each element is checked only against rules that can match it; an element's
tag, id and classes are read once per pass however many rules and descendants ask.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
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
        self.backers: frozenset[int] | None = None  # rules setting a background, once asked
        for number, (selector, _) in enumerate(rules):
            self.index.setdefault(index_key(selector), []).append(number)

    def select_where(self, test: Callable[[dict[str, str]], bool]) -> frozenset[int]:
        """The numbers of the rules whose declarations pass ``test``, each tested once
        (a rule's selectors share one declarations dict)."""
        verdicts: dict[int, bool] = {}
        numbers = set()
        for number, (_, declarations) in enumerate(self.rules):
            verdict = verdicts.get(id(declarations))
            if verdict is None:
                verdict = verdicts[id(declarations)] = test(declarations)
            if verdict:
                numbers.add(number)
        return frozenset(numbers)

    def keys_of(self, numbers: frozenset[int]) -> frozenset[str]:
        """The index keys (tag, #id, .class) of these rules: an element whose tag, id and
        classes are none of them is selected by none of the rules."""
        return frozenset(index_key(self.rules[number][0]) for number in numbers)

    def selected_by_any(self, element: Any, numbers: frozenset[int]) -> bool:
        """Whether one of these rules selects ``element`` (its ancestors included)."""
        parent = element.getparent()
        for number, wanted in self.candidates(element):
            if number in numbers and (
                not wanted or self.ancestors_match(number, wanted, parent)
            ):
                return True
        return False

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


def index_key(selector: str) -> str:
    """What an element must have to be selected: the first class or id of the selector's
    last part, else its tag."""
    parts = selector.split()
    last = parts[-1] if parts else ""
    if "." in last or "#" in last:
        qualifier = _QUALIFIER.search(last)
        if qualifier:
            return qualifier.group(0)
    return _TAG_END.split(last, 1)[0]


def stylesheet_rules(tree: Any) -> Stylesheet:
    """The page's <style> rules as (selector, declarations), read before styles go.

    Only selectors whose classes and ids are all on the page are kept: site stylesheets
    style far more than one page holds, and parsing the rest would cost most of the pass.
    """
    present = _present_qualifiers(tree)
    rules: list[tuple[str, dict[str, str]]] = []
    for style in tree.xpath("//style"):
        for selectors, needed, body in _style_blocks(style.text or ""):
            if needed <= present:
                kept = selectors
            else:  # a group of selectors: some may still match
                kept = tuple(s for s in selectors if set(_QUALIFIER.findall(s)) <= present)
            if kept:
                declarations = _relevant_declarations(body)
                if declarations is not None:
                    rules += [(selector, declarations) for selector in kept]
    return Stylesheet(rules)


def _present_qualifiers(tree: Any) -> set[str]:
    """Every .class and #id on the page, lower-cased."""
    classes = " ".join(tree.xpath("//@class", smart_strings=False)).lower().split()
    ids = " ".join(tree.xpath("//@id", smart_strings=False)).lower().split()
    return {"." + name for name in classes} | {"#" + name for name in ids}


# A rule: its selectors, the classes and ids they name (all on the page: all may
# match), and its declarations' text.
Block = tuple[tuple[str, ...], frozenset[str], str]


@functools.lru_cache(maxsize=32)
def _style_blocks(css: str) -> tuple[Block, ...]:
    """One <style> element's rules, split once per run: a site's pages share them."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)[^{}]*\}", r"\1", css)
    blocks = []
    for selectors, body in _CSS_RULE.findall(css):
        lowered = selectors.lower()
        needed = frozenset(_QUALIFIER.findall(lowered))
        blocks.append((tuple(s.strip() for s in lowered.split(",")), needed, body))
    return tuple(blocks)


@functools.lru_cache(maxsize=8192)
def _relevant_declarations(body: str) -> dict[str, str] | None:
    """A rule's declarations when it sets a property that can hide text, else None.

    Shared between pages and selectors: callers never mutate them.
    """
    declarations = parse_declarations(body)
    return declarations if any(name in declarations for name in _RELEVANT) else None


def parse_declarations(style: str) -> dict[str, str]:
    """A CSS declaration block as lower-cased property -> value, spaces squeezed."""
    declarations: dict[str, str] = {}
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if value:
            value = value.strip().lower()
            if "!" in value:
                value = _IMPORTANT.sub("", value)
            if "  " in value or not value.isprintable():  # tabs, newlines, odd spaces
                value = _SPACES.sub(" ", value)
            declarations[name.strip().lower()] = value
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
        style.update(inline_declarations(inline))
    rules.styles[element] = style
    return style


@functools.lru_cache(maxsize=4096)
def inline_declarations(style: str) -> dict[str, str]:
    """parse_declarations, once per distinct inline style (callers copy, never mutate)."""
    return parse_declarations(style)
