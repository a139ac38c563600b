"""Save-to-screen time of the preview (`make bench`): from writing a guide to disk to the open page
showing the new text, in headless Chromium, under `python -m sitekit serve`.

Everything runs on a temporary copy (the real site's content, data, theme and settings, or the
generated corpus), so no file of the project is ever edited; the edited guide is restored after
every edit anyway. Each edit appends a new sentence to a paragraph and waits for the page to show
it, then waits until the server has finished (the search index too) before the next edit.

``--hand-reload`` measures a server without live reload (the one before issue #13): the page is
reloaded every 50 ms until the text shows, which is faster than any editor reloads by hand.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .corpus import ROOT, make_corpus, settings_file
from .preview import Preview

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The real guide edited, the sentence the new text follows, and the page that shows it.
REAL_GUIDE = ("guides/what-is-iop.md", "You keep living at home.", "/guides/what-is-iop/")
CORPUS_GUIDE = ("guides/guide-0500.md", "plans the next step when you are ready.", "/guides/guide-0500/")


#: In every page: the wall-clock time of its DOMContentLoaded and of its first paint with content.
SHOWN_AT = """
document.addEventListener("DOMContentLoaded", () => { window.__dcl = Date.now(); });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.name === "first-contentful-paint") window.__fcp = performance.timeOrigin + entry.startTime;
  }
}).observe({ type: "paint", buffered: true });
"""
#: When the page that shows the text was first painted (seconds since the epoch), or, if the browser
#: reports no paint within a second, when its HTML was parsed.
SHOWN = """async () => {
  for (let i = 0; i < 50 && window.__fcp === undefined; i++) await new Promise((r) => setTimeout(r, 20));
  return (window.__fcp ?? window.__dcl) / 1000;
}"""


def copy_site(dest: Path, root: Path = ROOT) -> Path:
    """A checkout's sources in ``dest`` (its plugins linked, never edited); returns its settings file."""
    for name in ("content", "data", "theme"):
        shutil.copytree(root / name, dest / name)
    shutil.copy2(root / "pelicanconf.py", dest / "pelicanconf.py")
    (dest / "plugins").symlink_to((root / "plugins").resolve(), target_is_directory=True)
    return dest / "pelicanconf.py"


def measure(
    cwd: Path,
    settings: Path,
    guide: Path,
    after: str,
    url: str,
    edits: int,
    plugins: Path = ROOT / "plugins",
    hand_reload: bool = False,
    settle: float = 1.0,
) -> list[float]:
    """Seconds from each save to the page showing the saved text."""
    from playwright.sync_api import sync_playwright

    original = guide.read_text(encoding="utf-8")
    if after not in original:
        raise ValueError(f"'{after}' is not in {guide}")
    preview = Preview(cwd, settings, plugins)
    times = []
    try:
        preview.wait_ready()
        preview.wait_idle()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context().new_page()
            page.add_init_script(SHOWN_AT)
            page.goto(preview.base + url)
            time.sleep(settle)
            for i in range(edits):
                marker = f"Saved edit number {i + 1} shows here."
                start = time.time()  # wall clock, as the page's Date.now() and timeOrigin
                guide.write_text(original.replace(after, f"{after} {marker}", 1), encoding="utf-8")
                if hand_reload:
                    while marker not in page.content():
                        if time.time() - start > 120:
                            raise RuntimeError("the server did not rebuild:\n" + "".join(preview.log[-30:]))
                        time.sleep(0.05)
                        page.reload(wait_until="domcontentloaded")
                else:
                    # In the page's own text: the preview's warnings notice can quote the edit too (an English
                    # page's change is a TRN030 warning of its translation's drift).
                    page.locator("main").get_by_text(marker).wait_for(timeout=60_000)
                shown = page.evaluate(SHOWN)  # the page's own clock: no polling delay counted
                times.append(shown - start)
                time.sleep(settle)
                preview.wait_idle()
            browser.close()
    finally:
        guide.write_text(original, encoding="utf-8")
        preview.stop()
    return times


def real_site(edits: int, root: Path = ROOT, hand_reload: bool = False) -> list[float]:
    plugins = root / "plugins"
    with tempfile.TemporaryDirectory(prefix="iop-save-") as tmp:
        tmp = Path(tmp)
        settings = copy_site(tmp, root)
        rel, after, url = REAL_GUIDE
        return measure(tmp, settings, tmp / "content" / rel, after, url, edits, plugins, hand_reload)


def corpus(edits: int, n: int = 1000, plugins: Path = ROOT / "plugins", hand_reload: bool = False) -> list[float]:
    """Save to screen on one page of the corpus; ``plugins`` of another checkout runs that checkout's
    settings and theme too."""
    root = Path(plugins).resolve().parent
    with tempfile.TemporaryDirectory(prefix="iop-save-corpus-") as tmp:
        tmp = Path(tmp)
        make_corpus(tmp / "content", n)
        settings = settings_file(tmp, "corpus", tmp / "content", tmp / "output", cache=True, root=root)
        # Served from the corpus folder, laid out as a project (the server before issue #13 watched
        # ./content, ./theme...; the settings name the theme relatively).
        for name in ("theme", "plugins"):
            (tmp / name).symlink_to(root / name)
        rel, after, url = CORPUS_GUIDE
        return measure(tmp, settings, tmp / "content" / rel, after, url, edits, plugins, hand_reload, settle=2.0)


def paired(edits: int, against: Path, rounds: int = 3) -> float:
    """Save to screen on the real site, this checkout and ``against`` in turn, ``rounds`` times: the
    median of the per-round ratios of the medians (so a machine that slows down moves both)."""
    ratios = []
    for n in range(rounds):
        ours, theirs = statistics.median(real_site(edits)), statistics.median(real_site(edits, against))
        ratios.append(ours / theirs)
        print(f"round {n + 1}: this checkout {ours:.2f} s, {against} {theirs:.2f} s: {ours / theirs:.2f}x", flush=True)
    ratio = statistics.median(ratios)
    print(f"save to screen, real site, this checkout / {against} = {ratio:.2f}x (median of {rounds} rounds)")
    return ratio


def paired_corpus(edits: int, against: Path, n: int = 1000) -> float:
    """Save to screen on one page of the corpus, this checkout and then ``against``."""
    ours, theirs = statistics.median(corpus(edits, n)), statistics.median(corpus(edits, n, against / "plugins"))
    print(f"save to screen, {n} articles, this checkout {ours:.2f} s, {against} {theirs:.2f} s: {ours / theirs:.2f}x")
    return ours / theirs


def rows(edits: int, corpus_edits: int, n: int = 1000, plugins=ROOT / "plugins", hand_reload=False) -> list[tuple]:
    """(what, median seconds, all times, target) for the real site and the corpus, each printed when done."""
    out = []
    if edits:
        times = real_site(edits, plugins.parent, hand_reload)
        label = f"save to screen, real site (median of {len(times)} edits)"
        out.append(print_row((label, statistics.median(times), times, 1.0)))
    if corpus_edits:
        times = corpus(corpus_edits, n, plugins, hand_reload)
        label = f"save to screen, {n} articles, one page (median of {len(times)} edits)"
        out.append(print_row((label, statistics.median(times), times, 3.0)))
    return out


def print_row(row: tuple, width: int = 62) -> tuple:
    name, median, times, target = row
    verdict = "ok" if median <= target else "OVER"
    listed = ", ".join(f"{t:.2f}" for t in times)
    print(f"{name:<{width}} {median:8.2f}  target {target:g} s: {verdict}  (all: {listed})", flush=True)
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.savebench", description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--corpus-edits", type=int, default=5)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--plugins", type=Path, default=ROOT / "plugins", help="the plugins folder to run")
    parser.add_argument("--hand-reload", action="store_true", help="reload the page by itself (no live reload)")
    parser.add_argument("--against", type=Path, help="another checkout: save to screen on the real site, paired")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if args.against:
        paired(args.edits, args.against.resolve(), args.rounds)
        return 0
    rows(args.edits, args.corpus_edits, args.articles, args.plugins, args.hand_reload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
