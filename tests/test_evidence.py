"""Evidence engine: data validation, citations, data blocks and the uncited-claim lint."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GUIDE, assert_no_crash, build_with_pages, make_site, page_findings
from sitekit.checks.claims import find_claim
from sitekit.data import yamlload
from sitekit.text.citations import parse_keys


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- error paths: exact message with file and line ----------------------------------------------
#
# The mistakes in a page share one build (ERROR_PAGES: each on a guide of its own, the small guide's text
# with the mistake; no page links to another), each test reading its own page's line;
# `test_the_shared_error_build_reports_only_its_planted_pages` holds it to errors on those pages only.
# Mistakes in data files, and the tests that prove a build's other effects, keep a site of their own.

#: path under content/ -> text of each page of the shared error build, filled in below.
ERROR_PAGES: dict[str, str] = {}


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory):
    return build_with_pages(tmp_path_factory.mktemp("bad"), ERROR_PAGES)


def test_unknown_citation_key_with_did_you_mean(site):
    site.edit("content/guides/small.md", "[@asam-criteria-3rd-2013]", "[@asam-criteria-3rd-2031]")
    result = site.build()
    assert result.code == 1
    assert (
        "content/guides/small.md:9: CIT001 unknown citation key 'asam-criteria-3rd-2031' "
        "(did you mean 'asam-criteria-3rd-2013'? A new source goes in data/references.yaml first)"
    ) in result.log
    assert not (site.root / "output").exists(), "nothing is published when a citation is broken"


MALFORMED = ["[@]", "[@a, @b]", "[@a; b]", "[@ok key]"]
for _n, _bad in enumerate(MALFORMED):
    ERROR_PAGES[f"guides/malformed-{_n}.md"] = GUIDE.replace("[@asam-criteria-3rd-2013]", _bad)


@pytest.mark.parametrize("bad", MALFORMED)
def test_malformed_citation(mistakes, bad):
    result = mistakes
    rel = f"content/guides/malformed-{MALFORMED.index(bad)}.md"
    assert result.code == 1
    assert f"{rel}:9: CIT002 malformed citation '{bad}'" in result.log
    assert "CIT002" in {f.code for f in page_findings(result, rel[8:], "error")}


ERROR_PAGES["guides/unclosed.md"] = GUIDE.replace("[@asam-criteria-3rd-2013]", "[@asam-criteria-3rd-2013")


def test_unclosed_citation(mistakes):
    assert "content/guides/unclosed.md:9: CIT002 citation opened with '[@' but never closed" in mistakes.log


def test_bad_doi_names_file_line_and_expectation(site):
    text = (site.data / "references.yaml").read_text()
    site.edit("data/references.yaml", 'doi: "10.1176/appi.ps.201300249"', 'doi: "10.1176/appi"')
    line = line_of(text, 'doi: "10.1176/appi.ps.201300249"')
    result = site.build()
    assert result.code == 1
    assert (
        f"data/references.yaml:{line}: REF003 doi '10.1176/appi' is not a DOI in references "
        "'mccarty-2014-iop-evidence' (expected a DOI, 10.NNNN/...)"
    ) in result.log


REFERENCE_FIELDS = [
    ("pmid", 'pmid: "24445620"', 'pmid: "24445620x"', "REF003", "pmid '24445620x' is not a PubMed ID"),
    (
        "url",
        'url: "https://doi.org/10.1176/appi.ps.201300249"',
        'url: "http://example.org/x"',
        "REF003",
        "url 'http://example.org/x' is not an https:// address",
    ),
    ("year", "year: 2014", "year: 2140", "REF008", "year 2140 is above the largest possible value"),
    (
        "type",
        'type: systematic_review\n    authors: "McCarty',
        'type: review\n    authors: "McCarty',
        "REF003",
        "type 'review' is not allowed",
    ),
]


@pytest.fixture(scope="module")
def reference_fields(tmp_path_factory):
    """Every field of REFERENCE_FIELDS broken in the one reference, one build: each is reported at its own
    line (the checker reads every field of a record)."""
    site = make_site(tmp_path_factory.mktemp("fields"))
    for _field, old, new, _code, _fragment in REFERENCE_FIELDS:
        site.edit("data/references.yaml", old, new)
    return site.build()


@pytest.mark.parametrize("field,old,new,code,fragment", REFERENCE_FIELDS)
def test_reference_field_errors(reference_fields, field, old, new, code, fragment):
    result = reference_fields
    assert result.code == 1
    assert f"{code} {fragment}" in result.log, result.log
    assert [f.severity for f in result.findings if f"{f.code} {f.message}".startswith(f"{code} {fragment}")] == [
        "error"
    ]


def test_duplicate_reference_key(site):
    site.edit("data/references.yaml", "key: zhang-2003-retention", "key: mccarty-2014-iop-evidence")
    text = (site.data / "references.yaml").read_text()
    second = text.index("key: mccarty-2014-iop-evidence", text.index("key: mccarty-2014-iop-evidence") + 1)
    line = text[:second].count("\n") + 1
    result = site.build()
    assert result.code == 1
    assert f"data/references.yaml:{line}: REF006 duplicate key 'mccarty-2014-iop-evidence'" in result.log


MCCARTY_ADDRESS = (
    '    doi: "10.1176/appi.ps.201300249"\n    pmid: "24445620"\n    url: "https://doi.org/10.1176/appi.ps.201300249"\n'
)


def test_a_reference_without_an_address_needs_the_reason(site):
    """A source the vetted list gives no address for is cited without a link only when `no_address` says why."""
    site.edit(
        "content/guides/small.md", "[@asam-criteria-3rd-2013]", "[@asam-criteria-3rd-2013; @mccarty-2014-iop-evidence]"
    )
    site.edit("data/references.yaml", MCCARTY_ADDRESS, "")
    result = site.build()
    assert result.code == 1
    assert "REF002 reference 'mccarty-2014-iop-evidence' has no url, doi or pmid" in result.log

    site.edit(
        "data/references.yaml",
        '    pages: "718-726"\n',
        '    pages: "718-726"\n    no_address: "Seen only in a copy."\n',
    )
    result = site.build()
    assert result.code == 0, result.log
    item = next(li for li in result.html("guides/small/index.html").select("li") if "Assessing the Evidence" in li.text)
    assert not item.select("a[href^='http']")


def test_a_reference_with_an_address_cannot_also_claim_none(site):
    site.edit(
        "data/references.yaml",
        '    pages: "718-726"\n',
        '    pages: "718-726"\n    no_address: "Seen only in a copy."\n',
    )
    result = site.build()
    assert result.code == 1
    assert "REF002 reference 'mccarty-2014-iop-evidence' has an address and 'no_address'" in result.log


def test_missing_required_field_names_the_field(site):
    site.edit("data/references.yaml", '    container: "Psychiatric Services"\n', "")
    result = site.build()
    assert result.code == 1
    assert "REF002 missing required field 'container' in references 'mccarty-2014-iop-evidence'" in result.log


def test_yaml_syntax_error_has_its_line(site):
    site.edit("data/faqs.yaml", "  - id: cost\n", "  - id: cost\n   bad: [\n")
    text = (site.data / "faqs.yaml").read_text()
    result = site.build()
    assert result.code == 1
    assert "data/faqs.yaml:" in result.log and "FAQ001 YAML syntax error" in result.log
    reported = int(result.log.split("data/faqs.yaml:")[1].split(":")[0])
    assert abs(reported - line_of(text, "bad: [")) <= 1


def test_schema_error_names_the_field(site):
    site.edit("data/care_levels.yaml", "overnight: false", "overnight: sometimes")
    result = site.build()
    assert result.code == 1
    assert "CARE004 overnight should be true or false, found 'sometimes' in levels 'outpatient'" in result.log


def test_unknown_reference_in_data_file(site):
    site.edit(
        "data/care_levels.yaml",
        "citations: [asam-criteria-3rd-2013, samhsa-tip47-2006]",
        "citations: [asam-criteria-3rd-2013, samhsa-tip74-2006]",
    )
    result = site.build()
    assert (
        "CARE007 unknown citation key 'samhsa-tip74-2006' (did you mean 'samhsa-tip47-2006'? A new source goes in "
        "data/references.yaml first)"
    ) in result.log


def test_unknown_citation_inside_faq_answer(site):
    site.edit("data/faqs.yaml", "[@medicare-gov-iop-coverage]", "[@medicare-iop]")
    result = site.build()
    assert result.code == 1
    assert (
        "FAQ007 citation key 'medicare-iop' is not in data/references.yaml (add the source to data/references.yaml "
        "first (only sources from the vetted list; README, 'Cite a source'))"
    ) in result.log


BLOCK_ERRORS = [
    ("::: care-table", "BLK001 unknown data block 'care-table' (did you mean 'care-levels'?)"),
    ("::: care-levels levels=iop,hospital", "BLK003 unknown level 'hospital'"),
    ("::: care-levels columns=hours,price", "BLK003 unknown column 'price'"),
    ("::: care-levels rows=iop", "BLK002 unknown option 'rows' for 'care-levels'"),
    ("::: faqs topic=money", "BLK003 unknown FAQ topic 'money'"),
    ("::: faqs", "BLK002 'faqs' needs a topic"),
]
for _n, (_line, _message) in enumerate(BLOCK_ERRORS):
    ERROR_PAGES[f"guides/block-{_n}.md"] = GUIDE + f"\nSome text.\n\n{_line}\n"


@pytest.mark.parametrize("line,message", BLOCK_ERRORS)
def test_data_block_errors_at_the_markdown_line(mistakes, line, message):
    rel = f"guides/block-{BLOCK_ERRORS.index((line, message))}.md"
    assert mistakes.code == 1
    assert f"content/{rel}:13: {message}" in mistakes.log, mistakes.log
    assert message.split()[0] in {f.code for f in page_findings(mistakes, rel, "error")}


def test_uncited_statistic_warns_in_preview_and_fails_publish(site):
    site.append("content/guides/small.md", "\nAbout 40% of people finish.\n")
    preview = site.build()
    assert preview.code == 0
    assert (
        "content/guides/small.md:11: CLM001 [warning] a percentage ('40%') with no citation in the paragraph"
    ) in preview.log
    published = site.build(publish=True)
    assert published.code == 1
    assert "content/guides/small.md:11: CLM001 a percentage ('40%')" in published.log


# -- rendering ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One build of the rendering cases, each on a guide of its own (no page links to another): the
    numbering guide, a care-level table and FAQ answers."""
    site = make_site(tmp_path_factory.mktemp("rendered"))
    site.write(
        "content/guides/numbering.md",
        """
        ---
        title: Numbering
        summary: Citations keep one number per source.
        date: 2026-01-01
        category: Understanding IOP
        ---
        First claim[@medicare-gov-iop-coverage]. Second[@asam-criteria-3rd-2013; @medicare-gov-iop-coverage].

        Third[@asam-criteria-3rd-2013].

        Code stays code: `[@not-a-key]`.
    """,
    )
    site.write(
        "content/guides/table.md",
        GUIDE.replace("A small guide", "A table")
        + '\n::: care-levels levels=iop,php columns=hours,overnight caption="IOP and PHP"\n',
    )
    site.write("content/guides/faqs.md", GUIDE.replace("A small guide", "Questions") + "\n::: faqs topic=basics\n")
    return site.build()


def test_citations_number_in_order_of_first_use_with_back_links(rendered):
    result = rendered
    assert result.code == 0, result.log
    soup = result.html("guides/numbering/index.html")
    sups = soup.select("sup.cite")
    assert [[a.get_text(strip=True).replace("Reference", "") for a in s.find_all("a")] for s in sups] == [
        ["1"],
        ["2", "1"],
        ["2"],
    ]
    refs = soup.select("section.references li")
    assert [li["id"] for li in refs] == ["ref-1", "ref-2"]
    assert "Medicare.gov" in refs[0].get_text() and "ASAM Criteria" in refs[1].get_text()
    back = [a["href"] for a in refs[0].select("a.references__back")]
    assert back == ["#cite-1-1", "#cite-1-2"]
    for href in back:
        assert soup.find(id=href[1:]) is not None
    assert "[@not-a-key]" in soup.find("code").get_text()


def test_care_table_renders_caption_scopes_labels_and_row_citations(rendered):
    result = rendered
    assert result.code == 0, result.log
    table = result.html("guides/table/index.html").find("table")
    assert table.caption.get_text(strip=True) == "IOP and PHP"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col"] * 3
    rows = table.tbody.find_all("tr")
    assert [r.th.get_text(" ", strip=True).split(" [")[0] for r in rows] == [
        "Intensive outpatient program (IOP)",
        "Partial hospitalization program (PHP)",
    ]
    assert all(r.th["scope"] == "row" for r in rows)
    assert [td["data-label"] for td in rows[0].find_all("td")] == ["Hours a week", "Overnight stay"]
    assert rows[0].th.select("sup.cite a"), "row citations join the page's references"


def test_changing_a_data_row_changes_every_page(site):
    site.write(
        "content/guides/other.md",
        """
        ---
        title: Other
        summary: Another page with the table.
        date: 2026-01-01
        category: Understanding IOP
        ---
        ::: care-levels levels=iop columns=setting
    """,
    )
    site.append("content/guides/small.md", "\n::: care-levels levels=iop columns=setting\n")
    site.edit("data/care_levels.yaml", "A clinic or hospital program, in person or by video.", "A program near you.")
    result = site.build()
    for rel in ["guides/small/index.html", "guides/other/index.html"]:
        assert "A program near you." in result.html(rel).find("table").get_text()


def test_faqs_render_headed_answers_and_no_faqpage_json_ld(rendered):
    """FAQPage JSON-LD repeated every answer in the page's first round trip for no consumer (Google
    stopped showing FAQ rich results in May 2026, content-standards.md 5.2): only the visible questions."""
    result = rendered
    assert result.code == 0, result.log
    soup = result.html("guides/faqs/index.html")
    faqs = soup.select(".faq")
    assert len(faqs) >= 3
    assert all(f.find("h3", class_="faq__question") and f.select_one(".faq__answer").get_text(strip=True) for f in faqs)
    blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert [b["@type"] for b in blocks] == ["MedicalWebPage"]


def test_the_shared_error_build_reports_only_its_planted_pages(mistakes):
    """Each page of ERROR_PAGES has an error of its own, and no error is anywhere else."""
    pages = {rel: page_findings(mistakes, rel, "error") for rel in ERROR_PAGES}
    assert [rel for rel, found in pages.items() if not found] == [], mistakes.log
    claimed = [f for found in pages.values() for f in found]
    assert [f.format() for f in mistakes.findings if f.severity == "error" and f not in claimed] == [], mistakes.log
    assert_no_crash(mistakes)


# -- units ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,kind",
    [
        ("About 40% of people finish.", "a percentage"),
        ("One in five adults has it.", "a ratio"),
        ("People are 3 times more likely to stay.", "a multiple"),
        ("A study of 1,062 patients found less depression.", "a sample size"),
        ("Studies show it works.", "an appeal to research"),
        ("Research suggests more hours help.", "an appeal to research"),
    ],
)
def test_claims_are_flagged(text, kind):
    assert find_claim(text).startswith(kind)


@pytest.mark.parametrize(
    "text",
    [
        "Call 988 any time, or 1-800-662-4357.",
        "Teens aged 12 to 17 can join.",
        "IOP gives 9 to 19 hours a week on 3 days.",
        "It started in 2024 and runs 5 days a week.",
        "About 40% of people finish[@mccarty-2014-iop-evidence].",
        "Meet 2 in 3 weeks.",
    ],
)
def test_plain_numbers_and_cited_claims_are_not_flagged(text):
    assert find_claim(text) is None


def test_parse_keys():
    assert parse_keys("a; @b-2") == ["a", "b-2"]
    assert parse_keys("a, @b") is None
    assert parse_keys("") is None


def test_a_data_file_parsed_before_comes_back_as_its_own_copy_and_a_changed_file_is_parsed_again(tmp_path):
    path = tmp_path / "levels.yaml"
    path.write_text("levels:\n  - id: iop\n    hours: 9\n  - id: php\n    hours: 20\n", encoding="utf-8")
    first = yamlload.load_file(path)
    first["levels"].append("changed by the first caller")
    second = yamlload.load_file(path)  # from the process's memo of parsed files
    assert second == {"levels": [{"id": "iop", "hours": 9}, {"id": "php", "hours": 20}]}
    assert second["levels"].line_of(1) == 4 and second["levels"][1].line_of("hours") == 5
    path.write_text("levels:\n  - id: iop\n    hours: 10\n", encoding="utf-8")
    assert yamlload.load_file(path) == {"levels": [{"id": "iop", "hours": 10}]}
    path.write_text("levels: [\n", encoding="utf-8")
    with pytest.raises(yamlload.YamlError):
        yamlload.load_file(path)


# -- property: random input never produces a traceback --------------------------------------------

yaml_text = st.text(alphabet=st.sampled_from(list("abc:-[]{}'\"#&*!|>%@ \n\t0123456789")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(yaml_text)
def test_random_yaml_raises_only_yaml_error(text):
    try:
        yamlload.loads(text)
    except yamlload.YamlError as exc:
        assert exc.line >= 1 and exc.message


#: Random pages per build of the next test: 5 builds of 5 pages read 25 random pages, as 25 builds of
#: one did, in a fifth of the builds (a build's fixed cost is most of it).
PAGES_PER_BUILD = 5

markdown_body = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab [@]:;`#*-\n=.1%")), max_size=200),
    # HTML-ish input for the sanitizer and its line finder
    st.lists(
        st.sampled_from(
            [
                "<",
                ">",
                "/",
                "=",
                '"',
                "a",
                "img",
                "script",
                "onload",
                "href",
                "javascript:",
                "&#x73;",
                "[x](",
                ")",
                "\n",
                " ",
                "{: ",
                "}",
                "    - ",
            ]
        ),
        max_size=40,
    ).map("".join),
)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=st.lists(st.tuples(yaml_text, markdown_body), min_size=PAGES_PER_BUILD, max_size=PAGES_PER_BUILD))
def test_random_markdown_and_front_matter_never_crash_the_build(site, pages):
    for n, (front, body) in enumerate(pages):
        site.write(
            "content/guides/small.md" if n == 0 else f"content/guides/random-{n}.md", f"---\n{front}\n---\n{body}\n"
        )
    result = site.build()
    assert result.code in (0, 1)
    assert_no_crash(result)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yaml_text)
def test_random_data_file_never_crashes_the_build(site, text):
    (site.data / "faqs.yaml").write_text(text, encoding="utf-8")
    result = site.build()
    # Empty, broken or not a FAQ list (the alphabet has no letters for 'faqs:'): always an error, never a crash.
    assert result.code == 1, result.log
    assert_no_crash(result)


@pytest.mark.parametrize(
    "lang,source,expected",
    [
        ("en", "es", '<cite lang="es">T</cite>. cdph.ca.gov (in Spanish).'),
        ("es", "en", '<cite lang="en">T</cite>. cdc.gov (en inglés).'),
        ("es", "es", "<cite>T</cite>. cdph.ca.gov."),
        ("en", "en", "<cite>T</cite>. cdc.gov."),
    ],
)
def test_a_source_in_another_language_than_the_page_says_so_in_words(lang, source, expected):
    """A Spanish reader learns a source is in English before opening it, and an English reader that one
    is in Spanish: in words after the container, beside the lang mark screen readers use."""
    from sitekit.text.citations import format_reference

    container = "cdph.ca.gov" if source == "es" else "cdc.gov"
    ref = {"title": "T", "container": container, **({"language": "es"} if source == "es" else {})}
    assert str(format_reference(ref, lang)) == expected


@pytest.mark.parametrize(
    "ref,expected",
    [
        (
            {"authors": "A B", "title": "Leave for treatment of substance abuse.", "container": "eCFR"},
            "A B. <cite>Leave for treatment of substance abuse.</cite> eCFR.",
        ),
        (
            {"authors": "A B", "title": "T", "container": "J", "volume": "64", "pages": "362"},
            "A B. <cite>T</cite>. J. 64:362.",
        ),
        (
            {"authors": "A B", "title": "T", "container": "J", "year": 2022, "volume": "64", "issue": "3"},
            "A B. <cite>T</cite>. J. 2022;64(3).",
        ),
        # No volume on record: the issue and pages are named, not "2022;(3):614-624" (review 2026-12 #28).
        (
            {"authors": "A B", "title": "T", "container": "J", "year": 2022, "issue": "3", "pages": "614-624"},
            "A B. <cite>T</cite>. J. 2022, issue 3, pages 614-624.",
        ),
        (
            {"authors": "A B", "title": "T", "container": "J", "year": 2020, "issue": "3", "pages": "CD012880"},
            "A B. <cite>T</cite>. J. 2020, issue 3, CD012880.",
        ),
        ({"authors": "A B", "title": "T", "container": "J", "pages": "193"}, "A B. <cite>T</cite>. J. page 193."),
        # No authors on record: the reference starts with its title, never "Authors not listed".
        ({"title": "T", "container": "J", "year": 2001}, "<cite>T</cite>. J. 2001."),
    ],
)
def test_reference_style_has_one_full_stop_and_no_stray_semicolon(ref, expected):
    from sitekit.text.citations import format_reference

    assert str(format_reference(ref)) == expected
