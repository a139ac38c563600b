"""Evidence checks after every page is read: uncited claims in data files, unused and old references.

(Uncited claims in a page's own text are a page rule: sitekit.checks.lint.uncited_claims.)
"""

from __future__ import annotations

from pelican import signals

from sitekit.checks.claims import find_claim
from sitekit.core.diagnostics import DIAG
from sitekit.core.settings import today
from sitekit.data.schema import prose_fields
from sitekit.data.schemas import DATA_FILES
from sitekit.data.translations import FILES
from sitekit.runtime.guard import guarded
from sitekit.runtime.state import RUN

OLD_YEARS = 10


@guarded
def check(_generators) -> None:
    data = RUN.data
    if data is None or not data.ok:
        return
    # Markdown prose in data files: a record's own `citations:` list supports all of it. A translated
    # record (data/<lang>/) is supported by its English record's list (same id), and read with the
    # triggers of its language ("16 por ciento", "los estudios muestran").
    cited_ids = set()
    for name, doc in data.docs.items():
        for record, fld, text, line in prose_fields(doc, DATA_FILES[name][0], markdown_only=True):
            if record.get("citations"):
                cited_ids.add((name, record.get("id")))
            _claim(record.get("citations"), text, "en", record, fld, line, name, data.file(name))
    for lang, edition in RUN.editions.items():
        for name, doc in edition.docs.items():
            if name not in FILES:
                continue
            for record, fld, text, line in prose_fields(doc, FILES[name], markdown_only=True):
                cited = (name, record.get("id")) in cited_ids or record.get("citations")
                _claim(cited, text, lang, record, fld, line, name, edition.file(name))
    cited = {key for info in RUN.pages.values() for key in info.cited}
    # A page that could not be read cites nothing: its references are not unused, that page is broken.
    unread = next((info.path for info in RUN.pages.values() if info.failed), None)
    because = DIAG.cause(unread) if unread else ""
    ref_file = data.file("references.yaml")
    this_year = today(RUN.settings).year
    for key, ref in data.references.items():
        if key not in cited:
            DIAG.warning(
                "REF010",
                ref_file,
                ref.line,
                f"reference '{key}' is not cited on any page",
                "cite it, or remove it from the list",
                because,
            )
        year = ref.get("year")
        if year and this_year - year > OLD_YEARS and not ref.get("classic"):
            DIAG.warning(
                "REF011",
                ref_file,
                ref.line_of("year"),
                f"reference '{key}' is from {year}, more than {OLD_YEARS} years ago",
                "look for a newer source, or mark it 'classic: true' with a comment saying why",
            )


def _claim(cited, text: str, lang: str, record, fld, line: int, name: str, file) -> None:
    claim = None if cited else find_claim(text, lang)
    if claim:
        ident = record.get("id") or record.get("key") or name
        DIAG.warning(
            "CLM001",
            file,
            line,
            f"{fld.name} of '{ident}' states {claim} with no citation",
            "cite a source with [@key] or under citations:",
        )


def register() -> None:
    signals.all_generators_finalized.connect(check)
