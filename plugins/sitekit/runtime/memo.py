"""Per-page check results kept by the preview server across its builds, so a build skips what did not change.

After a one-page edit on a large site, Pelican's reader cache reads one file again, but the language
checks (sitekit.checks.lint) and the output checks (sitekit.checks.outputcheck) ran on every page: on 1,000
articles that was about 1.3 s of a 3.7 s preview build. Both checks are pure: a page's result
depends only on what is handed to them (the page's text and lines, or its written HTML and Markdown
lines) and on the rules they were built with. So each result is stored under a digest of all of
that, and a later build that hands the same inputs gets the same result, findings included.

Only the preview server turns this on (sitekit.preview.serve), for the builds it runs in its own
process; after each good build the memo keeps only what that build used (`trim`), so it stays the
size of the site. `make html`, a publish build and the tests' clean builds never use it, so a clean
build is always what a preview build is compared with (tests/test_preview.py).
"""

from __future__ import annotations

import hashlib
import pickle

ENABLED = False
_RESULTS: dict[bytes, object] = {}
_USED: set[bytes] = set()  # the keys the current build asked for or stored


def digest(*parts) -> bytes | None:
    """A key for ``parts`` (plain data), or None when the memo is off."""
    if not ENABLED:
        return None
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).digest()


def get(key: bytes | None):
    if key is None:
        return None
    _USED.add(key)
    return _RESULTS.get(key)


def put(key: bytes | None, result) -> None:
    if key is not None:
        _USED.add(key)
        _RESULTS[key] = result


def trim() -> None:
    """A build finished: forget the results it did not use (pages since changed or removed)."""
    global _RESULTS
    _RESULTS = {key: value for key, value in _RESULTS.items() if key in _USED}
    _USED.clear()


def enable() -> None:
    global ENABLED
    ENABLED = True
