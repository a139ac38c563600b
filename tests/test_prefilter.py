"""The literal prefilter of the language lint: it may skip a regex only where it cannot match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from sitekit.data.yamlload import loads, to_plain
from sitekit.text.prefilter import may_match, required_literals


@pytest.mark.parametrize(
    "pattern,expected",
    [
        (r"\baddicts?\b", {"addict"}),
        (r"\b(?:former|ex-?)\s+(?:addicts?|users?)\b", {"addict", "user"}),  # the rarer, longer choice
        (r"\bMAT\b", {"mat"}),  # case-folded, so it works for case-sensitive terms too
        (r"\bdrunks?\b(?!\s+driv)|\bgetting\s+drunk\b", {"drunk", "getting"}),
        (r"ab?c", {"a"}),  # never "ac": a "b" may sit between them; "a" and "c" tie, the first wins
        (r"x*", None),
        (r"[a-z]+", None),
        (r"(a)|\d", None),  # no literal every match must contain
        (r"(?<!\.)\.{3}(?!\.)", {"..."}),  # a character repeated an exact number of times is one string
        (r"x-{2,}", {"x--"}),  # at least twice: the run ends after the two
        (r"[*_]+", {"*", "_"}),  # a small class: any of its characters
        (r"[^*]", None),  # a negated class: none
    ],
)
def test_required_literals(pattern, expected):
    assert required_literals(pattern) == (frozenset(expected) if expected is not None else None)


def test_required_literals_as_written():
    """For Markdown's inline patterns (sitekit.text.inlinegate): case kept, and none for a pattern that
    ignores case, since its text is not case-folded."""
    assert required_literals(r"Ab|CD", 0, fold=False) == {"Ab", "CD"}
    assert required_literals(r"Ab|CD", re.IGNORECASE, fold=False) is None


def _terms():
    language = to_plain(loads((ROOT / "data/language.yaml").read_text(encoding="utf-8"), "language.yaml"))
    return [(t["id"], re.compile(t["pattern"], 0 if t.get("case_sensitive") else re.I)) for t in language["terms"]]


TERMS = _terms()
#: Words from the patterns themselves, so random lines often contain a match.
VOCAB = sorted({w for _id, rx in TERMS for w in re.findall(r"[A-Za-z]{2,}", rx.pattern)} - {"s", "b"})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*VOCAB, "the", "a", "was", "is", "-", "  ", "800", "273", "8255", "'s"]), max_size=12
    ).map(" ".join),
    st.sampled_from(["lower", "upper", "title"]),
)
def test_prefilter_never_skips_a_line_where_a_term_matches(line, case):
    line = getattr(line, case)()
    for term_id, regex in TERMS:
        if regex.search(line):
            assert may_match(required_literals(regex.pattern), line.casefold()), (term_id, line)


# -- the same prefilter on Markdown's inline patterns (sitekit.text.inlinegate) ---------------------------

MARKDOWN_EXTENSIONS = [
    "markdown.extensions.extra",
    "markdown.extensions.toc",
    "markdown.extensions.smarty",
    "sitekit.content.tables",
]


def _converters(extra=()):
    """The site's Markdown (MARKDOWN in pelicanconf.py) with and without the gate."""
    from markdown import Markdown

    from sitekit.text.inlinegate import InlineGateExtension

    plain = Markdown(extensions=[*MARKDOWN_EXTENSIONS, *extra], output_format="html5")
    gated = Markdown(extensions=[*MARKDOWN_EXTENSIONS, *extra, InlineGateExtension()], output_format="html5")
    return plain, gated


def test_markdown_extensions_match_the_site():
    import pelicanconf

    # Pelican adds its "meta" extension to this very dict once it has read the settings in this
    # process; the site's reader drops it again (iop_content).
    listed = [e for e in pelicanconf.MARKDOWN["extensions"] if e != "markdown.extensions.meta"]
    assert listed == MARKDOWN_EXTENSIONS


def test_inline_gate_gives_markdowns_own_html_for_every_page():
    """Every guide and page of the site, converted with and without the gate: the same HTML, and the
    gate is in force in both inline passes (Markdown's own and smarty's), so it skips something."""
    plain, gated = _converters()
    pages = sorted((ROOT / "content").rglob("*.md"))
    assert len(pages) >= 12
    for page in pages:
        body = page.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        assert gated.reset().convert(body) == plain.reset().convert(body), page.name
    for name in ("inline", "smarty"):
        processor = gated.treeprocessors[name]
        assert type(processor).__name__ == "GatedInlineProcessor"
        assert processor._gates[0] is not None, f"the {name} pass filters nothing"


MARKDOWN_PIECES = [
    *"abc XYZ 123 . , ; : ! ? ( ) [ ] { } < > & # * _ ` ~ ^ = + | / \\ ' \" - -- --- ... \n \n\n".split(" "),
    " ",
    "  \n",
    "[link](http://example.com)",
    "[^1]",
    "![alt](x.png)",
    "<b>",
    "</b>",
    "&amp;",
    "<https://example.com>",
    "<me@example.com>",
    "**",
    "__",
    "'90s",
    "don't",
    "\u2014",
    "\ue000\ue010\ue001",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=40).map("".join))
def test_inline_gate_never_changes_markdowns_output(text):
    plain, gated = _converters()
    assert gated.reset().convert(text) == plain.reset().convert(text)


def test_inline_gate_is_off_for_a_pattern_it_cannot_read():
    """A pattern that could match any text (any character before a "q" here) turns the filter off
    for itself and the patterns before it; the output is still Markdown's own."""
    from markdown.extensions import Extension
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    class Anything(Extension):
        def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
            md.inlinePatterns.register(SimpleTagInlineProcessor(r"()(.)(?=q)", "mark"), "any", 200)

    plain, gated = _converters([Anything()])
    text = "plain words, then xq"
    assert gated.reset().convert(text) == plain.reset().convert(text) == "<p>plain words, then <mark>x</mark>q</p>"
    gates = gated.treeprocessors["inline"]._gates
    assert gates[0] is None and gates[1] is not None, "'.' cannot filter; the patterns after it can"


def test_the_inline_gate_really_skips_the_inline_patterns_on_text_none_can_match(monkeypatch):
    """The gate is a speed-up over a private method of Python-Markdown: if it stopped running (a
    renamed method, an extension that no longer installs), the HTML would stay the same and only
    this test would notice."""
    from markdown import Markdown, treeprocessors

    from sitekit.text.inlinegate import InlineGateExtension

    tried = []
    original = treeprocessors.InlineProcessor._InlineProcessor__handleInline

    def counting(self, data, patternIndex=0):  # noqa: N803 - Markdown's own name
        tried.append(data)
        return original(self, data, patternIndex)

    monkeypatch.setattr(treeprocessors.InlineProcessor, "_InlineProcessor__handleInline", counting)
    text = "Plain words that no link, emphasis, code, quote, dash or ellipsis pattern can match"
    extensions = ["markdown.extensions.extra", "markdown.extensions.smarty"]
    plain = Markdown(extensions=extensions).convert(text)
    assert tried, "without the gate, Markdown tries its inline patterns on the text"
    tried.clear()
    gated = Markdown(extensions=[*extensions, InlineGateExtension()]).convert(text)
    assert tried == [], "with the gate, no pattern is tried"
    assert gated == plain
