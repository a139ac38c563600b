"""The clinician's review desk (`make review`, /_review/ under `make serve`) and dated facts.

Issue 23 items 1, 4, 5 and 6; issue 25 item 3. Fixture sites only (the real site is read, never signed).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURE_EXEMPT, Site, make_site, sign_by_hand
from sitekit.commands.approve import approve
from sitekit.commands.desk import review

TODAY = dt.date.today()
WHO = "Fixture Clinician (test data only)"

VETTED = """
- key: asam-criteria-3rd-2013
  title: "The ASAM Criteria (3rd edition)"
  facts:
    - "IOP (level 2.1) is 9 or more hours of services a week for adults, 6 or more for adolescents."
  verified: true
  notes: "Do not claim an upper limit of hours from this source alone."
- key: medicare-gov-iop-coverage
  title: "Intensive outpatient program services (Medicare.gov)"
  facts:
    - "Medicare covers IOP services in hospital outpatient departments and community mental health centers."
  verified: true
"""


def sign(site, *pages, reviewer="fixture-clinician", **options):
    paths = [p if p.startswith("/") else str(site.content / p) for p in pages]
    assert approve(paths, reviewer, settings=str(site.settings_file()), **options) == 0


def desk(site, vetted: bool = True):
    """`make review` on the site: (the index, {subject: desk page}) as parsed HTML."""
    folder = site.root / "desk"
    path = site.root / "vetted.yaml"
    if vetted:
        path.write_text(VETTED)
    assert review(str(site.settings_file()), out=str(folder), vetted=str(path)) == 0
    pages = {p.relative_to(folder / "page").as_posix(): p for p in (folder / "page").rglob("*.html")}
    parse = lambda p: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")  # noqa: E731
    return parse(folder / "index.html"), {k: parse(v) for k, v in pages.items()}


def rows(index) -> dict:
    return {tr["data-subject"]: tr for tr in index.select("tbody tr[data-subject]")}


def changes(page, root=None) -> list[tuple[str, str, str, str, str]]:
    """(file, record, field, removed, added) of every change the desk page shows; the words for screen
    readers ("[removed: ", "]") are checked once, then left out."""
    out = []
    for tr in page.select("tr[data-change]"):
        file, record, fld, cell = tr.find_all("td")
        for mark, word in (("del", "removed"), ("ins", "added")):
            for el in cell.select(mark):
                assert [v.get_text() for v in el.select(".vh")] == [f"[{word}: ", "]"]
        for hidden in cell.select(".vh"):
            hidden.decompose()
        gone = " ".join(d.get_text().strip() for d in cell.select("del"))
        new = " ".join(i.get_text().strip() for i in cell.select("ins"))
        name = file.get_text(strip=True).replace(f"{root}/", "") if root else file.get_text(strip=True)
        out.append((name, record.get_text(strip=True), fld.get_text(strip=True), gone, new))
    return out


# -- what changed, word by word, from every file that makes the page (issue 23 items 1, 4, 6) ---------------

FACTS = """facts:
  - id: medicare-rule
    what: "Medicare's 9-hour rule"
    as_of: {as_of}
    until: {until}
    kind: recheck
    citations: [medicare-gov-iop-coverage]
    check: "CMS's yearly rule"
"""


def showing_everything(site):
    """The small guide made to show a care-level row, FAQ answers, the crisis lines and a dated fact."""
    site.write("data/dated_facts.yaml", FACTS.format(as_of="2026-02-01", until=TODAY + dt.timedelta(days=200)))
    site.append(
        "content/guides/small.md",
        "\n[As of: medicare-rule], Medicare pays for it[@medicare-gov-iop-coverage].\n\n"
        "::: care-levels levels=iop columns=hours\n\n::: faqs topic=basics\n\n::: crisis-help\n",
    )
    return site


@pytest.fixture
def page_site(site):
    """A guide that shows a care-level row, FAQ answers, the crisis lines and a dated fact."""
    return showing_everything(site)


@pytest.fixture(scope="module")
def signed_once(tmp_path_factory):
    """page_site with its guide signed off today (`make approve`), once for the module: the folder, which
    holds nothing that names it (each test gets a copy: `signed_page_site`)."""
    site = showing_everything(make_site(tmp_path_factory.mktemp("signed")))
    sign(site, "guides/small.md")
    (site.root / "siteconf.py").unlink()  # each copy writes its own
    return site.root


@pytest.fixture
def signed_page_site(signed_once, tmp_path):
    """A copy of page_site as `sign(page_site, "guides/small.md")` leaves it, for one test to change."""
    shutil.copytree(signed_once, tmp_path / "signed")
    return Site(tmp_path / "signed")


@pytest.mark.parametrize(
    "edit,expected",
    [
        (
            ("content/guides/small.md", "9 to 19 hours of care", "9 to 20 hours of care"),
            ("content/guides/small.md", "(the page itself)", "body (changed)", "19", "20"),
        ),
        (
            ("data/faqs.yaml", "keep living at home", "keep living in your own home"),
            ("data/faqs.yaml", "FAQ iop-meaning", "answer (changed)", "at", "in your own"),
        ),
        (
            ("data/care_levels.yaml", "9 to 19 for adults", "9 to 18 for adults"),
            ("data/care_levels.yaml", "care level iop", "hours_per_week.text (changed)", "19", "18"),
        ),
        (
            ("data/references.yaml", "(3rd edition)", "(third edition)"),
            ("data/references.yaml", "reference asam-criteria-3rd-2013", "title (changed)", "3rd", "third"),
        ),
        (
            ("data/crisis.yaml", 'label: "Call 988"', 'label: "Call 988 now"'),
            ("data/crisis.yaml", "crisis line lifeline", "actions 1.label (changed)", "", "now"),
        ),
        (
            ("data/dated_facts.yaml", "as_of: 2026-02-01", "as_of: 2026-03-01"),
            ("data/dated_facts.yaml", "dated fact medicare-rule", "as_of (changed)", "02", "03"),
        ),
    ],
)
def test_the_desk_shows_every_change_since_sign_off_word_by_word_naming_file_and_field(
    signed_page_site, edit, expected
):
    site = signed_page_site
    site.edit(*edit)
    index, pages = desk(site)
    page = pages["guides/small.html"]
    found = changes(page, site.root)
    assert len(found) == 1 and found[0][:3] == expected[:3], found
    assert found[0][3:] == expected[3:], found
    row = rows(index)["guides/small.md"]
    assert row["data-state"] == "changed" and row["data-publish"] == "no"
    file, record, fld = expected[0], expected[1], expected[2].split(" (")[0]
    named = f"the page's {fld}" if record == "(the page itself)" else f"{file} {record} {fld}"
    assert named in row.get_text(" ", strip=True)
    # The build's "went back to review" and the publish refusal name the same file and field.
    # (A change to the crisis lines also sends the banner's own sign-off back: that is data/crisis.yaml's.)
    preview = site.build()
    mine = [f for f in preview.findings if f.code == "REVW020" and f.path.endswith("small.md")]
    assert [f.message.endswith(named) for f in mine] == [True], preview.log
    published = site.build(publish=True)
    assert [f.message.endswith(named) for f in published.findings if f.code == "REVW010"] == [True]


def test_the_desk_works_for_a_sign_off_that_git_has_never_seen(signed_page_site):
    """The snapshot is written by `make approve`: no commit is needed (the fixture is no git repository)."""
    page_site = signed_page_site
    assert not (page_site.root / ".git").exists()
    page_site.edit("content/guides/small.md", "title: A small guide", "title: A smaller guide")
    _index, pages = desk(page_site)
    assert changes(pages["guides/small.html"], page_site.root) == [
        ("content/guides/small.md", "(the page itself)", "title (changed)", "small", "smaller")
    ]


# -- one source of truth (issue 23 item 6) ------------------------------------------------------------------


def test_the_desk_publish_the_went_back_list_and_the_readers_line_agree_for_every_page(site):
    """Every page in every state: the desk's state and 'make publish' column, the publish build's refusals,
    the build's REVW020 list and the reader's "Last reviewed" line all come from one evaluate()."""
    base = (site.content / "guides/small.md").read_text()
    for name in ("current", "changed", "never", "overdue", "soon", "uncited"):
        site.write(f"content/guides/{name}.md", base.replace("A small guide", f"Guide {name}"))
    site.append("content/guides/uncited.md", "\nAbout 40% of people finish.\n")
    sign(site, "guides/current.md", "guides/changed.md")
    sign(site, "guides/overdue.md", today=TODAY - dt.timedelta(days=400))
    sign(site, "guides/soon.md", today=TODAY - dt.timedelta(days=330))
    site.edit("content/guides/changed.md", "9 to 19 hours", "9 to 20 hours")

    index, pages = desk(site)
    table = rows(index)
    assert {s: r["data-state"] for s, r in table.items() if s.startswith("guides/")} == {
        "guides/small.md": "never",
        "guides/current.md": "approved",
        "guides/changed.md": "changed",
        "guides/never.md": "never",
        "guides/overdue.md": "overdue",
        "guides/soon.md": "approved",
        "guides/uncited.md": "never",
    }
    assert "Due within 60 days" in table["guides/soon.md"].get_text()
    assert {s for s, r in table.items() if r["data-state"] == "exempt"} == set(FIXTURE_EXEMPT)

    published = site.build(publish=True)
    refused = {
        f.path.split("/content/", 1)[1] for f in published.findings if f.severity == "error" and "/content/" in f.path
    }
    banner_refused = "REVW023" in published.codes()
    for subject, row in table.items():
        if subject == "crisis.yaml":
            assert (row["data-publish"] == "no") == banner_refused
        else:
            assert (row["data-publish"] == "no") == (subject in refused), subject

    preview = site.build()
    went_back = {f.path.split("/content/", 1)[1] for f in preview.findings if f.code == "REVW020"}
    assert went_back == {s for s, r in table.items() if r["data-state"] in ("changed", "overdue")}
    for subject, row in table.items():
        if not subject.startswith("guides/"):
            continue
        html = preview.html(f"guides/{subject[7:-3]}/index.html")
        ld = [json.loads(s.string) for s in html.find_all("script", type="application/ld+json")]
        reviewed = next(d for d in ld if d["@type"] == "MedicalWebPage").get("lastReviewed")
        byline = html.select_one("[data-review-byline]")
        approved = row["data-state"] == "approved"
        assert (byline is not None) == approved == (reviewed is not None), subject
        assert (html.select_one("[data-review-notice]") is None) == approved, subject
        assert pages[subject[:-3] + ".html"].select_one("[data-state]")["data-state"] == row["data-state"]


# -- what the desk shows of each page (issue 23 item 1) ------------------------------------------------------


def test_each_citation_stands_beside_its_reference_and_the_vetted_facts(page_site):
    _index, pages = desk(page_site)
    page = pages["guides/small.html"]
    cites = {c.find("p").get_text(" ", strip=True): c for c in page.select("[data-cite]")}
    block = cites["IOP gives adults 9 to 19 hours of care a week."]
    text = block.get_text(" ", strip=True)
    assert "The ASAM Criteria" in text
    assert "IOP (level 2.1) is 9 or more hours of services a week for adults" in text
    assert "Do not claim an upper limit of hours from this source alone." in text
    assert "As of February 2026, Medicare pays for it." in cites, "the sentence as readers read it"
    faq = next(c for t, c in cites.items() if t.startswith("For adults, IOP usually means 9 to 19 hours"))
    assert "data/faqs.yaml, FAQ iop-hours, answer" in faq.get_text(" ", strip=True)
    assert "Vetted facts it may stand on" in faq.get_text(" ", strip=True)


def test_without_the_vetted_list_the_desk_says_so_and_nothing_fails(page_site):
    index, pages = desk(page_site, vetted=False)
    assert "The vetted list is missing." in index.get_text(" ", strip=True)
    assert "was not found" in pages["guides/small.html"].get_text(" ", strip=True)
    assert pages["guides/small.html"].select("[data-cite]"), "the citations are still listed"


def test_the_desk_shows_findings_reading_level_dates_and_who_signed(page_site):
    site = page_site
    sign(site, "guides/small.md", today=TODAY - dt.timedelta(days=40))
    sign(site, "guides/small.md")
    site.append("content/guides/small.md", "\nSome people say alcoholism.\n")
    index, pages = desk(site)
    text = pages["guides/small.html"].get_text(" ", strip=True)
    lines = (site.content / "guides/small.md").read_text().count("\n")
    assert f"content/guides/small.md:{lines}: LNG002 [warning] 'alcoholism'" in text.replace(str(site.root) + "/", "")
    assert re.search(r"SMOG \d+(\.\d)?, Flesch-Kincaid", text)
    assert f"{WHO}, LCSW, on {TODAY}" in text and f"{WHO}, LCSW, on {TODAY - dt.timedelta(days=40)}" in text
    assert 'Readers see "As of February 2026"' in text
    assert index.select_one("tr[data-fact=medicare-rule]") is not None
    assert "Open the page as readers see it" in text
    assert pages["guides/small.html"].find("a", string="Open the page as readers see it")["href"] == "/guides/small/"
    reader = pages["guides/small.html"].select_one(".reader").get_text(" ", strip=True)
    assert "IOP gives adults 9 to 19 hours of care a week" in reader and "Some people say alcoholism." in reader


def test_the_desk_is_written_beside_the_output_never_into_it(site):
    assert review(str(site.settings_file()), vetted=str(site.root / "none.yaml")) == 0
    assert (site.root / "review/index.html").is_file()
    assert not [p for p in (site.root / "output").rglob("*.html") if b"Review desk" in p.read_bytes()]
    published = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert published.code == 0, published.log
    assert not [p for p in published.output.rglob("*.html") if b"Review desk" in p.read_bytes()]


def test_the_desk_loads_nothing_and_runs_nothing(signed_page_site):
    """No script, no stylesheet or image from anywhere: its one style is inline (the preview server allows
    it by hash), so it works without JavaScript and makes no request to anyone."""
    page_site = signed_page_site
    page_site.edit("data/faqs.yaml", "keep living at home", "keep living in your own home")
    index, pages = desk(page_site)
    for soup in (index, *pages.values()):
        assert not soup.select("script, link, img, iframe, object, embed, [src], [style]")
        assert len(soup.find_all("style")) == 1 and "url(" not in soup.style.string


# -- dated facts (issue 25 item 3, issue 23 item 5) -----------------------------------------------------------


def test_a_dated_fact_shows_its_as_of_date_beside_the_fact(page_site):
    page_site.edit("data/faqs.yaml", "keep living at home.", "keep living at home. [As of: medicare-rule], it is so.")
    # Its Spanish answer keeps the marker too (TRN027): the date is shown, and warned about, in Spanish as well.
    page_site.edit("data/es/faqs.yaml", "viviendo en su casa.", "viviendo en su casa. [As of: medicare-rule], es así.")
    result = page_site.build()
    assert result.code == 0, result.log
    html = result.html("guides/small/index.html")
    times = [(t.parent.get_text(" ", strip=True)[:40], t["datetime"], t.get_text()) for t in html.select("main time")]
    assert [(d, t) for _p, d, t in times if d == "2026-02"] == [("2026-02", "February 2026")] * 2, times
    assert "As of February 2026, Medicare pays for it" in " ".join(html.select_one("main").get_text().split())
    # No FAQPage JSON-LD any more (issue 28: no consumer since May 2026): the answer's own words say it.
    answer = html.select_one("#faq-iop-meaning .faq__answer") or html.select_one(".faq__answer")
    assert "As of February 2026, it is so." in " ".join(html.get_text().split())
    assert answer is not None


@pytest.mark.parametrize(
    "days,preview,publish",
    [(31, None, None), (30, "DATE020", "DATE020"), (0, "DATE020", "DATE020"), (-1, "DATE021", "DATE022")],
)
def test_a_dated_fact_warns_30_days_before_it_runs_out_and_stops_publish_after(page_site, days, preview, publish):
    site = page_site
    site.write("data/dated_facts.yaml", FACTS.format(as_of="2026-02-01", until=TODAY + dt.timedelta(days=days)))
    line = FACTS.split("\n").index(next(x for x in FACTS.split("\n") if "until:" in x)) + 1
    for is_publish, code in ((False, preview), (True, publish)):
        result = site.build(publish=is_publish, IOP_REVIEW_UNREVIEWED="exclude")
        dated = [(f.code, f.line) for f in result.findings if f.code.startswith("DATE")]
        assert dated == ([(code, line)] if code else []), result.log
        assert (result.code == 1) == (code == "DATE022"), result.log
    if preview:
        message = next(f.message for f in result.findings if f.code.startswith("DATE"))
        assert message.endswith(f"shown on {site.content}/guides/small.md:11")


BY_HAND = [
    ("body", "As of May 2025, the rules applied."),
    ("body", "The rules applied as of Feb. 3, 2026."),
    ("body", "As of ２０２５, the rules applied."),  # fullwidth digits: the same date to a reader
    ("body", "Rules as at mid-2025 applied."),
    ("key point", "As of May 2025, the rules applied."),
    ("faq", "As of May 2025, the rules applied."),
]


@pytest.fixture(scope="module")
def by_hand(tmp_path_factory):
    """Every case of BY_HAND in one build: each page case on a guide of its own (guides/by-hand-<n>.md, the
    small guide with the text added; no page links to another), the FAQ case in the FAQ answer. The
    build, and {case number: (file name, line) where its DATE023 must be}."""
    site = make_site(tmp_path_factory.mktemp("by-hand"))
    small = (site.content / "guides/small.md").read_text()
    expected = {}
    for n, (where, text) in enumerate(BY_HAND):
        name = f"by-hand-{n}.md"
        if where == "body":
            page = small.replace("A small guide", f"Guide {n}") + f"\n{text}\n"
            expected[n] = (name, page.count("\n"))
        elif where == "key point":
            page = small.replace("A small guide", f"Guide {n}").replace("review:", f"key_points:\n  - {text}\nreview:")
            expected[n] = (name, 7)
        else:
            site.edit("data/faqs.yaml", "keep living at home.", f"keep living at home. {text}")
            expected[n] = ("faqs.yaml", 16)  # the line of the answer's field
            continue
        site.write(f"content/guides/{name}", page)
    return site.build(), expected


@pytest.mark.parametrize("where,text", BY_HAND)
def test_an_as_of_date_written_by_hand_is_refused(by_hand, where, text):
    result, expected = by_hand
    name, line = expected[BY_HAND.index((where, text))]
    found = [(f.path.rsplit("/", 1)[1], f.line) for f in result.findings if f.code == "DATE023"]
    assert [f for f in found if f[0] == name] == [(name, line)], result.log
    assert {f[0] for f in found} <= {n for n, _line in expected.values()}, "none but the cases': " + result.log
    assert result.code == 1
    assert {f.severity for f in result.findings if f.code == "DATE023"} == {"error"}


MARKERS = [
    ("body", "[As of: no-such-fact]", "DATE024"),
    ("body", "[As of: Medicare Rule]", "DATE024"),
    ("faq", "[As of: no-such-fact]", "DATE024"),
    ("crisis", "[As of: medicare-rule]", "DATE024"),  # a plain-text field shows a marker as written
]


@pytest.fixture(scope="module")
def markers(tmp_path_factory):
    """Every case of MARKERS in one build of page_site: each body case on a guide of its own
    (guides/marker-<n>.md, page_site's guide with the marker added; no page links to another), the FAQ
    case in the FAQ answer, the crisis case in the banner's heading."""
    site = showing_everything(make_site(tmp_path_factory.mktemp("markers")))
    small = (site.content / "guides/small.md").read_text()
    for n, (where, marker, _code) in enumerate(MARKERS):
        if where == "body":
            page = small.replace("A small guide", f"Guide {n}") + f"\n{marker}, it is so.\n"
            site.write(f"content/guides/marker-{n}.md", page)
        elif where == "faq":
            site.edit("data/faqs.yaml", "keep living at home.", f"keep living at home. {marker}, it is so.")
        else:
            site.edit("data/crisis.yaml", 'heading: "Need help now?"', f'heading: "Need help now? {marker}"')
    return site.build()


#: Where each case of MARKERS is reported.
MARKED_FILES = ["/content/guides/marker-0.md", "/content/guides/marker-1.md", "/data/faqs.yaml", "/data/crisis.yaml"]


@pytest.mark.parametrize("where,marker,code", MARKERS)
def test_a_marker_that_cannot_be_shown_is_refused(markers, where, marker, code):
    result = markers
    at = MARKED_FILES[MARKERS.index((where, marker, code))]
    assert code in {f.code for f in result.findings if f.path.endswith(at)} and result.code == 1, result.log
    assert {f.severity for f in result.findings if f.code == code} == {"error"}
    assert [f for f in result.findings if f.code == code and not f.path.endswith(tuple(MARKED_FILES))] == []


def test_moving_a_facts_date_sends_the_pages_that_show_it_back_to_review(signed_page_site):
    """`until` is signed although readers do not see it: pushing it back cannot silence the warning unseen."""
    page_site = signed_page_site
    text = (page_site.data / "dated_facts.yaml").read_text()
    page_site.write("data/dated_facts.yaml", re.sub(r"until: .*", "until: 2030-01-01", text))
    result = page_site.build()
    assert [f.message.split(": ", 1)[1] for f in result.findings if f.code == "REVW020"] == [
        f"changed since it was approved on {TODAY} by {WHO}: data/dated_facts.yaml dated fact medicare-rule until"
    ]


def test_a_dated_fact_no_page_shows_is_named(site):
    site.write("data/dated_facts.yaml", FACTS.format(as_of="2026-02-01", until=TODAY + dt.timedelta(days=200)))
    assert [f.line for f in site.build().findings if f.code == "DATE025"] == [2]


def test_a_fact_that_runs_out_before_its_date_is_refused(site):
    site.write("data/dated_facts.yaml", FACTS.format(as_of="2026-02-01", until="2026-01-01"))
    assert "DATE008" in site.build().codes()


def test_every_as_of_date_on_the_real_site_comes_from_its_dated_facts(real_site):
    """Readers see each 'As of' date beside its fact, from data/dated_facts.yaml: none is written by hand,
    every fact is shown, and the build knows each place (issue 25 item 3)."""
    assert not {"DATE023", "DATE024", "DATE025"} & real_site.codes()
    shown = 0
    for page in real_site.pages():
        main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main")
        if main is None:
            continue
        text = main.get_text(" ", strip=True)
        dated = [t for t in main.select("time") if t.previous_sibling and str(t.previous_sibling).endswith(" of ")]
        assert len(re.findall(r"\b[Aa]s of\b", text)) == len(dated), page
        shown += len(dated)
    assert shown >= 10


def test_nothing_is_signed_in_the_shipped_site():
    from conftest import ROOT

    assert not (ROOT / "data/signoffs").exists()
    assert "\nreview:" not in (ROOT / "data/crisis.yaml").read_text()
    for page in (ROOT / "content").rglob("*.md"):
        assert "status: approved" not in page.read_text(encoding="utf-8"), page
    import yaml

    reviewers = yaml.safe_load((ROOT / "data/reviewers.yaml").read_text())["reviewers"]
    assert [r.get("example") for r in reviewers] == [True], "the shipped reviewer stays an example"


def test_an_example_reviewers_sign_off_shows_on_the_desk_and_publish_refuses_it(site):
    sign_by_hand(site, "guides/small.md", "example-reviewer")
    index, _pages = desk(site)
    row = rows(index)["guides/small.md"]
    assert (row["data-state"], row["data-publish"], row["data-ready"]) == ("example", "no", "yes")
    result = site.build(publish=True)
    assert "signed off by an example reviewer" in result.log and result.code == 1
