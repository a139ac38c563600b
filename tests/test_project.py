"""Project hygiene that CI must enforce: lint clean, generated docs current, pins exact."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "plugins", "tests", "pelicanconf.py",
                           "publishconf.py"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_data_file_docs_match_the_schemas():
    from sitekit.docs import DOCS, render

    assert DOCS.read_text(encoding="utf-8") == render(), "run `make docs` and commit docs/data-files.md"


def test_every_requirement_is_pinned():
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines
    for line in lines:
        assert "==" in line, f"{line} is not pinned"
