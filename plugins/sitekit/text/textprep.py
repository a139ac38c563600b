"""Turn Markdown prose lines into plain text for the lint and reading-level checks."""

from __future__ import annotations

import html
import re
import unicodedata

LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
CITE_RE = re.compile(r"\[@[^\]\n]*\]")
URL_RE = re.compile(r"https?://\S+")
CODE_RE = re.compile(r"(`+).+?\1")
HTML_TAG_RE = re.compile(r"<[^>]+>")
EMPHASIS_RE = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
LIST_RE = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+")
#: attr_list's braces after a heading or block, `{#what-is-an-iop}` or `{: #id .class}`: markup a reader
#: never sees (a translated page keeps its English page's heading ids this way), so not words.
ATTR_LIST_RE = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}")
NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


def _drop_invisible(m: re.Match) -> str:
    # Format characters (soft hyphen, zero-width space and joiners, word joiner...) show nothing.
    return "" if unicodedata.category(m.group()) == "Cf" else m.group()


def plain(text: str) -> str:
    """Markdown line -> plain words, as a reader sees them: links keep their text; code, URLs,
    citations and tags go; entities are decoded. Invisible characters stay, so messages can quote
    what the editor wrote: the checks read the text through sitekit.text.normalize.fold, which drops
    them ("add&shy;ict" and "add\u200bict" are the word a reader reads)."""
    # Each pattern runs only on a line that has the characters it needs (most prose has none of them).
    if "`" in text:
        text = CODE_RE.sub(" ", text)
    if "{" in text:
        text = ATTR_LIST_RE.sub(" ", text)
    if "[@" in text:
        text = CITE_RE.sub("", text)
    if "](" in text:
        text = LINK_RE.sub(r"\1", text)
    if "http" in text:
        text = URL_RE.sub(" ", text)
    if "<" in text:
        text = HTML_TAG_RE.sub(" ", text)
    if "*" in text or "_" in text:
        text = EMPHASIS_RE.sub(r"\2", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def visible(text: str) -> str:
    """The text without the characters that show nothing (Unicode format characters: soft hyphen,
    zero-width space and joiners, word joiner), so "press\u00ad 3" is read as the reader reads it."""
    return text if text.isascii() else NON_ASCII_RE.sub(_drop_invisible, text)


def is_heading(text: str) -> bool:
    return text.lstrip().startswith("#")


def is_quote(text: str) -> bool:
    return text.lstrip().startswith(">")


#: What a new sentence starts with, by language: Spanish opens questions and exclamations with ¿ and ¡,
#: and its capitals carry accents.
SENTENCE_START = {"en": 'A-Z0-9"“(', "es": 'A-ZÁÉÍÓÚÑÜ0-9"“«(¿¡'}
_SPLIT = {lang: re.compile(rf"(?<=[.!?])\s+(?=[{start}])") for lang, start in SENTENCE_START.items()}


def sentences(lines: list[tuple[int, str]], lang: str = "en") -> list[tuple[int, str]]:
    """Sentences of the prose (not headings or tables), each with the line it starts on."""
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    first = 0

    def flush():
        nonlocal buf, first
        text = " ".join(buf).strip()
        if text:
            if not text.endswith((".", "?", "!", ":")):
                text += "."
            for part in _SPLIT.get(lang, _SPLIT["en"]).split(text):
                if part.strip():
                    out.append((first, part.strip()))
        buf, first = [], 0

    for line, text in lines:
        stripped = text.strip()
        if not stripped or is_heading(stripped) or stripped.startswith("|"):
            flush()
            continue
        if LIST_RE.match(stripped):
            flush()
            stripped = LIST_RE.sub("", stripped)
        stripped = stripped.lstrip("> ").strip()
        if not buf:
            first = line
        buf.append(plain(stripped))
    flush()
    return out
