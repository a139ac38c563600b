"""The Jinja set-up every template of the site is rendered with (Pelican's pages and our partials):
autoescaping always on, and compiled templates shared within a process.

Compiled templates are kept in memory for the life of the process, keyed by the template's name and
checked against a hash of its source (Jinja's own BytecodeCache contract), so a second build in the
same process (tests, `make approve`, the preview server) skips compiling what did not change, and
an edited template is compiled again.
"""

from __future__ import annotations

from jinja2 import BytecodeCache


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


#: One cache per process; a bucket only loads when the template's source checksum matches.
BYTECODE = MemoryBytecodeCache()


def configure(settings: dict) -> None:
    """Escape by default in every template, whatever the settings file says, and share compiled templates.

    Every value a template prints is escaped unless it is marked safe; only HTML the build made
    from sanitized Markdown (page content, rendered data fields) and the site's own macros are."""
    settings["JINJA_ENVIRONMENT"] = {
        **settings.get("JINJA_ENVIRONMENT", {}),
        "autoescape": True,
        "bytecode_cache": BYTECODE,
    }
