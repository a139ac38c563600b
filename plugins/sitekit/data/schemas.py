"""The schema of every data file in ``data/``: validated at build time, documented in docs/."""

from __future__ import annotations

import datetime as dt

from ..core import codes
from ..core.lang import LANGUAGES
from .schema import EDITOR, PROSE, Field, Schema

REFERENCE_TYPES = (
    "clinical_guideline",
    "systematic_review",
    "meta_analysis",
    "peer_reviewed_research",
    "government_policy",
    "government_data",
    "textbook",
    "crisis_service",
)
# Types that are books or reports, which may have no web address of their own.
BOOK_TYPES = ("clinical_guideline", "textbook")
THIS_YEAR = dt.date.today().year

REFERENCE = Schema(
    "reference",
    "One source the site cites. Cite it in Markdown as `[@key]`.",
    [
        Field("key", "id", "The citation key, unique in the file.", example="mccarty-2014-iop-evidence", role=EDITOR),
        Field("type", "enum", "What kind of source this is.", choices=REFERENCE_TYPES, role=EDITOR),
        Field(
            "authors",
            "str",
            "Authors as printed, or the organization. Leave it out only when the vetted record has no authors: "
            "the reference then starts with its title.",
            required=False,
        ),
        Field("title", "str", "Full title."),
        Field(
            "title_es",
            "str",
            "The source's own Spanish title, where the vetted list gives one: Spanish pages show it instead.",
            required=False,
        ),
        Field(
            "language",
            "enum",
            "The source's language when it is not English (`es`): pages mark its title with that language, and "
            "a Spanish page may cite it beside the English page's sources for the same fact.",
            required=False,
            choices=tuple(LANGUAGES),
        ),
        Field("container", "str", "Journal, publisher or website."),
        Field(
            "year",
            "int",
            "Year of publication (leave out for an undated web page).",
            required=False,
            minimum=1800,
            maximum=THIS_YEAR,
        ),
        Field("volume", "str", "Journal volume.", required=False),
        Field("issue", "str", "Journal issue.", required=False),
        Field("pages", "str", "Page range or article number.", required=False),
        Field("doi", "doi", "Digital Object Identifier, without https://doi.org/.", required=False),
        Field("pmid", "pmid", "PubMed ID.", required=False),
        Field(
            "url",
            "url",
            "The canonical address (never a copy). Required unless a DOI or "
            "PMID is given, the source is a book-length guideline or textbook, or `no_address` says why there is none.",
            required=False,
        ),
        Field(
            "no_address",
            "str",
            "Why the source is cited without an address: the vetted list gives none (for example a law seen only in "
            "legal reports). The reference is printed without a link. Never use it to skip an address you have.",
            required=False,
            role=EDITOR,
        ),
        Field("checked", "date", "When an editor last checked this entry against the source.", role=EDITOR),
        Field(
            "classic",
            "bool",
            "true for an older source that is still the standard (silences the age warning).",
            required=False,
            role=EDITOR,
        ),
    ],
    key="key",
)

REFERENCES = Schema(
    "references.yaml",
    "Every source the site cites. Sources come from `../shared/sources/vetted-sources.yaml` "
    "(entries marked `verified: true`), with their canonical address.",
    [Field("references", "records", "The list of sources.", schema=REFERENCE)],
)

HOURS = Schema(
    "hours_per_week",
    "Hours of care a week. Leave out `min` or `max` where the source gives none.",
    [
        Field("min", "int", "Fewest hours a week.", required=False, minimum=0, maximum=168, role=EDITOR),
        Field("max", "int", "Most hours a week.", required=False, minimum=0, maximum=168, role=EDITOR),
        Field(
            "text",
            "str",
            "How the hours read in the table.",
        ),
    ],
)

CARE_LEVEL = Schema(
    "level",
    "One level of care. Every fact in a row must be supported by the row's citations.",
    [
        Field("id", "id", "Short id used in data blocks, e.g. `iop`.", role=EDITOR),
        Field("name", "str", "Full name."),
        Field("short_name", "str", "Short name for table headers."),
        Field("asam_level", "str", "ASAM Criteria level (3rd edition numbering)."),
        Field("hours_per_week", "record", "Hours of care a week.", schema=HOURS),
        Field("days_per_week", "str", "How many days a week, in words."),
        Field("overnight", "bool", "Whether people stay overnight."),
        Field("setting", "str", "Where care happens.", role=PROSE),
        Field("fits", "text", "Who it tends to fit.", role=PROSE),
        Field("not_fits", "text", "Who needs something else first.", role=PROSE),
        Field("typical_length", "str", "How long it usually lasts, or what decides it.", role=PROSE),
        Field("citations", "citations", "Reference keys that support this row.", example="key-a, key-b"),
    ],
    key="id",
)

CARE_LEVELS = Schema(
    "care_levels.yaml",
    "The levels of care compared in the care-level table, from least to most intensive.",
    [Field("levels", "records", "The levels, in order of intensity.", schema=CARE_LEVEL)],
)

FAQ = Schema(
    "faq",
    "One question and its answer.",
    [
        Field("id", "id", "Short id, unique in the file; also the answer's anchor on the page.", role=EDITOR),
        Field("question", "str", "The question, as a reader would ask it.", role=PROSE),
        Field("answer", "text", "The answer in Markdown; cite with `[@key]`.", role=PROSE),
        Field(
            "topics", "ids", "Topics this question belongs to (see `topics`).", example="cost, insurance", role=EDITOR
        ),
        Field("citations", "citations", "Reference keys that support the answer as a whole.", required=False),
    ],
    key="id",
)

TOPIC = Schema(
    "topic",
    "A topic that groups questions.",
    [
        Field("id", "id", "Short id used in `::: faqs topic=ID`.", role=EDITOR),
        Field("title", "str", "Heading shown above the questions.", role=PROSE),
    ],
    key="id",
)

FAQS = Schema(
    "faqs.yaml",
    "Frequently asked questions, grouped by topic.",
    [
        Field("topics", "records", "The topics.", schema=TOPIC),
        Field("faqs", "records", "The questions.", schema=FAQ),
    ],
)

ACTION = Schema(
    "action",
    "One way to reach a service: a link whose digits match its visible text.",
    [
        Field("label", "str", 'Link text, with the action and the number ("Call 988").'),
        Field(
            "banner_label",
            "str",
            "Shorter link text for the banner, where the full label would add a row on phones (the Spanish "
            "'988 y oprima 2'); screen readers hear the full label. Its digits must match too.",
            required=False,
        ),
        Field("href", "str", "`tel:`, `sms:` or `https:` address."),
        Field("lang", "str", "Language of the label when not English (e.g. `es`).", required=False),
        Field(
            "banner",
            "bool",
            "false to leave this link out of the banner (it still shows on the Get help now page).",
            required=False,
            role=EDITOR,
        ),
    ],
)

TIER = Schema(
    "tier",
    "One level of urgency on the Get help now page, shown as a care card (the NHS pattern): its "
    "heading, and a prefix that screen readers hear before it.",
    [
        Field("id", "id", "Short id that lines name in `tier`.", role=EDITOR),
        Field(
            "style",
            "enum",
            "How the card looks: emergency (red and black), urgent (red) or non-urgent (blue).",
            choices=("emergency", "urgent", "non-urgent"),
            role=EDITOR,
        ),
        Field("urgency", "str", "Prefix read by screen readers before the heading, e.g. `Emergency:`.", role=PROSE),
        Field("heading", "str", "The card's heading: when to use these lines.", role=PROSE),
    ],
    key="id",
)

REVIEW_STATUSES = ("draft", "in_review", "approved")

REVIEW = Schema(
    "review",
    "The clinical review record. `make approve` fills it in; editors set only `status`.",
    [
        Field("status", "enum", "Where the page is in review.", choices=REVIEW_STATUSES, role=EDITOR),
        Field("reviewer", "id", "Reviewer id from data/reviewers.yaml.", required=False, role=EDITOR),
        Field("reviewed", "date", "Date of the sign-off.", required=False, role=EDITOR),
        Field(
            "next_review",
            "date",
            "When the page must be reviewed again (at most 36 months after `reviewed`).",
            required=False,
            role=EDITOR,
        ),
        Field(
            "fingerprint",
            "str",
            "Fingerprint of what the reviewer approved (written by `make approve`).",
            required=False,
            role=EDITOR,
        ),
        Field(
            "override",
            "str",
            "Why the clinician signed while the page had a finding that a publish build refuses (written by "
            "`make approve OVERRIDE=...`; the findings are listed in the sign-off's snapshot).",
            required=False,
            role=EDITOR,
        ),
    ],
)

CRISIS_LINE = Schema(
    "line",
    "One crisis or help line.",
    [
        Field("id", "id", "Short id; also its anchor on the help page (`#help-ID`).", role=EDITOR),
        Field("tier", "id", "The tier (see `tiers`) whose card shows this line.", role=EDITOR),
        Field("name", "str", "Name of the service."),
        Field(
            "lang",
            "str",
            "Language of the name, text, details and banner link when not English (e.g. `es`).",
            required=False,
        ),
        Field("text", "str", "One sentence saying when and how to use it.", role=PROSE),
        Field("actions", "records", "Links to reach it.", schema=ACTION),
        Field("details", "text", "Longer description for the Get help now page.", required=False, role=PROSE),
        Field("in_banner", "bool", "Whether its actions show as buttons in the banner on every page.", role=EDITOR),
        Field(
            "in_footer",
            "bool",
            "Whether it shows at the foot of every page, by name and its first action, as a treatment-referral "
            "line (SAMHSA's National Helpline: content-standards.md section 3 asks pages about substance use to "
            "show it).",
            required=False,
            role=EDITOR,
        ),
        Field(
            "banner_link",
            "str",
            "Short link text in the banner that leads to this line on the help page (one step away).",
            required=False,
            role=PROSE,
        ),
        Field("citations", "citations", "Sources for the number and its use.", required=False),
    ],
    key="id",
)

CRISIS = Schema(
    "crisis.yaml",
    "Crisis lines for the banner on every page and the Get help now page.",
    [
        Field(
            "last_verified",
            "date",
            "When the numbers were last checked against the services' own pages. They are checked every month: "
            "the build warns 7 days before the month is up, and a publish build refuses the site after it.",
            role=EDITOR,
            past=True,
        ),
        Field("verified_against", "str", "Where they were checked.", role=EDITOR),
        Field(
            "heading",
            "str",
            "The banner's label (not a heading: the page's own title is its first heading).",
            role=PROSE,
        ),
        Field(
            "help_page",
            "page",
            "The full help page. The banner links to it, and its `::: crisis-help full=yes` block gives "
            "every line its anchor.",
            role=EDITOR,
        ),
        Field("help_link_text", "str", "Text of the banner's link to the full help page.", role=PROSE),
        Field("tiers", "records", "Levels of urgency, most urgent first (the order of the cards).", schema=TIER),
        Field(
            "lines", "records", "The lines, in the order shown within their tier and in the banner.", schema=CRISIS_LINE
        ),
        Field(
            "review",
            "record",
            "The clinical sign-off of the crisis banner and help lines shown on every page (`make approve "
            "PAGE=data/crisis.yaml`). Any change a reader would see here sends it back to review, and a publish "
            "build refuses the site until a clinician signs it again.",
            required=False,
            schema=REVIEW,
            role=EDITOR,
        ),
    ],
)

REVIEWER = Schema(
    "reviewer",
    "A person who may sign off pages.",
    [
        Field("id", "id", "Short id used in front matter and `make approve REVIEWER=id`.", role=EDITOR),
        Field("name", "str", "Full name as shown on pages."),
        Field("credentials", "str", "Degrees and licences, e.g. `MD` or `LCSW`."),
        Field("role", "str", "Job title or role."),
        Field(
            "example",
            "bool",
            "true for a made-up example reviewer; the publish build refuses pages signed off by one.",
            required=False,
            role=EDITOR,
        ),
    ],
    key="id",
)

REVIEWERS = Schema(
    "reviewers.yaml",
    "Clinicians who may sign off pages.",
    [Field("reviewers", "records", "The reviewers.", schema=REVIEWER)],
)

TERM = Schema(
    "term",
    "A word or phrase to avoid, with what to say instead.",
    [
        Field("id", "id", "Short id, shown in messages.", role=EDITOR),
        Field("pattern", "str", "Python regular expression (case-insensitive unless case_sensitive).", role=EDITOR),
        Field("preferred", "list", "What to write instead.", role=EDITOR),
        Field(
            "severity", "enum", "error fails the build; warning is reported.", choices=("error", "warning"), role=EDITOR
        ),
        Field("category", "str", "Group, for editors.", role=EDITOR),
        Field("rationale", "text", "Why, in our own words.", role=EDITOR),
        Field(
            "scope",
            "enum",
            "`suicide` limits the term to pages about suicide.",
            required=False,
            choices=("suicide",),
            role=EDITOR,
        ),
        Field("allow_contexts", "list", "Regexes near a hit that make it acceptable.", required=False, role=EDITOR),
        Field("case_sensitive", "bool", "Match case exactly.", required=False, role=EDITOR),
        Field("notes", "text", "Notes for editors.", required=False, role=EDITOR),
        Field("source_urls", "list", "Keys of `sources` this rule rests on.", required=False, role=EDITOR),
    ],
    key="id",
)

TRIGGER = Schema(
    "review trigger",
    "A phrase that sends a page to a clinician on a suicide page; never fails the build.",
    [
        Field("id", "id", "Short id.", role=EDITOR),
        Field("scope", "enum", "Pages it applies to.", required=False, choices=("suicide",), role=EDITOR),
        Field("pattern", "str", "Python regular expression.", role=EDITOR),
        Field("why", "text", "Why a human must look.", role=EDITOR),
        Field(
            "only_without_help",
            "bool",
            "true: fire only on a page without the in-body 988 block (`::: crisis-help`).",
            required=False,
            role=EDITOR,
        ),
        Field("source_urls", "list", "Keys of `sources`.", required=False, role=EDITOR),
    ],
    key="id",
)

LANGUAGE = Schema(
    "language.yaml",
    "Person-first, non-stigmatizing language and safe messaging about suicide.",
    [
        Field("version", "int", "Format version.", role=EDITOR),
        Field(
            "language",
            "enum",
            "The language of the terms (data/es/language.yaml: `es`); English when left out.",
            required=False,
            choices=tuple(LANGUAGES),
            role=EDITOR,
        ),
        Field("compiled", "str", "When the list was compiled.", role=EDITOR),
        Field(
            "sources",
            "record",
            "Source keys and addresses.",
            required=False,
            schema=Schema("sources", "Any key: an address.", []),
            role=EDITOR,
        ),
        Field("see_also_unverified", "list", "Sources not read in full.", required=False, role=EDITOR),
        Field("global_allow", "list", "Proper names in which a flagged word is correct (regexes).", role=EDITOR),
        Field(
            "suicide_page_detector",
            "str",
            "Regex: a page that matches twice (or in a heading) is about suicide.",
            role=EDITOR,
        ),
        Field("terms", "records", "Terms to avoid.", schema=TERM, role=EDITOR),
        Field("review_triggers", "records", "Phrases for human review.", required=False, schema=TRIGGER, role=EDITOR),
    ],
)

CORRECTION = Schema(
    "correction",
    "One correction to a page: shown at the end of that page and on the corrections page.",
    [
        Field("date", "date", "When the page was corrected (not in the future)."),
        Field("page", "page", "The Markdown file that was corrected, under content/.", example="guides/what-is-iop.md"),
        Field("what", "str", "What changed, in one plain sentence.", role=PROSE),
        Field("why", "str", "Why it changed, in one plain sentence.", role=PROSE),
    ],
)

CORRECTIONS = Schema(
    "corrections.yaml",
    "The public record of corrections: every change that fixed a mistake a reader could have relied on. "
    "Never invent an entry; `corrections: []` is a valid file.",
    [Field("corrections", "records", "The corrections, newest first.", schema=CORRECTION)],
)

DATED_FACT = Schema(
    "dated fact",
    "A fact that holds only until a date: a rule with an end date, or a rule to check again by a date. A page "
    "shows it with `[As of: ID]` (or `[as of: ID]` inside a sentence), which readers see as 'As of December "
    "2026'. The build warns 30 days before `until`; once `until` has passed, a preview build warns and a publish "
    "build refuses every page that shows it. Writing an 'as of' date by hand is an error.",
    [
        Field("id", "id", "Short id, used in `[As of: ID]`.", example="dea-video-prescribing", role=EDITOR),
        Field("what", "str", "What the fact is, in one line, for editors and the review desk.", role=EDITOR),
        Field(
            "as_of",
            "date",
            "The date the sources describe: readers see its month and year ('As of December 2026').",
            past=True,
        ),
        Field(
            "until",
            "date",
            "The day the rule ends (kind `ends`) or by which it must be checked again (kind `recheck`). Part of "
            "the sign-off although readers do not see it: moving it sends the pages that show the fact back to "
            "review, so a new date is checked by a clinician.",
        ),
        Field(
            "kind",
            "enum",
            "`ends`: the rule stops on `until`; `recheck`: check by `until` that it still holds.",
            choices=("ends", "recheck"),
            role=EDITOR,
        ),
        Field("citations", "citations", "The sources the fact rests on.", example="key-a, key-b", role=EDITOR),
        Field("check", "str", "Where and how to check it again.", role=EDITOR),
        Field(
            "also_in",
            "list",
            "Places that state the fact where no marker can go (a plain-text table cell), listed on the review desk.",
            required=False,
            role=EDITOR,
        ),
    ],
    key="id",
)

DATED_FACTS = Schema(
    "dated_facts.yaml",
    "Facts that hold only until a date, with the day each runs to: the build warns before it passes, the "
    "review desk lists them, and readers see their 'as of' date beside them.",
    [Field("facts", "records", "The dated facts.", schema=DATED_FACT)],
)

#: Data file name -> (schema, the codes its problems are reported with). A new data file is its Schema
#: above and one line here, with the prefix of its codes (PREFIX001-008 and PREFIX012: docs/codes.md).
DATA_FILES = {
    "references.yaml": (REFERENCES, codes.family("REF")),
    "care_levels.yaml": (CARE_LEVELS, codes.family("CARE")),
    "faqs.yaml": (FAQS, codes.family("FAQ")),
    "crisis.yaml": (CRISIS, codes.family("CRISIS")),
    "reviewers.yaml": (REVIEWERS, codes.family("REV")),
    "language.yaml": (LANGUAGE, codes.family("LANG")),
    # Corrections have no id of their own, so no duplicates: two corrections of one page on one day are fine.
    "corrections.yaml": (CORRECTIONS, codes.family("CORR", ids=False)),
    "dated_facts.yaml": (DATED_FACTS, codes.family("DATE")),
}
for _name, (_schema, _codes) in DATA_FILES.items():
    codes.add_family(_name, _codes)

#: Data files that may be left out, and what a missing one stands for (it is checked as if written).
#: A file whose empty form is a valid state of the site belongs here, so fixture sites (and new
#: sites) need not carry it; every other data file is required (a missing one is an error).
EMPTY_WHEN_MISSING = {
    "corrections.yaml": "corrections: []\n",
    "dated_facts.yaml": "facts: []\n",
}

TRANSLATION_METHODS = ("translation", "transcreation")

TRANSLATED_FROM = Schema(
    "translated_from",
    "Where a translated page (content/<lang>/...) comes from and who made it. The English page's "
    "fingerprint pins the translation: when the English page changes what a reader sees, the translation "
    "has drifted (a notice in preview; `make publish` publishes a short page with the crisis lines and a "
    "link to the English page instead). `make translate-pin` records the pin and who judged it.",
    [
        Field("source", "page", "The English page, under content/.", example="guides/what-is-iop.md", role=EDITOR),
        Field(
            "fingerprint",
            "str",
            "The English page's fingerprint the translation matches (`sha256:pending` until the first pin; "
            "written by `make translate-pin`, with its snapshot in data/<lang>/pins/).",
            role=EDITOR,
        ),
        Field("method", "enum", "How it was made.", choices=TRANSLATION_METHODS, role=EDITOR),
        Field("translator", "id", "Who translated it: an id of data/<lang>/translators.yaml.", role=EDITOR),
        Field(
            "language_reviewer",
            "id",
            "Who checked the language, not the translator: an id of data/<lang>/translators.yaml.",
            role=EDITOR,
        ),
        Field(
            "pinned",
            "date",
            "When the pin was recorded (by `make translate-pin`).",
            required=False,
            past=True,
            role=EDITOR,
        ),
        Field(
            "pinned_by",
            "id",
            "Who judged that the translation matches the pinned English page (by `make translate-pin`).",
            required=False,
            role=EDITOR,
        ),
    ],
)

FRONT_MATTER = Schema(
    "front matter",
    "The YAML block between `---` lines at the top of every Markdown file.",
    [
        Field("title", "str", "The page title, shown as its only `<h1>`.", role=PROSE),
        Field("summary", "str", "One or two plain sentences; used in lists and search results.", role=PROSE),
        Field("date", "date", "First published (required for guides).", required=False, past=True, role=EDITOR),
        Field("modified", "date", "Last changed.", required=False, past=True, role=EDITOR),
        Field("category", "str", "Section of a guide (for example `Understanding IOP`).", required=False),
        Field(
            "order",
            "int",
            "Position in its section or in the footer.",
            required=False,
            minimum=0,
            maximum=999,
            role=EDITOR,
        ),
        Field("key_points", "list", "Three to five short key points shown at the top.", required=False, role=PROSE),
        Field(
            "suicide_topic",
            "bool",
            "true when the page is about suicide or self-harm; adds the "
            "in-body 988 block and stricter safe-messaging checks.",
            required=False,
            role=EDITOR,
        ),
        Field("review", "record", "Clinical review record.", required=False, schema=REVIEW, role=EDITOR),
        Field(
            "clinical",
            "bool",
            "Not allowed (REVW021): no front-matter flag takes a page out of clinical review. The site owner lists "
            "the pages with no health content (privacy, 404) in IOP_REVIEW_EXEMPT in pelicanconf.py.",
            required=False,
            role=EDITOR,
        ),
        Field("slug", "str", "Address part; defaults to the file name.", required=False, role=EDITOR),
        Field(
            "status", "enum", "Pelican status.", required=False, choices=("published", "hidden", "draft"), role=EDITOR
        ),
        Field("save_as", "str", "Output file, for special pages such as 404.html.", required=False, role=EDITOR),
        Field("url", "str", "Address of a special page.", required=False, role=EDITOR),
        Field("template", "str", "Theme template to use instead of the default.", required=False, role=EDITOR),
        Field("nav_title", "str", "Shorter title for navigation.", required=False, role=EDITOR),
        Field(
            "lang",
            "enum",
            "The page's language; a page under content/<lang>/ is in that language, English elsewhere.",
            required=False,
            choices=tuple(LANGUAGES),
            role=EDITOR,
        ),
        Field(
            "translated_from",
            "record",
            "A translated page's record of its English page (required on every page under content/<lang>/).",
            required=False,
            schema=TRANSLATED_FROM,
            role=EDITOR,
        ),
    ],
)
