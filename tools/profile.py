"""`make profile`: where a build's time goes, per stage and per plugin, under cProfile.

Builds the generated corpus of `make bench` (or any settings file) once in this process, with every
check inline (no worker: the profile then sees all the work), and prints the inclusive time of
Pelican's stages, of our reader and of every plugin's signal handler, nested as they run. The
search index (Pagefind) is a subprocess: its time is the build's wait for it. cProfile slows Python
code down (about 1.5 to 2 times), not that wait; the unprofiled time of the same build is printed
for scale.

``--preview`` profiles what the preview server's builds do instead: a first build in this process,
then, after an edit to one page, a second build in the same process (as the preview server runs it) without the search
index, with Pelican's reader cache warm.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

#: (label, depth, (file suffix, function name)): Pelican's stages and the parts of our reader, nested.
STAGES = [
    ("whole build (sitekit.runtime.build.build)", 0, ("sitekit/runtime/build.py", "build")),
    ("Pelican start: settings, plugins (Pelican.__init__)", 1, ("pelican/__init__.py", "__init__")),
    ("read: every generator's generate_context", 1, ("pelican/generators.py", "generate_context")),
    ("our reader (iop_content: front matter, Markdown, citations, blocks)", 2, ("iop_content/__init__.py", "read")),
    ("front matter: YAML (sitekit.data.yamlload)", 3, ("sitekit/data/yamlload.py", "loads")),
    ("front matter: schema check (sitekit.data.schema)", 3, ("sitekit/data/schema.py", "record")),
    ("Markdown to HTML (markdown.Markdown.convert)", 3, ("markdown/core.py", "convert")),
    ("our preprocessor: citations, blocks, unsafe HTML (markdown_ext)", 4, ("sitekit/content/markdown_ext.py", "run")),
    ("data blocks: tables and FAQs (sitekit.content.blocks.render)", 5, ("sitekit/content/blocks.py", "render")),
    ("Pelican's content objects (URLs, dates, metadata)", 2, ("pelican/contents.py", "__init__")),
    ("Pelican's reader cache: load", 2, ("pelican/cache.py", "__init__")),
    ("Pelican's reader cache: check each file's hash", 2, ("pelican/cache.py", "get_cached_data")),
    ("write: every generator's generate_output", 1, ("pelican/generators.py", "generate_output")),
    ("Pelican's writer, per page: render, write, content_written", 2, ("pelican/writers.py", "_write_file")),
    ("Jinja templates (render)", 3, ("jinja2/environment.py", "render")),
    ("Pelican's reader cache: save", 1, ("pelican/cache.py", "save_cache")),
    ("Pagefind (a subprocess; what the build waits for it)", 1, ("iop_publish/__init__.py", "wait")),
    ("replace output/ (swap, delete the old folder)", 1, ("sitekit/runtime/build.py", "_swap")),
]


def _find(stats: dict, suffix: str, name: str) -> tuple[float, int]:
    """Summed cumulative time and call count of the functions named ``name`` in files ending ``suffix``.
    Functions that call one another (a generator's generate_context calling the base class's) are
    counted once: only the outermost calls are summed."""
    keys = [k for k in stats if k[2] == name and k[0].replace(os.sep, "/").endswith(suffix)]
    total, calls = 0.0, 0
    for key in keys:
        _cc, nc, _tt, ct, callers = stats[key]
        if any(c in keys for c in callers):  # nested within another match
            continue
        total += ct
        calls += nc
    return total, calls


def receivers() -> list[tuple[str, str, object]]:
    """(signal name, 'module.function', code object) of every handler connected to Pelican's signals."""
    from pelican.plugins import signals

    found = []
    for name in dir(signals):
        signal = getattr(signals, name)
        if not hasattr(signal, "receivers"):
            continue
        for ref in list(signal.receivers.values()):
            fn = ref() if callable(ref) and not hasattr(ref, "__code__") else ref
            # guard.guarded wraps handlers in one shared function: time the handler inside it.
            fn = getattr(fn, "__wrapped__", fn)
            code = getattr(fn, "__code__", None)
            if code is None:
                continue
            found.append((name, f"{fn.__module__}.{fn.__qualname__}", code))
    return found


def table(stats: dict) -> list[tuple[str, float, int]]:
    """(label, seconds, calls), nested by indentation: Pelican's stages, then each plugin's handlers."""
    rows = []
    for label, depth, (suffix, name) in STAGES:
        seconds, calls = _find(stats, suffix, name)
        rows.append(("  " * depth + label, seconds, calls))
    handlers = []
    for signal, label, code in receivers():
        key = (code.co_filename, code.co_firstlineno, code.co_name)
        if key in stats:
            _cc, nc, _tt, ct, _callers = stats[key]
            handlers.append((f"  {label} ({signal})", ct, nc))
    rows.append(("plugins' signal handlers (inclusive; read and write handlers are inside those stages)", 0.0, 0))
    rows += sorted(handlers, key=lambda r: -r[1])
    return rows


STDLIB = "Python standard library"
WAIT = "waiting for Pagefind (a subprocess)"


def owner(filename: str) -> str:
    """Who a function belongs to: one of our plugins or sitekit modules, a package, or the theme."""
    path = filename.replace(os.sep, "/")
    if "/plugins/" in path:
        rest = path.rsplit("/plugins/", 1)[1]
        package, _, module = rest.partition("/")
        return f"sitekit.{Path(module).stem}" if package == "sitekit" else package
    if "/site-packages/" in path:
        return "package: " + path.split("/site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if path.endswith((".html", ".xml", ".txt")):
        return "theme templates (Jinja, compiled)"
    return STDLIB


def by_owner(stats: dict) -> list[tuple[str, float]]:
    """Time spent in each owner's own code. Time in C functions (regular expressions, file I/O, pickle)
    and in the standard library is counted for the code that called them, up the calls until an owner
    that is neither, in proportion to what each caller spent there."""
    totals: dict[str, float] = {}

    def owner_of(key) -> str:
        return "C" if key[0] == "~" else owner(key[0])

    def credit(key, amount: float, depth: int) -> None:
        if key[0] == "~" and "select.poll" in key[2]:  # waiting for a subprocess: the search index
            totals[WAIT] = totals.get(WAIT, 0.0) + amount
            return
        who = owner_of(key)
        callers = stats[key][4] if key in stats else {}
        edges = {caller: edge[2] + 1e-12 for caller, edge in callers.items()}
        if who not in ("C", STDLIB) or depth > 6 or not edges:
            who = STDLIB if who == "C" else who
            totals[who] = totals.get(who, 0.0) + amount
            return
        total = sum(edges.values())
        for caller, share in edges.items():
            credit(caller, amount * share / total, depth + 1)

    for key, (_cc, _nc, tt, _ct, _callers) in stats.items():
        if tt:
            credit(key, tt, 0)
    return sorted(totals.items(), key=lambda item: -item[1])


def print_owners(stats: dict, profiled: float, n: int = 16) -> None:
    rows = by_owner(stats)[:n]
    width = max(len(name) for name, _s in rows)
    title = "own time (C and standard library counted to their callers)"
    width = max(width, len(title))
    print(f"\n{title:<{width}} {'seconds':>8} {'share':>6}")
    for name, seconds in rows:
        print(f"{name:<{width}} {seconds:8.2f} {seconds / profiled * 100:5.1f}%")


def print_table(rows, wall: float, profiled: float) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'stage / plugin (cProfile, inclusive)':<{width}} {'seconds':>8} {'share':>6} {'calls':>6}")
    for label, seconds, calls in rows:
        if not calls and not seconds:
            print(label)
            continue
        print(f"{label:<{width}} {seconds:8.2f} {seconds / profiled * 100:5.1f}% {calls:6d}")
    unprofiled = f"; the same build without the profiler: {wall:.2f} s" if wall == wall else ""
    print(f"\nprofiled build: {profiled:.2f} s{unprofiled}")


def top_functions(stats: pstats.Stats, n: int = 25) -> str:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(n)
    return out.getvalue()


def profile_build(settings_file: Path, overrides: dict) -> tuple[pstats.Stats, float]:
    from sitekit.runtime.build import build

    profiler = cProfile.Profile()
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        profiler.enable()
        code = build(settings_file, overrides=dict(overrides))
        profiler.disable()
    profiled = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"the profiled build failed (exit {code}); run it with `sitekit build` to see why")
    return pstats.Stats(profiler), profiled


def timed_build(settings_file: Path, overrides: dict) -> float:
    from sitekit.runtime.build import build

    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):
        build(settings_file, overrides=dict(overrides))
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.profile", description=__doc__.split("\n")[0])
    parser.add_argument("-s", "--settings", help="a settings file (default: the generated corpus of make bench)")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--preview", action="store_true", help="profile a preview rebuild after a one-page edit")
    parser.add_argument("--top", type=int, default=0, help="also list the N functions with most time of their own")
    args = parser.parse_args(argv)
    from .corpus import make_corpus, settings_file

    with tempfile.TemporaryDirectory(prefix="iop-profile-") as tmp:
        tmp = Path(tmp)
        if args.settings:
            settings = Path(args.settings).resolve()
            edited = None
        else:
            make_corpus(tmp / "content", args.articles)
            settings = settings_file(tmp, "profile", tmp / "content", tmp / "output", cache=args.preview)
            edited = tmp / "content/guides/guide-0500.md"
        # Every check inline, so the profile sees all of the work.
        overrides = {"IOP_WORKER_MIN_PAGES": 10**9}
        if args.preview:
            return _preview(settings, overrides, edited, args.top)
        wall = timed_build(settings, overrides)
        stats, profiled = profile_build(settings, overrides)
        print(f"Full pipeline, clean build (no reader cache), checks inline: {settings}\n")
        print_table(table(stats.stats), wall, profiled)
        print_owners(stats.stats, profiled)
        if args.top:
            print(top_functions(stats, args.top))
    return 0


def _preview(settings: Path, overrides: dict, edited: Path | None, top: int) -> int:
    """A first build, an edit, then the profiled rebuild in the same process, as the preview server runs them."""
    from sitekit.runtime import build, memo

    overrides = {**overrides, "IOP_SEARCH": False}
    memo.enable()  # as the preview server does: unchanged pages keep their check results
    build.REMOVE_REPLACED = False
    timed_build(settings, overrides)
    memo.trim()
    if edited is not None:
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("Part two", "Part two, edited", 1), encoding="utf-8")
    stats, profiled = profile_build(settings, overrides)
    print("Preview rebuild after a one-page edit: in the server's process, reader cache warm, no search index")
    print("(indexed after the page is shown), checks inline, unchanged pages' check results kept")
    print("(sitekit.runtime.memo)\n")
    print_table(table(stats.stats), float("nan"), profiled)
    print_owners(stats.stats, profiled)
    if top:
        print(top_functions(stats, top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
