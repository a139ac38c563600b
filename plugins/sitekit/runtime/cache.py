"""Pelican's reader cache, made safe for a site whose pages depend on more than their own file.

Pelican caches what a reader returned for each source file and reuses it while that file is
unchanged. Our reader's output also depends on data/ (references, FAQs, tables), the theme's
partials, the plugins' code and the settings, and it reports findings and fills `sitekit.core.pages`
as a side effect. So:

- the cache lives in a folder named by a hash of all of those (``.output-cache/<key>`` beside the
  output folder); changing any of them starts a fresh cache, and older folders are removed;
- files are compared by content hash, not modification time;
- the reader stores its page facts and findings in the metadata (``iop_page``), and
  `restore` puts them back when Pelican serves a page from the cache, so a cached build checks
  and reports exactly what a clean build does (a test compares the two).

Publish builds never use the cache: what goes live is built from scratch.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import DIAG, Finding
from ..core.pages import PageInfo
from .state import RUN

#: Settings that name this run's folders or steps, not anything a page's reading depends on. (The
#: preview server indexes search itself, after the page is shown: its builds share this cache.)
_RUN_ONLY = {"OUTPUT_PATH", "CACHE_PATH", "IOP_PUBLISH", "IOP_SEARCH"}


@dataclass
class CachedPage:
    """What the reader learned about a page, kept with Pelican's cached copy of its output."""

    info: PageInfo
    findings: list[Finding] = field(default_factory=list)


def configure(settings: dict, final_output: Path) -> None:
    """Turn Pelican's reader cache on (preview builds with IOP_CACHE) or off."""
    use = bool(settings.get("IOP_CACHE")) and not settings.get("IOP_PUBLISH")
    settings["CACHE_CONTENT"] = settings["LOAD_CONTENT_CACHE"] = use
    if not use:
        return
    base = final_output.with_name(f".{final_output.name}-cache")
    folder = base / key(settings)
    if base.is_dir():
        for old in base.iterdir():
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    settings.update(
        CACHE_PATH=str(folder), CONTENT_CACHING_LAYER="reader", CHECK_MODIFIED_METHOD="sha256", GZIP_CACHE=False
    )


def key(settings: dict) -> str:
    """A hash of everything a page's HTML and findings depend on besides its own file."""
    import pelican

    # Findings name files relative to the working folder, so that is part of the key too.
    digest = hashlib.sha256(f"{pelican.__version__} {sys.version} {Path.cwd()}".encode())
    plain = {name: value for name, value in settings.items() if name not in _RUN_ONLY}
    if isinstance(plain.get("MARKDOWN"), dict):
        plain["MARKDOWN"] = _as_pelican_uses(plain["MARKDOWN"])
    digest.update(json.dumps(plain, sort_keys=True, default=_stable).encode())
    root = Path(settings.get("IOP_ROOT", "."))
    for folder in (settings.get("IOP_DATA_PATH"), settings.get("THEME"), root / "plugins"):
        if not folder or not Path(folder).is_dir():
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _as_pelican_uses(markdown: dict) -> dict:
    """MARKDOWN with the extensions Pelican's reader adds to it, in place, on its first use. A settings
    file that imports pelicanconf shares that dict with every later build in the process, so without
    this the second build would see a different key and throw the cache away (the preview server's
    builds would never hit it)."""
    extensions = list(markdown.get("extensions", []))
    for name in [*markdown.get("extension_configs", {}), "markdown.extensions.meta"]:
        if name not in extensions:
            extensions.append(name)
    return {**markdown, "extensions": extensions}


def _stable(obj) -> object:
    """A JSON stand-in for a setting that is not plain data. One that prints differently in every
    process (an object's address) only makes the cache miss, never wrongly hit."""
    if callable(obj):  # Jinja filters: their code is in plugins/ or the settings file, hashed here
        return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', type(obj).__name__)}"
    if isinstance(obj, (set, frozenset)):
        return sorted(map(repr, obj))
    return repr(obj)


def remember(metadata: dict, info: PageInfo, findings: list[Finding]) -> None:
    """Called by the reader: keep the page facts and findings with what Pelican caches."""
    metadata["iop_page"] = CachedPage(info, list(findings))


def restore(instance) -> None:
    """Pelican served this page from its cache: put back the facts and findings the reader made."""
    cached = getattr(instance, "metadata", {}).get("iop_page")
    path = str(getattr(instance, "source_path", ""))
    if not isinstance(cached, CachedPage) or path in RUN.pages:
        return
    RUN.pages[path] = cached.info
    for finding in cached.findings:
        if finding not in DIAG.findings:
            DIAG.findings.append(finding)
