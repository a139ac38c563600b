"""One place where every plugin reports what is wrong, so editors see all problems at once.

A finding has a severity, a code (``CIT001``), a file, a line, a message and a hint.
Findings are collected for the whole run, printed together as
``path:line: CODE message (hint)`` and turned into one exit status at the end.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .codes import CODES, ERROR, WARNING
from .pages import forget_paths, resolved_folder

__all__ = ["DIAG", "ERROR", "WARNING", "Diagnostics", "Finding", "did_you_mean", "printable"]


def printable(text: str) -> str:
    """``text`` with every character Unicode calls "Other" or "Separator" but the space written as an
    escape (``\\x1b``, ``\\r``, ``\\u202e``): control characters and escape sequences, line breaks,
    bidi controls and invisible format characters. File names, YAML keys and citation keys from the
    editor's files reach messages; a terminal must show them, never obey them."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(c: str) -> str:
    code = ord(c)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    )


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in one place."""

    path: str
    line: int
    code: str
    severity: str
    message: str
    hint: str = ""
    #: For a follow-on: the finding that causes it, as 'path:line' ("because data/faqs.yaml:40 did not
    #: load"). It still fails the build, and is listed under its cause, not as a problem of its own.
    because: str = ""

    def format(self) -> str:
        """``path:line: CODE message (hint)`` on one line, with every character a terminal would act on
        (escape sequences, carriage returns, bidi controls) shown as an escape instead (`printable`)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        hint = f" ({self.hint})" if self.hint else ""
        tag = "" if self.severity == ERROR else f" [{self.severity}]"
        cause = f" - because {self.because} did not load" if self.because else ""
        return printable(f"{where}: {self.code}{tag} {self.message}{hint}{cause}")

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Diagnostics:
    """Collects the findings of one build; reset at the start of every run."""

    root: Path = field(default_factory=Path.cwd)
    findings: list[Finding] = field(default_factory=list)
    promote: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()  # warnings a publish build refuses (the preview marks them)

    def reset(self, root: str | Path | None = None, promote=()) -> None:
        self.findings.clear()
        forget_paths()
        self.root = Path(root or Path.cwd()).resolve()
        self.promote = frozenset(promote)

    def relpath(self, path: str | os.PathLike | None) -> str:
        if not path:
            return "<site>"
        # The folders resolved, not the file: a symlink is named by its own path, not by its target's.
        absolute = Path(os.path.abspath(path))
        resolved = resolved_folder(absolute.parent) / absolute.name if absolute.name else absolute.resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:  # outside the project: show the full path
            return str(resolved)

    def report(self, severity, code, path, line, message, hint="", because: str = "") -> Finding:
        if code not in CODES:  # a programming error: every code is listed, with its meaning
            raise ValueError(f"finding code {code!r} is not listed in plugins/sitekit/core/codes.py")
        if severity == WARNING and code in self.promote:
            severity = ERROR
        finding = Finding(self.relpath(path), int(line or 0), code, severity, message, hint, because)
        if finding not in self.findings:
            self.findings.append(finding)
        return finding

    def cause(self, path) -> str:
        """'path:line' of the first error in this file (what a follow-on names as its cause), or ''."""
        rel = self.relpath(path)
        first = min((f for f in self.findings if f.path == rel and f.severity == ERROR and not f.because), default=None)
        return first.where if first is not None else ""

    def error(self, code, path, line, message, hint="", because: str = "") -> Finding:
        return self.report(ERROR, code, path, line, message, hint, because)

    def warning(self, code, path, line, message, hint="", because: str = "") -> Finding:
        return self.report(WARNING, code, path, line, message, hint, because)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def for_path(self, path) -> list[Finding]:
        rel = self.relpath(path)
        return [f for f in self.findings if f.path == rel]

    @property
    def follow_ons(self) -> list[Finding]:
        return [f for f in self.findings if f.because]

    def ordered(self) -> list[Finding]:
        """Every finding, causes before effects: site-wide problems, then data files, then pages, then
        the theme and the written output; by file and line within each; each follow-on right after the
        first finding of its cause's file and line (at the end when that is gone)."""
        own = sorted((f for f in self.findings if not f.because), key=_order)
        after: dict[str, list[Finding]] = {}
        for f in sorted(self.follow_ons, key=_order):
            after.setdefault(f.because, []).append(f)
        out = []
        for f in own:
            out.append(f)
            out += after.pop(f.where, [])
        return out + [f for group in after.values() for f in group]

    def summary(self) -> str:
        """Every finding (`ordered`), a follow-on indented under its cause, then the counts."""
        lines = [("    " if f.because else "") + f.format() for f in self.ordered()]
        lines.append(self.counts())
        return "\n".join(lines)

    def counts(self) -> str:
        """'2 errors (and 11 that follow from them), 29 warnings'."""
        follow = sum(1 for f in self.follow_ons if f.severity == ERROR)
        e, w = len(self.errors) - follow, len(self.warnings)
        more = f" (and {follow} that follow{'s' * (follow == 1)} from {'it' if e == 1 else 'them'})" if follow else ""
        return f"{e} error{'s' * (e != 1)}{more}, {w} warning{'s' * (w != 1)}"


def _order(finding: Finding) -> tuple:
    path = finding.path
    if path == "<site>":
        rank = 0
    elif path.startswith("data/") or "/data/" in path:
        rank = 1
    elif path.startswith(("output/", "public/")) or "/output/" in path or "/public/" in path:
        rank = 4
    elif path.startswith("theme/") or "/theme/" in path or "/plugins/" in path:
        rank = 3
    else:
        rank = 2
    return (rank, finding)


#: The findings of the current run. Plugins import this object; the build driver resets it.
DIAG = Diagnostics()


def did_you_mean(word: str, choices) -> str:
    """Return a 'did you mean' hint for the closest choice, or an empty string."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
