"""The build driver: all findings at once, one exit status, and output/ replaced only on success."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, make_site


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """One build of the fixture site as it is, for the tests that only read it."""
    return make_site(tmp_path_factory.mktemp("plain")).build()


@pytest.fixture(scope="module")
def cli_plain(tmp_path_factory):
    """One `sitekit build` (make html's command) of the fixture site as it is, in a process of its own,
    for the tests that read what it did: the site and the finished process."""
    site = make_site(tmp_path_factory.mktemp("cli"))
    return site, site.cli_build()


def test_fixture_site_builds(plain):
    result = plain
    assert result.code == 0, result.log
    assert (result.output / "guides/small/index.html").is_file()
    assert "Built" in result.log


def test_broken_yaml_fails_with_line_and_keeps_previous_output(site):
    first = site.build()
    assert first.code == 0, first.log
    before = snapshot(first.output)
    site.edit("data/care_levels.yaml", 'short_name: "IOP"', 'short_name: "IOP')
    result = site.build()
    assert result.code == 1
    line = (site.data / "care_levels.yaml").read_text().splitlines().index('    short_name: "IOP') + 1
    assert (
        f'data/care_levels.yaml:{line}: CARE001 a quote (") opens on this line and is never closed '
        '(end the text with the same quote mark ("), on the same line)'
    ) in result.log
    assert "Traceback" not in result.log
    assert snapshot(result.output) == before, "a failed build must leave output/ exactly as it was"
    assert not list(site.root.glob(".output-staging-*")), "the staging folder is cleaned up"


def test_broken_template_fails_with_template_line(site):
    site.build()
    before = snapshot(site.root / "output")
    site.edit("theme/templates/article.html", "{% block content %}", "{% block content %}{% if %}")
    result = site.build()
    assert result.code == 1
    assert "TPL001" in result.log and "article.html" in result.log
    assert "Traceback" not in result.log
    assert snapshot(site.root / "output") == before


def test_unknown_template_variable_is_an_error_not_silence(site):
    site.edit("theme/templates/article.html", "{{ article.content|safe }}", "{{ article.content|nosuchfilter }}")
    result = site.build()
    assert result.code == 1
    assert "TPL001" in result.log and "nosuchfilter" in result.log


def test_missing_front_matter_is_reported_with_the_file(site):
    site.write("content/guides/bare.md", "Just text, no front matter.\n")
    result = site.build()
    assert result.code == 1
    assert "content/guides/bare.md:1: FM001 missing front matter" in result.log


def test_all_problems_are_reported_in_one_run(site):
    site.write("content/guides/bare.md", "No front matter.\n")
    site.edit("data/references.yaml", 'doi: "10.1176/appi.ps.201300249"', 'doi: "10.1176/appi"')
    site.write(
        "content/pages/typo.md",
        """
        ---
        title: Typo
        sumary: misspelled
        ---
        Text.
    """,
    )
    result = site.build()
    assert result.code == 1
    assert {"FM001", "REF003", "FM005", "FM002"} <= result.codes(), result.log
    assert "did you mean 'summary'?" in result.log


def test_front_matter_yaml_error_names_the_file_line(site):
    site.write(
        "content/pages/bad.md",
        """
        ---
        title: Bad
        summary: [unclosed
        ---
        Text.
    """,
    )
    result = site.build()
    assert result.code == 1
    assert "content/pages/bad.md:" in result.log and "FM010" in result.log
    line = int(result.log.split("content/pages/bad.md:")[1].split(":")[0])
    assert line in (3, 4)


def test_cli_exits_non_zero_without_traceback(site):
    site.edit("data/crisis.yaml", "\nlines:", "\nlines: [")
    proc = site.cli_build()
    assert proc.returncode == 1
    assert "CRISIS001" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_cli_success_exits_zero(cli_plain):
    site, proc = cli_plain
    assert proc.returncode == 0, proc.stderr
    assert (site.root / "output/index.html").is_file()


def test_output_is_readable_by_a_web_server(plain):
    result = plain
    assert result.code == 0
    assert result.output.stat().st_mode & 0o005 == 0o005


# -- Pelican's reader cache (preview builds) --------------------------------------------------------


def _cache_files(site) -> list[Path]:
    return sorted((site.root / ".output-cache").rglob("*-Readers"))


def test_cached_build_reports_and_writes_what_a_clean_build_does(site):
    site.append("content/guides/small.md", "\nSee this[@no-such-key]. Every addict deserves care.\n")
    clean = site.build()
    assert not _cache_files(site)
    first = site.build(IOP_CACHE=True)  # fills the cache
    assert _cache_files(site), "preview builds keep Pelican's reader cache"
    cached = site.build(IOP_CACHE=True)  # the guide comes from the cache: its findings must come back with it
    assert clean.code == first.code == cached.code == 1
    assert {"CIT001", "LNG001"} <= cached.codes()
    assert sorted(cached.findings) == sorted(clean.findings)


def test_cache_follows_changes_to_pages_data_and_theme(site):
    site.build(IOP_CACHE=True)
    site.build(IOP_CACHE=True)
    site.edit("content/guides/small.md", "IOP gives adults", "An IOP gives adults")
    assert "An IOP gives adults" in site.build(IOP_CACHE=True).html("guides/small/index.html").text
    site.edit("data/references.yaml", "The ASAM Criteria: Treatment", "The ASAM Criteria (changed title): Treatment")
    assert "(changed title)" in site.build(IOP_CACHE=True).html("guides/small/index.html").text
    site.edit(
        "theme/templates/partials/references.html",
        '<ol class="references__list">',
        '<ol class="references__list" data-edited>',
    )
    assert site.build(IOP_CACHE=True).html("guides/small/index.html").select_one("ol[data-edited]") is not None
    assert len(list((site.root / ".output-cache").iterdir())) == 1, "old cache folders are removed"


def test_publish_builds_never_use_the_cache(site):
    site.build(IOP_CACHE=True)
    before = _cache_files(site)
    site.build(IOP_CACHE=True, publish=True, IOP_REVIEW_UNREVIEWED="exclude")
    assert _cache_files(site) == before


def test_pelican_options_reach_pelican(site):
    """make html PELICANOPTS=... passes Pelican's own options through `sitekit build`."""
    proc = site.cli_build("-e", 'SITEURL="http://preview.example"')
    assert proc.returncode == 0, proc.stderr
    canonical = BeautifulSoup((site.root / "output/index.html").read_text(), "html.parser").find(
        "link", rel="canonical"
    )
    assert canonical["href"] == "http://preview.example/"


def test_unknown_option_is_refused(site):
    proc = site.cli_build("--no-such-option")
    assert proc.returncode == 2 and "--no-such-option" in proc.stderr


def test_debug_shows_pelicans_own_log(cli_plain, site):
    _site, quiet = cli_plain  # the same command without DEBUG
    debug = site.cli_build(DEBUG="1")
    assert "DEBUG pelican" not in quiet.stderr
    assert "DEBUG pelican" in debug.stderr and debug.returncode == 0


def test_links_into_the_search_index_are_checked_once_pagefind_has_written_it(site):
    """Pagefind writes its folder while the links across pages are checked: a link into the folder
    is checked when Pagefind is done, so a file it wrote is found and one it did not is reported."""
    site.append(
        "content/guides/small.md",
        "\nThe [search script](/pagefind/pagefind.js) and [a file it never writes](/pagefind/nothing.js).\n",
    )
    result = site.build(IOP_SEARCH=True)
    broken = [(f.path.split("/")[-1], f.line, f.message) for f in result.findings if f.code == "OUT013"]
    assert broken == [("small.md", 11, "link to '/pagefind/nothing.js' leads to no page")], result.log


def test_a_search_index_that_fails_fails_the_build_and_keeps_the_previous_output(site, monkeypatch):
    import iop_publish

    first = site.build()
    assert first.code == 0, first.log
    before = (first.output / "index.html").read_bytes()
    monkeypatch.setattr(iop_publish.SearchIndex, "COMMAND", (sys.executable, "-c", "raise SystemExit('no index')"))
    result = site.build(IOP_SEARCH=True)
    assert result.code == 1
    assert "SRCH001 the Pagefind search index was not built: no index" in result.log
    assert (site.root / "output/index.html").read_bytes() == before


def test_the_search_index_is_complete_without_the_output_checks(site):
    """iop_output waits for Pagefind after its own checks; a site without that plugin gets a
    complete index all the same. In a fresh process: plugins stay registered in this one."""
    import pelicanconf

    plugins = [p for p in pelicanconf.PLUGINS if p != "iop_output"]
    settings = site.write("nooutput.py", f"from siteconf import *  # noqa\nIOP_SEARCH = True\nPLUGINS = {plugins!r}\n")
    site.settings_file()
    proc = subprocess.run(
        [sys.executable, "-m", "sitekit", "build", "-s", str(settings)],
        capture_output=True,
        text=True,
        cwd=site.root,
        env={"PYTHONPATH": f"{ROOT / 'plugins'}:{site.root}", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert (site.root / "output/pagefind/pagefind.js").is_file()
    assert list((site.root / "output/pagefind/fragment").iterdir())


def test_a_published_stylesheet_that_loads_from_another_origin_fails_the_build(site):
    """Stylesheets in the output are read once with the other output files; a url() elsewhere is an
    error at that file."""
    site.write("theme/static/css/print.css", "@media print { body { background: url(https://cdn.example.com/a.png) } }")
    result = site.build()
    assert result.code == 1
    found = [(f.code, f.path) for f in result.findings if f.code == "OUT012"]
    assert found == [("OUT012", "output/theme/css/print.css")], result.log


def test_pelicans_warnings_come_back_in_every_build_of_one_process(site):
    """Pelican's LimitFilter drops a message it has seen before in the process; each build resets it
    (sitekit.runtime.state), or the preview server's second build would lose Pelican's warnings."""
    site.append("content/guides/small.md", "\nSee [the missing page]({nothing}/pages/here.md).\n")
    warned = []
    for _ in range(2):
        result = site.build()
        warned.append([f.message for f in result.findings if f.code == "PEL002"])
    assert (
        warned[0]
        == warned[1]
        == ["Replacement Indicator 'nothing' not recognized in '{nothing}/pages/here.md', skipping replacement"]
    )


def test_a_data_file_whose_empty_form_is_valid_may_be_left_out_and_any_other_is_required(site):
    (site.data / "corrections.yaml").unlink()
    result = site.build()
    assert result.code == 0, result.log
    (site.data / "faqs.yaml").unlink()
    result = site.build()
    assert [(f.code, f.message) for f in result.findings if f.code == "FAQ002"] == [
        ("FAQ002", "data file faqs.yaml is missing")
    ], result.log
