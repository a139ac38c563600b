"""The Jinja set-up every template of the site is rendered with (Pelican's pages and our partials):
autoescaping always on, and compiled templates shared within a process and, for cached builds, on disk.

Compiled templates are kept in memory for the life of the process, keyed by the template's name and
file and checked against a hash of its source (Jinja's own BytecodeCache contract), so a second
build in the same process (tests, `make approve`) skips compiling what did not change, and an edited
template is compiled again. Builds that keep Pelican's reader cache (``make html``, the preview
server, IOP_CACHE) also keep the compiled templates in that cache's folder (Jinja's own
FileSystemBytecodeCache): a fresh process, such as each rebuild of the preview, loads them instead
of compiling the theme again. Publish builds never read the disk: what goes live is compiled afresh.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import BytecodeCache, FileSystemBytecodeCache


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class LayeredBytecodeCache(BytecodeCache):
    """This process's memory first, then a folder on disk (a bucket whose source changed is not loaded)."""

    def __init__(self, memory: MemoryBytecodeCache, disk: FileSystemBytecodeCache):
        self.memory = memory
        self.disk = disk

    def load_bytecode(self, bucket) -> None:
        self.memory.load_bytecode(bucket)
        if bucket.code is None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self.memory.dump_bytecode(bucket)

    def dump_bytecode(self, bucket) -> None:
        self.memory.dump_bytecode(bucket)
        try:
            self.disk.dump_bytecode(bucket)
        except OSError:  # a full or read-only disk only costs the next process a compile
            pass


#: One cache per process; a bucket only loads when the template's source checksum matches.
BYTECODE = MemoryBytecodeCache()


def configure(settings: dict) -> None:
    """Escape by default in every template, whatever the settings file says, and share compiled templates.

    Every value a template prints is escaped unless it is marked safe; only HTML the build made
    from sanitized Markdown (page content, rendered data fields) and the site's own macros are."""
    settings["JINJA_ENVIRONMENT"] = {
        **settings.get("JINJA_ENVIRONMENT", {}),
        "autoescape": True,
        "bytecode_cache": bytecode_cache(settings),
        # Every build makes its environments afresh, so a template edited since the last build is
        # read again; within one build, checking each template's file before every use (Jinja's
        # default) cost 7,700 stat calls on 1,000 pages and found nothing.
        "auto_reload": False,
    }


def bytecode_cache(settings: dict) -> BytecodeCache:
    """The memory cache, backed by the reader cache's folder when this build keeps one (sitekit.runtime.cache)."""
    if not (settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_PATH")):
        return BYTECODE
    folder = Path(settings["CACHE_PATH"]) / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return BYTECODE
    return LayeredBytecodeCache(BYTECODE, FileSystemBytecodeCache(str(folder)))
