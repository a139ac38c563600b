"""Issue 24: the mistakes editors make, each with the exact message they see (the preview shows these
same lines); errors that follow from another file's error listed under it; images; spelling; a publish
that cannot be overwritten or mis-addressed; the hosting settings; `make help` by role."""

from __future__ import annotations

import json
import subprocess

import pytest
from PIL import Image

from conftest import FIXTURE_EXEMPT, ROOT

PAGE = """
---
title: {title}
summary: A page of the test.
date: 2026-01-01
category: Understanding IOP
review:
  status: in_review
---
"""


def guide(site, slug: str, front: str = "", body: str = "Some plain text.\n") -> str:
    """Write a guide whose front matter ends with ``front`` lines; return its path under the site."""
    text = PAGE.format(title=slug.title()).replace("review:\n", front + "review:\n") + body
    site.write(f"content/guides/{slug}.md", text)
    return f"content/guides/{slug}.md"


def lines_of(result, code: str) -> list[str]:
    """The findings of one code as the editor reads them (paths from the site's folder, as `make` prints them)."""
    return [said(result, f) for f in result.findings if f.code == code]


def said(result, finding) -> str:
    return finding.format().replace(f"{result.output.parent}/", "")


# -- 2. plain messages, each exact ------------------------------------------------------------------


def test_each_front_matter_and_yaml_mistake_says_what_is_wrong_and_how_to_fix_it(site):
    site.write("content/guides/tabbed.md", PAGE.format(title="Tabbed").replace("summary:", "\tsummary:"))
    site.write(
        "content/guides/colon.md", PAGE.format(title="Colon").replace("summary: A page", "summary: Note: a page")
    )
    site.write("content/guides/unclosed.md", PAGE.format(title='"Unclosed'))
    site.write("content/guides/open.md", PAGE.format(title="Open").rstrip("\n").removesuffix("---") + "\nThe text.\n")
    faqs = site.data / "faqs.yaml"
    lines = faqs.read_text().splitlines()
    tab = next(i for i, line in enumerate(lines) if line.startswith("    question:")) + 1
    lines[tab - 1] = "\t" + lines[tab - 1].lstrip()
    faqs.write_text("\n".join(lines) + "\n")
    result = site.build()
    assert result.code == 1
    log = result.log
    assert (
        "content/guides/tabbed.md:3: FM010 front matter: this line is indented with a tab; YAML files are indented "
        "with spaces only (replace the tab with spaces, as many as the lines around it use)"
    ) in log
    assert (
        "content/guides/colon.md:3: FM010 front matter: this value has a colon followed by a space, which YAML reads "
        "as a second 'name: value' (put the text in quotes: summary: \"Note: a page of the test.\")"
    ) in log
    assert (
        'content/guides/unclosed.md:2: FM010 front matter: a quote (") opens on this line and is never closed (end '
        'the text with the same quote mark ("), on the same line)'
    ) in log
    assert (
        "content/guides/open.md:9: FM001 the front matter starts with '---' but has no closing '---' line (add a "
        "line with only '---' after the last 'name: value' line (before line 9, where the page's text starts))"
    ) in log
    assert (
        f"data/faqs.yaml:{tab}: FAQ001 this line is indented with a tab; YAML files are indented with spaces only "
        "(replace the tab with spaces, as many as the lines around it use)"
    ) in log
    assert "cannot start any token" not in log and "mapping values" not in log and "Traceback" not in log


def test_the_gates_no_other_test_trips_each_report_at_their_file_and_line_in_one_run(site):
    """Front-matter values of the wrong kind or form, a file that is not UTF-8, a Spanish page that says it
    is English or names no English page or drops a citation, and a translation no template shows: one
    build, every finding at the line the editor must change."""
    guide(site, "enum", front="status: live\nkey_points: one point only\n")
    (site.content / "guides/latin.md").write_bytes(b"---\ntitle: Caf\xe9\nsummary: A page.\n---\nText.\n")
    translation = (
        'translated_from:\n  source: guides/small.md\n  fingerprint: "sha256:pending"\n  method: transcreation\n'
        "  translator: fixture-translator\n  language_reviewer: fixture-language-reviewer\n"
    )
    spanish = PAGE.format(title="Una guía pequeña").replace("A page of the test.", "Una guía de la prueba.")
    site.write(
        "content/es/guides/small.md",
        spanish.replace("review:\n", "lang: en\n" + translation + "review:\n")
        + "El IOP da a los adultos de 9 a 19 horas de atención a la semana.\n",
    )
    site.write("content/es/guides/no-record.md", spanish + "Un texto sencillo.\n")
    site.append("data/es/ui.yaml", '  - en: "Nobody shows this"\n    es: "Nadie muestra esto"\n')
    result = site.build()
    assert result.code == 1

    def at(rel: str, needle: str) -> int:
        text = (site.root / rel).read_text(encoding="utf-8", errors="replace")
        return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)

    es = "content/es/guides/small.md"
    expected = {
        "FM003": f"content/guides/enum.md:{at('content/guides/enum.md', 'status: live')}: FM003 status 'live' is "
        "not allowed",
        "FM004": f"content/guides/enum.md:{at('content/guides/enum.md', 'key_points:')}: FM004 'key_points' should "
        "be a list of text values, found 'one point only'",
        "FM006": "content/guides/latin.md:1: FM006 file is not UTF-8 text",
        "ES015": f"{es}:{at(es, 'lang: en')}: ES015 lang 'en' does not match where the page is",
        "TRN025": f"{es}:{at(es, 'El IOP da')}: TRN025 [warning] does not cite 'asam-criteria-3rd-2013'",
        "TRN020": "content/es/guides/no-record.md:2: TRN020 a page in Español has no 'translated_from:' record",
        "ES014": f"data/es/ui.yaml:{at('data/es/ui.yaml', 'Nadie muestra esto')}: ES014 [warning] 'Nobody shows "
        "this' is translated but no template or setting shows it",
    }
    for code, start in expected.items():
        assert [line[: len(start)] for line in lines_of(result, code)] == [start], (code, result.log)


def test_a_template_that_fails_while_rendering_names_its_file_and_line_and_keeps_the_output(site):
    first = site.build()
    assert first.code == 0, first.log
    before = (first.output / "index.html").read_bytes()
    site.edit("theme/templates/base.html", "</body>", "{{ nothing.at.all }}</body>")
    line = next(
        n
        for n, text in enumerate(site.path("theme/templates/base.html").read_text().splitlines(), 1)
        if "nothing" in text
    )
    result = site.build()
    assert result.code == 1
    assert lines_of(result, "TPL002") == [
        f"theme/templates/base.html:{line}: TPL002 template error: 'nothing' is undefined "
        "(check the variable or filter named here)"
    ], result.log
    assert (first.output / "index.html").read_bytes() == before


def test_a_list_item_or_value_in_quotes_after_these_hints_reads_back_as_written():
    """The hints' rewritten lines are valid YAML that reads back as the editor's text."""
    from sitekit.data.yamlload import YamlError, loads

    for text, want in [
        ("summary: Note: this is it\n", "Note: this is it"),
        ('title: "What" is IOP\n', '"What" is IOP'),
        ("title: @home care\n", "@home care"),
        ("title: `code` here\n", "`code` here"),
    ]:
        with pytest.raises(YamlError) as caught:
            loads(text)
        fixed = caught.value.hint.split(": ", 1)[1]
        assert list(loads(fixed).values()) == [want], caught.value.hint


def test_a_citation_key_not_in_references_says_to_add_it_and_a_typo_names_the_key(site):
    site.append("content/guides/small.md", "\nNew study[@smith-2025-new-study]. Old one[@asam-critera-3rd-2013].\n")
    result = site.build()
    assert lines_of(result, "CIT001") == [
        "content/guides/small.md:11: CIT001 citation key 'smith-2025-new-study' is not in data/references.yaml (add "
        "the source to data/references.yaml first (only sources from the vetted list; README, 'Cite a source'))",
        "content/guides/small.md:11: CIT001 unknown citation key 'asam-critera-3rd-2013' (did you mean "
        "'asam-criteria-3rd-2013'? A new source goes in data/references.yaml first)",
    ]


def test_a_wrong_guide_link_names_the_closest_guide_or_page_by_its_file(site):
    guide(site, "what-is-iop")
    site.append(
        "content/guides/small.md",
        "\nSee [what IOP is]({filename}/guides/wat-is-iop.md), [about]({filename}/guides/about.md) and "
        "[this](/guides/what-is-iopp/).\n",
    )
    result = site.build()
    assert lines_of(result, "OUT013") == [
        "content/guides/small.md:11: OUT013 link to '{filename}/guides/wat-is-iop.md': there is no file "
        "content/guides/wat-is-iop.md (did you mean {filename}/guides/what-is-iop.md?)",
        "content/guides/small.md:11: OUT013 link to '{filename}/guides/about.md': there is no file "
        "content/guides/about.md (did you mean {filename}/pages/about.md?)",
        "content/guides/small.md:11: OUT013 link to '/guides/what-is-iopp/' leads to no page (did you mean the page "
        "at /guides/what-is-iop/? Link to it by its file: [text]({filename}/guides/what-is-iop.md))",
    ]
    assert "PEL002" not in result.log, "Pelican's own line-less warning about the same link is not repeated"


# -- 1. errors that follow from another file's error -----------------------------------------------------


def test_links_to_a_page_that_did_not_load_are_listed_under_its_error_not_as_errors_of_their_own(site):
    guide(site, "target", front="order: 2\n")
    site.append("content/guides/small.md", "\nSee [the target]({filename}/guides/target.md#a-part).\n")
    site.edit("content/guides/target.md", "summary: A page", "summary: Note: a page")
    result = site.build()
    assert result.code == 1
    cause = "content/guides/target.md:3"
    [follow] = [f for f in result.findings if f.because and f.severity == "error"]
    assert follow.because.endswith(cause) and (follow.code, follow.line) == ("OUT013", 11)
    assert follow.path.endswith("content/guides/small.md"), "at the Markdown line that links to the page"
    assert {f.because for f in result.findings if f.code == "REF010"} == {follow.because}, "references it would cite"
    summary = result.log.replace(f"{site.root}/", "").splitlines()
    at = next(i for i, line in enumerate(summary) if line.startswith(cause + ": FM010"))
    assert summary[at + 1].startswith("    ") and summary[at + 1].endswith(f" - because {cause} did not load")
    assert "1 error (and 1 that follows from it)" in result.log


# -- 3. images ---------------------------------------------------------------------------------------------


def image(path, size=(40, 30), fmt="PNG"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 120, 40)).save(path, fmt)


def test_images_live_in_content_images_with_alt_text_in_budget_and_are_published(site):
    image(site.content / "images/chart.png")
    site.append("content/guides/small.md", "\n![Hours of care a week, by level of care]({static}/images/chart.png)\n")
    result = site.build()
    assert result.code == 0, result.log
    assert (result.output / "images/chart.png").is_file()
    img = result.html("guides/small/index.html").find("img")
    assert img["alt"] == "Hours of care a week, by level of care"
    assert (result.output / img["src"].lstrip("/")).is_file()
    # Its pixel size is written in, so the text below keeps its place while the file loads (no layout shift),
    # on a page read again from the reader cache too.
    assert (img["width"], img["height"]) == ("40", "30")
    again = site.build().html("guides/small/index.html").find("img")  # small.md from the reader cache
    assert (again["width"], again["height"]) == ("40", "30")


def test_each_image_mistake_is_reported_at_its_markdown_line_with_where_to_put_it(site):
    image(site.content / "images/chart.png")
    image(site.content / "images/unused.png")
    image(site.content / "guides/beside.png")
    image(site.content / "images/huge.png", size=(2000, 100))
    site.write("content/images/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')
    site.append(
        "content/guides/small.md",
        "\n![](/images/chart.png)\n\n![A photo](beside.png)\n\n![A chart]({static}/images/chrat.png)\n\n"
        "![A wide chart]({static}/images/huge.png)\n\n![A logo]({static}/images/logo.svg)\n",
    )
    result = site.build()
    assert result.code == 1
    found = {said(result, f) for f in result.findings if f.code.startswith("IMG")}
    assert found == {
        "content/guides/small.md:11: IMG001 image 'chart.png' has no alt text (describe what the image shows between "
        "the square brackets, as you would to someone on the phone: ![A counselor talking with a "
        "family](/images/chart.png); readers who cannot see it hear this instead)",
        "content/guides/small.md:13: IMG002 'beside.png' is in content/guides; the guides' images go in "
        "content/images/ (move it to content/images/beside.png and show it with ![What the image "
        "shows]({static}/images/beside.png))",
        "content/guides/beside.png: IMG002 beside.png is beside the pages; the guides' images go in content/images/ "
        "(move it to content/images/beside.png and show it on the page with ![What the image "
        "shows]({static}/images/beside.png))",
        "content/guides/small.md:15: IMG003 there is no file content/images/chrat.png (did you mean "
        "{static}/images/chart.png?)",
        "content/guides/small.md:17: IMG004 [warning] content/images/huge.png is 2000x100 pixels (budget 1400x1800) "
        "(resize it to at most 1400 pixels wide and save it as WebP or JPEG (quality about 80): on a slow phone "
        "connection every 50 KB is another second before it shows)",
        "content/guides/small.md:19: IMG005 content/images/logo.svg is not an image browsers show (SVG files can "
        "carry scripts) (save it as WebP, PNG or JPEG (File > Export in most image programs))",
        "content/images/logo.svg: IMG005 logo.svg is not an image browsers show safely; content/images/ holds only "
        "images (save images as WebP, PNG or JPEG; anything else goes elsewhere (pages in content/pages/))",
        "content/images/unused.png: IMG006 [warning] unused.png is shown on no page (show it with ![What the image "
        "shows]({static}/images/unused.png), or delete it)",
    }
    assert not {"PEL002", "OUT011", "OUT015", "FM025"} & result.codes(), result.log


def test_an_image_over_budget_is_a_warning_in_preview_that_publish_refuses(site):
    image(site.content / "images/huge.png", size=(2000, 100))
    site.append("content/guides/small.md", "\n![A wide chart]({static}/images/huge.png)\n")
    preview = site.build()
    assert preview.code == 0 and [f.severity for f in preview.findings if f.code == "IMG004"] == ["warning"]
    published = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert [f.severity for f in published.findings if f.code == "IMG004"] == ["error"]


# -- 4. spelling ---------------------------------------------------------------------------------------------


def test_a_typo_is_a_warning_at_its_line_with_suggestions_and_a_word_list_silences_a_right_word(site):
    site.append(
        "content/guides/small.md",
        "\nThere are sevral ways in. Sevral people use acamprosate.\n\n"
        'Call <span lang="es">Línea de Ayuda, oprima dos</span> or see `sevral` and https://sevral.org.\n',
    )
    site.edit("content/guides/small.md", "summary: A guide used by the tests.", "summary: A guide usd by the tests.")
    site.edit("data/faqs.yaml", "What does IOP stand for?", "What does IOP stnad for?")
    result = site.build()
    assert result.code == 0, result.log
    assert sorted(lines_of(result, "SPL001")) == [
        "content/guides/small.md:11: SPL001 [warning] 'acamprosate' is not in the dictionary (If it is spelled "
        "right (a name, a medical word), add it to data/words.txt)",
        "content/guides/small.md:11: SPL001 [warning] 'sevral' is not in the dictionary (2 times) (did you mean "
        "'several' or 'serval'? If it is spelled right (a name, a medical word), add it to data/words.txt)",
        "content/guides/small.md:3: SPL001 [warning] 'usd' is not in the dictionary (did you mean 'us' or 'used' or "
        "'use'? If it is spelled right (a name, a medical word), add it to data/words.txt)",
        f"data/faqs.yaml:{faq_line(site, 'IOP stnad for')}: SPL001 [warning] 'stnad' is not in the dictionary "
        "(did you mean 'stand' or 'stead'? If it is spelled right (a name, a medical word), add it to data/words.txt)",
    ]
    site.write("data/words.txt", "# medicines\nacamprosate\n")
    again = site.build()
    assert [f.message for f in again.findings if f.code == "SPL001" and "acamprosate" in f.message] == []


def faq_line(site, needle: str) -> int:
    text = (site.data / "faqs.yaml").read_text()
    return text[: text.index(needle)].count("\n") + 1


def test_a_spanish_page_is_not_spell_checked_in_english():
    """The check follows the page's language (front matter `lang`): Spanish pages are not checked (no good
    Spanish dictionary installs from PyPI; sitekit.checks.spelling), English ones are."""
    from sitekit.checks.lint import Linter, PageText
    from sitekit.data.yamlload import load_file

    linter = Linter(load_file(ROOT / "tests/fixtures/data/language.yaml"), words=frozenset())
    prose = [(9, "Puede llamar a la línea de ayuda cuando quiera.")]

    def spelled(lang: str) -> list[str]:
        page = PageText("content/guides/x.md", prose[0][1], 9, prose, [(2, "Guía")], lang=lang)
        return [r[4] for r in linter.page(page).reports if r[1] == "SPL001"]

    assert spelled("es") == []
    assert "'llamar' is not in the dictionary" in spelled("en")


# -- 5. publish: its own folder, a real address, no template text, no preview addresses, what changed -------


def test_publish_refuses_the_example_address_and_any_http_or_test_domain(site):
    from sitekit.checks.publishing import siteurl_problem

    result = site.build(publish=True, SITEURL="https://iop-guide.example.org")
    assert (
        "<site>: EDT001 SITEURL 'https://iop-guide.example.org' is an example address; on a real host every page would "
        "load its search from it (put the site's https:// address in SITEURL in publishconf.py, or run "
        "SITEURL=https://your.domain make publish)"
    ) in result.log
    assert result.code == 1
    for bad in ("", "https://www.example.com", "https://guide.test", "http://iop-guide.org", "iop-guide.org"):
        assert siteurl_problem(bad), bad
    for good in ("https://iop-guide.org", "http://127.0.0.1:8080", "http://localhost:8000"):
        assert siteurl_problem(good) is None, good


def test_make_new_text_and_preview_only_links_are_warnings_in_preview_and_refused_by_publish(site):
    from sitekit.commands.newguide import new_guide

    settings = site.settings_file()
    assert new_guide("Paying for IOP", "Getting care", str(settings)) == 0
    site.append(  # on a page that needs no review, so the publish build below writes it
        "content/pages/about.md",
        "\nSee [the review desk](/_review/) and [my preview](https://localhost:8000/guides/small/).\n",
    )
    preview = site.build()
    assert preview.code == 0, preview.log
    assert sorted(said(preview, f) for f in preview.findings if f.code in ("EDT002", "EDT003")) == [
        "content/guides/paying-for-iop.md:3: EDT002 [warning] the summary is still the text `make new` wrote (write "
        "the page's own text here; publish refuses the template's)",
        "content/guides/paying-for-iop.md:9: EDT002 [warning] the hint is still the text `make new` wrote (write the "
        "page's own text here; publish refuses the template's)",
        "content/pages/about.md:7: EDT003 [warning] link to '/_review/': that address exists only in the preview on "
        "your computer (link to the page's file instead: [text]({filename}/guides/name.md); publish refuses this link)",
        "content/pages/about.md:7: EDT003 [warning] link to 'https://localhost:8000/guides/small/': that address "
        "exists only in the preview on your computer (link to the page's file instead: "
        "[text]({filename}/guides/name.md); publish refuses this link)",
    ]
    published = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert published.code == 1
    assert {f.code for f in published.findings if f.severity == "error"} >= {"EDT002", "EDT003"}


def test_a_preview_never_replaces_a_publish_build_nor_a_publish_build_a_preview(site):
    published = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert published.code == 0, published.log
    assert published.output.name == "public"
    before = (published.output / "index.html").read_bytes()
    preview = site.build(OUTPUT_PATH=str(published.output))
    assert preview.code == 1
    assert (
        "<site>: EDT004 public/ holds a publish build (make publish); a preview build never replaces it (preview "
        "builds write output/ (make html, make serve); make publish writes public/)"
    ) in preview.log
    assert (published.output / "index.html").read_bytes() == before
    assert site.build().code == 0
    refused = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude", OUTPUT_PATH=str(site.root / "output"))
    assert refused.code == 1 and "EDT004 output/ holds a preview build" in refused.log
    from sitekit.runtime.outputs import kind_of

    assert kind_of(published.output) == "publish" and kind_of(site.root / "output") == "preview"


def test_publish_prints_what_changed_since_the_last_publish_with_each_pages_review_state(site):
    site.write("content/pages/extra.md", "---\ntitle: Extra\nsummary: An extra page.\n---\nMore.\n")
    exempt = [*FIXTURE_EXEMPT, "pages/extra.md"]
    first = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude", IOP_REVIEW_EXEMPT=exempt)
    assert first.code == 0, first.log
    first.log = first.log.replace(f"{site.root}/", "")
    assert "First publish into public/ (no record of an earlier one): every page is new." in first.log
    assert "  left out (not published)  A small guide  [content/guides/small.md]" in first.log
    assert "           never approved: not yet approved by a clinician (status: in_review)" in first.log
    assert "  added    /about/  Fixture about  [content/pages/about.md]" in first.log
    record = json.loads((site.root / ".public-pages.json").read_text())
    assert record["pages"][f"{site.root}/content/pages/about.md"]["published"] is True
    site.edit("content/pages/about.md", "A page.", "A changed page.")
    (site.content / "pages/extra.md").unlink()
    second = site.build(publish=True, IOP_REVIEW_UNREVIEWED="exclude", IOP_REVIEW_EXEMPT=FIXTURE_EXEMPT)
    assert second.code == 0, second.log
    second.log = second.log.replace(f"{site.root}/", "")
    report = second.log[second.log.index("Changes since the last publish into public/") :]
    assert "  changed  /about/  Fixture about  [content/pages/about.md]" in report
    assert "           no clinical review (owner's list): IOP_REVIEW_EXEMPT" in report
    assert "  removed  /extra/  Extra  [content/pages/extra.md]" in report
    kept = (site.root / ".public-pages.json").read_text()
    failed = site.build(
        publish=True, IOP_REVIEW_EXEMPT=FIXTURE_EXEMPT
    )  # refused (the guide awaits review): the record stays as it was
    assert failed.code == 1 and "Changes since" not in failed.log
    assert (site.root / ".public-pages.json").read_text() == kept


# -- 6. hosting settings and make help ------------------------------------------------------------------------


def test_hosting_settings_write_the_nginx_root_and_port_and_are_checked(tmp_path):
    from sitekit.content.headers import hosting, render_nginx

    conf = tmp_path / "publishconf.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *\n"
                    "IOP_NGINX_ROOT = '/var/www/guide'\nIOP_NGINX_PORT = 8081\n")  # fmt: skip
    assert hosting(conf) == ("/var/www/guide", 8081)
    text = render_nginx(*hosting(conf))
    assert "    listen 8081;\n" in text and "    root /var/www/guide;\n" in text
    conf.write_text(conf.read_text() + "IOP_NGINX_ROOT = 'relative; rm'\n")
    assert hosting(conf) is None
    assert hosting() == ("/srv/iop-guide/public", 80)
    assert (ROOT / "deploy/nginx.conf").read_text() == render_nginx(*hosting())


def test_make_help_groups_the_targets_by_who_uses_them():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    groups: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("For "):
            current = groups.setdefault(line.split(":")[0], [])
        elif line.startswith("  make ") and current is not None:
            current.append(line.split()[1])
    assert groups == {
        "For editors": ["serve", "new", "html"],
        "For clinicians": ["review", "approve", "reading"],
        "For translators and language reviewers": ["translate-pin"],
        "For the site owner": ["publish", "deploy-config"],
        "For developers": [
            "install", "install-dev", "system-deps", "test", "lint", "format", "docs", "clean", "bench", "profile",
            "firstpaint",
        ],
    }  # fmt: skip


def test_the_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make serve", "make test"]
