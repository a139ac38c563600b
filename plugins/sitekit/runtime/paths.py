"""What a build may delete and write, and what it may read: both checked before anything happens.

**The output folder.** A build replaces its output folder (`sitekit build` swaps a staging folder
into it; plain `pelican` empties it first, DELETE_OUTPUT_DIRECTORY). So OUTPUT_PATH (or ``-o``) is
refused (GRD001, naming the setting) when it is:

- the project folder, the settings file's folder or an ancestor of either (an empty OUTPUT_PATH,
  a CI variable left unset, means the settings file's folder; ``-o .`` and ``-o ..`` the same);
- a folder the build reads or the project keeps (content, data, the theme, the plugins, tests, docs,
  deploy, tools, .git, .venv...), a folder inside one, or an ancestor of one;
- a file, or a folder that holds anything while it lacks the build's MARKER file: only folders
  this build wrote (or new, or empty ones) are ever emptied or replaced.

Paths are compared after symlinks are resolved, so a link to the project is the project. The driver
(`sitekit.runtime.build`) checks before it takes its lock or makes its staging folder; under plain
`pelican` the first plugin (`iop_data`) checks in Pelican's `initialized` signal, which Pelican sends
before `Pelican.run` empties the folder, and on a refusal stops the build there (and turns
Pelican's own deletion off). Every build writes MARKER into the folder it writes (and keeps it
through Pelican's own emptying, OUTPUT_RETENTION).

**What the build reads.** Pelican follows symlinks when it walks content/ and copies the theme, and
data/ is read file by file: a symlink there could publish a file from anywhere on the machine, and a
link that loops sends the walk round until paths grow too long. `link_problems` walks the three
folders without following links and refuses each link that leads outside the project (GRD010) or
nowhere, or into a loop (GRD011, once per loop), at the link's own path, before anything is read.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ..core.diagnostics import DIAG

#: The file every build writes at the top of its output folder. Its name is the contract with
#: `make publish`, the preview server and the tests: a folder without it is never emptied.
MARKER = ".sitekit-output"
MARKER_TEXT = (
    "This folder is written by the IOP Guide build (python -m sitekit build, or pelican with the site's\n"
    "plugins). Each build deletes and replaces everything in it: keep nothing else here.\n"
)

#: Folders of a project that are its work, never an output folder (nor inside one, nor above one).
PROJECT_FOLDERS = (
    "content",
    "data",
    "theme",
    "plugins",
    "tests",
    "docs",
    "deploy",
    "tools",
    ".git",
    ".venv",
    ".venv-bench",
    "review",
)

#: The folders an output folder may be inside (output/ is in the project folder).
OUTPUT_MAY_BE_INSIDE = ("the project folder", "the settings file's folder")
#: How many of a folder's entries a message names.
SHOWN = 2


def output_problems(output, settings: dict, settings_file=None) -> list[tuple[str, str]]:
    """(message, hint) for each reason the build must not delete or write ``output``; [] when it may."""
    setting = "OUTPUT_PATH (or -o)"
    raw = str(output if output is not None else "")
    if not raw.strip():
        return [(f"{setting} is empty", "set it to a folder of its own, such as output")]
    out = Path(os.path.realpath(raw))
    shown = f"'{raw}'" + ("" if raw == str(out) else f" (which is '{out}')")
    for folder, what in _protected(settings, settings_file):
        if out == folder:
            return [(f"{setting} {shown} is {what}", _hint(what))]
        if out in folder.parents:
            return [(f"{setting} {shown} holds {what} ('{folder}')", _hint(what))]
        if folder in out.parents and what not in OUTPUT_MAY_BE_INSIDE:
            return [(f"{setting} {shown} is inside {what} ('{folder}')", "give the build a folder of its own")]
    if out.exists() and not out.is_dir():
        return [(f"{setting} {shown} is a file, not a folder", "give the build a folder of its own")]
    if out.is_dir() and not (out / MARKER).is_file():
        try:
            entries = sorted(os.listdir(out))
        except OSError as exc:
            return [(f"{setting} {shown} cannot be read ({exc.strerror})", "give the build a folder of its own")]
        if entries:
            names = ", ".join(f"'{name}'" for name in entries[:SHOWN]) + (" ..." if len(entries) > SHOWN else "")
            return [
                (
                    f"{setting} {shown} holds files this build did not write ({names}): the build would delete them",
                    "give the build a new or empty folder; if this is an earlier build of this site, delete it "
                    f"first: builds now mark their folder with a {MARKER} file",
                )
            ]
    return []


def _hint(what: str) -> str:
    return (
        "set OUTPUT_PATH (or -o) to a folder of its own, such as output; an empty OUTPUT_PATH means the "
        "settings file's folder"
        if what in OUTPUT_MAY_BE_INSIDE
        else "give the build a folder of its own, such as output"
    )


def _protected(settings: dict, settings_file) -> list[tuple[Path, str]]:
    """(resolved folder, what it is) of every folder the output must not be, hold or be inside."""
    found: list[tuple[Path, str]] = []

    def add(path, what: str) -> None:
        if path:
            folder = Path(os.path.realpath(str(path)))
            if all(folder != f for f, _w in found):
                found.append((folder, what))

    root = settings.get("IOP_ROOT")
    add(root, "the project folder")
    if settings_file is not None:
        add(Path(settings_file).parent, "the settings file's folder")
    add(settings.get("PATH"), "the content folder (PATH)")
    add(settings.get("IOP_DATA_PATH"), "the data folder (IOP_DATA_PATH)")
    theme = settings.get("THEME")
    if theme and Path(theme).is_dir():
        add(theme, "the theme (THEME)")
    for plugins in settings.get("PLUGIN_PATHS") or ():
        add(plugins, "a plugins folder (PLUGIN_PATHS)")
    if root:
        for name in PROJECT_FOLDERS:
            if (Path(root) / name).exists():
                add(Path(root) / name, f"the project's {name}/ folder")
    return found


def write_marker(folder: str | os.PathLike) -> None:
    """Mark ``folder`` as this build's output (made if it does not exist)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


# -- what the build reads --------------------------------------------------------------------------------


def read_folders(settings: dict) -> list[tuple[str, Path]]:
    """(label, folder) of each folder whose files a build reads, as given in the settings."""
    out = []
    for label, key in (("content", "PATH"), ("data", "IOP_DATA_PATH"), ("theme", "THEME")):
        value = settings.get(key)
        if value and Path(value).is_dir():
            out.append((label, Path(value)))
    return out


def link_problems(settings: dict) -> list[tuple[str, str, str, str]]:
    """(code, path, message, hint) for every symlink in content/, data/ and the theme that leads outside
    the project, nowhere, or round in a loop; each loop once."""
    folders = read_folders(settings)
    allowed = [Path(os.path.realpath(str(p))) for p in [settings.get("IOP_ROOT"), *(f for _l, f in folders)] if p]
    problems = []
    loops_seen: set[frozenset] = set()
    for _label, top in folders:
        visited = {os.path.realpath(top)}
        # As Pelican walks (into linked folders too), but each link is looked at before it is followed,
        # and a folder is entered once.
        for here, dirs, files in os.walk(top, followlinks=True):
            for name in sorted(dirs + files):
                path = Path(here) / name
                if not path.is_symlink():
                    continue
                problem = _link_problem(path, allowed, loops_seen)
                if problem is not None:
                    problems.append(problem)
                    if name in dirs:
                        dirs.remove(name)
            for name in list(dirs):
                real = os.path.realpath(Path(here) / name)
                if real in visited:
                    dirs.remove(name)
                visited.add(real)
    return problems


def _link_problem(path: Path, allowed: list[Path], loops_seen: set) -> tuple | None:
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            return (
                "GRD011",
                str(path),
                f"the symlink leads to nothing ('{os.readlink(path)}')",
                "remove it, or fix it",
            )
        cycle = _cycle(path)
        if cycle in loops_seen:
            return None
        loops_seen.add(cycle)
        others = sorted(DIAG.relpath(p) for p in cycle if p != Path(os.path.abspath(path)))
        also = f" (through {', '.join(others)})" if others else ""
        return (
            "GRD011",
            str(path),
            f"the symlink leads round in a loop{also}",
            "remove the link, or point it at a file",
        )
    if not any(target == a or a in target.parents for a in allowed):
        return (
            "GRD010",
            str(path),
            f"the symlink leads outside the project, to '{target}'",
            "copy the file into the project instead: a build reads only the project's own files",
        )
    here = Path(os.path.realpath(path.parent))
    if target.is_dir() and (target == here or target in here.parents):
        return (
            "GRD011",
            str(path),
            f"the symlink leads to a folder that holds it ('{DIAG.relpath(target)}'): reading it never ends",
            "remove the link",
        )
    return None


def _cycle(path: Path, limit: int = 64) -> frozenset:
    """The links of the loop that ``path`` leads into (absolute paths), or just ``path`` if it is not found."""
    seen: list[Path] = []
    current = Path(os.path.abspath(path))
    for _ in range(limit):
        if current in seen or not current.is_symlink():
            break
        seen.append(current)
        current = Path(os.path.abspath(current.parent / os.readlink(current)))
    return frozenset(seen[seen.index(current) :]) if current in seen else frozenset({Path(os.path.abspath(path))})
