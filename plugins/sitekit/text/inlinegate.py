"""Let Python-Markdown skip its inline patterns on text that none of them can match.

Markdown's inline passes try every inline pattern on every piece of text, one Python call each:
about 15 patterns in the main pass (links, emphasis, code...) and 18 in smarty's (quotes, dashes,
ellipses), although most text has nothing for most of them: on the 1,000-article corpus 99 % of
the text smarty sees has no quote, dash or ellipsis. Skipping what cannot match halves Markdown's
time there (2.34 s -> 1.24 s for the corpus's pages, one core).

Any match of a pattern contains at least one of a few strings its regular expression names
(``[`` for a link, ``'`` or ``"`` for a quote, ``...`` for an ellipsis, ``*`` or ``_`` for
emphasis). sitekit.text.prefilter reads them off each pattern with Python's own regular-expression
parser (as it does for the language lint); a text that holds none of the strings of any pattern
still to be tried is given back as it is, which is what the patterns would have done, one by one,
finding nothing. Where no such strings can be shown (a pattern that could match any text, a
case-insensitive one, a construct the prefilter does not know), the pass runs every pattern on
every text, as Markdown does. tests/test_prefilter.py converts every page of the site, and
random Markdown, both ways and compares the HTML.

It replaces only treeprocessors that are exactly Markdown's ``InlineProcessor`` (the main pass and
smarty's), and keeps their patterns: added as the last extension, after every extension that
registers patterns.
"""

from __future__ import annotations

import inspect
import re
from functools import lru_cache

import markdown
from markdown import treeprocessors, util
from markdown.extensions import Extension

from .prefilter import required_literals

#: Python-Markdown's private names the gate relies on: the method it overrides (with its arguments)
#: and the registry's list of priorities it reads to put its processor in the same place.
_HANDLE = "_InlineProcessor__handleInline"


def _check_private_names() -> None:
    handle = getattr(treeprocessors.InlineProcessor, _HANDLE, None)
    arguments = list(inspect.signature(handle).parameters) if callable(handle) else []
    if arguments != ["self", "data", "patternIndex"] or not hasattr(util.Registry(), "_priority"):
        raise ImportError(
            f"sitekit.text.inlinegate: Python-Markdown {markdown.__version__} no longer has "
            f"InlineProcessor.{_HANDLE}(self, data, patternIndex) or Registry._priority, which the inline "
            "gate overrides and reads; pin the Markdown version of requirements.txt, or update "
            "plugins/sitekit/text/inlinegate.py to the new names (tests/test_prefilter.py shows whether it works)"
        )


_check_private_names()


def needed(regex: re.Pattern) -> frozenset | None:
    """Strings one of which every match of ``regex`` contains, as written; None when unknown."""
    if not isinstance(regex.pattern, str):
        return None
    return required_literals(regex.pattern, regex.flags, fold=False)


@lru_cache(maxsize=512)
def _gate(strings: frozenset) -> re.Pattern:
    return re.compile("|".join(re.escape(s) for s in sorted(strings, key=lambda s: (-len(s), s))))


class GatedInlineProcessor(treeprocessors.InlineProcessor):
    """Markdown's InlineProcessor, which gives back as it is a text holding none of the strings the
    patterns still to be tried need (sitekit.text.prefilter)."""

    def __init__(self, md, patterns):
        super().__init__(md)
        self.registry = patterns
        self.inlinePatterns = patterns
        self._gates: list = []

    def run(self, tree, ancestors=None):
        # A list, not the registry, while the pass runs: the registry sorts itself on every lookup.
        patterns = list(self.registry)
        self._gates = [None] * (len(patterns) + 1)
        strings: frozenset | None = frozenset()
        for index in range(len(patterns) - 1, -1, -1):
            need = needed(patterns[index].getCompiledRegExp()) if strings is not None else None
            strings = None if need is None else strings | need
            self._gates[index] = None if strings is None else _gate(strings)
        self.inlinePatterns = patterns
        try:
            return super().run(tree, ancestors)
        finally:
            self.inlinePatterns = self.registry

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # noqa: N802, N803 - Markdown's own name
        gate = self._gates[patternIndex] if patternIndex < len(self._gates) else None
        if gate is not None and not isinstance(data, util.AtomicString) and gate.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


class InlineGateExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        for item in list(md.treeprocessors._priority):
            processor = md.treeprocessors[item.name]
            if type(processor) is treeprocessors.InlineProcessor:
                md.treeprocessors.register(GatedInlineProcessor(md, processor.inlinePatterns), item.name, item.priority)


def makeExtension(**kwargs):  # noqa: N802 - Markdown's API
    return InlineGateExtension(**kwargs)
