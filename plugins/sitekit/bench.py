"""`make bench`: build a generated 1,000-article corpus with and without parts of the pipeline.

Prints medians over several runs, measured side by side in one run:
- the real site, clean and with Pelican's reader cache warm (sitekit.cache);
- the corpus through the full pipeline (clean and cached), and without the output checks (their overhead);
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
KEYS = [
    "asam-criteria-3rd-2013",
    "medicare-gov-iop-coverage",
    "mccarty-2014-iop-evidence",
    "samhsa-tip47-2006",
    "skime-2022-iop-telemental-health",
    "dol-mhpaea-overview",
]
PARAGRAPH = (
    "An intensive outpatient program gives several hours of care each week while you live at home. "
    "You meet in small groups and with your own clinician. Ask how many hours a week the program "
    "offers and how they are spread across the week. Your team reviews your progress with you and "
    "plans the next step when you are ready."
)


def _plugins() -> list[str]:
    from pelican.settings import read_settings

    return list(read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"])


def make_corpus(folder: Path, n: int) -> None:
    """``n`` generated guides, plus the real site's guides (the FAQs in data/ link to them), so the
    corpus builds without errors whatever the editors write."""
    guides = folder / "guides"
    shutil.copytree(ROOT / "content" / "guides", guides)
    (folder / "pages").mkdir()
    for slug in ("about", "editorial-policy", "privacy"):
        (folder / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.title()}\nsummary: The {slug} page.\n---\nText.\n", encoding="utf-8"
        )
    for i in range(n):
        key = KEYS[i % len(KEYS)]
        other = KEYS[(i + 1) % len(KEYS)]
        block = "\n::: care-levels levels=iop,php columns=hours,setting\n" if i % 3 == 0 else ""
        faqs = "\n::: faqs topic=basics\n" if i % 5 == 0 else ""
        body = "\n\n".join(
            [
                f"## Part one\n\n{PARAGRAPH}[@{key}]",
                f"{PARAGRAPH} IOP gives adults 9 to 19 hours a week[@{key}; @{other}].",
                f"## Part two\n\n{PARAGRAPH}\n{block}",
                f"- First point to ask about.\n- Second point to ask about.\n{faqs}",
            ]
        )
        (guides / f"guide-{i:04d}.md").write_text(
            f"---\ntitle: Generated guide number {i}\nsummary: A generated guide for the benchmark.\n"
            f"date: 2026-01-01\ncategory: {['Understanding IOP', 'Getting care', 'Support and help'][i % 3]}\n"
            f"order: {i % 100}\nkey_points:\n  - One point.\n  - Another point.\n"
            f"review:\n  status: in_review\n---\n{body}\n",
            encoding="utf-8",
        )


def settings_file(
    folder: Path, name: str, content: Path, output: Path, plugins=None, vanilla=False, cache=False, search=True
) -> Path:
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from pelicanconf import *  # noqa",
        f"PATH = {str(content)!r}",
        f"OUTPUT_PATH = {str(output)!r}",
        f"IOP_CACHE = {cache!r}",
        f"IOP_SEARCH = {search!r}",
    ]
    if plugins is not None:
        lines.append(f"PLUGINS = {plugins!r}")
    if vanilla:
        lines += [
            "PLUGINS = []",
            "THEME = 'notmyidea'",
            "JINJA_FILTERS = {}",
            "DIRECT_TEMPLATES = ['index']",
            "MARKDOWN = {'extensions': ['markdown.extensions.extra', 'markdown.extensions.toc'],"
            " 'output_format': 'html5'}",
        ]
    path = folder / f"{name}.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bib(references: dict) -> str:
    """A BibTeX file of the site's references, for pelican-cite2."""
    out = []
    for key, ref in references.items():
        fields = {"title": ref["title"], "author": ref["authors"], "publisher": ref["container"]}
        if ref.get("year"):
            fields["year"] = str(ref["year"])
        body = ",\n".join(f"  {k} = {{{v.replace('{', '').replace('}', '')}}}" for k, v in fields.items())
        out.append(f"@misc{{{key},\n{body}\n}}")
    return "\n\n".join(out) + "\n"


def page_weights(output: Path) -> list[tuple[str, int, int, int]]:
    """(page type, HTML bytes, HTML brotli, HTML + CSS brotli) for one page of each type."""
    import brotli

    css = next((output / "theme/css").glob("site.*.css")).read_bytes()
    css_br = len(brotli.compress(css, quality=11))
    rows = [("CSS (shared)", len(css), css_br, css_br)]
    for name, rel in [
        ("home", "index.html"),
        ("section", "sections/understanding-iop/index.html"),
        ("article", "guides/levels-of-care-compared/index.html"),
        ("page", "about/index.html"),
        ("404", "404.html"),
        ("search", "search/index.html"),
    ]:
        data = (output / rel).read_bytes()
        br = len(brotli.compress(data, quality=11))
        rows.append((name, len(data), br, br + css_br))
    return rows


def main(runs: int = 3, n: int = 1000) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    py = sys.executable
    peer_py = ROOT / ".venv-bench/bin/python"
    with tempfile.TemporaryDirectory(prefix="iop-bench-") as tmp:
        tmp = Path(tmp)
        content = tmp / "content"
        make_corpus(content, n)
        build = [py, "-m", "sitekit", "build", "-s"]
        variants = {
            "real site, clean build": [*build, str(settings_file(tmp, "real", ROOT / "content", tmp / "out-real"))],
            "real site, Pelican's cache warm": [
                *build,
                str(settings_file(tmp, "realcache", ROOT / "content", tmp / "out-realcache", cache=True)),
            ],
            f"{n} articles, full pipeline": [*build, str(settings_file(tmp, "full", content, tmp / "out-full"))],
            f"{n} articles, full pipeline, cache warm": [
                *build,
                str(settings_file(tmp, "fullcache", content, tmp / "out-fullcache", cache=True)),
            ],
            f"{n} articles, without the search index": [
                *build,
                str(settings_file(tmp, "nosearch", content, tmp / "out-nosearch", search=False)),
            ],
            f"{n} articles, without output checks": [
                *build,
                str(
                    settings_file(
                        tmp,
                        "nooutput",
                        content,
                        tmp / "out-noout",
                        plugins=[p for p in _plugins() if p != "iop_output"],
                    )
                ),
            ],
            f"{n} articles, vanilla Pelican": [
                py,
                "-m",
                "pelican",
                "-q",
                "-s",
                str(settings_file(tmp, "vanilla", content, tmp / "out-vanilla", vanilla=True)),
            ],
        }
        if peer_py.exists():
            from sitekit.data import load_site_data

            (tmp / "refs.bib").write_text(bib(load_site_data(ROOT / "data").references), encoding="utf-8")
            peer = settings_file(tmp, "peer", content, tmp / "out-peer", vanilla=True)
            peer.write_text(
                peer.read_text() + "PLUGINS = ['pelican_cite2', 'statistics', 'sitemap']\n"
                f"PUBLICATIONS_SRC = {str(tmp / 'refs.bib')!r}\nSITEMAP = {{'format': 'xml'}}\n"
            )
            variants[f"{n} articles, Pelican + cite2, statistics, sitemap"] = [
                str(peer_py),
                "-m",
                "pelican",
                "-q",
                "-s",
                str(peer),
            ]
        times = {name: [] for name in variants}
        codes = {}
        for name, cmd in variants.items():  # fill the caches; the cached variants are timed warm
            if "cache warm" in name:
                timed(cmd, 1, env)
        for _ in range(runs):  # interleaved, so background load hits every variant alike
            for name, cmd in variants.items():
                seconds, codes[name] = timed(cmd, 1, env)
                times[name].append(seconds)
        rows = [(name, statistics.median(t), codes[name]) for name, t in times.items()]
        proofer = shutil.which("htmlproofer")
        t_hp = None
        if proofer:
            t_hp, c_hp = timed([proofer, str(tmp / "out-full"), "--disable-external", "--allow-hash-href"], runs)
            rows.append(("htmlproofer --disable-external on that output", t_hp, c_hp))
        weights = page_weights(tmp / "out-real")
    print(f"{f'build (median of {runs} runs)':<56} {'seconds':>8}  exit")
    for name, seconds, code in rows:
        print(f"{name:<56} {seconds:8.2f}  {code}")
    failed = [name for name, _s, code in rows if code != 0 and not name.startswith("htmlproofer")]
    if failed:
        print(f"\nThese builds failed, so their times mean nothing: {', '.join(failed)}")
        return 1
    med = dict((name, s) for name, s, _c in rows)
    t_full = med[f"{n} articles, full pipeline"]
    t_no = med[f"{n} articles, without output checks"]
    t_van = med[f"{n} articles, vanilla Pelican"]
    checks = t_full - t_no
    print(f"\noutput checks add {checks:.2f} s = {checks / t_no * 100:.1f}% of the build without them (target: 10%)")
    print(f"full pipeline / vanilla Pelican = {t_full / t_van:.2f}x (target: 1.25x)")
    t_warm = med[f"{n} articles, full pipeline, cache warm"]
    print(f"full pipeline with the cache warm / vanilla Pelican = {t_warm / t_van:.2f}x")
    peer_name = f"{n} articles, Pelican + cite2, statistics, sitemap"
    if peer_name in med:
        print(f"full pipeline / plugin-ecosystem peer = {t_full / med[peer_name]:.2f}x (target: below 1)")
        print(f"full pipeline with the cache warm / plugin-ecosystem peer = {t_warm / med[peer_name]:.2f}x")
        t_nosearch = med[f"{n} articles, without the search index"]
        print(
            f"full pipeline without the search index (which neither comparison builds) / peer = "
            f"{t_nosearch / med[peer_name]:.2f}x, / vanilla = {t_nosearch / t_van:.2f}x"
        )
    else:
        print("plugin-ecosystem peer not measured: run `make bench`, which installs .venv-bench")
    if t_hp:
        print(f"htmlproofer / our output checks = {t_hp / max(checks, 0.01):.1f}x")
    print(f"\n{'page weight (real site)':<28} {'HTML':>8} {'HTML br':>8} {'+CSS br':>8}  budget 14336")
    for name, raw, br, total in weights:
        print(f"{name:<28} {raw:8d} {br:8d} {total:8d}  {'ok' if total <= 14336 else 'OVER'}")
    print(
        "\nCached builds reuse Pelican's reader cache (preview only; sitekit/cache.py keys it on data/, theme,"
        " plugins and settings, and replays each page's findings, so they report what a clean build does)."
    )
    return 0


def timed(cmd: list[str], runs: int, env=None) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
