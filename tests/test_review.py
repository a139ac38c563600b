"""Clinical review: sign-off pinned to the exact text, data and references; the publish gate."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sitekit.checks.review import add_months, long_date
from sitekit.commands.approve import approve, rewrite

REVIEWER = """
  - id: fixture-clinician
    name: "Fixture Clinician (test data only)"
    credentials: "LCSW"
    role: "Clinical social worker in the test fixture"
"""


@pytest.fixture
def reviewed_site(site):
    (site.data / "reviewers.yaml").write_text((site.data / "reviewers.yaml").read_text() + REVIEWER)
    site.append("content/guides/small.md", "\n::: care-levels levels=iop columns=hours\n")
    return site


def sign_off(site, reviewer="fixture-clinician", today=None):
    page = site.content / "guides/small.md"
    assert approve(str(page), reviewer, settings=str(site.settings_file()), today=today) == 0
    return page


def test_preview_marks_unreviewed_pages_with_notice_and_noindex(site):
    result = site.build()
    soup = result.html("guides/small/index.html")
    notice = soup.select_one("main [data-review-notice]")
    assert notice.find("strong").get_text() == "A clinician has not yet checked this page."
    # Plain words for readers: the editors' reason (status: in_review) stays out of the page.
    text = notice.get_text(" ", strip=True)
    assert "status" not in text and "in_review" not in text and "approved" not in text
    assert soup.find("h1").find_next_sibling() is notice, "the notice sits right under the title"
    assert not soup.select("[data-review-byline]"), "no 'Reviewed by' on a page nobody reviewed"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_publish_refuses_unreviewed_page_and_names_it(site):
    result = site.build(publish=True)
    assert result.code == 1
    assert "content/guides/small.md: REVW010 cannot be published: not yet approved" in result.log


def test_approve_then_publish_passes_with_reviewed_by_and_json_ld(reviewed_site):
    sign_off(reviewed_site)
    result = reviewed_site.build(publish=True)
    assert result.code == 0, result.log
    soup = result.html("guides/small/index.html")
    info = soup.select_one("[data-review-info]").get_text(" ", strip=True)
    assert "Reviewed by Fixture Clinician (test data only), LCSW" in info
    assert "Page last reviewed:" in info and "Next review due:" in info
    byline = soup.select_one("[data-review-byline]")
    assert soup.find("h1").find_next_sibling() is byline, "who reviewed the page shows right under its title"
    today, due = dt.date.today(), add_months(dt.date.today(), 12)
    assert (
        byline.get_text(" ", strip=True).split()
        == (
            f"Reviewed by Fixture Clinician (test data only), LCSW · Last reviewed {long_date(today)} · "
            f"Next review due {long_date(due)}"
        ).split()
    )
    assert [t["datetime"] for t in byline.find_all("time")] == [today.isoformat(), due.isoformat()]
    assert not soup.select("[data-review-notice]") and not soup.find("meta", attrs={"name": "robots"})
    ld = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    page = next(d for d in ld if d["@type"] == "MedicalWebPage")
    assert page["lastReviewed"] == dt.date.today().isoformat()
    assert page["reviewedBy"]["name"] == "Fixture Clinician (test data only)"
    assert page["reviewedBy"]["honorificSuffix"] == "LCSW"
    assert page["audience"]["@type"] == "Patient" and page["publisher"]["name"]
    assert any("ASAM Criteria" in c for c in page["citation"]), "a source with no address is named by its title"


@pytest.mark.parametrize(
    "change,reason",
    [
        (("content/guides/small.md", "9 to 19 hours", "9 to 20 hours"), "changed since it was approved"),
        (("data/care_levels.yaml", "9 to 19 for adults", "9 to 18 for adults"), "changed since it was approved"),
        (("data/references.yaml", "Mee-Lee D (ed.), et al.", "Mee-Lee D, et al."), "changed since it was approved"),
    ],
)
def test_any_change_after_approval_sends_the_page_back(reviewed_site, change, reason):
    sign_off(reviewed_site)
    reviewed_site.edit(*change)
    result = reviewed_site.build(publish=True)
    assert result.code == 1
    assert f"content/guides/small.md: REVW010 cannot be published: {reason}" in result.log
    preview = reviewed_site.build()
    notice = preview.html("guides/small/index.html").select_one("[data-review-notice]").get_text(" ", strip=True)
    assert f"It changed after a clinician checked it on {long_date(dt.date.today())}." in notice


@pytest.mark.parametrize(
    "old,new",
    [
        ("checked: 2026-11-22\n    classic: true  # the level", "checked: 2026-11-23\n    classic: true  # the level"),
        ("classic: true  # the level numbering", "classic: false  # the level numbering"),
        ('type: clinical_guideline\n    authors: "Mee-Lee', 'type: textbook\n    authors: "Mee-Lee'),
    ],
)
def test_editor_only_fields_of_a_cited_reference_keep_the_approval(reviewed_site, old, new):
    """checked:, classic: and type: are never shown to readers, so they must not un-approve a page."""
    sign_off(reviewed_site)
    reviewed_site.edit("data/references.yaml", old, new)
    result = reviewed_site.build(publish=True)
    assert result.code == 0, result.log


@pytest.mark.parametrize(
    "old,new",
    [
        ("(3rd edition)", "(third edition)"),
        ("year: 2013", "year: 2014"),
        ("Chevy Chase, MD", "Rockville, MD"),
    ],
)
def test_visible_fields_of_a_cited_reference_un_approve(reviewed_site, old, new):
    sign_off(reviewed_site)
    reviewed_site.edit("data/references.yaml", old, new)
    result = reviewed_site.build(publish=True)
    assert result.code == 1
    assert "content/guides/small.md: REVW010 cannot be published: changed since it was approved" in result.log


def test_unrelated_data_change_keeps_the_approval(reviewed_site):
    sign_off(reviewed_site)
    reviewed_site.edit("data/care_levels.yaml", "Fewer than 9 for adults", "Under 9 for adults")
    assert reviewed_site.build(publish=True).code == 0


def test_overdue_review_fails_publish(reviewed_site):
    sign_off(reviewed_site, today=dt.date.today() - dt.timedelta(days=800))
    result = reviewed_site.build(publish=True)
    assert result.code == 1
    assert "review overdue since" in result.log


def test_example_reviewer_is_refused_in_publish(reviewed_site):
    sign_off(reviewed_site, reviewer="example-reviewer")
    assert reviewed_site.build().code == 0
    result = reviewed_site.build(publish=True)
    assert result.code == 1
    assert "signed off by an example reviewer" in result.log


@pytest.mark.parametrize(
    "record,code",
    [
        ("review:\n  status: approved\n", "REVW003"),
        ("review:\n  status: in_review\n  reviewer: nobody\n", "REVW001"),
        ("review:\n  status: in_review\n  reviewed: 2026-01-10\n  next_review: 2025-01-01\n", "REVW002"),
        ("review:\n  status: in_review\n  reviewed: 2026-01-10\n  next_review: 2030-01-01\n", "REVW002"),
    ],
)
def test_bad_review_records_are_errors(site, record, code):
    site.edit("content/guides/small.md", "review:\n  status: in_review\n", record)
    result = site.build()
    assert result.code == 1
    assert code in result.codes(), result.log


def test_approve_changes_only_the_review_block_byte_for_byte(reviewed_site):
    page = reviewed_site.content / "guides/small.md"
    text = page.read_text().replace("title: A small guide", "# a comment kept\ntitle: A small guide  # inline")
    page.write_text(text)
    sign_off(reviewed_site)
    after = page.read_text()
    before_lines = [line for line in text.split("\n") if not line.startswith(("review:", "  status:"))]
    after_lines = [
        line
        for line in after.split("\n")
        if not line.startswith(
            ("review:", "  status:", "  reviewer:", "  reviewed:", "  next_review:", "  fingerprint:")
        )
    ]
    assert before_lines == after_lines
    assert "# a comment kept" in after and after.endswith(text[text.index("---\n", 4) :].split("\n", 1)[1])


def test_rewrite_adds_a_block_when_there_is_none():
    text = "---\ntitle: X\nsummary: Y\n---\nBody\n"
    assert (
        rewrite(text, ["review:", "  status: approved"])
        == "---\ntitle: X\nsummary: Y\nreview:\n  status: approved\n---\nBody\n"
    )


def test_publish_can_exclude_unreviewed_pages_instead(site):
    """Also the publish build of a fixture site with no placeholder left: it passes with no OWN finding."""
    result = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert result.code == 0, result.log
    assert not (result.output / "guides/small/index.html").exists()
    assert "REVW011" in result.codes()
    assert not [f for f in result.findings if f.code.startswith("OWN")]


def test_excluded_page_must_not_be_linked(site):
    site.write(
        "content/pages/links.md",
        """
        ---
        title: Links
        summary: Links to the guide.
        clinical: false
        ---
        See [the guide]({filename}/guides/small.md).
    """,
    )
    result = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert result.code == 1
    assert "output/links/index.html:" in result.log and "OUT013 link to" in result.log, result.log


def git(site, *args):
    import subprocess

    subprocess.run(
        ["git", *args],
        cwd=site.root,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "PATH": "/usr/bin:/bin",
        },
    )


def test_review_packet_shows_diff_and_citation_changes_since_sign_off(reviewed_site):
    from sitekit.commands.packet import text_packet, write_packet

    site = reviewed_site
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-qm", "before")
    sign_off(site)
    git(site, "commit", "-qam", "sign off")
    site.edit(
        "content/guides/small.md",
        "9 to 19 hours of care a week[@asam-criteria-3rd-2013]",
        "9 to 20 hours of care a week[@medicare-gov-iop-coverage]",
    )
    out = site.root / "packet"
    assert write_packet(str(site.settings_file()), str(out)) == 0
    text = (out / "packet.txt").read_text()
    assert "-IOP gives adults 9 to 19 hours" in text and "+IOP gives adults 9 to 20 hours" in text
    assert "citations added since sign-off: medicare-gov-iop-coverage; removed: asam-criteria-3rd-2013" in text
    assert "changed since it was approved" in text
    html = (out / "index.html").read_text()
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    row = soup.find("table").tbody.find("tr")
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert row.th.get_text(strip=True) == "A small guide" and cells[0] == "approved"
    assert cells[1] == "Fixture Clinician (test data only)"
    assert soup.select("pre span.add") and soup.select("pre span.del")
    assert not (site.root / "output" / "packet.txt").exists(), "the packet stays out of the site"
    assert text_packet([]).startswith("Review packet")


def test_review_packet_flags_due_soon_and_overdue(reviewed_site):
    from sitekit.commands.packet import collect

    sign_off(reviewed_site, today=dt.date.today() - dt.timedelta(days=330))
    report = next(r for r in collect(str(reviewed_site.settings_file())) if r.path.endswith("small.md"))
    assert report.due_soon and not report.overdue
    sign_off(reviewed_site, today=dt.date.today() - dt.timedelta(days=400))
    report = next(r for r in collect(str(reviewed_site.settings_file())) if r.path.endswith("small.md"))
    assert report.overdue and "review overdue" in report.reasons


def test_sitemap_lists_approved_pages_with_their_review_date(reviewed_site):
    sign_off(reviewed_site)
    result = reviewed_site.build(publish=True)
    assert result.code == 0, result.log
    sitemap = (result.output / "sitemap.xml").read_text()
    assert (
        f"<loc>https://iop-guide.example.org/guides/small/</loc><lastmod>{dt.date.today().isoformat()}</lastmod>"
    ) in sitemap
    assert (result.output / "guides/small/index.html.br").is_file(), "publish builds are precompressed"


def test_pages_left_out_are_not_in_the_sitemap(site):
    result = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert result.code == 0, result.log
    assert "/guides/small/" not in (result.output / "sitemap.xml").read_text()


def test_reading_level_of_home_and_section_pages_counts_the_summaries_not_the_titles(site):
    """`make reading` measures the pages made from templates alone (home, sections) on what a reader
    reads there: the guides' summaries and the page's own text, not the guides' titles (headings)."""
    from sitekit.commands.packet import listing_reading

    def measure(title: str, summary: str) -> dict:
        for n in range(6):
            site.write(
                f"content/guides/g{n}.md",
                GUIDE_N.format(n=n, title=title, summary=summary),
            )
        result = site.build()
        assert result.code == 0, result.log
        return dict(listing_reading(result.output))

    plain = measure("Guide", "You go a few times a week. You live at home.")
    assert set(plain) == {"index.html", "sections/understanding-iop/index.html"}
    hard = measure("Guide", "Intensive outpatient programming necessitates considerable organizational commitment.")
    long_titles = measure(
        "Intensive outpatient programming necessitates considerable organizational commitment",
        "You go a few times a week. You live at home.",
    )
    for page in plain:
        assert hard[page]["smog"] > plain[page]["smog"] + 3 and hard[page]["fk"] > plain[page]["fk"] + 3, page
        assert long_titles[page] == plain[page], "a guide's title is a heading: not measured"


GUIDE_N = """---
title: {title} {n}
summary: {summary}
date: 2026-01-01
category: Understanding IOP
review:
  status: in_review
---
IOP gives adults 9 to 19 hours of care a week[@asam-criteria-3rd-2013].
"""
