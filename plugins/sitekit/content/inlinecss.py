"""The site's stylesheet, inlined in every page's <head>, and the CSP hash that allows it.

One stylesheet, small enough to travel with the HTML: the first screen paints after one round trip
instead of two. Every page carries the same <style>, so one `'sha256-...'` source in the
Content-Security-Policy allows it (never 'unsafe-inline'). `compact` is the one function that turns
the theme's file into the inlined text, and `style_hash` hashes exactly that text, so the hash in
deploy/nginx.conf, _headers and the pages cannot disagree.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
_STRING_RE = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')")
_SPACE_RE = re.compile(r"\s+")
_PUNCT_RE = re.compile(r"\s*([{};,>])\s*")
_DECL_RE = re.compile(r":\s+|\s+!important")


def _squeeze(code: str) -> str:
    code = _PUNCT_RE.sub(r"\1", _SPACE_RE.sub(" ", code))
    # "a: b" -> "a:b" and "x !important" -> "x!important": a colon followed by a space only ever
    # ends a property name (pseudo-classes have none), and strings are never squeezed.
    return _DECL_RE.sub(lambda m: ":" if m.group(0).startswith(":") else "!important", code)


@lru_cache(maxsize=8)
def compact(css: str) -> str:
    """The stylesheet without comments and spare whitespace (what goes into <style>); kept per text, as
    every build (and each preview save) inlines the same file."""
    parts = _STRING_RE.split(_COMMENT_RE.sub("", css))
    # Odd parts are quoted strings (kept as written); even parts are CSS code.
    text = "".join(part if i % 2 else _squeeze(part) for i, part in enumerate(parts))
    text = text.replace(";}", "}").strip()
    if "</" in text:  # would end the <style> element early
        raise ValueError("the stylesheet contains '</', which cannot be inlined in <style>")
    return text


def style_hash(inline: str) -> str:
    """The CSP source that allows one inline <style> whose text is exactly ``inline``."""
    digest = hashlib.sha256(inline.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def theme_css(theme: str | Path) -> str:
    """The inlined text of a theme's stylesheet (static/css/site.css)."""
    return compact((Path(theme) / "static" / "css" / "site.css").read_text(encoding="utf-8"))
