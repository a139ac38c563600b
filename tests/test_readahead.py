"""Reading ahead (sitekit.readahead): on a large site a forked copy of the build reads guides from the
end of the list on the second core. The build must then report, and write, exactly what it does
when it reads every file itself, and read the files itself when the copy fails."""

from __future__ import annotations

import gc
import os
import time

import pytest

from sitekit import readahead
from sitekit.state import RUN

ALONE = {"IOP_WORKER_MIN_PAGES": 10**6}  # a small site: every file read (and checked) in the build process
AHEAD = {"IOP_WORKER_MIN_PAGES": 0}  # forced here: the copy and the worker start on a site of any size

PAGE = """---
title: Guide number {i}
summary: A guide used by the read-ahead tests.
date: 2026-01-0{d}
category: Understanding IOP
key_points:
  - Point one of guide {i}.
review:
  status: in_review
---
IOP gives adults 9 to 19 hours of care a week[@asam-criteria-3rd-2013].

{extra}
"""

#: One problem per guide, so whichever guides the copy reads, their findings are compared.
WARNINGS = [
    "Relapse can be part of recovery for a person who uses substances.",
    "Multidisciplinary interdisciplinary psychotherapeutic interventions necessitate comprehensive "
    "individualized biopsychosocial evaluation. " * 5,
    "Programs often add a group on weekends[@samhsa-tip47-2006].",
    "Ask the program about its hours.",
    "",
    "Your team plans the next step with you.",
]
#: Each with an error found as the file is read (an unknown citation key) and one found later.
ERRORS = [
    f"See the guide[@no-such-key-{i}]. {error}"
    for i, error in enumerate(
        [
            "Every addict deserves care.",
            "He committed suicide last year.",
            "Ask the program about [its hours](#no-such-id).",
            "Your team plans the next step with you.",
        ]
        * 2
    )
]


def _write(site, extras: list[str]) -> None:
    for i, extra in enumerate(extras):
        site.write(f"content/guides/guide-{i}.md", PAGE.format(i=i, d=i % 9 + 1, extra=extra))


@pytest.fixture
def copy_starts_first(monkeypatch):
    """On a site this small the build could claim every file before the copy is scheduled (on a
    busy machine): the build's first claim waits until the copy has claimed a file."""
    take = readahead.ReadAhead.take

    def waiting_take(self, path):
        deadline = time.monotonic() + 10
        while readahead.COPY not in self.claims[:] and time.monotonic() < deadline:
            time.sleep(0.002)
        return take(self, path)

    monkeypatch.setattr(readahead.ReadAhead, "take", waiting_take)


def _files(result) -> dict[str, bytes]:
    return {p.relative_to(result.output).as_posix(): p.read_bytes() for p in result.output.rglob("*") if p.is_file()}


def test_a_build_that_reads_ahead_writes_and_reports_exactly_what_one_that_reads_alone_does(
    site, monkeypatch, copy_starts_first
):
    _write(site, WARNINGS)
    alone = site.build(**ALONE)
    assert alone.code == 0, alone.log
    assert RUN.readahead is False, "a small site reads alone"
    alone_files = _files(alone)
    gc.set_threshold(700, 10, 10)
    ahead = site.build(**AHEAD)
    assert ahead.code == 0, ahead.log
    assert RUN.readahead and RUN.readahead.sent >= 1, "the copy read some guides"
    assert ahead.findings == alone.findings  # the same findings, in the same order
    assert {"LNG002", "RDL001"} <= ahead.codes(), ahead.log
    assert _files(ahead) == alone_files
    # The objects frozen for the fork (gc.freeze) are the build's to collect again, and the
    # garbage collector is as the caller had it (a preview host builds many times in one process).
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == (700, 10, 10)

    # A copy that dies after claiming files: the build reads them itself.
    def claim_then_die(reader, paths, claims, lock, seconds):
        with lock:
            for i in range(len(paths) - 3, len(paths)):
                claims[i] = readahead.COPY
        os._exit(1)

    monkeypatch.setattr(readahead, "_read_from_end", claim_then_die)  # the fork inherits it
    died = site.build(**AHEAD)
    assert RUN.readahead and RUN.readahead.sent == 0, "the copy sent nothing"
    assert died.code == 0, died.log
    assert died.findings == alone.findings
    assert _files(died) == alone_files


def test_errors_in_guides_the_copy_read_fail_the_build_as_they_do_read_alone(site, copy_starts_first):
    _write(site, ERRORS)
    alone = site.build(**ALONE)
    ahead = site.build(**AHEAD)
    assert RUN.readahead and RUN.readahead.sent >= 1, "the copy read some guides"
    assert ahead.code == alone.code == 1
    assert ahead.findings == alone.findings
    assert {"LNG001", "CIT001", "OUT014"} <= ahead.codes(), ahead.log


def test_no_copy_when_pelicans_reader_cache_is_on(site):
    _write(site, WARNINGS[:2])
    result = site.build(**AHEAD, IOP_CACHE=True)
    assert result.code == 0, result.log
    assert RUN.readahead is False
