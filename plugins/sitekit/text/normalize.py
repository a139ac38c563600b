"""Text as the checks read it: one spelling for every way of writing the same visible words.

A reader reads "addict" whether it is typed in ASCII, in fullwidth letters (U+FF41...), with a
Cyrillic a (U+0430), with a combining accent (a + U+0300) or with a zero-width space inside; a
phone dials 988 from fullwidth digits (U+FF19 U+FF18 U+FF18), and the old Lifeline number written
with non-breaking hyphens (U+2011) is still that number. `fold` gives the checks (language lint,
stale forms, claim lint, numbers as dialled) one form of all of these, character by character:

- format characters (zero-width space and joiners, soft hyphen, bidi controls) are dropped;
- every decimal digit is its ASCII digit (Arabic-Indic, fullwidth, mathematical); every dash and
  the minus sign is ``-``; every space is a space;
- compatibility forms are decomposed (NFKD, the compatibility half of NFKC: fullwidth forms,
  ligatures, mathematical letters) and marks are dropped (a grave a is ``a``, n with tilde ``n``);
- a letter of another script that Unicode lists as confusable with an ASCII letter or digit
  (Cyrillic, Greek, Cherokee look-alikes) is that letter: Unicode's confusables data (UTS #39,
  confusables.txt) through the maintained `confusable-homoglyphs` package's public
  ``is_confusable``, imported only when such a letter is first met (most text is ASCII and never
  loads its data, about 50 ms).

Case is kept (patterns decide); other punctuation is kept. `fold_map` also gives, for each folded
character, the position of the character it came from, so messages quote what the editor wrote
(`original`). Text already ASCII is returned as it is, at no cost.
"""

from __future__ import annotations

import re
import unicodedata

#: Runs of characters outside ASCII: the only ones folding can change (str.translate with a mapping
#: looks up every character, so a long page with a few curly quotes is folded run by run instead).
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class _Table(dict):
    """code point -> folded text, filled in as characters are met (str.translate asks it)."""

    def __init__(self, marks: bool):
        super().__init__()
        self.marks = marks

    def __missing__(self, key: int) -> str:
        value = self[key] = fold_char(chr(key), self.marks)
        return value


_TABLE = _Table(marks=False)
_TABLE_MARKS = _Table(marks=True)


def fold(text: str, marks: bool = False) -> str:
    """``text`` as the checks read it (see the module's docstring). ``marks=True`` keeps accents and
    other marks (NFKC instead of NFKD without marks): for the reading level, whose Spanish syllables
    depend on them."""
    if text.isascii():
        return text
    table = _TABLE_MARKS if marks else _TABLE
    return _NON_ASCII.sub(lambda m: m.group().translate(table), text)


def fold_map(text: str) -> tuple[str, list[int] | None]:
    """(folded text, for each of its characters the index in ``text`` it came from); None instead of
    the list when nothing changed."""
    if text.isascii():
        return text, None
    folded, positions = [], []
    for i, c in enumerate(text):
        out = _TABLE[ord(c)]
        folded.append(out)
        positions.extend([i] * len(out))
    joined = "".join(folded)
    return joined, (None if joined == text else positions)


def original(text: str, positions: list[int] | None, start: int, end: int) -> str:
    """What the editor wrote for the folded text's ``[start, end)``."""
    if positions is None:
        return text[start:end]
    if start >= end:
        return ""
    return text[positions[start] : positions[end - 1] + 1]


def fold_char(c: str, marks: bool = False) -> str:
    """One character as the checks read it."""
    if c.isascii():
        return c
    category = unicodedata.category(c)
    if category == "Cf":
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(c))
    if category == "Pd" or c == "\u2212":  # dashes, and the minus sign
        return "-"
    if category[0] == "Z":
        return " "
    if marks:
        base = unicodedata.normalize("NFKC", c)
    else:
        base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.category(ch).startswith("M"))
    if base.isascii():
        return base
    return "".join(
        ch if ch.isascii() or (marks and unicodedata.category(ch)[0] == "M") else _confusable(ch) for ch in base
    )


def _confusable(c: str) -> str:
    """The ASCII letter or digit a letter or digit of another script looks like, or the character itself.

    Unicode's data gives one prototype per set of look-alikes (``l`` for I, l, 1 and Cyrillic U+0406):
    an upper-case letter takes the upper-case form (``I``), a lower-case one the lower-case form."""
    if unicodedata.category(c)[0] not in "LN" or unicodedata.name(c, "").startswith("LATIN "):
        return c  # not a letter or digit, or a Latin letter (with its accents, for marks=True): as written
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(c, greedy=True, preferred_aliases=["latin"]) or []
    glyphs = [h["c"] for f in found for h in f.get("homoglyphs", ())]
    choices = sorted(g for g in glyphs if len(g) == 1 and g.isascii() and g.isalnum())
    if not choices:
        return c
    letters = [x for x in choices if x.isalpha()]
    choice = (letters or choices)[0]
    if c.isupper() and choice.islower():
        return "I" if choice == "l" else choice.upper()
    if c.islower() and choice.isupper():
        return choice.lower()
    return choice
