"""`make new TITLE="..." SECTION="..."`: start a guide with valid front matter, in review.

Writes ``content/guides/<slug>.md`` (the slug from the title, as Pelican makes it) with today's
date, the section, ``review: status: in_review`` and a one-line hint as the body. The file builds
with no errors as it is. It refuses a section that is not in the settings' SECTIONS and never
overwrites a file. It opens nothing: edit the file, and `make serve` shows it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import yaml

MAX_TITLE = 120
SUMMARY = "Say in one or two plain sentences what the reader will learn."
HINT = (
    "Write the guide here, in short, plain sentences, with a source cited after each claim "
    "(the README says how), then delete this line."
)


def _scalar(text: str) -> str:
    """``text`` as a YAML value: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        if yaml.safe_load(f"v: {text}") == {"v": text}:
            return text
    except yaml.YAMLError:
        pass
    return yaml.safe_dump(text, default_style='"', width=10_000).strip()


def front_matter(title: str, section: str, day: dt.date) -> str:
    return (
        "---\n"
        f"title: {_scalar(title)}\n"
        f"summary: {SUMMARY}\n"
        f"date: {day.isoformat()}\n"
        f"category: {_scalar(section)}\n"
        "review:\n"
        "  status: in_review\n"
        "---\n"
        f"{HINT}\n"
    )


def new_guide(title: str, section: str, settings_file: str = "pelicanconf.py", stream=None) -> int:
    """Write the guide; return 0, or print why not and return 2 (bad input) or 1 (the file exists)."""
    from pelican.settings import read_settings
    from pelican.utils import slugify

    from ..core.diagnostics import did_you_mean
    from ..core.settings import today

    stream = stream or sys.stderr
    title = " ".join((title or "").split())
    section = (section or "").strip()
    settings = read_settings(settings_file)
    sections = list(settings.get("SECTIONS") or [])
    usage = 'usage: make new TITLE="Paying for IOP" SECTION="Getting care"'
    if not title:
        print(f"make new: TITLE is missing.\n{usage}", file=stream)
        return 2
    if len(title) > MAX_TITLE:
        print(f"make new: TITLE is {len(title)} characters long; keep it under {MAX_TITLE}.", file=stream)
        return 2
    if section not in sections:
        listed = ", ".join(f'"{s}"' for s in sections)
        said = f'"{section}" is not one of them' if section else "it is missing"
        hint = did_you_mean(section, sections) if section else ""
        print(f"make new: SECTION must be one of {listed}; {said}. {hint}".rstrip(), file=stream)
        print(usage, file=stream)
        return 2
    slug = slugify(title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))
    if not slug:
        print(f"make new: TITLE '{title}' gives no address (use letters or digits).", file=stream)
        return 2
    folder = Path(settings["PATH"]) / (settings.get("ARTICLE_PATHS") or ["guides"])[0]
    path = folder / f"{slug}.md"
    if path.exists():
        print(f"make new: {os.path.relpath(path)} already exists; pick another TITLE or edit that file.", file=stream)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
            out.write(front_matter(title, section, today(settings)))
    except FileExistsError:
        print(f"make new: {os.path.relpath(path)} already exists.", file=stream)
        return 1
    url = settings.get("ARTICLE_URL", "{slug}.html").format(slug=slug)
    print(
        f"Wrote {os.path.relpath(path)} (review status: in_review).\n"
        f"Edit it, and `make serve` shows it at http://127.0.0.1:8000/{url}",
        file=stream,
    )
    return 0
