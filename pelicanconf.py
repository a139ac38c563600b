"""Preview settings: every page is built; pages awaiting review are marked and not indexed."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

SITENAME = "IOP Guide"
# The home page's lede and its description. "Sourced", not "checked": no guide has had a clinician's
# check yet (review 2026-12 #18); the home page says what the build knows (partials/site_state.html).
SITE_TAGLINE = (
    "Plain, sourced information about intensive outpatient programs (IOP) for mental health and substance use"
)
SITEURL = ""
PUBLISHER = {"name": "IOP Guide (open-source health information project)", "url": SITEURL}
IOP_ROOT = str(ROOT)
IOP_DATA_PATH = str(ROOT / "data")

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

# Plugins run in this order; the list also turns off Pelican's auto-discovery. iop_output comes
# last so its final checks see the finished site (hashed asset names, search index, sitemap).
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "iop_data",
    "iop_content",
    "iop_evidence",
    "iop_lint",
    "iop_lang",
    "iop_review",
    "iop_trust",
    "iop_publish",
    "iop_output",
]

# Guides are articles in content/guides; other pages (About, Privacy...) are in content/pages.
# The Spanish edition (issue 28): guides in content/es/guides, published under /es/ with the same slug
# as their English page (Pelican's own translations: lang and slug pair them); English URLs never change.
IOP_LANGUAGES = ("en", "es")
ARTICLE_PATHS = ["guides", "es/guides"]
PAGE_PATHS = ["pages", "es/pages"]
STATIC_PATHS = ["images"]  # the guides' images: content/images/ (sitekit/content/images.py checks them)
ARTICLE_URL = "guides/{slug}/"
ARTICLE_SAVE_AS = "guides/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "sections/{slug}/"
CATEGORY_SAVE_AS = "sections/{slug}/index.html"
ARTICLE_ORDER_BY = "order"
DEFAULT_METADATA = {"order": 500}  # guides without an order come last

# Page types that do not serve readers are turned off: authors, tags, archives, date archives.
DIRECT_TEMPLATES = ["index", "search", "corrections"]
SEARCH_SAVE_AS = "search/index.html"
SEARCH_URL = "search/"
CORRECTIONS_SAVE_AS = "corrections/index.html"  # the corrections log, from data/corrections.yaml
CORRECTIONS_URL = "corrections/"
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
ARTICLE_LANG_URL = "{lang}/guides/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/guides/{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = None
DEFAULT_PAGINATION = False
SUMMARY_MAX_LENGTH = None

MARKDOWN = {
    # sitekit.content.tables: a "Table:" paragraph becomes the caption, header cells get their scope.
    "extensions": [
        "markdown.extensions.extra",
        "markdown.extensions.toc",
        "markdown.extensions.smarty",
        "sitekit.content.tables",
    ],
    "extension_configs": {"markdown.extensions.toc": {"permalink": False}},
    "output_format": "html5",
}
FORMATTED_FIELDS = []  # summaries are plain text: they feed <meta name="description">
TYPOGRIFY = False
# Preview builds reuse Pelican's reader cache for unchanged pages (sitekit/runtime/cache.py keys it on data/,
# the theme, the plugins and these settings, and replays each page's findings). Publish builds
# never use it.
IOP_CACHE = True
DELETE_OUTPUT_DIRECTORY = True
RELATIVE_URLS = False

# Search (Pagefind, run by the build) and the files a host needs.
IOP_SEARCH = True
IOP_PRECOMPRESS = "publish"  # .gz and .br beside every text file: "publish", "always" or "never"

# Footer links, in order.
FOOTER_LINKS = [
    ("About", "about/"),
    ("Editorial policy", "editorial-policy/"),
    ("Corrections", "corrections/"),
    ("Privacy", "privacy/"),
]

# Where the "Report a problem with this page" link on every page sends readers' emails (a mailto:
# link: no form, no third party). The project has no mailbox yet: the site owner must put a real,
# monitored address here. Until then the preview shows the placeholder and `make publish` refuses it.
IOP_REPORT_EMAIL = "[TO FILL IN: the email address that receives readers' reports of mistakes]"

# Warnings that the publish build turns into errors. Set here, not in publishconf.py, so the review desk
# and `make approve` (which build as a preview does) know what publish would refuse; a preview build
# keeps them as warnings.
IOP_PROMOTE_WARNINGS = ("CLM001", "IMG004")
IOP_PUBLISH = False

# Pages that need no clinical sign-off: the site owner's list, by file under content/. Only pages with no
# health content belong here (they may cite nothing and show no data); every other page, and every guide,
# is signed off by a clinician. No front-matter flag can take a page out of review.
IOP_REVIEW_EXEMPT = ["pages/privacy.md", "pages/404.md", "es/pages/privacy.md", "es/pages/404.md"]

# Sections (Pelican categories) in navigation order.
SECTIONS = ["Understanding IOP", "Getting care", "Support and help"]

from sitekit.content.jsonld import page_jsonld, webpage_jsonld

JINJA_FILTERS = {"page_jsonld": page_jsonld, "webpage_jsonld": webpage_jsonld}
SLUGIFY_SOURCE = "basename"

# The language, reading-level and output checks run in a worker process (on another core, while
# Pelican reads and writes) when the content folder has at least this many Markdown files.
IOP_WORKER_MIN_PAGES = 100

# Reading level, measured raw on the body, key points and FAQ answers of each page: a warning above
# these, never an error (formulas only point at sentences to rework).
IOP_READING = {"max_smog": 10.0, "max_fk": 7.0}
