"""`make translate-pin PAGE=content/es/guides/x.md REVIEWER=id`: record that a translation matches its
English page as it is now (or as it was at a git commit, AT=...), and who judged it.

It builds the site in memory, takes the English page's fingerprint payload (sitekit.checks.drift), writes
the snapshot to data/<lang>/pins/<source>.json and rewrites only the `fingerprint:`, `pinned:` and
`pinned_by:` lines of the page's `translated_from:` record; every other byte stays as it was. Before it
pins, it prints every English change since the previous pin, so the reviewer sees what they judge.
The reviewer is a translator or language reviewer of data/<lang>/translators.yaml.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ..checks import drift


def rewrite_record(text: str, values: dict[str, str]) -> str:
    """Set ``values`` (key -> YAML value) in the front matter's `translated_from:` block."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].strip() != "---":
        raise ValueError("the file has no front matter")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    start = next((i for i in range(1, end) if re.match(r"^translated_from\s*:", lines[i])), None)
    if start is None:
        raise ValueError("the front matter has no translated_from: record")
    stop = start + 1
    while stop < end and (lines[stop].startswith((" ", "\t")) or not lines[stop].strip()):
        stop += 1
    block = lines[start + 1 : stop]
    indent = next((line[: len(line) - len(line.lstrip())] for line in block if line.strip()), "  ")
    for key, value in values.items():
        found = next((i for i, line in enumerate(block) if re.match(rf"^\s+{key}\s*:", line)), None)
        if found is None:
            block.append(f"{indent}{key}: {value}")
        else:
            block[found] = f"{indent}{key}: {value}"
    lines[start + 1 : stop] = block
    return newline.join(lines)


def _english_at(commit: str, root: Path, tmp: Path, settings: str):
    """Build the site's content/ and data/ as they were at a git commit; the English pages' facts."""
    from ..runtime.build import build
    from ..runtime.state import RUN

    old = tmp / "at"
    old.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "content", "data"], cwd=root, capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise ValueError(archive.stderr.decode(errors="replace").strip() or f"git archive {commit} failed")
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    overrides = {
        "PATH": str(old / "content"),
        "IOP_DATA_PATH": str(old / "data"),
        "OUTPUT_PATH": str(tmp / "at-output"),
        "IOP_SEARCH": False,
        "IOP_CACHE": False,
    }
    build(settings, overrides=overrides, stream=io.StringIO())
    return old / "content", dict(RUN.pages), RUN.data


def translate_pin(
    pages: list[str],
    reviewer: str,
    settings: str = "pelicanconf.py",
    at: str | None = None,
    today: dt.date | None = None,
) -> int:
    from ..core.diagnostics import DIAG
    from ..runtime.build import build
    from ..runtime.state import RUN

    paths = [Path(p).resolve() for p in pages]
    missing = [p for p, path in zip(pages, paths, strict=True) if not path.is_file()]
    if missing:
        print(f"translate-pin: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        log = io.StringIO()
        build(settings, overrides={"OUTPUT_PATH": str(Path(tmp) / "output")}, stream=log)
        data, settings_used = RUN.data, dict(RUN.settings)
        infos = {path: RUN.pages.get(str(path)) for path in paths}
        editions = dict(RUN.editions)
        own = [f for f in DIAG.errors if Path(f.path).resolve() in paths or f.path.startswith("data/")]
        pinnable = {"TRN023"}  # a pin that cannot be trusted is what pinning again repairs
        blocking = [f for f in own if f.code not in pinnable]
        if blocking:
            print(log.getvalue(), file=sys.stderr, end="")
            print("translate-pin: fix the errors above first", file=sys.stderr)
            return 1
        english_pages, english_data, english_root = RUN.pages, data, Path(settings_used["PATH"])
        if at:
            try:
                english_root, english_pages, english_data = _english_at(
                    at, Path(settings_used["IOP_ROOT"]), Path(tmp), settings
                )
            except (ValueError, subprocess.CalledProcessError) as exc:
                print(f"translate-pin: cannot read the site at {at}: {exc}", file=sys.stderr)
                return 2
        today = today or dt.date.today()
        code = 0
        for page, path in zip(pages, paths, strict=True):
            info = infos[path]
            state = getattr(info, "translation", None) if info is not None else None
            if info is None or info.lang == "en" or state is None or not state.source:
                print(
                    f"translate-pin: {page} is not a translated page of this site (content/<lang>/...)", file=sys.stderr
                )
                code = 2
                continue
            people = editions[info.lang].translators
            if reviewer not in people:
                known = ", ".join(people) or "none"
                print(
                    f"translate-pin: unknown reviewer '{reviewer}' (known: {known}); add them to "
                    f"data/{info.lang}/translators.yaml",
                    file=sys.stderr,
                )
                return 2
            english = english_pages.get(str(english_root.resolve() / state.source))
            if english is None:
                english = english_pages.get(str(english_root / state.source))
            if english is None:
                print(
                    f"translate-pin: {state.source} is not an English page of the site{f' at {at}' if at else ''}",
                    file=sys.stderr,
                )
                code = 2
                continue
            snap = drift.snapshot(english, english_data.references, state.source)
            record = info.front_matter["translated_from"]
            before = str(record.get("fingerprint"))
            if before == snap["fingerprint"] and state.current:
                print(f"{page}: already pinned to {state.source} as it is{f' at {at}' if at else ''} ({before}).")
                continue
            if before != snap["fingerprint"]:
                old, _problem = drift.read_pin(
                    drift.pin_file(settings_used["IOP_DATA_PATH"], info.lang, state.source), before
                )
                if old is not None:
                    changes = drift.changes(old, english, english_data.references, english_data, "data")
                    print(f"{page}: {state.source} changed in {len(changes)} place(s) since the last pin:")
                    for change in changes:
                        print(f"  {DIAG.relpath(change.path)}:{change.line}: {change.describe()}")
            pin = drift.pin_file(settings_used["IOP_DATA_PATH"], info.lang, state.source)
            pin.parent.mkdir(parents=True, exist_ok=True)
            pin.write_text(drift.dump(snap), encoding="utf-8")
            text = path.read_text(encoding="utf-8")
            values = {"fingerprint": f'"{snap["fingerprint"]}"', "pinned": today.isoformat(), "pinned_by": reviewer}
            path.write_text(rewrite_record(text, values), encoding="utf-8")
            who = people[reviewer]
            print(
                f"Pinned {page} to {state.source}{f' as it was at {at}' if at else ''} ({snap['fingerprint']}), "
                f"judged by {who['name']}, {who['credentials']} on {today}; snapshot {DIAG.relpath(pin)}."
            )
            if who.get("example"):
                print("Note: this is an example person; the publish build refuses pages an example person checked.")
        return code
