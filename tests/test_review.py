"""Clinical review: sign-off pinned to the exact text, data and references; the publish gate."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from conftest import FIXTURE_EXEMPT, FIXTURE_SITEURL, Site, make_site, sign_by_hand
from sitekit.checks.review import add_months, long_date
from sitekit.commands.approve import approve, rewrite


@pytest.fixture
def reviewed_site(site):
    site.append("content/guides/small.md", "\n::: care-levels levels=iop columns=hours\n")
    return site


def sign_off(site, reviewer="fixture-clinician", today=None, pages=("guides/small.md",), **options):
    paths = [str(site.content / p) if p.endswith(".md") else p for p in pages]
    assert approve(paths, reviewer, settings=str(site.settings_file()), today=today, **options) == 0
    return site.content / pages[0]


@pytest.fixture(scope="module")
def signed_once(tmp_path_factory):
    """The reviewed site with its guide signed off today by the fixture clinician (`make approve`), once
    for the module: the folder, which holds nothing that names it (tests copy it: `signed`)."""
    site = make_site(tmp_path_factory.mktemp("signed"))
    site.append("content/guides/small.md", "\n::: care-levels levels=iop columns=hours\n")
    sign_off(site)
    (site.root / "siteconf.py").unlink()  # each copy writes its own
    return site.root


@pytest.fixture
def signed(signed_once, tmp_path):
    """A copy of the signed reviewed site for one test to change: as `sign_off(reviewed_site)` leaves it."""
    shutil.copytree(signed_once, tmp_path / "signed")
    return Site(tmp_path / "signed")


@pytest.fixture(scope="module")
def signed_published(signed_once, tmp_path_factory):
    """The publish build of a copy of the signed site, for the tests that only read it; with the .gz and
    .br copies of the shipped setting (pelicanconf.py), which fixture publish builds leave out."""
    from pelicanconf import IOP_PRECOMPRESS

    root = tmp_path_factory.mktemp("published") / "site"
    shutil.copytree(signed_once, root)
    return Site(root).build(publish=True, IOP_PRECOMPRESS=IOP_PRECOMPRESS)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """A preview build of the fixture site, whose guide nobody signed."""
    return make_site(tmp_path_factory.mktemp("plain")).build()


@pytest.fixture(scope="module")
def plain_excluded(tmp_path_factory):
    """A publish build of the fixture site that leaves the unsigned guide out (IOP_REVIEW_UNREVIEWED)."""
    return make_site(tmp_path_factory.mktemp("excluded")).build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")


def test_preview_marks_unreviewed_pages_with_notice_and_noindex(plain):
    soup = plain.html("guides/small/index.html")
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


def test_approve_then_publish_passes_with_reviewed_by_and_json_ld(signed_published):
    result = signed_published
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
    "change,named",
    [
        (("content/guides/small.md", "9 to 19 hours", "9 to 20 hours"), "the page's body"),
        (("content/guides/small.md", "title: A small guide", "title: A short guide"), "the page's title"),
        (
            ("data/care_levels.yaml", "9 to 19 for adults", "9 to 18 for adults"),
            "data/care_levels.yaml care level iop hours_per_week.text",
        ),
        (
            ("data/references.yaml", "Mee-Lee D (ed.), et al.", "Mee-Lee D, et al."),
            "data/references.yaml reference asam-criteria-3rd-2013 authors",
        ),
    ],
)
def test_any_change_after_approval_sends_the_page_back_naming_file_and_field(signed, change, named):
    """Issue 23 item 4: the build names the page that went back to review and the file and field that sent
    it (REVW020, in the terminal and the preview's findings); `make publish` refuses it with the same words."""
    reviewed_site = signed
    reviewed_site.edit(*change)
    why = f"changed since it was approved on {dt.date.today()} by Fixture Clinician (test data only): {named}"
    result = reviewed_site.build(publish=True)
    assert result.code == 1
    assert f"content/guides/small.md: REVW010 cannot be published: {why}" in result.log
    preview = reviewed_site.build()
    assert [f.message for f in preview.findings if f.code == "REVW020"] == [f"went back to review: {why}"]
    assert "content/guides/small.md: REVW020 [warning] went back to review" in preview.log
    notice = preview.html("guides/small/index.html").select_one("[data-review-notice]").get_text(" ", strip=True)
    assert f"It changed after a clinician checked it on {long_date(dt.date.today())}." in notice


def test_a_page_never_signed_is_not_said_to_have_gone_back(plain):
    assert "REVW020" not in plain.codes()


@pytest.mark.parametrize(
    "old,new",
    [
        ("checked: 2026-11-22\n    classic: true  # the level", "checked: 2026-11-23\n    classic: true  # the level"),
        ("classic: true  # the level numbering", "classic: false  # the level numbering"),
        ('type: clinical_guideline\n    authors: "Mee-Lee', 'type: textbook\n    authors: "Mee-Lee'),
    ],
)
def test_editor_only_fields_of_a_cited_reference_keep_the_approval(signed, old, new):
    """checked:, classic: and type: are never shown to readers, so they must not un-approve a page."""
    signed.edit("data/references.yaml", old, new)
    result = signed.build(publish=True)
    assert result.code == 0, result.log


@pytest.mark.parametrize(
    "old,new",
    [
        ("(3rd edition)", "(third edition)"),
        ("year: 2013", "year: 2014"),
        ("Chevy Chase, MD", "Rockville, MD"),
    ],
)
def test_visible_fields_of_a_cited_reference_un_approve(signed, old, new):
    signed.edit("data/references.yaml", old, new)
    result = signed.build(publish=True)
    assert result.code == 1
    assert "content/guides/small.md: REVW010 cannot be published: changed since it was approved" in result.log


def test_unrelated_data_change_keeps_the_approval(signed):
    signed.edit("data/care_levels.yaml", "Fewer than 9 for adults", "Under 9 for adults")
    assert signed.build(publish=True).code == 0


def test_overdue_review_fails_publish(reviewed_site):
    sign_off(reviewed_site, today=dt.date.today() - dt.timedelta(days=800))
    result = reviewed_site.build(publish=True)
    assert result.code == 1
    assert "review overdue since" in result.log
    assert "went back to review: review overdue since" in reviewed_site.build().log


def test_example_reviewer_is_refused_in_publish(reviewed_site):
    """`make approve` refuses an example reviewer; a record written by hand is refused by publish."""
    sign_by_hand(reviewed_site, "guides/small.md", "example-reviewer")
    assert reviewed_site.build().code == 0
    result = reviewed_site.build(publish=True)
    assert result.code == 1
    assert "signed off by an example reviewer" in result.log


BAD_RECORDS = [
    ("review:\n  status: approved\n", "REVW003"),
    ("review:\n  status: in_review\n  reviewer: nobody\n", "REVW001"),
    ("review:\n  status: in_review\n  reviewed: 2026-01-10\n  next_review: 2025-01-01\n", "REVW002"),
    ("review:\n  status: in_review\n  reviewed: 2026-01-10\n  next_review: 2030-01-01\n", "REVW002"),
]


@pytest.fixture(scope="module")
def bad_records(tmp_path_factory):
    """One build of a guide for each record of BAD_RECORDS (guides/record-<n>.md, the small guide's text
    with that record; no page links to another)."""
    site = make_site(tmp_path_factory.mktemp("records"))
    text = (site.content / "guides/small.md").read_text()
    for n, (record, _code) in enumerate(BAD_RECORDS):
        page = text.replace("review:\n  status: in_review\n", record).replace("A small guide", f"Guide {n}")
        site.write(f"content/guides/record-{n}.md", page)
    return site.build()


@pytest.mark.parametrize("record,code", BAD_RECORDS)
def test_bad_review_records_are_errors(bad_records, record, code):
    result = bad_records
    page = f"/content/guides/record-{BAD_RECORDS.index((record, code))}.md"
    assert result.code == 1
    assert code in {f.code for f in result.findings if f.path.endswith(page) and f.severity == "error"}, result.log


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


def test_publish_can_exclude_unreviewed_pages_instead(plain_excluded):
    """Also the publish build of a fixture site with no placeholder left: it passes with no OWN finding."""
    result = plain_excluded
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
        ---
        See [the guide]({filename}/guides/small.md).
    """,
    )
    result = site.build(
        publish=True, IOP_REVIEW_UNREVIEWED="exclude", IOP_REVIEW_EXEMPT=[*FIXTURE_EXEMPT, "pages/links.md"]
    )
    assert result.code == 1
    assert "public/links/index.html:" in result.log and "OUT013 link to" in result.log, result.log


def test_sitemap_lists_approved_pages_with_their_review_date(signed_published):
    result = signed_published
    assert result.code == 0, result.log
    sitemap = (result.output / "sitemap.xml").read_text()
    assert (f"<loc>{FIXTURE_SITEURL}/guides/small/</loc><lastmod>{dt.date.today().isoformat()}</lastmod>") in sitemap
    assert (result.output / "guides/small/index.html.br").is_file(), "publish builds are precompressed"


def test_pages_left_out_are_not_in_the_sitemap(plain_excluded):
    assert plain_excluded.code == 0, plain_excluded.log
    assert "/guides/small/" not in (plain_excluded.output / "sitemap.xml").read_text()


def test_reading_level_of_home_and_section_pages_counts_the_summaries_not_the_titles(site):
    """`make reading` measures the pages made from templates alone (home, sections) on what a reader
    reads there: the guides' summaries and the page's own text, not the guides' titles (headings)."""
    from sitekit.commands.reading import listing_reading

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


# -- sign-off that is never blind (issue 23 item 2) -------------------------------------------------------


def no_build(monkeypatch):
    """Fail the test if anything starts a build."""
    import sitekit.runtime.build

    def refuse(*_args, **_kwargs):
        raise AssertionError("a build started")

    monkeypatch.setattr(sitekit.runtime.build, "build", refuse)


@pytest.mark.parametrize(
    "reviewer,words",
    [
        ("nobody", "unknown reviewer 'nobody' (reviewers who may sign: fixture-clinician (Fixture Clinician"),
        ("example-reviewer", "'example-reviewer' is an example reviewer, not a real clinician"),
        ("Fixture-Clinician", "unknown reviewer 'Fixture-Clinician' (reviewers who may sign: fixture-clinician"),
    ],
)
def test_approve_refuses_a_reviewer_who_may_not_sign_before_any_build(site, monkeypatch, capsys, reviewer, words):
    page = site.content / "guides/small.md"
    before = page.read_bytes()
    no_build(monkeypatch)
    assert approve([str(page)], reviewer, settings=str(site.settings_file())) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "example-reviewer (" not in err, "an example reviewer is never offered as one who may sign"
    assert page.read_bytes() == before


@pytest.mark.parametrize("credentials", ['credentials: ""', 'credentials: "   "', None])
def test_approve_refuses_a_reviewer_without_credentials_before_any_build(site, monkeypatch, capsys, credentials):
    reviewers = site.data / "reviewers.yaml"
    text = reviewers.read_text()
    line = '    credentials: "LCSW"\n    role: "Clinical social worker in the test fixture"'
    assert line in text
    new = line.replace('credentials: "LCSW"', credentials) if credentials else line.split("\n")[1]
    reviewers.write_text(text.replace(line, new))
    no_build(monkeypatch)
    assert (
        approve([str(site.content / "guides/small.md")], "fixture-clinician", settings=str(site.settings_file())) == 2
    )
    err = capsys.readouterr().err
    assert "credentials" in err and "reviewers.yaml" in err, err


UNCITED = "\nAbout 40% of people finish their program.\n"


def test_approve_refuses_a_page_with_a_finding_publish_would_refuse(reviewed_site, capsys):
    """The uncited "40%" is a warning in preview (CLM001) and an error in publish: signing it used to pass
    silently and then publish refused it. Now approve refuses it, shows it, and signs nothing."""
    reviewed_site.append("content/guides/small.md", UNCITED)
    page = reviewed_site.content / "guides/small.md"
    before = page.read_bytes()
    assert approve([str(page)], "fixture-clinician", settings=str(reviewed_site.settings_file())) == 1
    out = capsys.readouterr()
    assert "[would stop publish]" in out.out and "CLM001" in out.out
    assert "Nothing was signed." in out.err and "OVERRIDE=" in out.err
    assert page.read_bytes() == before
    assert not (reviewed_site.data / "signoffs").exists()


def test_approve_refuses_a_warning_publish_always_refuses(reviewed_site, capsys):
    """A link to the preview's own address (EDT003) is a warning in preview that publish refuses whatever
    IOP_PROMOTE_WARNINGS says: approve asks the same question the build's notice does."""
    reviewed_site.append("content/guides/small.md", "\nSee [the desk](/_review/).\n")
    page = reviewed_site.content / "guides/small.md"
    assert approve([str(page)], "fixture-clinician", settings=str(reviewed_site.settings_file())) == 1
    out = capsys.readouterr()
    assert "[would stop publish]" in out.out and "EDT003" in out.out
    assert "Nothing was signed." in out.err


def test_an_override_is_recorded_with_the_sign_off(reviewed_site):
    import json

    reviewed_site.append("content/guides/small.md", UNCITED)
    why = 'The figure is the program\'s own, quoted as "about 40%".'
    page = sign_off(reviewed_site, override=why)
    record = page.read_text()
    assert f"  override: {json.dumps(why)}\n" in record
    snapshot = json.loads((reviewed_site.data / "signoffs/guides/small.md.json").read_text())
    assert snapshot["signed"]["override"] == why
    assert [f.split(": ", 1)[1].split(" ")[0] for f in snapshot["signed"]["overridden"]] == ["CLM001"]
    preview = reviewed_site.build()
    assert preview.code == 0 and "REVW020" not in preview.codes(), preview.log
    result = reviewed_site.build(publish=True)
    assert "CLM001" in result.codes() and result.code == 1, "the override signs the page; publish still refuses 40%"


def test_approve_shows_the_open_warnings_it_signs_over(reviewed_site, capsys):
    reviewed_site.append(
        "content/guides/small.md", "\nSome people say alcoholism when they mean alcohol use disorder.\n"
    )
    assert reviewed_site.build().code == 0
    sign_off(reviewed_site)
    out = capsys.readouterr().out
    assert "[open] " in out and "LNG002" in out, out


def test_approve_refuses_a_page_with_an_error(reviewed_site, capsys):
    reviewed_site.append("content/guides/small.md", "\nSee [@no-such-key].\n")
    page = reviewed_site.content / "guides/small.md"
    assert approve([str(page)], "fixture-clinician", settings=str(reviewed_site.settings_file())) == 1
    assert "CIT001" in capsys.readouterr().out


# -- quick approvals (issue 23 item 3) ---------------------------------------------------------------------


def three_guides(site):
    for n in (2, 3):
        site.write(
            f"content/guides/g{n}.md",
            (site.content / "guides/small.md").read_text().replace("A small guide", f"Guide {n}"),
        )
    site.append("content/guides/g3.md", "\nIt is not a hospital stay.\n")


def test_batch_approval_is_one_build_and_pins_each_page_to_its_own_fingerprint(site, monkeypatch):
    import json

    import sitekit.runtime.build
    from sitekit.runtime.state import RUN

    three_guides(site)
    builds = []
    real = sitekit.runtime.build.build
    monkeypatch.setattr(sitekit.runtime.build, "build", lambda *a, **k: builds.append(1) or real(*a, **k))
    sign_off(site, pages=("guides/small.md", "guides/g2.md", "guides/g3.md"))
    assert len(builds) == 1, "one build for every page of the batch"
    monkeypatch.undo()
    assert site.build(publish=True).code == 0
    prints = {}
    for name in ("small", "g2", "g3"):
        record = (site.content / f"guides/{name}.md").read_text()
        prints[name] = record.split('fingerprint: "')[1].split('"')[0]
        info = RUN.pages[str(site.content / f"guides/{name}.md")]
        assert prints[name] == info.review.fingerprint, "pinned to its own page"
        snapshot = json.loads((site.data / f"signoffs/guides/{name}.md.json").read_text())
        assert snapshot["signed"]["fingerprint"] == prints[name]
    assert len(set(prints.values())) == 3
    site.edit("content/guides/g3.md", "not a hospital stay", "not a stay in a hospital")
    went_back = [f.path for f in site.build().findings if f.code == "REVW020"]
    assert [p.rsplit("/", 1)[1] for p in went_back] == ["g3.md"], "only the page that changed"


def test_a_batch_with_one_refused_page_signs_nothing(site):
    three_guides(site)
    site.append("content/guides/g2.md", UNCITED)
    pages = [str(site.content / f"guides/{n}.md") for n in ("small", "g2", "g3")]
    before = {p: open(p, "rb").read() for p in pages}
    assert approve(pages, "fixture-clinician", settings=str(site.settings_file())) == 1
    assert {p: open(p, "rb").read() for p in pages} == before


def test_approve_ready_signs_every_page_the_desk_lists_as_ready(site):
    from sitekit.commands.desk import collect
    from sitekit.core.diagnostics import DIAG
    from sitekit.runtime.state import RUN

    three_guides(site)
    site.append("content/guides/g2.md", UNCITED)
    sign_off(site, pages=("guides/g3.md",))
    assert site.build().code == 0
    listed = sorted(r.path.rsplit("/", 1)[1] for r in collect(RUN, DIAG.findings) if r.ready)
    assert listed == ["small.md"], "g2 has a finding publish refuses, g3 is signed, the banner is signed"
    assert approve(["ready"], "fixture-clinician", settings=str(site.settings_file())) == 0
    assert "status: approved" in (site.content / "guides/small.md").read_text()
    assert "status: approved" not in (site.content / "guides/g2.md").read_text()


def test_the_real_site_is_signed_in_one_batch(published_site):
    """The publish fixture signs the real site's 21 pages, their 21 Spanish pages (the 19 guides, About and
    the editorial policy), the crisis banner and the Spanish banner with `make approve PAGES=ready` in a
    copy (nothing is signed in the repository), and that copy publishes (with the Spanish glossary withheld:
    conftest changes its English page after the pin)."""
    assert "Signed 44 pages for Test Clinician (test data only), LCSW" in published_site.signed
    assert "One build for all" in published_site.signed


# -- the crisis banner's own sign-off (issue 26 item 3) -----------------------------------------------------


def test_a_change_to_the_banner_goes_back_to_review_and_stops_publish(site):
    import json

    crisis = site.data / "crisis.yaml"
    before = crisis.read_text()
    assert site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude").code == 0
    sign_off(site, pages=(str(crisis),))
    after = crisis.read_text()
    assert after.split("review:")[0] == before.split("review:")[0], "only the review block was rewritten"
    snapshot = json.loads((site.data / "signoffs/crisis.yaml.json").read_text())
    assert snapshot["earlier"] == [] and snapshot["signed"]["reviewer"] == "fixture-clinician"
    site.edit("data/crisis.yaml", 'label: "Call 988"', 'label: "Call 988 now"')
    preview = site.build()
    who = "by Fixture Clinician (test data only)"
    assert [f.message for f in preview.findings if f.code == "REVW020"] == [
        "the crisis banner and help lines (on every page) went back to review: changed since it was approved on "
        f"{dt.date.today()} {who}: data/crisis.yaml crisis line lifeline actions 1.label"
    ]
    result = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert result.code == 1, "the banner cannot be left out: the site is refused"
    assert "REVW023 the crisis banner and help lines (on every page) cannot be published: changed since" in result.log


@pytest.mark.parametrize(
    "old,new",
    [
        ('heading: "Need help now?"', 'heading: "Need help?"'),
        ("in_banner: false", "in_banner: true"),  # a line moved into the banner: every page shows it
        ("help_link_text:", "help_link_text: Every help line\nold_help_link_text:"),
    ],
)
def test_what_every_page_shows_of_the_crisis_data_is_signed(site, old, new):
    if old == "help_link_text:":
        text = (site.data / "crisis.yaml").read_text()
        line = next(x for x in text.splitlines() if x.startswith("help_link_text:"))
        site.edit("data/crisis.yaml", line, "help_link_text: Every help line")
    else:
        site.edit("data/crisis.yaml", old, new)
    result = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert "REVW023" in result.codes(), result.log


def test_when_the_crisis_lines_were_checked_is_not_part_of_the_banners_sign_off(site):
    import re

    text = (site.data / "crisis.yaml").read_text()
    site.write(
        "data/crisis.yaml", re.sub(r"^verified_against: .*$", 'verified_against: "A new check."', text, flags=re.M)
    )
    assert site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude").code == 0


# -- the snapshot explains, the fingerprint decides ----------------------------------------------------------


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_a_missing_or_edited_snapshot_never_changes_the_approval(signed, damage):
    import json

    reviewed_site = signed
    snap = reviewed_site.data / "signoffs/guides/small.md.json"
    if damage == "delete":
        snap.unlink()
    else:
        data = json.loads(snap.read_text())
        data["signed"]["payload"]["page"][""]["body"] = "Something else."
        snap.write_text(json.dumps(data))
    assert reviewed_site.build(publish=True).code == 0, "still approved: the fingerprint is the gate"
    reviewed_site.edit("content/guides/small.md", "9 to 19 hours", "9 to 20 hours")
    result = reviewed_site.build(publish=True)
    assert result.code == 1
    assert "changed since it was approved on" in result.log and "what changed cannot be named" in result.log


def test_signing_again_keeps_who_signed_before(reviewed_site):
    import json

    sign_off(reviewed_site, today=dt.date.today() - dt.timedelta(days=30))
    sign_off(reviewed_site)
    snapshot = json.loads((reviewed_site.data / "signoffs/guides/small.md.json").read_text())
    assert snapshot["signed"]["reviewed"] == dt.date.today().isoformat()
    assert [e["reviewed"] for e in snapshot["earlier"]] == [(dt.date.today() - dt.timedelta(days=30)).isoformat()]
    assert all("payload" not in e for e in snapshot["earlier"])
