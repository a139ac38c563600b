"""Data blocks: one Markdown line that shows data from ``data/`` through a theme partial.

    ::: care-levels
    ::: care-levels levels=outpatient,iop,php columns=hours,setting
    ::: faqs topic=cost

Errors (at the Markdown line): BLK001 unknown block, BLK002 unknown or malformed option,
BLK003 unknown level, column or topic.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from .diagnostics import DIAG, did_you_mean

BLOCK_RE = re.compile(r"^:::\s*(?P<name>\S*)(?P<opts>.*)$")

#: Column id -> (header, how the cell is found in a level).
CARE_COLUMNS = {
    "asam": "ASAM level",
    "hours": "Hours a week",
    "days": "Days a week",
    "overnight": "Overnight stay",
    "setting": "Where",
    "fits": "Often fits",
    "not_fits": "May need something else",
    "length": "How long",
}
DEFAULT_COLUMNS = ["hours", "days", "overnight", "setting", "fits"]

BLOCKS = {
    "care-levels": {"levels": "comma-separated level ids", "columns": "comma-separated column ids",
                    "caption": "table caption in quotes"},
    "faqs": {"topic": "a topic id from data/faqs.yaml", "heading": "heading in quotes"},
    "crisis-help": {"full": "yes to show every line of data/crisis.yaml, not only 988 and 911"},
}


@dataclass
class Block:
    name: str
    options: dict
    line: int


def parse(text: str, path: str, line: int) -> Block | None:
    """Parse a ``:::`` line; report problems and return None when it cannot be used."""
    m = BLOCK_RE.match(text.strip())
    name = m.group("name") if m else ""
    if name not in BLOCKS:
        DIAG.error("BLK001", path, line, f"unknown data block '{name}'",
                   did_you_mean(name, BLOCKS) or f"known blocks: {', '.join(BLOCKS)}")
        return None
    try:
        words = shlex.split(m.group("opts"))
    except ValueError as exc:
        DIAG.error("BLK002", path, line, f"options of '{name}' cannot be read ({exc})",
                   "close every quote")
        return None
    options, ok = {}, True
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not value:
            DIAG.error("BLK002", path, line, f"option '{word}' of '{name}' should be name=value",
                       f"options: {', '.join(BLOCKS[name])}")
            ok = False
        elif key not in BLOCKS[name]:
            DIAG.error("BLK002", path, line, f"unknown option '{key}' for '{name}'",
                       did_you_mean(key, BLOCKS[name]) or f"options: {', '.join(BLOCKS[name])}")
            ok = False
        else:
            options[key] = value
    if name == "faqs" and "topic" not in options and ok:
        DIAG.error("BLK002", path, line, "'faqs' needs a topic", "write ::: faqs topic=ID")
        ok = False
    return Block(name, options, line) if ok else None


def care_levels(block: Block, data, path: str):
    """Return (levels, columns) for a care-levels block, or None after reporting."""
    by_id = data.levels_by_id
    ids = _split(block.options.get("levels")) or list(by_id)
    columns = _split(block.options.get("columns")) or DEFAULT_COLUMNS
    ok = True
    for i in ids:
        if i not in by_id:
            ok = False
            DIAG.error("BLK003", path, block.line, f"unknown level '{i}'",
                       did_you_mean(i, by_id) or f"levels: {', '.join(by_id)}")
    for c in columns:
        if c not in CARE_COLUMNS:
            ok = False
            DIAG.error("BLK003", path, block.line, f"unknown column '{c}'",
                       did_you_mean(c, CARE_COLUMNS) or f"columns: {', '.join(CARE_COLUMNS)}")
    if not ok:
        return None
    return [by_id[i] for i in ids], [(c, CARE_COLUMNS[c]) for c in columns]


def faqs(block: Block, data, path: str):
    """Return (topic, questions) for a faqs block, or None after reporting."""
    topic = block.options["topic"]
    if topic not in data.topics:
        DIAG.error("BLK003", path, block.line, f"unknown FAQ topic '{topic}'",
                   did_you_mean(topic, data.topics) or f"topics: {', '.join(data.topics)}")
        return None
    return data.topics[topic], [f for f in data.faqs if topic in f["topics"]]


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]
