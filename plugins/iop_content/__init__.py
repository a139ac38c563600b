"""Read Markdown with YAML front matter; expand citations and data blocks; report by line."""

from __future__ import annotations

import os
from pathlib import Path

from pelican import signals
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE, YAMLMetadataReader

from sitekit import cache, codes
from sitekit import schema as sch
from sitekit.diagnostics import DIAG
from sitekit.markdown_ext import PageRender, SiteExtension, partials_env
from sitekit.pages import PageInfo
from sitekit.schemas import FRONT_MATTER
from sitekit.state import RUN
from sitekit.yamlload import LineDict, YamlError, loads


class SiteReader(YAMLMetadataReader):
    """YAML front matter (via pelican-yaml-metadata) with line-numbered validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ext = SiteExtension()
        md_settings = dict(self.settings["MARKDOWN"])
        md_settings["extensions"] = [
            e for e in md_settings.get("extensions", []) if e != "markdown.extensions.meta"
        ] + [self._ext]
        from markdown import Markdown

        self._site_md = Markdown(**md_settings)
        self._env = partials_env(self.settings["THEME"])

    def read(self, source_path):
        before = len(DIAG.findings)
        content, metadata = self._read(source_path)
        cache.remember(metadata, RUN.pages[str(source_path)], DIAG.findings[before:])
        return content, metadata

    def _read(self, source_path):
        path = str(source_path)
        info = PageInfo(path)
        RUN.pages[path] = info
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            DIAG.error("FM006", path, 1, f"file is not UTF-8 text ({exc.reason})", "save it as UTF-8")
            return "", self._fallback(path)
        m = HEADER_RE.fullmatch(text)
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
        page = PageRender(info, RUN.data, self._env)
        self._ext.page = page
        try:
            html = self._site_md.reset().convert(info.body)
        finally:
            self._ext.page = None
        info.cited = page.cites.cited
        metadata = self._parse_yaml_metadata(dict(meta), path)
        metadata["citations"] = [page.cites.references[k] | {"n": page.cites.numbers[k]} for k in info.cited]
        metadata["faqs"] = info.faqs
        metadata["source_rel"] = DIAG.relpath(path)
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
        checker = sch.Checker(path, codes.FM)
        checker.record(meta, FRONT_MATTER, open_line)
        is_article = _is_article(path, self.settings)
        if is_article and "date" not in meta:
            checker.err(
                "missing",
                open_line,
                "missing required field 'date' for a guide",
                "add 'date: YYYY-MM-DD' (first published)",
            )
        return meta if checker.ok else None

    @staticmethod
    def _fallback(path: str) -> dict:
        # Keep the build going so every problem of the run is reported; it fails at the end.
        return {"title": Path(path).stem, "status": "draft", "summary": ""}


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


def _is_article(path: str, settings) -> bool:
    content = Path(settings["PATH"]).resolve()
    rel = os.path.relpath(Path(path).resolve(), content)
    return any(rel.startswith(p.rstrip("/") + os.sep) for p in settings.get("ARTICLE_PATHS", []))


def add_reader(readers) -> None:
    for ext in SiteReader.file_extensions:
        readers.reader_classes[ext] = SiteReader


def register() -> None:
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(cache.restore)
