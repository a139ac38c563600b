"""`make reading`: the reading level of every page (body, key points and FAQ answers), the guides'
median, and the home and section pages (their introduction and the guides' summaries).

The clinician's review desk, which shows each page's reading level beside everything else a
reviewer needs, is sitekit.commands.desk (`make review`).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

#: Pages made from templates alone, whose words (guide summaries, the home page's introduction) have
#: no Markdown file to measure: measured on the written HTML.
LISTING_PAGES = ("index.html", "sections/*/index.html")


def listing_reading(output: Path) -> list[tuple[str, dict]]:
    """(page, reading) of the home page and each section page, measured as the build measures a guide:
    SMOG and Flesch-Kincaid of everything a reader reads in <main> (paragraphs and list items: the
    introduction and each guide's summary), not headings (the guides' titles) or the report line."""
    import lxml.html

    from ..checks.lint import READING_MIN_SENTENCES
    from ..checks.readability import textstat
    from ..text.normalize import fold
    from ..text.textprep import sentences

    ts = textstat()
    found = []
    for pattern in LISTING_PAGES:
        for page in sorted(output.glob(pattern)):
            main = lxml.html.fromstring(page.read_bytes()).find(".//main")
            if main is None:
                continue
            blocks = [
                " ".join(el.text_content().split())
                for el in main.iter("p", "li")
                if not el.xpath("ancestor-or-self::*[@data-report]") and not el.xpath(".//p|.//li")
            ]
            sents = sentences([(0, text) for block in blocks if block for text in (block, "")])
            if len(sents) < READING_MIN_SENTENCES:
                continue
            text = fold(" ".join(s for _line, s in sents), marks=True)  # as sitekit.checks.lint reads a guide
            reading = {
                "smog": round(ts.smog_index(text), 1),
                "fk": round(ts.flesch_kincaid_grade(text), 1),
                "sentences": len(sents),
            }
            found.append((page.relative_to(output).as_posix(), reading))
    return found


def reading_table(settings: str = "pelicanconf.py") -> int:
    """Print the reading level of every page (body, key points and FAQ answers), the guides' median,
    and the home and section pages (their introduction and the guides' summaries)."""
    import statistics

    from ..core.diagnostics import DIAG
    from ..runtime.build import build
    from ..runtime.state import RUN

    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "output"
        build(settings, overrides={"OUTPUT_PATH": str(output)}, stream=io.StringIO())
        reports = [
            (DIAG.relpath(path), info.reading)
            for path, info in sorted(RUN.pages.items(), key=lambda item: DIAG.relpath(item[0]))
            if info.reading
        ]
        listings = listing_reading(output)
    spanish = [(path, reading) for path, reading in reports if "smog" not in reading]
    reports = [(path, reading) for path, reading in reports if "smog" in reading]
    print(f"{'page':<48} {'SMOG':>5} {'FK':>5} {'sentences':>9}")
    for path, reading in reports:
        print(f"{path:<48} {reading['smog']:>5} {reading['fk']:>5} {reading['sentences']:>9}")
    for rel, reading in listings:
        print(f"{'output/' + rel:<48} {reading['smog']:>5} {reading['fk']:>5} {reading['sentences']:>9}")
    guides = [reading for path, reading in reports if "/guides/" in path]
    if guides:
        print(
            f"guides: median SMOG {statistics.median(g['smog'] for g in guides):.1f}, "
            f"highest SMOG {max(g['smog'] for g in guides)}, highest Flesch-Kincaid {max(g['fk'] for g in guides)}"
        )
    if listings:
        print(
            f"home and section pages: highest SMOG {max(r['smog'] for _p, r in listings)}, "
            f"highest Flesch-Kincaid {max(r['fk'] for _p, r in listings)}"
        )
    if spanish:
        # Reading ease, higher is easier (content-standards es.5): Fernández-Huerta and Szigriszt-Pazos (INFLESZ).
        print(f"\n{'page in Spanish':<48} {'F-H':>5} {'S-P':>5} {'words':>6} {'sentences':>9}")
        for path, g in spanish:
            print(
                f"{path:<48} {g['fernandez_huerta']:>5} {g['szigriszt_pazos']:>5} {g['words']:>6} {g['sentences']:>9}"
            )
        print(
            f"Spanish pages: lowest Fernández-Huerta {min(g['fernandez_huerta'] for _p, g in spanish)}, "
            f"lowest Szigriszt-Pazos {min(g['szigriszt_pazos'] for _p, g in spanish)}"
        )
    return 0
