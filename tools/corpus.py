"""The generated corpus that `make bench` and `make profile` build: 1,000 guides beside the real ones,
and a settings file per variant (the full pipeline, vanilla Pelican, the plugin peer)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = [
    "asam-criteria-3rd-2013",
    "medicare-gov-iop-coverage",
    "mccarty-2014-iop-evidence",
    "samhsa-tip47-2006",
    "skime-2022-iop-telemental-health",
    "dol-mhpaea-overview",
]
PARAGRAPH = (
    "An intensive outpatient program gives several hours of care each week while you live at home. "
    "You meet in small groups and with your own clinician. Ask how many hours a week the program "
    "offers and how they are spread across the week. Your team reviews your progress with you and "
    "plans the next step when you are ready."
)


def plugins() -> list[str]:
    """The real site's PLUGINS, in order."""
    from pelican.settings import read_settings

    return list(read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"])


def make_corpus(folder: Path, n: int) -> None:
    """``n`` generated guides, plus the real site's guides (the FAQs in data/ link to them), so the
    corpus builds without errors whatever the editors write."""
    guides = folder / "guides"
    shutil.copytree(ROOT / "content" / "guides", guides)
    (folder / "pages").mkdir()
    for slug in ("about", "editorial-policy", "privacy"):
        (folder / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {slug.title()}\nsummary: The {slug} page.\n---\nText.\n", encoding="utf-8"
        )
    for i in range(n):
        key = KEYS[i % len(KEYS)]
        other = KEYS[(i + 1) % len(KEYS)]
        block = "\n::: care-levels levels=iop,php columns=hours,setting\n" if i % 3 == 0 else ""
        faqs = "\n::: faqs topic=basics\n" if i % 5 == 0 else ""
        body = "\n\n".join(
            [
                f"## Part one\n\n{PARAGRAPH}[@{key}]",
                f"{PARAGRAPH} IOP gives adults 9 to 19 hours a week[@{key}; @{other}].",
                f"## Part two\n\n{PARAGRAPH}\n{block}",
                f"- First point to ask about.\n- Second point to ask about.\n{faqs}",
            ]
        )
        (guides / f"guide-{i:04d}.md").write_text(
            f"---\ntitle: Generated guide number {i}\nsummary: A generated guide for the benchmark.\n"
            f"date: 2026-01-01\ncategory: {['Understanding IOP', 'Getting care', 'Support and help'][i % 3]}\n"
            f"order: {i % 100}\nkey_points:\n  - One point.\n  - Another point.\n"
            f"review:\n  status: in_review\n---\n{body}\n",
            encoding="utf-8",
        )


def settings_file(
    folder: Path,
    name: str,
    content: Path,
    output: Path,
    plugins=None,
    vanilla=False,
    cache=False,
    search=True,
    root: Path = ROOT,
    english_only=False,
) -> Path:
    """A settings file importing ``root``'s pelicanconf (another checkout's, for paired comparisons)."""
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(root)!r})",
        "from pelicanconf import *  # noqa",
        f"PATH = {str(content)!r}",
        f"OUTPUT_PATH = {str(output)!r}",
        f"IOP_CACHE = {cache!r}",
        f"IOP_SEARCH = {search!r}",
    ]
    if plugins is not None:
        lines.append(f"PLUGINS = {plugins!r}")
    if english_only:  # the site without its second language (content/es/ and data/es/ left out)
        lines += ['IOP_LANGUAGES = ("en",)', 'ARTICLE_PATHS = ["guides"]', 'PAGE_PATHS = ["pages"]']
    if vanilla:
        lines += [
            "PLUGINS = []",
            "THEME = 'notmyidea'",
            "JINJA_FILTERS = {}",
            "DIRECT_TEMPLATES = ['index']",
            "MARKDOWN = {'extensions': ['markdown.extensions.extra', 'markdown.extensions.toc'],"
            " 'output_format': 'html5'}",
        ]
    path = folder / f"{name}.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bib(references: dict) -> str:
    """A BibTeX file of the site's references, for pelican-cite2."""
    out = []
    for key, ref in references.items():
        fields = {"title": ref["title"], "author": ref.get("authors", ""), "publisher": ref["container"]}
        if ref.get("year"):
            fields["year"] = str(ref["year"])
        body = ",\n".join(f"  {k} = {{{v.replace('{', '').replace('}', '')}}}" for k, v in fields.items())
        out.append(f"@misc{{{key},\n{body}\n}}")
    return "\n\n".join(out) + "\n"
