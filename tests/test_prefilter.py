"""The literal prefilter of the language lint: it may skip a regex only where it cannot match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from sitekit.prefilter import may_match, required_literals
from sitekit.yamlload import loads, to_plain


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
    ],
)
def test_required_literals(pattern, expected):
    assert required_literals(pattern) == (frozenset(expected) if expected is not None else None)


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
