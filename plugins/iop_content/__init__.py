"""Read Markdown with YAML front matter; expand citations and data blocks; report by line.

Only this reader reads content: Pelican's own HTML and reStructuredText readers are switched off,
so no page reaches readers without passing the checks here. Front-matter keys that decide where
and how a page is written (slug, save_as, url, template, status, category) take only
the values the site needs, and no two pages may be written to the same file.
"""

from __future__ import annotations

import re
from pathlib import Path

from pelican import signals
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE, YAMLMetadataReader
from pelican.readers import MarkdownReader

from sitekit.checks.publishing import template_lines
from sitekit.commands import newguide
from sitekit.content import images
from sitekit.content.markdown_ext import PageRender, SiteExtension, partials_env
from sitekit.core import codes
from sitekit.core.diagnostics import DIAG, did_you_mean
from sitekit.core.lang import DEFAULT as DEFAULT_LANG
from sitekit.core.pages import PageInfo, content_rel
from sitekit.core.settings import placeholders, today
from sitekit.data import schema as sch
from sitekit.data.schemas import FRONT_MATTER
from sitekit.data.yamlload import LineDict, YamlError, loads
from sitekit.runtime import cache
from sitekit.runtime.guard import CheckTimeoutError, guarded, report_exception, time_limit
from sitekit.runtime.state import RUN
from sitekit.text.inlinegate import InlineGateExtension


class ReaderTools:
    """The Markdown converter (with the site's extension) and the partials' Jinja environment of a build."""

    def __init__(self, settings):
        from markdown import Markdown

        self.ext = SiteExtension()
        md_settings = dict(settings["MARKDOWN"])
        # The inline gate last: it takes over the inline passes every other extension has set up.
        md_settings["extensions"] = [
            e for e in md_settings.get("extensions", []) if e != "markdown.extensions.meta"
        ] + [self.ext, InlineGateExtension()]
        self.md = Markdown(**md_settings)
        self.env = partials_env(settings)


class SiteReader(YAMLMetadataReader):
    """YAML front matter (via pelican-yaml-metadata) with line-numbered validation."""

    def __init__(self, *args, **kwargs):
        # YAMLMetadataReader.__init__ only builds a Markdown instance this reader never uses; Pelican
        # makes a dozen readers per build, so skip it and share one set of tools per build instead.
        MarkdownReader.__init__(self, *args, **kwargs)

    def _tools(self) -> ReaderTools:
        if RUN.reader is None:
            RUN.reader = ReaderTools(self.settings)
        return RUN.reader

    def read(self, source_path):
        path = str(source_path)
        before = len(DIAG.findings)
        try:
            with time_limit(RUN.settings.get("IOP_CHECK_SECONDS", 0), f"reading {Path(path).name}"):
                content, metadata = self._read(path)
        except CheckTimeoutError as exc:
            DIAG.error("BUILD002", path, 0, str(exc), "something in this file makes it very slow to convert")
            content, metadata = "", self._fallback(path)
        except Exception as exc:  # noqa: BLE001 - reported with this file; the build goes on and then fails
            report_exception(exc, path, "reading this file")
            content, metadata = "", self._fallback(path)
        info = RUN.pages.setdefault(path, PageInfo(path))
        cache.remember(metadata, info, DIAG.findings[before:])
        return content, metadata

    def _read(self, path: str):
        info = PageInfo(path)
        RUN.pages[path] = info
        try:
            # utf-8-sig: a byte-order mark that some editors save is not part of the text
            text = Path(path).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            DIAG.error("FM006", path, 1, f"file is not UTF-8 text ({exc.reason})", "save it as UTF-8")
            return "", self._fallback(path)
        info.placeholders = placeholders(text)  # reported by iop_trust
        m = HEADER_RE.fullmatch(text)
        if not m and text.lstrip().startswith("---"):
            line = _front_matter_end(text)
            DIAG.error(
                "FM001",
                path,
                line,
                "the front matter starts with '---' but has no closing '---' line",
                f"add a line with only '---' after the last 'name: value' line (before line {line}, where the page's "
                "text starts)",
            )
            return "", self._fallback(path)
        if not m or text.lstrip()[:3] != "---":
            DIAG.error(
                "FM001",
                path,
                1,
                "missing front matter",
                "start the file with a '---' line, then 'title:' and 'summary:', then '---'",
            )
            return "", self._fallback(path)
        open_line = text[: m.start("metadata")].count("\n") + 1
        info.body_line = text[: m.start("content")].count("\n") + 1
        info.body = m.group("content")
        meta = self._front_matter(m.group("metadata"), path, open_line)
        if meta is None:
            return "", self._fallback(path)
        info.front_matter = meta
        info.lang = _language(info, path, self.settings)
        tools = self._tools()
        page = PageRender(info, RUN.data_for(info.lang), tools.env, _translator(info.lang))
        tools.ext.page = page
        try:
            html = page.clean(tools.md.reset().convert(info.body))
        finally:
            tools.ext.page = None
        info.cited = page.cites.cited
        for line, what in template_lines(meta, info.prose_lines, newguide.SUMMARY, newguide.HINT):
            DIAG.warning(
                "EDT002",
                path,
                line,
                f"{what} is still the text `make new` wrote",
                "write the page's own text here; publish refuses the template's",
            )
        metadata = self._parse_yaml_metadata(dict(meta), path)
        metadata["citations"] = [page.cites.references[k] | {"n": page.cites.numbers[k]} for k in info.cited]
        metadata["faqs"] = info.faqs
        metadata["source_rel"] = DIAG.relpath(path)
        metadata["lang"] = info.lang
        return html + page.references_html(), metadata

    def _front_matter(self, text: str, path: str, open_line: int):
        try:
            meta = loads(text, first_line=open_line)
        except YamlError as exc:
            DIAG.error("FM010", path, exc.line, f"front matter: {exc.message}", exc.hint)
            return None
        if not isinstance(meta, LineDict):
            DIAG.error(
                "FM004",
                path,
                open_line,
                "front matter should be 'name: value' lines",
                "for example: title: What is IOP?",
            )
            return None
        shift = open_line - 1
        _shift_lines(meta, shift)
        checker = sch.Checker(path, codes.FM, today=today(RUN.settings))
        checker.record(meta, FRONT_MATTER, open_line)
        is_article = _is_article(path, self.settings)
        if is_article and "date" not in meta:
            checker.err(
                "missing",
                open_line,
                "missing required field 'date' for a guide",
                "add 'date: YYYY-MM-DD' (first published)",
            )
        ok = _check_output_keys(meta, path, is_article, self.settings, _folder_language(path, self.settings))
        return meta if checker.ok and ok else None

    def _fallback(self, path: str) -> dict:
        # Keep the build going so every problem of the run is reported; it fails at the end. Links to
        # this page then lead nowhere: those errors follow from this one (iop_output folds them under it).
        RUN.pages.setdefault(path, PageInfo(path)).failed = True
        return {
            "title": Path(path).stem,
            "status": "draft",
            "summary": "",
            "lang": _folder_language(path, self.settings),
        }


#: save_as / url values a page may set: only the 404 page needs one (a translation's, in its folder:
#: es/404.html, which the hosts serve for a missing address under /es/).
SPECIAL_OUTPUTS = {"404.html"}


def _special_outputs(lang: str) -> set[str]:
    return SPECIAL_OUTPUTS if lang == DEFAULT_LANG else {f"{lang}/{name}" for name in SPECIAL_OUTPUTS}


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_output_keys(meta, path: str, is_article: bool, settings, lang: str = DEFAULT_LANG) -> bool:
    """Front-matter values that decide where and how the page is written: only what the site needs."""
    ok = True
    kind = "a guide" if is_article else "a page"

    def err(code: str, key: str, message: str, hint: str) -> None:
        nonlocal ok
        ok = False
        DIAG.error(code, path, meta.line_of(key), message, hint)

    slug = meta.get("slug")
    if slug is not None and not SLUG_RE.match(str(slug)):
        err("FM020", "slug", f"slug '{slug}' is not allowed", "use lower-case letters, digits and single hyphens")
    for key in ("save_as", "url"):
        value = meta.get(key)
        if value is None:
            continue
        allowed = _special_outputs(lang)
        if is_article or str(value) not in allowed:
            err(
                "FM020",
                key,
                f"{key} '{value}' is not allowed in {kind}",
                "leave it out: the address comes from the file name (only the 404 page sets it, to "
                f"{' or '.join(sorted(allowed))})",
            )
    template = meta.get("template")
    if template is not None:
        available = sorted(
            p.stem for p in (Path(settings["THEME"]) / "templates").glob("*.html") if p.stem not in ("base", "index")
        )
        if str(template) not in available:
            err(
                "FM023",
                "template",
                f"unknown template '{template}'",
                did_you_mean(template, available) or f"templates: {', '.join(available)}",
            )
    if is_article and meta.get("status") == "hidden":
        err("FM020", "status", "a guide cannot be hidden", "use status: draft to keep it out of the site")
    category = meta.get("category")
    sections = list(settings.get("SECTIONS", []))
    if is_article and category is not None and sections and str(category) not in sections:
        err(
            "FM022",
            "category",
            f"unknown section '{category}'",
            did_you_mean(category, sections) or f"sections: {', '.join(sections)}",
        )
    return ok


#: A line that can belong to front matter: a 'name:' line, an indented or list line, a comment, a blank.
_FRONT_MATTER_LINE = re.compile(r"^(?:[A-Za-z_][\w-]*\s*:|\s|-\s|#|$)")


def _front_matter_end(text: str) -> int:
    """Where front matter that was never closed most likely ends: the first line after the opening
    '---' that cannot be front matter (the page's text), or the end of the file."""
    lines = text.splitlines()
    opening = next((i for i, line in enumerate(lines) if line.strip()), 0)
    for i in range(opening + 1, len(lines)):
        if not _FRONT_MATTER_LINE.match(lines[i]):
            return i + 1
    return len(lines) + 1


def _shift_lines(obj, shift: int) -> None:
    """Turn line numbers relative to the front matter into file line numbers."""
    if isinstance(obj, LineDict):
        obj.line += shift
        obj.lines = {k: v + shift for k, v in obj.lines.items()}
        for v in obj.values():
            _shift_lines(v, shift)
    elif isinstance(obj, list) and hasattr(obj, "lines"):
        obj.line += shift
        obj.lines = [v + shift for v in obj.lines]
        for v in obj:
            _shift_lines(v, shift)


def _translator(lang: str):
    catalogs = RUN.catalogs
    if catalogs is None or lang == DEFAULT_LANG:
        return None
    return lambda text: catalogs.translate(text, lang)


def _folder_language(path: str, settings) -> str:
    """The language a file's folder gives it: content/<lang>/... for a language of IOP_LANGUAGES."""
    first = (content_rel(str(path), settings["PATH"]) or "").split("/")[0]
    return first if first in settings.get("IOP_LANGUAGES", ()) and first != DEFAULT_LANG else DEFAULT_LANG


def _language(info: PageInfo, path: str, settings) -> str:
    """A page's language is its folder's; a `lang:` in its front matter must say the same."""
    lang = _folder_language(path, settings)
    written = info.front_matter.get("lang")
    if written is not None and str(written) != lang:
        where = f"content/{lang}/" if lang != DEFAULT_LANG else "content/ outside a language folder"
        DIAG.error(
            "ES015",
            path,
            info.front_matter.line_of("lang"),
            f"lang '{written}' does not match where the page is: a page in {where} is in '{lang}'",
            f"remove 'lang:' or move the file to content/{written}/"
            if str(written) != DEFAULT_LANG
            else "remove 'lang:' or move the file out of the language folder",
        )
    return lang


def _is_article(path: str, settings) -> bool:
    rel = content_rel(str(path), settings["PATH"]) or ""
    return any(rel.startswith(p.rstrip("/") + "/") for p in settings.get("ARTICLE_PATHS", []))


def add_reader(readers) -> None:
    # Only Markdown, through this reader: an .html or .rst file would skip every check.
    # The static reader stays: it copies content/images/ (STATIC_PATHS), checked by sitekit.content.images.
    static = {"static": readers.reader_classes["static"]} if "static" in readers.reader_classes else {}
    readers.reader_classes = {**static, **{ext: SiteReader for ext in SiteReader.file_extensions}}


@guarded
def check_outputs(generators) -> None:
    """No two pages written to the same file; no file in the content folders left unread."""
    settings = RUN.settings
    seen: dict[str, str] = {}
    for folder in settings.get("DIRECT_TEMPLATES") or []:
        seen[settings.get(f"{folder.upper()}_SAVE_AS") or f"{folder}.html"] = f"the site's {folder} page"
    for name in ("sitemap.xml", "robots.txt", "_headers"):
        seen[name] = "a file the build writes"
    for generator in generators:
        for attr in ("articles", "hidden_articles", "pages", "hidden_pages", "translations", "hidden_translations"):
            items = getattr(generator, attr, None)
            if items is None:
                continue
            kept = []
            for item in items:
                target = str(getattr(item, "save_as", "") or "")
                owner = seen.get(target)
                if target.startswith(("theme/", "pagefind/")):
                    owner = "the site's own files"
                if target and owner:
                    info = RUN.pages.get(str(item.source_path))
                    line = info.front_matter.line_of("slug") if info and info.front_matter else 0
                    DIAG.error(
                        "FM021",
                        str(item.source_path),
                        line,
                        f"this page would be written to {target}, which {DIAG.relpath(owner)} already uses"
                        if owner.startswith(("/", ".")) or "/" in owner
                        else f"this page would be written to {target}, which {owner} already uses",
                        "give one of them another file name or slug",
                    )
                    continue  # keep the first; Pelican would stop the build at the second
                if target:
                    seen[target] = str(item.source_path)
                kept.append(item)
            items[:] = kept
        for category, _articles in getattr(generator, "categories", []) or []:
            seen.setdefault(str(category.save_as), f"the section page {category.name}")
    _unread_files(settings)
    _unavailable(generators)
    sizes = images.check_files(RUN.pages, Path(settings["PATH"]), settings["IOP_IMAGE_BUDGET"])
    if sizes:
        _give_images_their_size(generators, sizes)


def _give_images_their_size(generators, sizes: dict) -> None:
    """Write each image's pixel size into its page (sitekit.content.images.with_sizes). The image files are
    read on every build, so this runs on pages from the reader cache too."""
    for generator in generators:
        for attr in ("articles", "translations", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages"):
            for item in getattr(generator, attr, None) or []:
                own = {src: size for (path, src), size in sizes.items() if path == str(item.source_path)}
                if own and getattr(item, "_content", None):
                    item._content = images.with_sizes(item._content, own)


def _unavailable(generators) -> None:
    """The addresses Pelican gave the pages that could not be read (links to them follow from that)."""
    for generator in generators:
        for attr in ("articles", "drafts", "hidden_articles", "pages", "draft_pages", "hidden_pages"):
            for item in getattr(generator, attr, None) or []:
                info = RUN.pages.get(str(item.source_path))
                if info is not None and info.failed and getattr(item, "url", None):
                    RUN.unavailable[str(item.url).split("#")[0].lstrip("/")] = info.path


def _unread_files(settings) -> None:
    content = Path(settings["PATH"])
    for folder in [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]:
        for path in sorted((content / folder).rglob("*")) if (content / folder).is_dir() else []:
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith("~"):
                if images.misplaced(path):
                    DIAG.error(
                        "IMG002",
                        str(path),
                        0,
                        f"{path.name} is beside the pages; the guides' images go in content/images/",
                        f"move it to content/{images.FOLDER}/{path.name} and show it on the page with "
                        f"![What the image shows]({{static}}/{images.FOLDER}/{path.name})",
                    )
                elif path.suffix.lstrip(".") not in SiteReader.file_extensions:
                    DIAG.error(
                        "FM025",
                        str(path),
                        0,
                        f"{path.name} is not read: only Markdown files are built",
                        "write the page in Markdown (.md) with front matter, or move the file out of content/",
                    )


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(cache.restore)
    signals.all_generators_finalized.connect(check_outputs)
