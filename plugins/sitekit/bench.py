"""`make bench`: build a generated 1,000-article corpus with and without parts of the pipeline.

Prints medians over several runs, measured side by side in one run:
- the real site, clean build;
- the corpus through the full pipeline, and without the output checks (their overhead);
- the corpus with vanilla Pelican (no plugins of ours, plain Markdown reader);
- htmlproofer --disable-external on the same output (Debian package ruby-html-proofer).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["asam-criteria-3rd-2013", "medicare-gov-iop-coverage", "mccarty-2014-iop-evidence",
        "samhsa-tip47-2006", "skime-2022-iop-telemental-health", "dol-mhpaea-overview"]
PARAGRAPH = ("An intensive outpatient program gives several hours of care each week while you live at home. "
             "You meet in small groups and with your own clinician. Ask how many hours a week the program "
             "offers and how they are spread across the week. Your team reviews your progress with you and "
             "plans the next step when you are ready.")


def _plugins() -> list[str]:
    from pelican.settings import read_settings

    return list(read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"])


def make_corpus(folder: Path, n: int) -> None:
    guides = folder / "guides"
    guides.mkdir(parents=True)
    (folder / "pages").mkdir()
    for slug in ("about", "editorial-policy", "privacy"):
        (folder / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.title()}\nsummary: The {slug} page.\n---\nText.\n", encoding="utf-8")
    for i in range(n):
        key = KEYS[i % len(KEYS)]
        other = KEYS[(i + 1) % len(KEYS)]
        block = "\n::: care-levels levels=iop,php columns=hours,setting\n" if i % 3 == 0 else ""
        faqs = "\n::: faqs topic=basics\n" if i % 5 == 0 else ""
        body = "\n\n".join([
            f"## Part one\n\n{PARAGRAPH}[@{key}]",
            f"{PARAGRAPH} IOP gives adults 9 to 19 hours a week[@{key}; @{other}].",
            f"## Part two\n\n{PARAGRAPH}\n{block}",
            f"- First point to ask about.\n- Second point to ask about.\n{faqs}",
        ])
        (guides / f"guide-{i:04d}.md").write_text(
            f"---\ntitle: Generated guide number {i}\nsummary: A generated guide for the benchmark.\n"
            f"date: 2026-01-01\ncategory: {['Understanding IOP', 'Getting care', 'Support and help'][i % 3]}\n"
            f"order: {i % 100}\nkey_points:\n  - One point.\n  - Another point.\n"
            f"review:\n  status: in_review\n---\n{body}\n", encoding="utf-8")


def settings_file(folder: Path, name: str, content: Path, output: Path, plugins=None, vanilla=False) -> Path:
    lines = ["import sys", f"sys.path.insert(0, {str(ROOT)!r})", "from pelicanconf import *  # noqa",
             f"PATH = {str(content)!r}", f"OUTPUT_PATH = {str(output)!r}"]
    if plugins is not None:
        lines.append(f"PLUGINS = {plugins!r}")
    if vanilla:
        lines += ["PLUGINS = []", "THEME = 'notmyidea'", "JINJA_FILTERS = {}",
                  "MARKDOWN = {'extensions': ['markdown.extensions.extra', 'markdown.extensions.toc'],"
                  " 'output_format': 'html5'}"]
    path = folder / f"{name}.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def timed(cmd: list[str], runs: int, env=None) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def main(runs: int = 3, n: int = 1000) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory(prefix="iop-bench-") as tmp:
        tmp = Path(tmp)
        content = tmp / "content"
        make_corpus(content, n)
        real = settings_file(tmp, "real", ROOT / "content", tmp / "out-real")
        full = settings_file(tmp, "full", content, tmp / "out-full")
        no_out = settings_file(tmp, "nooutput", content, tmp / "out-noout",
                               plugins=[p for p in _plugins() if p != "iop_output"])
        vanilla = settings_file(tmp, "vanilla", content, tmp / "out-vanilla", vanilla=True)
        build = [py, "-m", "sitekit", "build", "-s"]
        rows.append(("real site, clean build", *timed([*build, str(real)], runs, env)))
        t_full, c_full = timed([*build, str(full)], runs, env)
        rows.append((f"{n} articles, full pipeline", t_full, c_full))
        t_no, c_no = timed([*build, str(no_out)], runs, env)
        rows.append((f"{n} articles, without output checks", t_no, c_no))
        t_van, c_van = timed([py, "-m", "pelican", "-s", str(vanilla), "-q"], runs, env)
        rows.append((f"{n} articles, vanilla Pelican", t_van, c_van))
        proofer = shutil.which("htmlproofer")
        t_hp = None
        if proofer:
            t_hp, c_hp = timed([proofer, str(tmp / "out-full"), "--disable-external", "--allow-hash-href"], runs)
            rows.append(("htmlproofer --disable-external on that output", t_hp, c_hp))
    print(f"{f'measurement (median of {runs} runs)':<52} {'seconds':>8}  exit")
    for name, seconds, code in rows:
        print(f"{name:<52} {seconds:8.2f}  {code}")
    checks = t_full - t_no
    print(f"\noutput checks add {checks:.2f} s = {checks / t_no * 100:.1f}% of the build without them")
    print(f"full pipeline / vanilla Pelican = {t_full / t_van:.2f}x")
    if t_hp:
        print(f"htmlproofer / our output checks = {t_hp / max(checks, 0.01):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
