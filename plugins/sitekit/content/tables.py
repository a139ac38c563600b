"""Markdown tables that screen readers and every reader can follow: a caption and header scopes.

Python-Markdown's tables have neither. With this extension (listed in MARKDOWN in pelicanconf.py)
a paragraph that starts with ``Table:`` just before a table becomes its <caption>, header cells get
``scope="col"``, and the first cell of each body row becomes a row header (``<th scope="row">``):
editorial tables are keyed by their first column ("Monday", "Tuesday"...). The output check
(OUT015) reports a table without a caption, wherever it comes from.

    Table: An example week in an IOP

    | Day | What happens |
    | --- | --- |
    | Monday | A 3-hour block of groups |
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

PREFIX = "Table:"


class TableProcessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            for i, el in enumerate(children):
                if el.tag != "table":
                    continue
                before = children[i - 1] if i else None
                if before is not None and before.tag == "p" and (before.text or "").startswith(PREFIX):
                    caption = ET.Element("caption")
                    caption.text = before.text[len(PREFIX) :].lstrip()
                    caption.extend(list(before))
                    el.insert(0, caption)
                    parent.remove(before)
                for th in el.iter("th"):
                    th.set("scope", "col")
                body = el.find("tbody")
                for row in body.findall("tr") if body is not None else []:
                    if len(row) and row[0].tag == "td":
                        row[0].tag = "th"
                        row[0].set("scope", "row")


class TableExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        # After the tables extension has built the table (it is a block processor) and before
        # inline patterns are stored (priority below 'inline', which is 20).
        md.treeprocessors.register(TableProcessor(md), "iop_tables", 19)


def makeExtension(**kwargs) -> TableExtension:  # noqa: N802 - Markdown's API name
    return TableExtension(**kwargs)
