"""The site's own settings (``IOP_*``): one place for each default, its meaning and its check.

`apply(settings)` runs when a build starts: it fills in the defaults, checks every value and
reports a bad one as SET001 with the setting's name, the value and what is allowed. `make docs`
writes docs/settings.md from this table. Values the plugins add for the templates carry the same
``IOP_`` prefix (`CONTEXT`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .codes import CODES, WARNING
from .diagnostics import DIAG, did_you_mean


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    doc: str
    check: Callable[[Any], str | None]  # a problem with the value, or None


def _bool(value) -> str | None:
    return None if isinstance(value, bool) else "should be True or False"


def _text(value) -> str | None:
    return None if isinstance(value, str) and value.strip() else "should be a non-empty string"


def _choice(*choices: str) -> Callable[[Any], str | None]:
    def check(value) -> str | None:
        return None if value in choices else f"should be one of {', '.join(repr(c) for c in choices)}"

    return check


def _count(value) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "should be a whole number, 0 or more"


def _warning_codes(value) -> str | None:
    if not isinstance(value, (list, tuple, set, frozenset)):
        return "should be a list of warning codes, e.g. ('CLM001',)"
    bad = [c for c in value if c not in CODES or CODES[c].severity != WARNING]
    return f"names codes that are not warnings: {', '.join(map(str, bad))}" if bad else None


def _image_budget(value) -> str | None:
    keys = {"max_bytes", "max_width", "max_height"}
    if not isinstance(value, dict) or set(value) != keys:
        return "should be a mapping with exactly the keys max_bytes, max_width and max_height"
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value.values()):
        return "should give whole numbers above 0"
    return None


def _nginx_root(value) -> str | None:
    if not isinstance(value, str) or not value.startswith("/") or any(c in value for c in " ;{}\"'\n"):
        return "should be an absolute folder path on the server, without spaces, quotes, ';' or braces"
    return None


def _port(value) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535
    return None if ok else "should be a port number from 1 to 65535"


_PAGE_PATH_RE = re.compile(r"^(?!/)(?!.*\.\.)[\w./-]+\.md$")


def _page_paths(value) -> str | None:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and _PAGE_PATH_RE.match(v) for v in value):
        return "should be a list of Markdown files under content/, e.g. ['pages/privacy.md', 'pages/404.md']"
    return None


def _reading(value) -> str | None:
    keys = {"max_smog", "max_fk"}
    if not isinstance(value, dict) or set(value) != keys:
        return "should be a mapping with exactly the keys max_smog and max_fk"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 30 for v in value.values()):
        return "should give grade levels between 0 and 30"
    return None


#: A fact only the site owner can give, not filled in yet: shown in preview builds, refused by a publish
#: build (plugins/iop_trust). Never let it contain "]" or "<".
PLACEHOLDER_RE = re.compile(r"\[TO FILL IN:[^\]<]*\]")


def placeholders(text: str) -> list[tuple[int, str]]:
    """Each placeholder in a file's text, with its line number."""
    if "[TO FILL IN" not in text:
        return []
    return [(n, m.group(0)) for n, line in enumerate(text.splitlines(), 1) for m in PLACEHOLDER_RE.finditer(line)]


EMAIL_RE = re.compile(r"^[^@\s<>\"?&]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _email(value) -> str | None:
    if isinstance(value, str) and (EMAIL_RE.match(value) or PLACEHOLDER_RE.fullmatch(value)):
        return None
    return "should be an email address, or a '[TO FILL IN: ...]' placeholder until there is one"


def _date(value) -> str | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return None
    return "should be None or a datetime.date"


def _languages(value) -> str | None:
    from .lang import DEFAULT, LANGUAGES

    if not isinstance(value, (list, tuple)) or not value or value[0] != DEFAULT:
        return f"should be a list of language codes starting with '{DEFAULT}', e.g. ('en', 'es')"
    bad = [v for v in value if v not in LANGUAGES]
    return (
        f"names languages the site cannot write: {', '.join(map(str, bad))} (known: {', '.join(LANGUAGES)})"
        if bad
        else None
    )


def _reading_es(value) -> str | None:
    keys = {"min_fernandez_huerta", "min_szigriszt_pazos"}
    if not isinstance(value, dict) or set(value) != keys:
        return "should be a mapping with exactly the keys min_fernandez_huerta and min_szigriszt_pazos"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= 100 for v in value.values()):
        return "should give scores between 0 and 100"
    return None


SETTINGS = [
    Setting("IOP_ROOT", ".", "The project folder (pelicanconf.py sets it to its own folder).", _text),
    Setting("IOP_DATA_PATH", "data", "Folder of the YAML data files (references, FAQs, crisis lines...).", _text),
    Setting("IOP_PUBLISH", False, "True for the production build: every gate on, unreviewed pages refused.", _bool),
    Setting(
        "IOP_PROMOTE_WARNINGS",
        (),
        "Warning codes that a publish build turns into errors (preview builds keep them as warnings; the review "
        "desk and `make approve` count them as what publish would refuse).",
        _warning_codes,
    ),
    Setting(
        "IOP_REVIEW_EXEMPT",
        (),
        "The pages that need no clinical sign-off, set by the site owner: Markdown files under content/ with no "
        "health content (privacy, 404). A page listed here must cite nothing and show no data (FM024), and no guide "
        "can be listed. No front-matter flag takes a page out of review.",
        _page_paths,
    ),
    Setting(
        "IOP_REVIEW_UNREVIEWED",
        "fail",
        "What a publish build does with a page awaiting clinical review: "
        "'fail' the build, or 'exclude' the page (then links to it fail).",
        _choice("fail", "exclude"),
    ),
    Setting(
        "IOP_TODAY",
        None,
        "The date the build takes as today for review and date checks (tests set it); None means the real date.",
        _date,
    ),
    Setting(
        "IOP_READING",
        {"max_smog": 10.0, "max_fk": 7.0},
        "Reading-level targets per page (SMOG and "
        "Flesch-Kincaid grade, raw, on body, key points and FAQ answers); above them is a warning.",
        _reading,
    ),
    Setting(
        "IOP_READING_ES",
        {"min_fernandez_huerta": 70, "min_szigriszt_pazos": 65},
        "Reading-ease targets of pages in Spanish (Fernández-Huerta and Szigriszt-Pazos/INFLESZ, raw, on the "
        "same text as IOP_READING; content-standards.md es.5: 'bastante fácil'); below them is a warning.",
        _reading_es,
    ),
    Setting(
        "IOP_LANGUAGES",
        ("en",),
        "The site's languages, English first. Each other language has its pages in content/<lang>/ (published "
        "under /<lang>/) and its data in data/<lang>/, all of which it then needs.",
        _languages,
    ),
    Setting(
        "IOP_CACHE",
        False,
        "Preview builds reuse Pelican's reader cache for unchanged pages (publish builds never do).",
        _bool,
    ),
    Setting("IOP_SEARCH", True, "Build the Pagefind search index.", _bool),
    Setting(
        "IOP_PRECOMPRESS",
        "publish",
        "Write .gz and .br copies of text files: in 'publish' builds, 'always' or 'never'.",
        _choice("publish", "always", "never"),
    ),
    Setting(
        "IOP_CHECK_SECONDS",
        30,
        "Longest one page's reading or check may run before it is stopped and reported (BUILD002); 0: no limit.",
        _count,
    ),
    Setting(
        "IOP_DRIVER",
        False,
        "Set by `python -m sitekit build`, which stages the build and prints the findings itself; under plain "
        "`pelican` the plugins do both (iop_data stages it, iop_output's verdict prints the findings and "
        "replaces the output folder only when the build is clean).",
        _bool,
    ),
    Setting(
        "IOP_REPORT_EMAIL",
        "[TO FILL IN: the email address that receives readers' reports of mistakes]",
        "Where the 'Report a problem with this page' link on every page sends readers' emails. "
        "A publish build refuses the placeholder.",
        _email,
    ),
    Setting(
        "IOP_WORKER_MIN_PAGES",
        100,
        "Sites with at least this many Markdown files run the lint and output checks in a second process.",
        _count,
    ),
    Setting(
        "IOP_IMAGE_BUDGET",
        {"max_bytes": 150_000, "max_width": 1400, "max_height": 1800},
        "Largest image a page may show (content/images/); above it is IMG004, a warning that publish refuses. "
        "1,400 pixels is twice the reading column (42rem, 672 px) for sharp phone and laptop screens; 150 KB takes "
        "3 s on the slow phone connection `make firstpaint` uses (400 kbit/s), after the page's own 14 KB.",
        _image_budget,
    ),
    Setting(
        "IOP_NGINX_ROOT",
        "/srv/iop-guide/public",  # sitekit.content.headers.NGINX_ROOT
        "Hosting: the folder on the server that holds the published site (copy `public/` there); "
        "`root` in deploy/nginx.conf, which `make deploy-config` (and `make publish`) writes from publishconf.py.",
        _nginx_root,
    ),
    Setting(
        "IOP_NGINX_PORT",
        80,
        "Hosting: the port nginx listens on in deploy/nginx.conf (put TLS in front of it, or change the file's "
        "`listen` for 443 with your certificate).",
        _port,
    ),
]

#: Pelican's own settings that the site owner sets, documented with ours (docs/settings.md).
PELICAN_SETTINGS = {
    "SITEURL": "The site's address, in publishconf.py (or `SITEURL=https://... make publish`): every absolute "
    "link, the sitemap and the search script use it. `make publish` refuses the example address "
    "(iop-guide.example.org), any other example or test domain, and http:// except for 127.0.0.1 or "
    "localhost (a local test of the publish build): EDT001.",
    "OUTPUT_PATH": "Where a build writes: `output/` for preview builds (pelicanconf.py), `public/` for `make "
    "publish` (publishconf.py). A preview build never writes into the publish folder, nor a publish build "
    "into a preview folder (EDT004).",
}

#: Values the plugins add to the template context (all with the IOP_ prefix).
CONTEXT = {
    "IOP_CRISIS": "data/crisis.yaml, validated.",
    "IOP_CRISIS_BANNER_ACTIONS": "The banner's buttons: actions of the lines with in_banner: true, web links last.",
    "IOP_REVIEWERS": "data/reviewers.yaml: reviewer id -> record.",
    "IOP_CARE_LEVELS": "data/care_levels.yaml: the levels in order.",
    "IOP_ASSETS": "Theme asset key (search_js, favicon) -> its content-hashed address, e.g. theme/favicon.1a2b.svg.",
    "IOP_INLINE_CSS": "The theme's stylesheet as inlined in every page's <style> (sitekit.content.inlinecss).",
    "IOP_STYLE_HASH": "The CSP source that allows that <style>, e.g. 'sha256-...'.",
    "IOP_HELP_URL": "Address of the full help page (data/crisis.yaml help_page), for the banner's links.",
    "IOP_CORRECTIONS": "data/corrections.yaml, newest first, each with the address and title of its page.",
    "IOP_REPORT_ADDRESS": "IOP_REPORT_EMAIL when it is a real address; None while it is a placeholder.",
    "IOP_EDITIONS": "Language -> what every page in it shows around its content: home, sections, search, banner.",
    "IOP_ALTERNATES": "Address -> its hreflang set (itself and its current translations, x-default), if any.",
}

BY_NAME = {s.name: s for s in SETTINGS}


def apply(settings: dict) -> bool:
    """Fill in defaults and check every IOP_ setting; report bad values. True when all are good."""
    ok = True
    for s in SETTINGS:
        settings.setdefault(s.name, s.default)
        problem = s.check(settings[s.name])
        if problem:
            ok = False
            DIAG.error(
                "SET001",
                None,
                0,
                f"setting {s.name} = {settings[s.name]!r} {problem}",
                f"{s.doc} Default: {s.default!r}",
            )
            settings[s.name] = s.default  # go on with the default, so the rest of the build is checked too
    for name in settings:
        if name.startswith("IOP_") and name not in BY_NAME and name not in CONTEXT:
            ok = False
            DIAG.error(
                "SET001",
                None,
                0,
                f"unknown setting {name}",
                did_you_mean(name, BY_NAME) or "see docs/settings.md for the site's settings",
            )
    return ok


def today(settings: dict) -> dt.date:
    return settings.get("IOP_TODAY") or dt.date.today()


def document() -> str:
    out = [
        "# Settings",
        "",
        "<!-- Generated by `make docs` from plugins/sitekit/core/settings.py. Do not edit by hand. -->",
        "",
        "The site's own settings, set in `pelicanconf.py` (preview) and `publishconf.py` (production). "
        "A bad value stops the build with `SET001`, naming the setting and what it accepts.",
        "",
        "| setting | default | meaning |",
        "| --- | --- | --- |",
    ]
    out += [f"| `{s.name}` | `{s.default!r}` | {s.doc} |" for s in SETTINGS]
    out += ["", "## Pelican settings the site owner sets", "", "| setting | meaning |", "| --- | --- |"]
    out += [f"| `{name}` | {doc} |" for name, doc in PELICAN_SETTINGS.items()]
    out += ["", "## Values the plugins add to the template context", "", "| name | what it holds |", "| --- | --- |"]
    out += [f"| `{name}` | {doc} |" for name, doc in CONTEXT.items()]
    return "\n".join(out) + "\n"
