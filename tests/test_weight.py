"""Page weight budget: HTML plus CSS of every page arrives in the first round trip (14 KB brotli)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import brotli

BUDGET = 14 * 1024


def over_budget(output: Path) -> dict:
    """Pages whose HTML plus the site's CSS, brotli-compressed, exceed the budget."""
    css = next((output / "theme/css").glob("site.*.css")).read_bytes()
    css_br = len(brotli.compress(css, quality=11))
    over = {}
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        if rel.startswith("pagefind/"):
            continue
        total = len(brotli.compress(page.read_bytes(), quality=11)) + css_br
        if total > BUDGET:
            over[rel] = total
    return over


def test_every_page_fits_the_first_round_trip(real_site):
    assert over_budget(real_site.output) == {}


def test_an_oversized_page_is_caught(real_site, tmp_path):
    copy = tmp_path / "output"
    shutil.copytree(real_site.output / "theme", copy / "theme")
    shutil.copy(real_site.output / "index.html", copy / "index.html")
    (copy / "heavy.html").write_bytes(b"<!doctype html><p>" + os.urandom(BUDGET).hex().encode())
    assert list(over_budget(copy)) == ["heavy.html"]
