"""Per-page check results kept by the preview's build host, so its build children skip what did not change.

After a one-page edit on a large site, Pelican's reader cache reads one file again, but the language
checks (sitekit.checks.lint) and the output checks (sitekit.checks.outputcheck) ran on every page: on 1,000
articles that was about 1.3 s of a 3.7 s preview build. Both checks are pure: a page's result
depends only on what is handed to them (the page's text and lines, or its written HTML and Markdown
lines) and on the rules they were built with. So each result is stored under a digest of all of
that, and a later build that hands the same inputs gets the same result, findings included.

Only the preview's build host turns this on (sitekit.preview.rebuild): its first build fills the memo, and
every child it forks starts with it; what a child adds leaves with the child. `make html`, a
publish build, the tests' clean builds and a preview without a build host never use it, so a clean
build is always what a preview build is compared with (tests/test_preview.py).
"""

from __future__ import annotations

import hashlib
import pickle

ENABLED = False
_RESULTS: dict[bytes, object] = {}


def digest(*parts) -> bytes | None:
    """A key for ``parts`` (plain data), or None when the memo is off."""
    if not ENABLED:
        return None
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).digest()


def get(key: bytes | None):
    return _RESULTS.get(key) if key is not None else None


def put(key: bytes | None, result) -> None:
    if key is not None:
        _RESULTS[key] = result


def enable() -> None:
    global ENABLED
    ENABLED = True
