"""`make bench`: build a generated 1,000-article corpus with and without parts of the pipeline.

Prints medians over several runs, measured side by side in one run:
- the real site, clean and with Pelican's reader cache warm (sitekit.runtime.cache), and without its
  Spanish edition (the cost of the second language; the corpus likewise, which has no Spanish page);
- the corpus through the full pipeline (clean and cached), without the output checks (their overhead), and
  without any page check (iop_lint and iop_output: what the gates cost against the CPU budget);
- the corpus with vanilla Pelican (no plugins of ours, plain Markdown reader), and the plugin-ecosystem
  peer, each alone and followed by the same Pagefind run our build does (the fair pairing);
- htmlproofer --disable-external on the same output (Debian package ruby-html-proofer);
- save to screen under `make serve` (tools/savebench.py): the median of 10 edits of a real guide, and
  of 5 edits of one page of the corpus.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import ROOT, bib, make_corpus, plugins, settings_file


def page_weights(output: Path) -> list[tuple[str, int, int]]:
    """(page type, HTML bytes, HTML brotli) for one page of each type. The stylesheet is inline in
    every page (sitekit/content/inlinecss.py), so the HTML is all a reader's first round trip carries."""
    import brotli

    rows = []
    for name, rel in [
        ("home", "index.html"),
        ("section", "sections/understanding-iop/index.html"),
        ("article", "guides/levels-of-care-compared/index.html"),
        ("page", "about/index.html"),
        ("404", "404.html"),
        ("search", "search/index.html"),
    ]:
        data = (output / rel).read_bytes()
        rows.append((name, len(data), len(brotli.compress(data, quality=11))))
    return rows


def main(runs: int = 3, n: int = 1000, edits: int = 10, corpus_edits: int = 5, against: Path | None = None) -> int:
    py = sys.executable
    peer_py = ROOT / ".venv-bench/bin/python"
    with tempfile.TemporaryDirectory(prefix="iop-bench-") as tmp:
        tmp = Path(tmp)
        content = tmp / "content"
        make_corpus(content, n)

        def ours(name: str, content: Path, root: Path = ROOT, **kw) -> tuple[list, dict]:
            settings = settings_file(tmp, name, content, tmp / f"out-{name}", root=root, **kw)
            return [[py, "-m", "sitekit", "build", "-s", str(settings)]], {"PYTHONPATH": str(root / "plugins")}

        def pagefind(out: str) -> list[str]:  # the very command iop_publish runs
            return [py, "-m", "pagefind", "--site", str(tmp / out), "--silent"]

        vanilla = [
            py,
            "-m",
            "pelican",
            "-q",
            "-s",
            str(settings_file(tmp, "vanilla", content, tmp / "out-vanilla", vanilla=True)),
        ]
        variants = {
            REAL: ours("real", ROOT / "content"),
            REAL_EN: ours("real-en", ROOT / "content", english_only=True),
            "real site, Pelican's cache warm": ours("realcache", ROOT / "content", cache=True),
            FULL: ours("full", content),
            FULL_EN: ours("full-en", content, english_only=True),
            WARM: ours("fullcache", content, cache=True),
            NOSEARCH: ours("nosearch", content, search=False),
            NOOUTPUT: ours("nooutput", content, plugins=[p for p in plugins() if p != "iop_output"]),
            NOCHECKS: ours("nochecks", content, plugins=[p for p in plugins() if p not in CHECK_PLUGINS]),
            VANILLA: ([vanilla], {}),
            VANILLA_PF: ([vanilla, pagefind("out-vanilla")], {}),
        }
        if against is not None:  # the same builds of another checkout (its plugins and settings), paired
            variants[REAL + AGAINST] = ours("real-against", against / "content", root=against)
            variants[FULL + AGAINST] = ours("full-against", content, root=against)
        if peer_py.exists():
            from sitekit.data.load import load_site_data

            (tmp / "refs.bib").write_text(bib(load_site_data(ROOT / "data").references), encoding="utf-8")
            peer = settings_file(tmp, "peer", content, tmp / "out-peer", vanilla=True)
            peer.write_text(
                peer.read_text() + "PLUGINS = ['pelican_cite2', 'statistics', 'sitemap']\n"
                f"PUBLICATIONS_SRC = {str(tmp / 'refs.bib')!r}\nSITEMAP = {{'format': 'xml'}}\n"
            )
            peer_cmd = [str(peer_py), "-m", "pelican", "-q", "-s", str(peer)]
            variants[PEER] = ([peer_cmd], {})
            variants[PEER_PF] = ([peer_cmd, pagefind("out-peer")], {})
        variants = {name.format(n=n): v for name, v in variants.items()}
        times = {name: [] for name in variants}
        cpu = {name: [] for name in variants}
        codes = {}
        for name, (cmds, env) in variants.items():  # fill the caches; the cached variants are timed warm
            if "cache warm" in name:
                timed(cmds, env)
        for _ in range(runs):  # interleaved, so background load hits every variant alike
            for name, (cmds, env) in variants.items():
                seconds, used, codes[name] = timed(cmds, env)
                times[name].append(seconds)
                cpu[name].append(used)
        rows = [(name, statistics.median(t), statistics.median(cpu[name]), codes[name]) for name, t in times.items()]
        proofer = shutil.which("htmlproofer")
        t_hp = None
        if proofer:
            cmd = [proofer, str(tmp / "out-full"), "--disable-external", "--allow-hash-href"]
            t_hp, cpu_hp, c_hp = timed([cmd], {})
            rows.append(("htmlproofer --disable-external on that output", t_hp, cpu_hp, c_hp))
        weights = page_weights(tmp / "out-real")
    width = max(len(row[0]) for row in rows)
    print(f"{f'build (median of {runs} runs)':<{width}} {'seconds':>8} {'CPU s':>8}  exit")
    for name, seconds, used, code in rows:
        print(f"{name:<{width}} {seconds:8.2f} {used:8.2f}  {code}")
    failed = [row[0] for row in rows if row[3] != 0 and not row[0].startswith("htmlproofer")]
    if failed:
        print(f"\nThese builds failed, so their times mean nothing: {', '.join(failed)}")
        return 1
    med = {row[0]: row[1] for row in rows}
    print()
    for line in ratios(med, n, times, cpu):
        print(line)
    if against is not None:
        for name in (REAL, FULL):
            a, b = name.format(n=n), (name + AGAINST).format(n=n)
            print(f"{a} / the same with {against}: wall {paired(times, a, b):.2f}x, CPU {paired(cpu, a, b):.2f}x")
    if t_hp:
        checks = med[FULL.format(n=n)] - med[NOOUTPUT.format(n=n)]
        print(f"htmlproofer / our output checks = {t_hp / max(checks, 0.01):.1f}x")
    if edits or corpus_edits:
        from . import savebench

        print("\nSave to screen under `make serve`: from writing a guide to the browser's first paint of the page")
        print("that shows it (headless Chromium; a temporary copy of the site):")
        if against is not None:
            savebench.paired(edits, against)
            if corpus_edits:
                savebench.paired_corpus(corpus_edits, against, n)
        else:
            savebench.rows(edits, corpus_edits, n)
    print(f"\n{'page weight (real site, CSS inline)':<36} {'HTML':>8} {'HTML br':>8}  budget 14336")
    for name, raw, br in weights:
        print(f"{name:<36} {raw:8d} {br:8d}  {'ok' if br <= 14336 else 'OVER'}")
    print(
        "\nCached builds reuse Pelican's reader cache (preview only; sitekit/runtime/cache.py keys it on data/, theme,"
        " plugins and settings, and replays each page's findings, so they report what a clean build does)."
        "\nVanilla Pelican and the peer index no search; '+ Pagefind' adds the very Pagefind command our"
        " build runs, on their output (their theme marks no body, so Pagefind indexes whole pages)."
        "\nCPU is user + system time of the build and every process it waited for (its worker, Pagefind)."
    )
    return 0


FULL = "{n} articles, full pipeline"
WARM = "{n} articles, full pipeline, cache warm"
NOSEARCH = "{n} articles, without the search index"
NOOUTPUT = "{n} articles, without output checks"
#: The plugins whose checks run on every page (language, reading level, spelling; the written HTML).
CHECK_PLUGINS = ("iop_lint", "iop_output")
NOCHECKS = "{n} articles, without the page checks (iop_lint, iop_output)"
VANILLA = "{n} articles, vanilla Pelican"
VANILLA_PF = "{n} articles, vanilla Pelican + Pagefind"
PEER = "{n} articles, Pelican + cite2, statistics, sitemap"
PEER_PF = "{n} articles, Pelican + cite2, statistics, sitemap + Pagefind"
REAL = "real site, clean build"
REAL_EN = "real site, clean build, English only"
FULL_EN = "{n} articles, full pipeline, English only"
AGAINST = " (the other checkout)"


def paired(times: dict, a: str, b: str) -> float:
    """The median of the ratios a/b within each interleaved run."""
    return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))


def ratios(med: dict, n: int, times: dict | None = None, cpu: dict | None = None) -> list[str]:
    """The pipeline against the comparisons, each paired fairly (search index or none on both sides).

    With ``times`` (every variant's seconds, run by run, interleaved) a ratio is the median of the
    ratios within each run: both sides of a pair ran within seconds of each other, so a machine that
    slows down for a while moves both; without, the ratio of the medians. ``cpu``: the CPU seconds
    of the same runs, for the CPU ratios."""

    def ratio(a: str, b: str, of: dict | None = times) -> float:
        a, b = a.format(n=n), b.format(n=n)
        if of and len(of.get(a, ())) == len(of.get(b, ())) > 0:
            return paired(of, a, b)
        return med[a] / med[b]

    full = med[FULL.format(n=n)]
    checks = full - med[NOOUTPUT.format(n=n)]
    lines = []
    if REAL_EN in med and FULL_EN.format(n=n) in med:
        lines += [
            f"the Spanish edition (19 pages, their home, sections and search; data/es/) costs the real site's clean"
            f" build {ratio(REAL, REAL_EN):.2f}x its English-only time, CPU {ratio(REAL, REAL_EN, cpu):.2f}x",
            f"the corpus (no Spanish pages; the Spanish data, words and rules still loaded and checked): "
            f"{ratio(FULL, FULL_EN):.2f}x its English-only time, CPU {ratio(FULL, FULL_EN, cpu):.2f}x",
        ]
    lines += [
        f"output checks add {checks:.2f} s = {checks / (full - checks) * 100:.1f}% of the build without them"
        " (target: 10%)",
        f"full pipeline / (vanilla Pelican + Pagefind) = {ratio(FULL, VANILLA_PF):.2f}x (target: 1.3x or less)",
    ]
    if cpu:
        lines.append(
            f"full pipeline / (vanilla Pelican + Pagefind), CPU time = {ratio(FULL, VANILLA_PF, cpu):.2f}x"
            " (target: 1.6x or less)"
        )
    if cpu and NOCHECKS.format(n=n) in med:  # what the budgets ask of the pipeline, against what its gates cost
        a, b = cpu[FULL.format(n=n)], cpu[NOCHECKS.format(n=n)]
        spent = statistics.median(x - y for x, y in zip(a, b, strict=True))
        share = spent / statistics.median(a) * 100
        lines.append(
            f"the page checks (iop_lint, iop_output) take {spent:.2f} s of CPU, {share:.0f}%"
            f" of the full pipeline's; without them, full pipeline / (vanilla Pelican + Pagefind) ="
            f" {ratio(NOCHECKS, VANILLA_PF):.2f}x wall, {ratio(NOCHECKS, VANILLA_PF, cpu):.2f}x CPU"
        )
    lines += [
        f"full pipeline without the search index / vanilla Pelican = {ratio(NOSEARCH, VANILLA):.2f}x",
        f"full pipeline / vanilla Pelican without search = {ratio(FULL, VANILLA):.2f}x (not a fair pair: only one"
        " side indexes)",
        f"full pipeline with the cache warm / (vanilla Pelican + Pagefind) = {ratio(WARM, VANILLA_PF):.2f}x",
    ]
    if PEER.format(n=n) in med:
        lines += [
            f"full pipeline / (plugin-ecosystem peer + Pagefind) = {ratio(FULL, PEER_PF):.2f}x (target: below 1)",
            f"full pipeline without the search index / peer = {ratio(NOSEARCH, PEER):.2f}x",
            f"full pipeline with the cache warm / (peer + Pagefind) = {ratio(WARM, PEER_PF):.2f}x",
        ]
        if cpu:
            lines.append(f"full pipeline / (peer + Pagefind), CPU time = {ratio(FULL, PEER_PF, cpu):.2f}x")
    else:
        lines.append("plugin-ecosystem peer not measured: run `make bench`, which installs .venv-bench")
    return lines


def timed(cmds: list[list[str]], env: dict) -> tuple[float, float, int]:
    """Seconds and CPU seconds of running ``cmds`` one after the other, and the first non-zero exit status."""
    env = {**os.environ, **env}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = 0
    for cmd in cmds:
        code = code or subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), code


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=3, help="runs per build (median)")
    parser.add_argument("--edits", type=int, default=10, help="edits of the real site timed save to screen (0: none)")
    parser.add_argument("--corpus-edits", type=int, default=5, help="edits of one page of the corpus timed")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--against", type=Path, help="another checkout (with the same .venv) to pair with this one")
    args = parser.parse_args()
    against = args.against.resolve() if args.against else None
    sys.exit(main(args.runs, args.articles, args.edits, args.corpus_edits, against))
