"""CSS that would hide the crisis banner or its links: found by matching each rule against the page.

The stylesheets are parsed with tinycss2 and each rule's selector is turned into XPath by
cssselect, so a selector is checked against the real page the way a browser would match it:
a compound selector, a rule that hides only the links, or one that hides an ancestor of the banner
is caught, not only a lone class name. Print-only rules are ignored (a printed page has no phone
links to press). Dynamic states (:hover, :focus...) are treated as always on, so a rule that hides
a link until it is focused counts as hiding it. The browser tests check the same contract with
the styles a browser really computes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tinycss2
from cssselect import GenericTranslator, SelectorError, parse
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash
from lxml import etree

_DYNAMIC = re.compile(
    r":(?:hover|focus|focus-visible|focus-within|active|visited|link|any-link|target|checked|enabled|disabled)\b"
)
_EMPTY_NOT = re.compile(r":not\(\s*\)")
_OFFSCREEN = re.compile(r"^-\s*\d{3,}(?:\.\d+)?(?:px|em|rem|vw|vh|%)?$")


@dataclass(frozen=True)
class HidingRule:
    selector: str
    declaration: str  # what hides, e.g. "display: none"
    source: str  # the stylesheet, as the editor knows it
    line: int
    xpath: etree.XPath | None  # None when the selector cannot be evaluated (then it is checked by name)
    #: What an element must have to be the one the selector styles (its last compound): (tag or None,
    #: classes, id or None, attributes). An element without them is not matched, so the XPath need not run.
    needs: tuple = (None, frozenset(), None, frozenset())


@lru_cache(maxsize=256)
def hiding_rules(css: str, source: str, first_line: int = 1) -> tuple[HidingRule, ...]:
    """The rules of a stylesheet that hide what they match, outside print-only media (kept per process:
    the theme's stylesheet is the same for every page and every rebuild until it changes)."""
    out: list[HidingRule] = []
    _walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), source, first_line - 1, out)
    return tuple(out)


def _walk(rules, source: str, offset: int, out: list) -> None:
    for rule in rules:
        if rule.type == "at-rule" and rule.content is not None:
            name = rule.lower_at_keyword
            if name == "media" and _print_only(tinycss2.serialize(rule.prelude)):
                continue
            if name in ("media", "supports", "layer", "container", "document"):
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                _walk(inner, source, offset, out)
        elif rule.type == "qualified-rule":
            hiding = hides(tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True))
            if hiding:
                for selector in tinycss2.serialize(rule.prelude).split(","):
                    selector = " ".join(selector.split())
                    if selector and "::" not in selector:  # a pseudo-element styles generated content only
                        out.append(
                            HidingRule(
                                selector, hiding, source, rule.source_line + offset, _xpath(selector), _needs(selector)
                            )
                        )


def _print_only(query: str) -> bool:
    parts = [p.strip().lower() for p in query.split(",")]
    return all(p == "print" or p.startswith("print ") or p.startswith("only print") for p in parts if p)


def hides(declarations) -> str | None:
    """The declaration that makes an element invisible, or None."""
    values: dict[str, str] = {}
    for decl in declarations:
        if decl.type == "declaration":
            values[decl.lower_name] = " ".join(tinycss2.serialize(decl.value).lower().split())
    checks = [
        ("display", lambda v: v == "none"),
        ("visibility", lambda v: v in ("hidden", "collapse")),
        ("content-visibility", lambda v: v == "hidden"),
        ("opacity", lambda v: _number(v) is not None and _number(v) < 0.1),
        ("filter", lambda v: bool(re.search(r"opacity\(\s*0(?:\.0\d*)?%?\s*\)", v))),
        ("clip", lambda v: v.startswith("rect(")),
        ("clip-path", lambda v: v not in ("none", "") and not v.startswith("url(")),
        ("transform", lambda v: bool(re.search(r"scale[xy]?\(\s*0(?:\.0\d*)?\s*[,)]", v))),
        ("font-size", lambda v: _number(v) == 0),
        ("color", lambda v: v == "transparent"),
        ("text-indent", lambda v: bool(_OFFSCREEN.match(v))),
        ("left", lambda v: bool(_OFFSCREEN.match(v))),
        ("top", lambda v: bool(_OFFSCREEN.match(v))),
        ("margin-left", lambda v: bool(_OFFSCREEN.match(v))),
        ("margin-top", lambda v: bool(_OFFSCREEN.match(v))),
    ]
    for name, test in checks:
        if name in values and test(values[name]):
            return f"{name}: {values[name]}"
    clipped = values.get("overflow") in ("hidden", "clip")
    for size in ("height", "max-height", "width", "max-width"):
        if clipped and size in values and _number(values[size]) == 0:
            return f"{size}: {values[size]} with overflow: {values['overflow']}"
    return None


def _number(value: str) -> float | None:
    m = re.match(r"^(-?\d*\.?\d+)", value.replace("!important", "").strip())
    return float(m.group(1)) if m else None


@lru_cache(maxsize=4096)
def _xpath(selector: str) -> etree.XPath | None:
    for candidate in (selector, _EMPTY_NOT.sub("", _DYNAMIC.sub("", selector))):
        try:
            return etree.XPath(GenericTranslator().css_to_xpath(candidate))
        except (SelectorError, etree.XPathError, ValueError):
            continue
    return None


def _needs(selector: str) -> tuple:
    """The tag, classes, id and attributes the subject of ``selector`` must have (cssselect's parse of its
    last compound; what sits inside :not(), :is() or :has() is not required). Nothing when it cannot be parsed."""
    try:
        [parsed] = parse(selector)
    except (SelectorError, ValueError):
        return (None, frozenset(), None, frozenset())
    node = parsed.parsed_tree
    while isinstance(node, CombinedSelector):  # A B, A > B: B is the subject
        node = node.subselector
    tag, classes, ident, attributes = None, set(), None, set()
    while node is not None:
        if isinstance(node, Class):
            classes.add(node.class_name)
        elif isinstance(node, Hash):
            ident = node.id
        elif isinstance(node, Attrib) and node.operator != "!=" and node.namespace is None:
            attributes.add(node.attrib.lower())
        elif isinstance(node, Element) and node.namespace is None and node.element not in (None, "*"):
            tag = node.element
        node = getattr(node, "selector", None)
    return (tag, frozenset(classes), ident, frozenset(attributes))


_SPACE = re.compile(r"[ \t\n\r]+")  # how XPath's normalize-space (cssselect's class test) splits


def _may_match(needs: tuple, el) -> bool:
    tag, classes, ident, attributes = needs
    return (
        (tag is None or el.tag == tag)
        and (ident is None or el.get("id") == ident)
        and (not classes or classes <= set(_SPACE.split(el.get("class") or "")))
        and all(name in el.attrib for name in attributes)
    )


def hiding(rules: list[HidingRule], elements: list) -> list[tuple[HidingRule, object]]:
    """(rule, element) for every rule that matches one of the elements."""
    wanted = {id(el) for el in elements}
    found = []
    for rule in rules:
        if not any(_may_match(rule.needs, el) for el in elements):
            continue  # no element has what the selector's subject needs
        if rule.xpath is None:
            names = set(re.findall(r"[.#]([\w-]+)", rule.selector))
            for el in elements:
                if names & ({el.get("id") or ""} | set((el.get("class") or "").split())):
                    found.append((rule, el))
                    break
            continue
        root = elements[0].getroottree()
        for el in rule.xpath(root):
            if id(el) in wanted:
                found.append((rule, el))
                break
    return found
