"""Compiling the lexicon's patterns so that a search skips hopeless positions fast.

A pattern that opens on a zero-width test (``\\b``, a look-behind, ``^``) gives Python's
regular-expression engine no first character to scan for, so it tries every word of
every alternative at every position of the text: most of the injection filter's time.
``compile_fast`` puts in front of such a pattern a look-ahead for the characters a
match can begin with, worked out from the pattern itself. The look-ahead only states
what every match already satisfies, so matches and their spans are unchanged; a
pattern whose first characters cannot be listed is compiled as it is.
"""

from __future__ import annotations

import re
from typing import Any

_MAX_FIRST = 400  # more first characters than this: the look-ahead would save little


class _Unlisted(Exception):
    """The pattern's first characters cannot be listed (a category, a negated set...)."""


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, with a first-character look-ahead when it helps."""
    plain = re.compile(pattern, flags)
    try:
        import importlib

        # CPython's own pattern parser (private, hence looked up; any change -> plain).
        c = importlib.import_module("re._constants")
        _parser = importlib.import_module("re._parser")

        items = list(_parser.parse(pattern, flags))
        if not items or not _opens_blind(items, c):
            return plain  # the engine already scans for a first character
        first, may_be_empty = _first_chars(items, c)
    except (_Unlisted, ImportError, AttributeError, TypeError, ValueError):
        return plain
    if may_be_empty or not first or len(first) > _MAX_FIRST:
        return plain
    listed = "".join(re.escape(ch) for ch in sorted(first))
    return re.compile(f"(?=[{listed}])(?:{pattern})", flags)


def _opens_blind(items: list[Any], c: Any) -> bool:
    """Whether some way into the pattern starts with a zero-width test."""
    op, av = items[0]
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return True
    if op is c.SUBPATTERN:
        return bool(av[3]) and _opens_blind(list(av[3]), c)
    if op is c.BRANCH:
        return any(alternative and _opens_blind(list(alternative), c) for alternative in av[1])
    return False


def _first_chars(items: list[Any], c: Any) -> tuple[set[str], bool]:
    """The characters a match of ``items`` can begin with, and whether it can be empty."""
    found: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the next item consumes the first character
        if op is c.LITERAL:
            found.add(chr(av))
            return found, False
        if op is c.IN:
            found |= _set_members(av, c)
            return found, False
        if op is c.SUBPATTERN:
            if av[1] or av[2]:
                raise _Unlisted("inline flags")  # the look-ahead would not share them
            inner, empty = _first_chars(list(av[3]), c)
        elif op is c.BRANCH:
            inner, empty = set(), False
            for alternative in av[1]:
                chars, alternative_empty = _first_chars(list(alternative), c)
                inner |= chars
                empty = empty or alternative_empty
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _, body = av
            inner, empty = _first_chars(list(body), c)
            empty = empty or low == 0
        else:
            raise _Unlisted(str(op))
        found |= inner
        if not empty:
            return found, False
    return found, True


def _set_members(av: Any, c: Any) -> set[str]:
    members: set[str] = set()
    for op, value in av:
        if op is c.LITERAL:
            members.add(chr(value))
        elif op is c.RANGE and value[1] - value[0] <= _MAX_FIRST:
            members.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            raise _Unlisted(str(op))  # a negated set, a category (\w) or a huge range
    return members
