"""Load YAML safely and keep the line of every key and list item, for messages."""

from __future__ import annotations

import datetime as dt
import pickle
from collections import OrderedDict
from pathlib import Path

import yaml


class LineDict(dict):
    """A mapping that remembers the line where it starts and the line of each key."""

    line: int = 0
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    """A list that remembers the line where it starts and the line of each item."""

    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


# libyaml's parser (CSafeLoader) is several times faster; the constructor below is Python either way.
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Deepest nesting of lists and mappings a file may have (the deepest schema needs 4).
MAX_DEPTH = 20


def _check_tree(root) -> None:
    """Refuse aliases (a reused node: the 'billion laughs' bomb) and nesting deeper than MAX_DEPTH,
    before anything is built from the tree. Iterative, so a hostile file cannot exhaust the stack."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed: write the value out in full", node.start_mark
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if depth > MAX_DEPTH:
                raise yaml.constructor.ConstructorError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark
                )
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for kv in node.value for n in kv]
            stack.extend((child, depth + 1) for child in children)


class _Loader(_BASE):
    """Safe loader that records lines, refuses duplicate keys, aliases, deep nesting and impossible dates."""

    def construct_document(self, node):
        _check_tree(node)
        return super().construct_document(node)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None, None, f"'{node.value}' is not a real date", node.start_mark
            ) from None

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key}' (first on line {result.lines[key]})",
                    key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node, deep=False):
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node))
_Loader.add_constructor("tag:yaml.org,2002:seq", lambda loader, node: loader.construct_sequence(node))
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def to_plain(obj):
    """Plain, JSON-ready Python data from line-aware containers (dates become ISO strings)."""
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


class YamlError(Exception):
    """A YAML file could not be read; carries the line and a plain message."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def loads(text: str, first_line: int = 1):
    """Parse YAML text; raise YamlError with a 1-based line number on any problem."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        problem = str(exc.problem or exc.context or "could not be read")
        if "not a real date" in problem:
            raise YamlError(line, problem.capitalize(), "write a date that exists, as YYYY-MM-DD") from None
        if "aliases" in problem or "nested more than" in problem:
            raise YamlError(line, problem.capitalize(), "data files use plain values, lists and mappings") from None
        if "duplicate key" in problem:
            raise YamlError(
                line, f"YAML syntax error: {problem}", "each key may appear once; remove or rename one of them"
            ) from None
        plain = explain(exc, text.splitlines(), first_line)
        if plain is not None:
            raise plain from None
        raise YamlError(
            line, f"YAML syntax error: {problem}", "check indentation, colons and quotes on this line or the one above"
        ) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        raise YamlError(first_line, f"YAML could not be read: {exc}") from None


def _unbalanced(lines: list[str], at: int) -> tuple[int, str] | None:
    """(line index, quote mark) of the nearest line above ``at`` whose value opens a quote it does not close,
    when line ``at`` itself is balanced."""

    def odd(text: str, quote: str) -> bool:
        value = text.partition(": ")[2] if ": " in text else text.lstrip(" -")
        return value.lstrip().startswith(quote) and value.replace("\\" + quote, "").count(quote) % 2 == 1

    if any(odd(lines[at], q) for q in "\"'"):
        return None
    for n in range(at - 1, max(-1, at - 20), -1):
        for quote in "\"'":
            if odd(lines[n], quote):
                return n, quote
    return None


#: Characters YAML reads as syntax at the start of a value: such a value must be in quotes.
_SPECIAL_START = {
    "@": "'@'",
    "`": "a backtick (`)",
    "*": "'*'",
    "&": "'&'",
    "%": "'%'",
    "!": "'!'",
    "|": "'|'",
    ">": "'>'",
}


def explain(exc: yaml.MarkedYAMLError, lines: list[str], first_line: int) -> YamlError | None:
    """The mistakes editors make most, in words they can act on: a tab, a colon inside a value, a quote
    never closed, a value that starts with a character YAML reserves. None when it is none of these."""
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    at = exc.problem_mark.line if exc.problem_mark else 0

    # A tab in the indentation: YAML indents with spaces only. The parser stops at the tab's line or
    # a little after it, so look back a few lines from where it stopped.
    for n in range(min(at, len(lines) - 1), max(-1, at - 4), -1):
        indent = lines[n][: len(lines[n]) - len(lines[n].lstrip(" \t"))]
        if "\t" in indent:
            return YamlError(
                n + first_line,
                "this line is indented with a tab; YAML files are indented with spaces only",
                "replace the tab with spaces, as many as the lines around it use",
            )
    if "quoted scalar" in context and "end of stream" in problem and exc.context_mark is not None:
        n = exc.context_mark.line
        quote = lines[n][exc.context_mark.column] if n < len(lines) and exc.context_mark.column < len(lines[n]) else '"'
        return YamlError(
            n + first_line,
            f"a quote ({quote}) opens on this line and is never closed",
            f"end the text with the same quote mark ({quote}), on the same line",
        )
    if "mapping values are not allowed" in problem and at < len(lines):
        text = lines[at]
        key, sep, value = text.partition(": ")
        if sep and value.strip():
            quoted = value.strip().replace("\\", "\\\\").replace('"', '\\"')
            return YamlError(
                at + first_line,
                "this value has a colon followed by a space, which YAML reads as a second 'name: value'",
                f'put the text in quotes: {key.strip()}: "{quoted}"',
            )
    start = problem.startswith("found character that cannot start any token") or problem == "found undefined alias"
    if start and exc.problem_mark is not None and at < len(lines):
        column = exc.problem_mark.column
        char = lines[at][column] if column < len(lines[at]) else ""
        if char in _SPECIAL_START:
            key, _sep, value = lines[at].partition(": ")
            example = f'{key.strip()}: "{value.strip()}"' if value.strip() else f'"{lines[at][column:].strip()}"'
            return YamlError(
                at + first_line,
                f"a value cannot start with {_SPECIAL_START[char]} unless it is in quotes",
                f"put the text in quotes: {example}",
            )
    if problem.startswith(("did not find expected", "expected <block end>")) and at < len(lines):
        # A quote left open swallows the lines after it up to the next quote mark, and the parser stops
        # there: the open quote is on the nearest line above with an odd number of quote marks.
        opened = _unbalanced(lines, at)
        if opened is not None:
            n, quote = opened
            return YamlError(
                n + first_line,
                f"a quote ({quote}) opens on this line and is never closed",
                f"end the text with the same quote mark ({quote}), on the same line",
            )
    if (
        problem == "did not find expected key"
        and context.startswith("while parsing a block mapping")
        and at < len(lines)
    ):
        text = lines[at]
        key, sep, value = text.partition(": ")
        if sep and value.lstrip()[:1] in ("'", '"'):
            single = "'" + value.strip().replace("'", "''") + "'"
            return YamlError(
                at + first_line,
                "this value has text after its closing quote",
                f"put the whole value in single quotes: {key.strip()}: {single}",
            )
    return None


#: Data files parsed in this process, as pickles by their text: a build in a process that built before
#: (the tests, the preview server) unpickles an unchanged file, 20 times faster than parsing
#: it, and gets its own copy. Files that failed to parse are not kept. Most recent last.
_PARSED: OrderedDict[str, bytes] = OrderedDict()
_PARSED_MAX = 32


def load_file(path: str | Path):
    """Read and parse one YAML file (UTF-8, with or without a byte-order mark)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(1, f"file is not UTF-8 text ({exc.reason})", "save it as UTF-8") from None
    kept = _PARSED.get(text)
    if kept is not None:
        _PARSED.move_to_end(text)
        return pickle.loads(kept)  # noqa: S301 - pickled by this process, from its own parse
    value = loads(text)
    _PARSED[text] = pickle.dumps(value, protocol=5)
    if len(_PARSED) > _PARSED_MAX:
        _PARSED.popitem(last=False)
    return value
