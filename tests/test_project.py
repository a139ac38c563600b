"""Project hygiene that CI must enforce: lint clean, generated docs current, pins exact."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

LINTED = ("plugins", "tools", "tests", "pelicanconf.py", "publishconf.py")


def test_ruff_finds_nothing():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *LINTED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_code_is_formatted():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--check",
            "plugins",
            "tools",
            "tests",
            "pelicanconf.py",
            "publishconf.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, "run `make format`:\n" + proc.stdout + proc.stderr


def test_generated_docs_are_current():
    from sitekit.commands.docs import GENERATED

    for path, make in GENERATED.items():
        assert path.read_text(encoding="utf-8") == make(), f"run `make docs` and commit {path.name}"


CODE_RE = re.compile(r"\b[A-Z]{2,6}\d{3}\b")


def _code_literals() -> dict[str, list[str]]:
    """Every finding code written in the plugins' source, with where."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        if path.name == "codes.py":
            continue
        for m in re.finditer(r"[\"']([A-Z]{2,6}\d{3})[\"']", path.read_text(encoding="utf-8")):
            found.setdefault(m.group(1), []).append(path.name)
    return found


def test_every_code_the_build_reports_is_listed():
    import sitekit.data.schemas  # noqa: F401 - adds every data file's codes
    from sitekit.core.codes import CODES

    unlisted = {code: where for code, where in _code_literals().items() if code not in CODES}
    assert unlisted == {}, "add these to plugins/sitekit/core/codes.py"


def test_every_listed_code_is_reported_somewhere():
    import sitekit.data.schemas  # noqa: F401 - adds every data file's codes
    from sitekit.core.codes import CODES, SCHEMA_FAMILIES

    schema = {code for family in SCHEMA_FAMILIES.values() for code in family if code}
    own = set(CODES) - schema
    assert sorted(own - set(_code_literals())) == [], "listed codes the build never reports: remove them"


def test_an_unlisted_code_is_refused():
    import pytest

    from sitekit.core.diagnostics import Diagnostics

    with pytest.raises(ValueError, match="XYZ999"):
        Diagnostics().error("XYZ999", None, 0, "made up")


def test_templates_are_indented():
    proc = subprocess.run(
        [sys.executable, "-m", "djhtml", "--check", "theme/templates"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, "run `make format`:\n" + proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt", "requirements-bench.txt"])
def test_every_requirement_is_pinned(name):
    lines = [
        line.strip() for line in (ROOT / name).read_text().splitlines() if line.strip() and not line.startswith("#")
    ]
    assert lines
    for line in lines:
        assert "==" in line or line == "-r requirements.txt", f"{line} is not pinned"


def test_runtime_requirements_have_no_test_tools():
    """make serve installs requirements.txt only: a reader-facing build needs no browser or test runner."""
    runtime = (ROOT / "requirements.txt").read_text().lower()
    for tool in ("pytest", "playwright", "hypothesis", "ruff", "beautifulsoup4"):
        assert f"\n{tool}==" not in runtime, tool


def test_bench_ratios_pair_the_runs_they_compare():
    """make bench: a ratio is the median of the ratios within each interleaved run, so a machine
    that slows down for one run moves both sides of that pair alike."""
    from tools import bench

    n = 10
    names = [bench.FULL, bench.WARM, bench.NOSEARCH, bench.NOOUTPUT, bench.VANILLA, bench.VANILLA_PF]
    times = {name.format(n=n): [1.0, 1.0, 1.0] for name in names}
    times[bench.FULL.format(n=n)] = [7.0, 14.0, 7.5]  # the second run on a machine running at half speed
    times[bench.VANILLA_PF.format(n=n)] = [5.0, 10.0, 6.0]
    med = {name: sorted(t)[1] for name, t in times.items()}
    lines = bench.ratios(med, n, times)
    assert "full pipeline / (vanilla Pelican + Pagefind) = 1.40x (target: 1.3x or less)" in lines
    unpaired = bench.ratios(med, n)
    assert "full pipeline / (vanilla Pelican + Pagefind) = 1.25x (target: 1.3x or less)" in unpaired
    # What the page checks cost: the median of the runs' differences in CPU, and the pipeline without them.
    times[bench.NOCHECKS.format(n=n)] = [5.0, 11.0, 6.6]
    med[bench.NOCHECKS.format(n=n)] = 6.6
    cpu = {name: [2 * t for t in run] for name, run in times.items()}
    with_checks = bench.ratios(med, n, times, cpu)
    assert (
        "the page checks (iop_lint, iop_output) take 4.00 s of CPU, 27% of the full pipeline's; without them,"
        " full pipeline / (vanilla Pelican + Pagefind) = 1.10x wall, 1.10x CPU"
    ) in with_checks, with_checks
