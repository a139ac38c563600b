"""Literal prefilters for regexes: skip a pattern on text that cannot contain a match.

`required_literals(pattern)` returns a set of strings at least one of which occurs (case-folded)
in every match of the pattern, or None when no such set can be read off the pattern. A page whose
case-folded text contains none of them cannot match, so the language lint runs the full regex on
the few pages (and lines) where a literal occurs, instead of running 50 regexes over every line.
The same idea as the "necessary factors" prefilters of RE2 and code search indexes.

It reads the pattern with the standard library's own regex parser (`re._parser`, the engine's
parse tree), so it sees exactly the syntax `re` compiles. Anything it does not understand gives
None: that pattern is then run everywhere, which is slower but never misses.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - a Python without these modules: no prefilter, no misses
    sre = sre_parse = None

Literals = frozenset[str] | None


#: Largest character class (``[*_]``) taken as a set of one-character literals; a wider one
#: (``[a-z]``) filters nothing.
MAX_CLASS = 8


@lru_cache(maxsize=4096)
def required_literals(pattern: str, flags: int = 0, fold: bool = True) -> Literals:
    """Strings one of which every match contains, or None if unknown. ``fold``: case-folded, for
    text that is case-folded too; otherwise as written, and None for a case-insensitive pattern."""
    if sre_parse is None or (not fold and flags & re.IGNORECASE):
        return None
    try:
        found = _sequence(list(sre_parse.parse(pattern, flags)))
    except Exception:  # noqa: BLE001 - a parser we do not own: unknown means "no prefilter"
        return None
    if found is None or not all(found):
        return None
    return frozenset(s.casefold() for s in found) if fold else frozenset(found)


def may_match(literals: Literals, folded_text: str) -> bool:
    """False only when the text cannot contain a match."""
    return literals is None or any(lit in folded_text for lit in literals)


_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)} if sre else set()


def _sequence(items: list) -> set[str] | None:
    """The most selective required set of a sequence of parsed items."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def end_run():
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, arg in items:
        if op is sre.LITERAL:
            run.append(chr(arg))
            continue
        if op in _REPEATS and arg[0] >= 1 and len(arg[2]) == 1 and arg[2][0][0] is sre.LITERAL:
            low, high, body = arg  # "-{2}" or "\.{3}": the character, that many times, in a row
            run.append(chr(body[0][1]) * low)
            if high == low:
                continue
        end_run()
        found = _item(op, arg)
        if found:
            candidates.append(found)
    end_run()
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(len(x) for x in s), -len(s)))


def _item(op, arg) -> set[str] | None:
    if op is sre.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            found = _sequence(list(branch))
            if not found:
                return None  # a branch without a required literal: the whole choice has none
            union |= found
        return union
    if op is sre.IN:
        chars = {chr(value) for kind, value in arg if kind is sre.LITERAL}
        if len(chars) != len(arg) or len(chars) > MAX_CLASS:
            return None  # a range, \w, a negated class, or too many characters to filter on
        return chars
    if op in _REPEATS:
        low, _high, body = arg
        return _sequence(list(body)) if low >= 1 else None
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(list(arg))
    return None  # anchors, lookarounds, backreferences, any character: no literal we can rely on
