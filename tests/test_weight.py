"""Page weight budget: each page's HTML, with its CSS inline, arrives in the first round trip
(14 KB brotli), and no page waits for a second request before it can paint."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import brotli

from conftest import ROOT
from sitekit.content.inlinecss import theme_css

BUDGET = 14 * 1024


def weight(page: Path) -> int:
    """Bytes of the page (HTML and its inline CSS) as brotli sends them."""
    return len(brotli.compress(page.read_bytes(), quality=11))


def over_budget(output: Path) -> dict:
    """Pages whose HTML, with its inline CSS, brotli-compressed, exceeds the budget."""
    over = {}
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        if rel.startswith("pagefind/"):
            continue
        total = weight(page)
        if total > BUDGET:
            over[rel] = total
    return over


def test_every_page_fits_the_first_round_trip(real_site):
    assert over_budget(real_site.output) == {}


def test_every_page_carries_the_css_inline_and_links_no_stylesheet(real_site):
    css = theme_css(ROOT / "theme")
    pages = [p for p in real_site.pages() if "/pagefind/" not in p.as_posix()]
    assert len(pages) > 20
    for page in pages:
        soup = real_site.html(page.relative_to(real_site.output))
        assert [s.string for s in soup.find_all("style")] == [css], page
        assert soup.find_all("style")[0].parent.name == "head", page
        assert not soup.find("link", rel="stylesheet"), page


def test_an_oversized_page_is_caught(real_site, tmp_path):
    copy = tmp_path / "output"
    copy.mkdir()
    shutil.copy(real_site.output / "index.html", copy / "index.html")
    (copy / "heavy.html").write_bytes(b"<!doctype html><p>" + os.urandom(BUDGET).hex().encode())
    assert list(over_budget(copy)) == ["heavy.html"]
