"""The rooms of plugins/sitekit import only the rooms below them (docs/architecture.md draws them)."""

from __future__ import annotations

import ast

from conftest import ROOT

SITEKIT = ROOT / "plugins/sitekit"

#: room -> the rooms it may import (besides itself). The same table is in docs/architecture.md.
ALLOWED = {
    "core": set(),
    "text": {"core"},
    "data": {"core", "text"},
    "content": {"core", "text", "data"},
    "checks": {"core", "text", "data", "content"},
    "runtime": {"core"},
    "preview": {"core", "content", "runtime"},
    "commands": {"core", "text", "data", "content", "checks", "runtime"},
}


def imported_rooms(path) -> dict[str, int]:
    """room -> the first line that imports it, for one module of a room."""
    room = path.relative_to(SITEKIT).parts[0]
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                names = [room]
            elif node.level == 2:
                names = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            elif node.level == 0 and (node.module or "").startswith("sitekit."):
                names = [node.module.split(".")[1]]
            elif node.level == 0 and node.module == "sitekit":
                names = [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name.split(".")[1] for a in node.names if a.name.startswith("sitekit.")]
        for name in names:
            found.setdefault(name, node.lineno)
    return found


def test_every_module_is_in_a_room():
    loose = sorted(p.name for p in SITEKIT.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert loose == []
    assert sorted(p.name for p in SITEKIT.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(ALLOWED)


def test_rooms_import_only_the_rooms_below_them():
    wrong = []
    for path in sorted(SITEKIT.glob("*/*.py")):
        room = path.relative_to(SITEKIT).parts[0]
        for other, line in imported_rooms(path).items():
            if other != room and other not in ALLOWED[room]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports sitekit.{other}")
    assert wrong == []


def test_the_room_check_sees_an_import_upward(tmp_path):
    """The check above must be able to fail: a module of core importing runtime is seen."""
    room = SITEKIT / "core"
    probe = room / "_probe_for_test.py"
    try:
        probe.write_text("from ..runtime.state import RUN\n", encoding="utf-8")
        assert imported_rooms(probe) == {"runtime": 1}
    finally:
        probe.unlink()
