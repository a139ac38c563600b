"""What a tel: or sms: link dials and what its text shows, read as a phone and a reader read them.

A phone dials the digits of the address after decoding it (``tel:%39%38%38`` is 988) whatever the
scheme's case (``TEL:``) and the spaces around it; a reader reads the digits the text shows, in
whatever script or width they are drawn (sitekit.text.normalize folds both). What cannot be
compared that way is refused instead (`hidden_characters`): bidi controls, which reorder what is
drawn (a link whose text is "Call 988" on screen can hold 889), other invisible format
characters, and digits outside ASCII, in the address and the text of a phone link, and in data
files that hold crisis lines.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from .normalize import fold

#: A tel: or sms: address, as a browser reads it: leading spaces and control characters are dropped,
#: the scheme is case-insensitive; the number ends at '?' (sms: body) or ';' (parameters).
PHONE_HREF_RE = re.compile(r"^[\x00-\x20]*(tel|sms):([^?;]*)", re.I)
#: Characters that change the order in which text is drawn.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def digits(text: str) -> str:
    """The ASCII digits of ``text`` as read (sitekit.text.normalize: other scripts' digits are digits)."""
    return re.sub(r"[^0-9]", "", fold(text or ""))


def phone_href_digits(href: str) -> str | None:
    """Digits a tel:/sms: link dials (without a ?body=), or None for other links."""
    m = PHONE_HREF_RE.match(href or "")
    return digits(unquote(m.group(2))) if m else None


def is_phone_href(href: str) -> bool:
    return PHONE_HREF_RE.match(href or "") is not None


_LETTERS = {
    c: str(d)
    for d, cs in {2: "ABC", 3: "DEF", 4: "GHI", 5: "JKL", 6: "MNO", 7: "PQRS", 8: "TUV", 9: "WXYZ"}.items()
    for c in cs
}


def label_number(label: str) -> str:
    """The number a label shows; '1-800-662-HELP (4357)' shows 1-800-662-4357."""
    label = fold(label or "")
    m = re.search(r"(\d[\d-]*)-([A-Z]{4}) \((\d{4})\)", label)
    if m:
        return f"{m.group(1)}-{m.group(3)}"
    # Only the first run of digits and separators is the number ("Text HOME to 741741").
    m = re.search(r"\+?\d[\d\s().-]*\d|\d", label)
    return m.group(0) if m else ""


def hidden_characters(text: str, phone: bool = True) -> list[str]:
    """What in ``text`` is drawn differently from how it is read or dialled: bidi controls always;
    for a phone link or a crisis line (``phone``) also other invisible format characters and digits
    outside ASCII. Each as 'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    if text.isascii():
        return []
    found = []
    for c in dict.fromkeys(text):  # each character once, in order
        category = unicodedata.category(c)
        if c in BIDI_CONTROLS or (phone and (category == "Cf" or (category == "Nd" and not c.isascii()))):
            found.append(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}")
    return found
