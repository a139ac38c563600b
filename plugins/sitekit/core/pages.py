"""What the reader learned about each source file, shared with the checking plugins."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path


@cache
def resolved_folder(folder: Path) -> Path:
    """``folder`` with its symlinks resolved, once per build (`forget_paths`)."""
    return folder.resolve()


@cache
def content_rel(path: str, content: str) -> str | None:
    """``path`` relative to the content folder ``content``, both with symlinks resolved ('guides/x.md'),
    or None when it lies outside. Each folder is resolved once (a file only when it is a link itself),
    for one build (`forget_paths`)."""
    file = Path(os.path.abspath(path))
    real = file.resolve() if file.is_symlink() else resolved_folder(file.parent) / file.name
    try:
        return real.relative_to(resolved_folder(Path(content))).as_posix()
    except ValueError:
        return None


def forget_paths() -> None:
    """A run starts (DIAG.reset): folders may have moved since the last build of the preview server."""
    content_rel.cache_clear()
    resolved_folder.cache_clear()


@dataclass
class PageInfo:
    """One Markdown source: its body, where the body starts, and what it cites and includes."""

    path: str
    lang: str = "en"  # the page's language (sitekit.core.lang): content/<lang>/... is in <lang>
    body: str = ""
    body_line: int = 1
    front_matter: dict = field(default_factory=dict)
    cited: list = field(default_factory=list)  # reference keys in order of first use
    blocks: list = field(default_factory=list)  # sitekit.content.blocks.BlockUse: each data block and what it showed
    faqs: list = field(default_factory=list)  # FAQ entries shown, with rendered answers
    prose_lines: list = field(default_factory=list)  # (line number, text) outside code and blocks
    suicide_page: bool = False
    reading: dict = field(default_factory=dict)  # reading-level figures, for the review desk and make reading
    placeholders: list = field(default_factory=list)  # (line number, text) of each "[TO FILL IN: ...]"
    images: list = field(default_factory=list)  # (line number, address) of each image (sitekit.content.images)
    unshown: list = field(default_factory=list)  # data files whose blocks this page could not show (broken)
    failed: bool = False  # the file could not be read (its errors are reported); links to it follow from that
    dated: dict = field(default_factory=dict)  # dated fact id -> its visible record, for each [As of: id] shown
    dated_lines: list = field(default_factory=list)  # (fact id, line) of each marker in the body
    review: object = None  # sitekit.checks.review.ReviewState, set by the review gate
    translation: object = None  # iop_lang.TranslationState of a translated page: its English page, its pin
    url: str = ""  # where the page is written (its address under the site), set by the review gate
