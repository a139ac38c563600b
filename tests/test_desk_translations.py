"""The review desk shows a translation beside its English page (issue 28 item 2): the drift gate's state,
every English change since the pin at its file and line and word by word, who translated and checked
it, and what `make publish` does with it; an English page lists its translations."""

from __future__ import annotations

from test_desk import desk, rows
from test_translations import line_of, sign_off, spanish_site


def english_changes(page, root=None) -> list[tuple[str, str, str, str]]:
    """(where, what, removed, added) of every English change the desk page lists (``root``: the fixture
    site's folder, left out of the file names)."""
    out = []
    for tr in page.select("tr[data-english-change]"):
        where, what, cell = tr.find_all("td")
        for hidden in cell.select(".vh"):
            hidden.decompose()
        gone = " ".join(d.get_text().strip() for d in cell.select("del"))
        new = " ".join(i.get_text().strip() for i in cell.select("ins"))
        name = where.get_text(strip=True).replace(f"{root}/", "") if root else where.get_text(strip=True)
        out.append((name, what.get_text(strip=True), gone, new))
    return out


def test_a_drifted_translation_shows_the_english_change_at_its_line_word_by_word(site):
    spanish_site(site)
    site.edit("content/guides/small.md", "9 to 19 hours", "9 to 20 hours")
    sign_off(site, "content/guides/small.md")
    index, pages = desk(site)
    page = pages["es/guides/small.html"]
    line = line_of(site.content / "guides/small.md", "9 to 20 hours")
    assert english_changes(page, site.root) == [(f"content/guides/small.md:{line}", "the text", "19", "20")]
    assert page.select_one("p[data-translation]")["data-translation"] == "drifted"
    assert page.select_one("[data-publish]")["data-publish"] == "no"
    assert "withholds it" in page.select_one("[data-publish]").get_text()
    assert f"make translate-pin PAGE={site.root}/content/es/guides/small.md REVIEWER=your-id" in page.get_text()
    people = [li.get_text(" ", strip=True) for li in page.select("#translation ~ ul")[0].select("li")]
    assert people[0].startswith("Translator: Fixture Translator") and people[1].startswith("Language reviewer:")
    # The English page's own desk page links the translation as behind; the index agrees.
    english = pages["guides/small.html"]
    behind = english.select_one("#translation ~ ul li").get_text(" ", strip=True)
    assert "content/es/guides/small.md" in behind and "behind this page: 1 change(s)" in behind
    row = rows(index)["es/guides/small.md"]
    assert row.select_one("[data-translation]")["data-translation"] == "drifted"
    assert row["data-publish"] == "no" and "withholds" in row.get_text()
    assert rows(index)["guides/small.md"].select_one("[data-translation]")["data-translation"] == "source"


def test_a_current_translation_says_so_and_publishes(site):
    spanish_site(site)
    _index, pages = desk(site)
    page = pages["es/guides/small.html"]
    assert page.select_one("p[data-translation]")["data-translation"] == "current"
    assert "pinned by fixture-language-reviewer" in page.select_one("p[data-translation]").get_text(" ", strip=True)
    assert english_changes(page) == []
    assert page.select_one("[data-publish]")["data-publish"] == "yes"
    assert page.select_one(".reader")["lang"] == "es", "the Spanish text is marked Spanish for screen readers"
    link = page.select_one("#translation ~ p a")
    assert link["href"] == "../../../page/guides/small.html" and link.get_text(strip=True) == "A small guide"


def test_a_translation_never_pinned_says_so(site):
    spanish_site(site, pin=False)
    _index, pages = desk(site)
    page = pages["es/guides/small.html"]
    assert page.select_one("p[data-translation]")["data-translation"] == "unpinned"
    assert page.select_one("[data-publish]")["data-publish"] == "no"


def test_the_spanish_banner_has_its_own_row_and_page(site):
    spanish_site(site, approved=False)
    index, pages = desk(site)
    row = rows(index)["es/crisis.yaml"]
    assert row["data-state"] == "never" and row["data-publish"] == "no"
    assert "data/es/crisis.yaml" in row.get_text()
    page = pages["banner-es.html"]
    shown = page.select("#text ~ ul")
    assert {ul["lang"] for ul in shown} == {"es"}
    assert "AYUDA" in " ".join(ul.get_text() for ul in shown)
    sign_off(site, "data/es/crisis.yaml")
    index, _pages = desk(site)
    assert rows(index)["es/crisis.yaml"]["data-state"] == "approved"
