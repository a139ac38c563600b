"""Every finding code the build can report: its usual severity and what it means.

A code is always written out in full where it is reported (``grep FM005`` finds the place), and
`Diagnostics.report` refuses a code that is not listed here, so this table and the build cannot
drift apart. `make docs` writes docs/codes.md from it. Severity is the usual one: a publish build
promotes the warnings named in IOP_PROMOTE_WARNINGS to errors, and LNG terms take theirs from
data/language.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    meaning: str


class SchemaCodes(NamedTuple):
    """The codes the schema checker reports for one data file (or for front matter)."""

    syntax: str  # the YAML cannot be read
    missing: str  # a required field, or the file itself, is missing
    malformed: str  # a value has the wrong form (not a DOI, not a date, not an allowed value)
    wrong_type: str  # a value has the wrong type (text where a list belongs)
    unknown_field: str  # a field the schema does not know (often a typo)
    duplicate: str | None  # an id that must be unique is used twice
    unknown_ref: str | None  # a reference key, topic or reviewer that does not exist
    impossible: str  # a value that cannot be true (a future date, min above max)
    markup: str  # HTML in a plain-text field (it would show as written), or HTML the sanitizer removes


_SCHEMA_MEANINGS = {
    "syntax": "YAML syntax error",
    "missing": "missing file or required field",
    "malformed": "malformed value",
    "wrong_type": "value of the wrong type",
    "unknown_field": "unknown field (often a typo)",
    "duplicate": "duplicate id",
    "unknown_ref": "unknown reference key, topic or id",
    "impossible": "impossible value (out of range, in the future, min above max)",
    "markup": "HTML in a plain-text field",
}

#: The number of each kind of problem in a data file's codes: REF001 is a syntax error in references.yaml.
_NUMBERS = {
    "syntax": 1,
    "missing": 2,
    "malformed": 3,
    "wrong_type": 4,
    "unknown_field": 5,
    "duplicate": 6,
    "unknown_ref": 7,
    "impossible": 8,
    "markup": 12,
}


def family(prefix: str, ids: bool = True) -> SchemaCodes:
    """A data file's codes, PREFIX001 to PREFIX008 and PREFIX012 (sitekit.data.schemas.DATA_FILES gives
    the prefix); ``ids=False`` for a file whose records have no id of their own (no duplicate-id code)."""
    return SchemaCodes(*(None if k == "duplicate" and not ids else f"{prefix}{n:03d}" for k, n in _NUMBERS.items()))


# Front matter has no lists of records, so no duplicate ids (a duplicate key is a YAML error), and no field
# whose unknown key is a schema error: the records it names have codes of their own (reviewers REVW001,
# translators TRN022, translated_from.source TRN021, sections FM022, templates FM023, citations CIT001),
# so no FM007. Its syntax code is FM010: FM001 is a file with no front matter at all.
FM = SchemaCodes("FM010", "FM002", "FM003", "FM004", "FM005", None, None, "FM008", "FM012")

#: Data file (or "front matter") -> its codes. Each data file's family is added with its entry in
#: sitekit.data.schemas.DATA_FILES (`add_family`), so the list is never kept by hand.
SCHEMA_FAMILIES: dict[str, SchemaCodes] = {}

_OWN = [
    # Front matter and the Markdown files themselves
    Code("FM001", ERROR, "A Markdown file has no front matter block."),
    Code("FM006", ERROR, "A Markdown file is not UTF-8 text."),
    Code("FM020", ERROR, "A front-matter value that decides where or how a page is written is not allowed."),
    Code("FM021", ERROR, "Two pages would be written to the same file."),
    Code("FM022", ERROR, "A guide names a section that is not in SECTIONS."),
    Code("FM023", ERROR, "A page names a template the theme does not have."),
    Code("FM024", ERROR, "A page leaves the clinical-review gate but has clinical content, or is a guide."),
    Code("FM025", ERROR, "A file in the content folders that the site does not read (only Markdown is read)."),
    # Citations and data blocks
    Code("CIT001", ERROR, "A citation names a key that is not in data/references.yaml."),
    Code("CIT002", ERROR, "A citation is malformed or never closed."),
    Code("BLK001", ERROR, "Unknown data block name after ':::'."),
    Code("BLK002", ERROR, "A data block option is unknown, malformed or missing."),
    Code("BLK003", ERROR, "A data block names a level, column, topic or other option value that does not exist."),
    # Evidence
    Code("CLM001", WARNING, "A statistic or an appeal to research with no citation in its paragraph."),
    Code("REF010", WARNING, "A reference is not cited on any page."),
    Code("REF011", WARNING, "A reference is more than ten years old and not marked classic."),
    # Language, safe messaging, reading level
    Code("LNG001", ERROR, "A stigmatizing term or unsafe phrase from data/language.yaml."),
    Code("LNG002", WARNING, "A term to reconsider (or an error term inside a quotation)."),
    Code("LNG010", WARNING, "A phrase on a page about suicide that a clinician must look at."),
    Code("RDL001", WARNING, "Reading level above the target."),
    # Unsafe content
    Code("SAFE001", ERROR, "HTML in Markdown that the sanitizer removes (a tag or attribute not on its allowlist)."),
    Code("SAFE002", ERROR, "An event-handler attribute (on...=) in Markdown."),
    Code("SAFE003", ERROR, "An address whose scheme is not allowed (only https:, mailto:, tel:, sms:, relative, #)."),
    Code("SAFE004", ERROR, "Markdown nested deeper than the site allows (lists or quotes)."),
    Code("SAFE005", ERROR, "An image that would load from another website."),
    Code("SAFE010", ERROR, "A page about suicide has no in-body 988 block near the top."),
    Code("SAFE021", ERROR, "A page shows the ended 988 'press 3' option."),
    Code("SAFE022", ERROR, "A page shows the old Lifeline number 1-800-273-8255."),
    # Clinical review
    Code("REVW001", ERROR, "The review record names an unknown reviewer."),
    Code("REVW002", ERROR, "The review record has impossible dates."),
    Code("REVW003", ERROR, "A page is marked approved without a complete sign-off record."),
    Code("REVW010", ERROR, "A page awaiting review cannot be published."),
    Code("REVW011", WARNING, "A page awaiting review was left out of the published site."),
    # Translations (issue 28): the language edition's words, records, drift and hreflang
    Code("ES013", ERROR, "A text of the theme or the build has no translation in data/<lang>/ui.yaml."),
    Code("ES014", WARNING, "A translation in data/<lang>/ui.yaml that no template or setting uses."),
    Code(
        "ES016", ERROR, "A template writes words outside _(), which a page in another language would show in English."
    ),
    Code("ES015", ERROR, "A page's 'lang:' does not match its folder (content/<lang>/ is in <lang>)."),
    Code("ES021", WARNING, "A number in a Spanish page written the English way (1,062; 16%)."),
    Code("ES020", WARNING, "Reading ease of a page in Spanish below its targets (Fernández-Huerta, Szigriszt-Pazos)."),
    Code("TRN020", ERROR, "A translated page has no 'translated_from:' record."),
    Code("TRN021", ERROR, "A translated page's source is not an English page of the build, or its slug differs."),
    Code(
        "TRN022", ERROR, "A translated page names an unknown translator or language reviewer, or the same person twice."
    ),
    Code(
        "TRN023",
        ERROR,
        "A translation's pin cannot be trusted: its snapshot is missing or does not match the fingerprint.",
    ),
    Code("TRN024", ERROR, "A translation cites a source its English page does not, and not one in its own language."),
    Code("TRN025", WARNING, "A translation does not cite a source its English page cites."),
    Code("TRN026", ERROR, "A publish build refuses a translation made or checked by an example person."),
    Code(
        "TRN027",
        ERROR,
        "A translation lacks a dated-fact marker [As of: id] that its English text has, or has one it lacks.",
    ),
    Code("TRN030", WARNING, "A change to an English page (at its file and line) since its translation was pinned."),
    Code(
        "TRN031", WARNING, "A translation has drifted from its English page (or was never pinned): shown with a notice."
    ),
    Code(
        "TRN032", WARNING, "A drifted translation is withheld; a short page with the crisis lines is published instead."
    ),
    Code("TRN040", ERROR, "A page's hreflang set is not reciprocal, or names a page the build did not write."),
    Code(
        "REVW020",
        WARNING,
        "A signed-off page (or the crisis banner) went back to review: the message names what changed.",
    ),
    Code(
        "REVW021",
        ERROR,
        "A page's front matter has 'clinical:'; only the owner's IOP_REVIEW_EXEMPT takes a page out of review.",
    ),
    Code("REVW022", WARNING, "IOP_REVIEW_EXEMPT names a file that is not a page of the site."),
    Code(
        "REVW023", ERROR, "A publish build refuses the site while the crisis banner and help lines are not signed off."
    ),
    # Dated facts (data/dated_facts.yaml) and the monthly check of the crisis lines
    Code("DATE020", WARNING, "A dated fact runs out, or the crisis lines are due for their check, within days."),
    Code("DATE021", WARNING, "A dated fact has run out, or the crisis lines are overdue for their check (preview)."),
    Code(
        "DATE022",
        ERROR,
        "A publish build refuses a dated fact that has run out, or crisis lines overdue for their check.",
    ),
    Code("DATE023", ERROR, "An 'as of' date written by hand: dated facts use [As of: ID] and data/dated_facts.yaml."),
    Code("DATE024", ERROR, "An [As of: ID] marker names no dated fact, or sits where it cannot be shown."),
    Code("DATE025", WARNING, "A dated fact that no page shows."),
    # Checks on the written HTML
    Code("OUT000", ERROR, "A written page cannot be parsed as HTML."),
    Code("OUT001", ERROR, "A page has no crisis banner."),
    Code("OUT002", ERROR, "A page has no <main>, or the crisis banner comes after it."),
    Code("OUT003", ERROR, "The crisis banner lacks a required link."),
    Code("OUT004", ERROR, "A tel: or sms: link dials digits other than the ones its text (or aria-label) shows."),
    Code("OUT005", ERROR, "The crisis banner is hidden."),
    Code("OUT006", ERROR, "The crisis banner is not excluded from the search index."),
    Code("OUT010", ERROR, "A page does not have exactly one <h1>."),
    Code("OUT011", ERROR, "An image has no alt text."),
    Code("OUT012", ERROR, "A page loads something from another origin."),
    Code("OUT013", ERROR, "An internal link leads to no page."),
    Code("OUT014", ERROR, "A link's #anchor matches no element."),
    Code("OUT015", ERROR, "A page loads a local file (image, stylesheet, script, icon) that is not in the output."),
    Code("OUT016", ERROR, "A table has no caption, or a header cell has no scope."),
    # Images (sitekit.content.images)
    Code("IMG001", ERROR, "An image has no alt text (a description for readers who cannot see it)."),
    Code("IMG002", ERROR, "An image is not in content/images/, where the guides' images go."),
    Code("IMG003", ERROR, "An image names a file in content/images/ that does not exist."),
    Code("IMG004", WARNING, "An image is larger than IOP_IMAGE_BUDGET (bytes or pixels); publish refuses it."),
    Code("IMG005", ERROR, "An image file is not a format every browser shows safely (WebP, PNG, JPEG, GIF, AVIF)."),
    Code("IMG006", WARNING, "A file in content/images/ is shown on no page."),
    # Spelling (sitekit.checks.spelling)
    Code("SPL001", WARNING, "A word is not in the dictionary or the project's word list (data/words.txt)."),
    # What an editor or the site owner left that must not be published
    Code("EDT001", ERROR, "A publish build's SITEURL is missing, an example address, or not https://."),
    Code("EDT002", WARNING, "A page still has the text `make new` wrote; publish refuses it."),
    Code(
        "EDT003",
        WARNING,
        "A page links to an address only the preview has (127.0.0.1, localhost, /__live/, /_review/); "
        "publish refuses it.",
    ),
    Code(
        "EDT004",
        ERROR,
        "A preview build would write into the publish folder, or a publish build into a preview folder.",
    ),
    Code(
        "OUT050",
        ERROR,
        "A link holds characters drawn differently from how they are read: bidi controls anywhere; in a "
        "tel: or sms: link, or any address, invisible format characters and digits outside ASCII.",
    ),
    # Facts only the site owner can give, and the deploy files
    Code("OWN001", WARNING, "A '[TO FILL IN: ...]' placeholder is shown (preview build)."),
    Code("OWN002", ERROR, "A publish build refuses a '[TO FILL IN: ...]' placeholder."),
    Code("HDR001", ERROR, "The deploy files' Content-Security-Policy would block this build's inline CSS."),
    # Settings, build, templates, search
    Code("SET001", ERROR, "A setting has a value the site cannot use."),
    Code("SRCH001", ERROR, "The Pagefind search index was not built."),
    Code("TPL001", ERROR, "A template has a syntax error."),
    Code("TPL002", ERROR, "A template failed while rendering (unknown variable, filter or template)."),
    Code("PEL001", ERROR, "Pelican itself reported an error."),
    Code("PEL002", WARNING, "Pelican itself reported a warning."),
    Code("BUILD001", ERROR, "An unexpected error in the site's code (a bug: the message names the file and where)."),
    Code("BUILD002", ERROR, "A check took longer than its time limit (IOP_CHECK_SECONDS)."),
    Code("BUILD003", ERROR, "The build was stopped (Ctrl-C or a stop signal); output/ was left as it was."),
    Code("BUILD004", WARNING, "The worker process died; its checks were run again in the build process."),
    # What the build may delete, write and read (sitekit.runtime.paths)
    Code(
        "GRD001",
        ERROR,
        "The output folder (OUTPUT_PATH or -o) is one a build must not delete: empty, the project or a folder "
        "above it, a folder the build reads, a file, or a folder holding files the build did not write.",
    ),
    Code("GRD002", ERROR, "The built site could not replace the output folder; the output was left as it was."),
    Code("GRD010", ERROR, "A symlink in content/, data/ or the theme leads outside the project."),
    Code("GRD011", ERROR, "A symlink in content/, data/ or the theme leads nowhere, or round in a loop."),
]


#: Warnings a publish build always refuses, whatever IOP_PROMOTE_WARNINGS says (the preview marks them).
REFUSED_BY_PUBLISH = frozenset({"EDT002", "EDT003"})
#: Warnings of a preview build that a publish build reports as errors under another code: what the review
#: desk and `make approve` count as a finding publish would refuse (with the codes of IOP_PROMOTE_WARNINGS).
PUBLISH_ERRORS = {"OWN001": "OWN002", "DATE021": "DATE022"}


def refused_by_publish(promote) -> frozenset:
    """The warning codes a preview build marks "publish refuses this": the ones publish promotes
    (IOP_PROMOTE_WARNINGS), the ones it always refuses, and the ones it reports under another code.
    The build's notices, the review desk and `make approve` all ask this one function."""
    return frozenset(promote or ()) | REFUSED_BY_PUBLISH | frozenset(PUBLISH_ERRORS)


def _schema_codes(name: str, codes: SchemaCodes) -> list[Code]:
    return [
        Code(code, ERROR, f"{_SCHEMA_MEANINGS[kind][0].upper()}{_SCHEMA_MEANINGS[kind][1:]} in {name}.")
        for kind, code in codes._asdict().items()
        if code is not None
    ]


#: code -> Code, for every code the build can report.
CODES: dict[str, Code] = {c.code: c for c in _OWN}


def add_family(name: str, codes: SchemaCodes) -> None:
    """Register the codes of one data file's (or front matter's) schema problems."""
    SCHEMA_FAMILIES[name] = codes
    CODES.update((c.code, c) for c in _schema_codes(name, codes))


add_family("front matter", FM)
