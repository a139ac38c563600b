"""Guards around the gates (issue 26): what a build may delete and write, what it may read, and what
reaches the editor's terminal. Each class is refused at a named setting or file, under `sitekit build`
(make html), `sitekit build --publish` (make publish) and plain `pelican`; the nearest legitimate
input still builds. Every data-loss case runs on a fixture site in a temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PLAIN_PELICAN, ROOT, assert_no_crash, make_site, python_lines, run_build
from sitekit.runtime.paths import MARKER

ENV = {"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"}


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def project_files(site) -> dict:
    """Everything of the fixture site but its build's own folders."""
    return {
        rel: data
        for rel, data in snapshot(site.root).items()
        if not rel.startswith(("output/", "elsewhere/", "fresh/")) and "__pycache__" not in rel
    }


def grd(result_or_text) -> list[str]:
    text = result_or_text if isinstance(result_or_text, str) else result_or_text.log
    return [line for line in text.splitlines() if " GRD0" in line]


# -- 1. The output folder -----------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """This section's fixture site sits one folder down in the test's own temporary folder, so the
    folder above it (a case below) holds nothing of any other test, should a guard ever fail."""
    return make_site(tmp_path / "project")


def hostile_outputs(site) -> dict[str, tuple[Path, str]]:
    """name -> (output folder, what the refusal says it is); made inside the fixture site's folder."""
    stranger = site.root / "elsewhere/notes"
    stranger.mkdir(parents=True, exist_ok=True)
    (stranger / "todo.txt").write_text("the editor's own notes\n")
    link = site.root / "elsewhere/link-to-site"
    if not link.is_symlink():
        link.symlink_to(site.root)
    return {
        "the settings file's folder": (site.root, "is the settings file's folder"),
        "data": (site.data, "is the data folder (IOP_DATA_PATH)"),
        "content": (site.content, "is the content folder (PATH)"),
        "the folder above": (site.root.parent, "holds the settings file's folder"),
        "inside data": (site.data / "site", "is inside the data folder (IOP_DATA_PATH)"),
        "a link to the site": (link, "is the settings file's folder"),
        "a stranger's folder": (stranger, "holds files this build did not write ('todo.txt')"),
        "the theme": (site.own_theme(), "is the theme (THEME)"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "the settings file's folder",
        "data",
        "content",
        "the folder above",
        "inside data",
        "a link to the site",
        "a stranger's folder",
        "the theme",
    ],
)
def test_an_output_folder_the_build_must_not_delete_is_refused_before_anything_happens(project, case):
    output, says = hostile_outputs(project)[case]
    project.settings_file()
    before = project_files(project)
    result = run_build(output, settings=project.root / "siteconf.py", **project.overrides())
    assert result.code == 1
    assert [f.code for f in result.findings] == ["GRD001"], result.log
    assert says in result.findings[0].message and "OUTPUT_PATH (or -o)" in result.findings[0].message
    assert "nothing was written or deleted" in result.log
    assert project_files(project) == before
    assert not list(output.parent.glob(f".{output.name}-*")), "no staging folder, lock or cache beside it"
    assert (project.root / "elsewhere/notes/todo.txt").read_text() == "the editor's own notes\n"


def test_a_new_folder_an_empty_one_and_the_builds_own_are_allowed(project):
    fresh = project.root / "fresh/site"
    result = run_build(fresh, **project.overrides())
    assert result.code == 0, result.log
    assert (fresh / MARKER).is_file() and (fresh / "guides/small/index.html").is_file()
    again = run_build(fresh, **project.overrides())  # its own folder, marked: replaced
    assert again.code == 0, again.log
    empty = project.root / "fresh/empty"
    empty.mkdir()
    assert run_build(empty, **project.overrides()).code == 0
    assert (empty / MARKER).is_file()


def test_an_unmarked_folder_is_refused_even_when_it_looks_like_a_build(project):
    """The second spelling of a stranger's folder: a site built by another tool (or an earlier build
    of this one, before builds marked their folder) is not this build's to delete."""
    other = project.root / "fresh/other-site"
    other.mkdir(parents=True)
    (other / "index.html").write_text("<!doctype html><title>another site</title>")
    result = run_build(other, **project.overrides())
    assert [f.code for f in result.findings] == ["GRD001"], result.log
    assert "if this is an earlier build of this site, delete it" in result.findings[0].hint
    assert (other / "index.html").read_text() == "<!doctype html><title>another site</title>"


CLI_CASES = [
    ("-o", "data"),
    ("-o", "."),
    ("-o", ".."),
    ("-o", "elsewhere/link-to-site"),
    ("-o", "elsewhere/notes"),
]


#: `python -m sitekit` for several command lines in one process (one start of Python and of the plugins
#: for all): the exit code of each (`main`'s, which the command line exits with) and what it printed.
SITEKIT_LINES = """
import contextlib, io, json, sys
from sitekit.__main__ import main
results = []
for argv in json.loads(sys.argv[1]):
    out = io.StringIO()
    with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    results.append([code, out.getvalue()])
print(json.dumps(results))
"""


@pytest.mark.parametrize("publish", [False, True], ids=["make html", "make publish"])
def test_the_command_line_refuses_them_with_pelicans_o_option(project, publish):
    """`make html PELICANOPTS='-o data'` deleted every data file and exited 0. Each case is a command
    line of its own, all run by one Python process (SITEKIT_LINES)."""
    hostile_outputs(project)
    settings = project.settings_file()
    before = project_files(project)
    lines = [["build", "-s", str(settings), *(["--publish"] if publish else []), *case] for case in CLI_CASES]
    results = python_lines(SITEKIT_LINES, json.dumps(lines), cwd=project.root, env=ENV)
    assert len(results) == len(CLI_CASES), results
    for case, (code, out) in zip(CLI_CASES, results, strict=True):
        assert code == 1, (case, out)
        assert len(grd(out)) == 1 and "<site>: GRD001 OUTPUT_PATH (or -o) '" in out, (case, out)
        assert "Traceback" not in out, (case, out)
    assert project_files(project) == before


def test_an_empty_output_path_from_the_environment_is_refused(project):
    """A CI variable left unset: publishconf.py reads OUTPUT_PATH from the environment, and an empty
    one made the build replace the project folder with the project."""
    settings = project.write("pubconf.py", project.settings_file().read_text())
    project.append("pubconf.py", '\nimport os\nOUTPUT_PATH = os.environ.get("OUTPUT_PATH", "output")\n')
    before = project_files(project)
    proc = subprocess.run(
        [sys.executable, "-m", "sitekit", "build", "-s", str(settings), "--publish"],
        capture_output=True,
        text=True,
        cwd=project.root,
        env={**ENV, "OUTPUT_PATH": ""},
    )
    assert proc.returncode == 1, proc.stderr
    assert grd(proc.stderr) == [
        f"<site>: GRD001 OUTPUT_PATH (or -o) '{project.root}' is the settings file's folder (set OUTPUT_PATH "
        "(or -o) to a folder of its own, such as output; an empty OUTPUT_PATH means the settings file's folder)"
    ], proc.stderr
    assert project_files(project) == before


def test_plain_pelican_refuses_them_before_it_deletes_anything(project):
    """Pelican empties OUTPUT_PATH itself (DELETE_OUTPUT_DIRECTORY) in Pelican.run; the plugins'
    check runs in `initialized`, before it, and turns the deletion off."""
    hostile_outputs(project)
    settings = project.settings_file()
    before = project_files(project)
    outputs = [str(project.root / value) for _option, value in CLI_CASES] + [str(project.root / "fresh/plain")]
    lines = [[str(project.root), [str(project.content), "-s", str(settings), "-o", output]] for output in outputs]
    answer = python_lines(PLAIN_PELICAN, json.dumps(lines), env=ENV)
    results = dict(zip(outputs, map(tuple, answer), strict=True))
    for output in outputs[:-1]:
        code, err = results[output]
        assert code == 1 and len(grd(err)) == 1 and "GRD001 OUTPUT_PATH (or -o) '" in err, (output, err)
    assert project_files(project) == before
    code, err = results[outputs[-1]]
    assert code == 0, err
    assert (project.root / "fresh/plain" / MARKER).is_file(), "the marker survives Pelican's own emptying"


def test_make_serve_refuses_an_output_folder_it_must_not_serve_or_replace(project):
    settings = project.settings_file()
    before = project_files(project)
    proc = subprocess.run(
        [sys.executable, "-m", "sitekit", "serve", "-s", str(settings), "--port", "0", "-o", "data"],
        capture_output=True,
        text=True,
        cwd=project.root,
        env=ENV,
        timeout=120,
    )
    assert proc.returncode == 1
    assert grd(proc.stderr) == [
        f"<site>: GRD001 OUTPUT_PATH (or -o) '{project.data}' is the data folder (IOP_DATA_PATH) "
        "(give the build a folder of its own, such as output)"
    ], proc.stderr + proc.stdout
    assert project_files(project) == before


@pytest.mark.parametrize("fails", ["moving the old site away", "moving the new site in"])
def test_an_output_folder_that_cannot_be_replaced_is_an_error_naming_it(site, monkeypatch, fails):
    """A read-only or busy output folder gave a traceback and left a staging folder behind."""
    from sitekit.runtime import build as driver

    first = site.build()
    assert first.code == 0, first.log
    before = snapshot(first.output)
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append((Path(src).name, Path(dst).name))
        if (fails == "moving the old site away" and len(calls) == 1) or (
            fails == "moving the new site in" and len(calls) == 2
        ):
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(driver.os, "replace", replace)
    result = site.build()
    monkeypatch.undo()
    assert result.code == 1
    assert [f.code for f in result.findings if f.severity == "error"] == ["GRD002"], result.log
    assert f"the built site could not replace {first.output}: Permission denied" in result.log
    assert snapshot(first.output) == before, "the previous site is still there, whole"
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".output")) == [".output.lock"]
    assert "Traceback" not in result.log


# -- 4. Symlinks in what the build reads --------------------------------------------------------------


def at(site, result) -> list[tuple[str, str]]:
    """(code, path inside the fixture site) of every finding."""
    return [(f.code, os.path.relpath(f.path, site.root)) for f in result.findings]


def link_site(site, **links: str):
    for rel, target in links.items():
        path = site.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)


@pytest.mark.parametrize(
    "rel,target",
    [
        ("content/guides/linked.md", "/etc/hostname"),  # a linked Markdown file became a page
        ("content/guides/up.md", "../../../../../../../../../../etc/hostname"),  # the same, relative
        ("theme/static/leak.txt", "/etc/passwd"),  # a linked static file was copied into output/theme/
        ("data/extra.yaml", "/etc/hostname"),
        ("content/outside", "/etc"),  # a linked folder
    ],
)
def test_a_symlink_that_leads_outside_the_project_is_refused_at_its_path(site, rel, target):
    link_site(site, **{rel: target})
    result = site.build(IOP_ROOT=str(site.root))
    assert result.code == 1
    assert at(site, result) == [("GRD010", rel)], result.log
    assert "the symlink leads outside the project, to '/etc" in result.log
    assert not (site.root / "output").exists()
    assert_no_crash(result)


def test_a_link_inside_a_linked_folder_is_followed_and_refused_too(site):
    """The second spelling: the linked folder is inside the project, the file it holds leads out."""
    notes = site.root / "notes"
    notes.mkdir()
    (notes / "guide.md").symlink_to("/etc/hostname")
    link_site(site, **{"content/guides/more": "../../notes"})
    result = site.build(IOP_ROOT=str(site.root))
    assert at(site, result) == [("GRD010", "notes/guide.md")], result.log  # where the link itself is


@pytest.mark.parametrize(
    "links,where",
    [
        ({"content/guides/a.md": "b.md", "content/guides/b.md": "a.md"}, "content/guides/a.md"),
        ({"content/guides/round": "../guides"}, "content/guides/round"),  # a folder that holds itself
        ({"theme/templates/partials/self": "."}, "theme/templates/partials/self"),
    ],
)
def test_a_symlink_loop_is_reported_once(site, links, where):
    link_site(site, **links)
    result = site.build(IOP_ROOT=str(site.root))
    assert result.code == 1
    assert at(site, result) == [("GRD011", where)], result.log


def test_symlinks_inside_the_project_still_build(site):
    site.write("content/shared/note.md", "---\ntitle: Shared\nsummary: Shared.\n---\nA page.\n")
    link_site(site, **{"content/pages/shared.md": "../shared/note.md"})
    site.write("notes/faqs.yaml", (site.data / "faqs.yaml").read_text())
    (site.data / "faqs.yaml").unlink()
    link_site(site, **{"data/faqs.yaml": "../notes/faqs.yaml"})
    result = site.build(IOP_ROOT=str(site.root))
    assert result.code == 0, result.log
    assert (result.output / "shared/index.html").is_file()


def test_plain_pelican_refuses_a_symlink_loop_once(site):
    link_site(site, **{"content/guides/a.md": "b.md", "content/guides/b.md": "a.md"})
    proc = subprocess.run(
        [sys.executable, "-m", "pelican", str(site.content), "-s", str(site.settings_file())],
        capture_output=True,
        text=True,
        cwd=site.root,
        env=ENV,
        timeout=120,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert [line.split(": ")[0] for line in grd(out)] == ["content/guides/a.md"], out
    assert "GRD011 the symlink leads round in a loop (through content/guides/b.md)" in out
    assert not (site.root / "output").exists()


# -- 8. Nothing from the editor's files reaches the terminal as a control character -------------------


@pytest.mark.parametrize(
    "spelling,shown",
    [
        ("\\e[2J\\e[31m", "\\x1b[2J\\x1b[31m"),  # clear the screen, then red
        ("\\rOK ", "\\rOK "),  # a carriage return would overwrite the line
        ("\\u202Edlrow", "\\u202edlrow"),  # a right-to-left override
        ("\\x9b31m", "\\x9b31m"),  # the one-byte CSI of C1
    ],
)
def test_control_characters_in_a_yaml_key_are_escaped_in_the_message(site, spelling, shown):
    site.edit("data/faqs.yaml", "  - id: cost\n", f'  - id: cost\n    "{spelling}key": 1\n')
    result = site.build()
    line = next(line for line in result.log.splitlines() if "FAQ005" in line)
    assert f"unknown field '{shown}key'" in line, line
    assert line.isprintable() and "\x1b" not in result.log and "\r" not in result.log


def test_control_characters_in_a_citation_key_are_escaped_in_the_message(site):
    site.append("content/guides/small.md", "\nMore[@asam\x1bc\x07-criteria].\n")  # reset the terminal, ring
    result = site.build()
    assert result.code == 1
    lines = [line for line in result.log.splitlines() if "CIT00" in line]
    assert len(lines) == 1 and "'[@asam\\x1bc\\x07-criteria]'" in lines[0], result.log
    assert "\x1b" not in result.log and "\x07" not in result.log


def test_messages_keep_the_editors_letters(site):
    """What is printable stays as written: accents, other scripts, quotes."""
    site.edit("data/faqs.yaml", "  - id: cost\n", "  - id: cost\n    año «tipo»: 1\n")
    result = site.build()
    assert "unknown field 'año «tipo»' in topics 'cost'" in result.log, result.log


# -- 5. Numbers as dialled ------------------------------------------------------------------------------


def body_line(site, text: str) -> int:
    """The line of ``text`` in the fixture guide after it is appended."""
    site.append("content/guides/small.md", f"\n{text}\n")
    lines = (site.content / "guides/small.md").read_text().splitlines()
    return lines.index(text) + 1


def error_at(site, result) -> list[tuple[str, str, int]]:
    return [(f.code, os.path.relpath(f.path, site.root), f.line) for f in result.findings if f.severity == "error"]


#: (Markdown line, the code it must get). Each class has a second spelling the first did not target.
PHONE_LINKS_REFUSED = [
    ("[Call 988](tel:889)", "OUT004"),  # only the banner's links were compared
    ("[Call 988](TEL:%39%38%37)", "OUT004"),  # the second spelling: scheme in capitals, digits encoded
    ("[Text 988](sms:898?body=HELP)", "OUT004"),
    ("[Call the Lifeline](tel:9880)", "OUT004"),  # a number the reader cannot see
    ("[Call \u202e886](tel:886)", "OUT050"),  # shown as 'Call 688', dials 886
    ("[Call \u2067885\u2069](tel:885)", "OUT050"),  # the same with an isolate
    ("[Call 884](tel:%E2%80%AE884)", "OUT050"),  # an encoded override in the address
    ("[Call \uff19\uff18\uff13](tel:\uff19\uff18\uff13)", "OUT050"),  # fullwidth digits
    ("[Call \u0669\u0668\u0662](tel:982)", "OUT050"),  # Arabic-Indic digits in the text
    ("[Call 9\u200b81](tel:981)", "OUT050"),  # an invisible character in a phone link
]
PHONE_LINKS_ALLOWED = [
    "[Call 988](tel:988) or [text 988](sms:988)",
    "[Call 988](TEL:988)",
    "[1-866-444-3272](tel:+1-866-444-3272)",
    "[Call 1-800-662-HELP (4357)](tel:+1-800-662-4357)",
    "[Text HOME to 741741](sms:741741?body=HOME)",
    "[Llame al 988](tel:988)",
    "[A long hyphen\u00adated word](https://988lifeline.org/)",  # a soft hyphen outside phone links
]


def test_a_phone_link_in_content_dials_what_it_shows(site):
    """Every case on a line of its own in one guide, one build: each is reported at its own line, the
    legitimate ones (on the lines after them) at none."""
    lines = {text: body_line(site, text) for text, _code in PHONE_LINKS_REFUSED}
    for text in PHONE_LINKS_ALLOWED:
        body_line(site, text)
    result = site.build()
    assert result.code == 1
    found = error_at(site, result)
    at = "content/guides/small.md"
    missing = [text for text, code in PHONE_LINKS_REFUSED if (code, at, lines[text]) not in found]
    assert missing == [], result.log
    assert {n for _code, _path, n in found} == set(lines.values()), "nothing else, no legitimate line: " + result.log
    assert_no_crash(result)


def test_phone_links_that_dial_what_they_show_pass(site):
    for text in PHONE_LINKS_ALLOWED:
        site.append("content/guides/small.md", f"\n{text}\n")
    result = site.build()
    assert result.code == 0, result.log


def test_a_phone_link_in_a_faq_answer_is_checked_on_the_page_that_shows_it(site):
    site.edit(
        "data/faqs.yaml",
        "IOP stands for intensive outpatient program.",
        "IOP stands for intensive outpatient program. [Call 988](tel:889).",
    )
    site.append("content/guides/small.md", "\n::: faqs topic=basics\n")
    result = site.build()
    found = [(f.code, f.path) for f in result.findings if f.severity == "error"]
    assert found == [("OUT004", "output/guides/small/index.html")], result.log
    assert "link 'tel:889' dials 889 but shows 'Call 988'" in result.log


@pytest.mark.parametrize(
    "old,new",
    [
        ('<a href="tel:911">911</a>', '<a href="tel:912">911</a>'),
        ('<a href="tel:911">911</a>', '<a href="tel:911" aria-label="Call 912">911</a>'),  # what a screen reader says
    ],
)
def test_a_phone_link_in_the_theme_dials_what_it_shows(site, old, new):
    site.edit("theme/templates/base.html", old, new)
    result = site.build()
    assert result.code == 1
    errors = {f.code for f in result.findings if f.severity == "error"}
    # An English aria-label written in the theme also needs its Spanish words (issue 28's ES016).
    assert errors - {"ES016"} == {"OUT004"} and ("ES016" in errors) == ("aria-label" in new), result.log


def test_crisis_data_refuses_digits_outside_ascii_and_invisible_characters(site):
    cases = [
        ('label: "Call 988"', 'label: "Call \uff19\uff18\uff18"'),  # fullwidth digits
        ('href: "sms:838255"', 'href: "sms:\u2067838255"'),  # a bidi isolate in the address
        ('name: "988 Suicide & Crisis Lifeline"', 'name: "\u202e988 Suicide & Crisis Lifeline"'),
        ('label: "Call 911"', 'label: "Call 9\u200d11"'),  # a zero-width joiner
    ]
    text = (site.data / "crisis.yaml").read_text()
    lines = sorted(text[: text.index(old)].count("\n") + 1 for old, _new in cases)
    for old, new in cases:
        site.edit("data/crisis.yaml", old, new)
    result = site.build()
    assert result.code == 1
    found = sorted(n for code, path, n in error_at(site, result) if (code, path) == ("CRISIS003", "data/crisis.yaml"))
    assert found == lines, result.log


#: (text, the code its page must get): each on a page of its own, all in one build.
STALE_FORMS = [
    ("You can also call \uff11-\uff18\uff10\uff10-\uff12\uff17\uff13-\uff18\uff12\uff15\uff15.", "SAFE022"),
    ("You can also call 1\u2011800\u2011273\u20118255.", "SAFE022"),  # non-breaking hyphens
    ("You can also call 1\u2013800\u2014273\u22128255.", "SAFE022"),  # en dash, em dash, minus
    ("You can also call 1 (800) 273-8255.", "SAFE022"),
    ("You can also call 1-800-273-\uff34\uff21\uff2c\uff2b.", "SAFE022"),  # fullwidth TALK
    ("LGBTQ+ youth can call 988 and press \uff13.", "SAFE021"),
    ("LGBTQ+ youth can call 988 and pre\u0455s 3.", "SAFE021"),  # a Cyrillic s
    ("LGBTQ+ youth can call 988 and press \u0663.", "SAFE021"),  # an Arabic-Indic three
]


def test_stale_crisis_forms_are_matched_after_normalisation(site):
    for i, (text, _code) in enumerate(STALE_FORMS):
        site.write(f"content/guides/stale-{i}.md", GUIDE_WITH.format(body=text))
    result = site.build()
    assert result.code == 1
    found = {(f.code, f.path) for f in result.findings if f.severity == "error"}
    assert found == {(code, f"output/guides/stale-{i}/index.html") for i, (_t, code) in enumerate(STALE_FORMS)}, (
        result.log
    )


GUIDE_WITH = """---
title: A guide
summary: A short guide.
date: 2026-01-01
category: Understanding IOP
review:
  status: in_review
---
Text[@asam-criteria-3rd-2013].

{body}
"""


def test_numbers_that_are_not_stale_forms_pass(site):
    site.append(
        "content/guides/small.md",
        "\nCall 988 and press 1 for the Veterans line. SAMHSA: 1\u2011800\u2011662\u20114357. Of 800 people, "
        "273 stayed.\n",
    )
    result = site.build()
    assert {"SAFE021", "SAFE022"} & result.codes() == set(), result.log


# -- 6. The text checks read look-alike letters as the letters a reader reads ---------------------------


LOOK_ALIKES = [
    "\uff41\uff44\uff44\uff49\uff43\uff54",  # fullwidth
    "\u0430ddict",  # a Cyrillic a
    "a\u0300ddict",  # a combining grave accent
    "\U0001d41a\U0001d41d\U0001d41d\U0001d422\U0001d41c\U0001d42d",  # mathematical bold
    "\u0430dd\u200bict",  # a look-alike and an invisible character together
]


def test_look_alike_letters_do_not_get_a_term_past_the_language_lint(site):
    lines = {body_line(site, f"Every {word} deserves care."): word for word in LOOK_ALIKES}
    result = site.build()
    found = {f.line: f.message for f in result.findings if f.code == "LNG001"}
    assert found == {line: f"'{word}' (read as 'addict') (addict-noun)" for line, word in lines.items()}, (
        "each at its line, quoting what the editor wrote: " + result.log
    )


def test_look_alike_letters_in_a_title_and_a_faq_answer_are_read_too(site):
    site.write(
        "content/guides/x.md",
        "---\ntitle: Help for \u0430lcoholics\nsummary: A guide.\ndate: 2026-01-01\ncategory: Understanding IOP\n"
        "review:\n  status: in_review\n---\nText[@asam-criteria-3rd-2013].\n",
    )
    text = (site.data / "faqs.yaml").read_text()
    line = text[: text.index("IOP stands for intensive outpatient program.")].count("\n") + 1
    junkie = "\uff4a\uff55\uff4e\uff4b\uff49\uff45"  # fullwidth
    site.edit("data/faqs.yaml", "IOP stands for intensive outpatient program.", f"No {junkie} here.")
    result = site.build()
    found = error_at(site, result)
    assert ("LNG001", "content/guides/x.md", 2) in found, result.log
    assert ("LNG001", "data/faqs.yaml", line - 1) in found, result.log  # a folded answer: at its key


def test_a_claim_in_fullwidth_digits_needs_its_citation_too(site):
    line = body_line(site, "About \uff14\uff10\uff05 of people finish the program.")
    result = site.build()
    found = [(f.line, f.message) for f in result.findings if f.code == "CLM001"]
    assert found == [(line, "a percentage ('\uff14\uff10\uff05', read as '40%') with no citation in the paragraph")]


def test_ordinary_text_with_accents_and_other_scripts_passes(site):
    site.append(
        "content/guides/small.md",
        "\nSome programs offer care in Spanish (atención en español) and the café is open. "
        "The Greek letter \u03b1 names a test. People in recovery deserve care.\n",
    )
    result = site.build()
    assert result.code == 0, result.log


def test_reading_levels_of_the_real_sites_pages_do_not_change_with_the_normalised_reading(real_site, monkeypatch):
    """The reading level reads the folded text (sitekit.text.normalize, accents kept); on ordinary
    text (every page of the real site) the figures are exactly those of the text as written."""
    from sitekit.checks import lint

    pages = real_site.texts  # what the real site's build read of each page (conftest.build_real)
    assert len(pages) >= 40, "every page of both languages"
    linter = lint.Linter(real_site.language, real_site.reading)
    # Only the rule that measures the reading level: the others (the spelling's suggestions above all,
    # 6 s here) add nothing to `.reading`.
    monkeypatch.setattr(lint, "RULES", [lint.reading_level])
    folded = {p.path: linter.page(p).reading for p in pages}
    monkeypatch.setattr(lint, "fold", lambda text, marks=False: text)
    as_written = {p.path: linter.page(p).reading for p in pages}
    measured = [path for path, reading in folded.items() if reading]
    assert len(measured) >= 15, "most pages are long enough to measure"
    assert folded == as_written


def test_the_link_and_text_classes_fail_under_make_publish_and_plain_pelican_too(site):
    """The same plugins guard every way of building: one page with a wrong phone link, a hidden
    override, a look-alike term and a stale number in other dashes, built as `make publish` builds
    (sitekit build --publish) and with plain `pelican`."""
    site.append(
        "content/guides/small.md",
        "\n[Call 988](tel:889)\n\n[Call \u202e887](tel:887)\n\nEvery \u0430ddict deserves care.\n\n"
        "Or call 1\u2013800\u2013273\u20138255.\n",
    )
    settings = site.settings_file()
    runs = {
        "make publish": [sys.executable, "-m", "sitekit", "build", "-s", str(settings), "--publish"],
        "plain pelican": [sys.executable, "-m", "pelican", str(site.content), "-s", str(settings)],
    }
    for how, command in runs.items():
        proc = subprocess.run(command, capture_output=True, text=True, cwd=site.root, env=ENV, timeout=300)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, (how, out)
        for expected in (
            "content/guides/small.md:11: OUT004 link 'tel:889' dials 889 but shows 'Call 988'",
            "content/guides/small.md:13: OUT050 link 'tel:887' ('Call \\u202e887'): its text holds U+202E",
            "content/guides/small.md:15: LNG001 '\u0430ddict' (read as 'addict') (addict-noun)",
            "output/guides/small/index.html: SAFE022 the page shows the old Lifeline number",
        ):
            assert expected in out, (how, expected, out)
        assert "\u202e" not in out, "the override reaches the terminal escaped"
