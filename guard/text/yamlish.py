"""A small reader for the YAML that CI files and environment files are written in.

guard has no YAML dependency at run time, so this module reads the subset those files use,
with a line and column on every node:

- block mappings (`key: value`, plain or quoted keys, with anchors or aliases on keys) and
  block sequences (`- item`), including a sequence written at the same indentation as its key
  (`key:\\n- a`);
- plain, single-quoted and double-quoted scalars, on one line or folded over several; what an
  escape yields (`\\n`, `\\t`) is kept, never folded;
- `|` and `>` block scalars with chomping (`-`, `+`) and indentation (`|2`) indicators; `>`
  folds as YAML does (empty and more-indented lines keep their line breaks);
- flow sequences and mappings (`[a, "b"]`, `{a: 1}`, `[k: v]`), nested, over several lines,
  with comment lines, anchors, aliases and tags inside them (`[*a, !reference [.x, y]]`);
- comments, `---` / `...` markers, `%` directives; tags (`!reference`) are dropped;
- anchors (`&name`) and aliases (`*name`): an alias yields the anchored node itself (so its
  position is where the text is written); merge keys (`<<`) are kept as ordinary items,
  `Mapping.merged()` applies them. Every merge is expanded once at load, under MERGE_BUDGET
  entries in all, so no merge chain costs more than that.

Scalars are not typed: `value` is the string as written (after unquoting and folding), and
`to_python()` turns plain `true`/`null`/`12` into Python values when a caller wants that.
Only the first document of a stream is read. Anything else (tabs used as indentation,
unclosed quotes or brackets, bad indentation, complex `?` keys, `: ` inside a plain value)
raises `YamlError` with a 1-based line and column; no other exception escapes `load`. Reading
is linear in the text: a construct over several lines is re-read after batches of lines that
double in size, never after each line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Optional, Union

__all__ = ["YamlError", "Scalar", "Mapping", "Sequence", "Node", "load", "load_recovering", "to_python"]

# (offset in the scalar's value, source line, source column): where each stretch of a value
# was written, so a position inside a multi-line scalar maps back to the file.
Segment = tuple[int, int, int]


class YamlError(Exception):
    """Input outside the subset, or malformed; `line`/`column` are 1-based."""

    def __init__(self, message: str, line: int, column: int = 1, item_line: Optional[int] = None) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column
        # where the broken construct starts (a bracket or quote opened lines before the error)
        self.item_line = line if item_line is None else min(item_line, line)


@dataclass
class Scalar:
    value: str
    line: int
    column: int
    style: str = "plain"  # plain, single, double, literal, folded
    segments: tuple[Segment, ...] = ()

    @property
    def is_null(self) -> bool:
        return self.style == "plain" and self.value in ("", "~", "null", "Null", "NULL")

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, column) in the file of character `offset` of `value`."""
        best = (0, self.line, self.column)
        for segment in self.segments:
            if segment[0] <= offset:
                best = segment
            else:
                break
        return best[1], best[2] + (offset - best[0])


@dataclass
class Mapping:
    items: list[tuple[Scalar, Node]]
    line: int
    column: int
    _merged: Optional[dict[str, Node]] = field(default=None, init=False, repr=False, compare=False)

    @property
    def value(self) -> dict[str, Node]:
        return {key.value: node for key, node in self.items}

    def get(self, key: str) -> Optional[Node]:
        found: Optional[Node] = None
        for item_key, node in self.items:
            if item_key.value == key:
                found = node
        return found

    def key_node(self, key: str) -> Optional[Scalar]:
        found: Optional[Scalar] = None
        for item_key, _node in self.items:
            if item_key.value == key:
                found = item_key
        return found

    def merged(self) -> dict[str, Node]:
        """Items with `<<: *anchor` merges applied (explicit keys win)."""
        return dict(self._merged_items())

    def _merged_items(self) -> dict[str, Node]:
        # Kept once computed: an anchored mapping merged at many places (or merged twice per
        # level of a chain) is expanded once, so merging stays linear in the document.
        if self._merged is None:
            out: dict[str, Node] = {}
            for key, node in self.items:
                if _is_merge_key(key):
                    for source in node.items if isinstance(node, Sequence) else [node]:
                        if isinstance(source, Mapping):
                            for name, value in source._merged_items().items():
                                out.setdefault(name, value)
            for key, node in self.items:
                if not _is_merge_key(key):
                    out[key.value] = node
            self._merged = out
        return self._merged


def _is_merge_key(key: Scalar) -> bool:
    return key.value == "<<" and key.style == "plain"


@dataclass
class Sequence:
    items: list[Node]
    line: int
    column: int

    @property
    def value(self) -> list[Node]:
        return list(self.items)


Node = Union[Scalar, Mapping, Sequence]

_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


# The most entries all `<<` merges of a document may expand to; a document past it (merges of
# merges, doubling at each level) is an error rather than minutes of work.
MERGE_BUDGET = 1_000_000


def to_python(node: Node, _done: Optional[dict[int, Any]] = None) -> Any:
    """Plain data: dicts, lists, and for plain scalars None/bool/int/float where YAML 1.2 says so.
    A node reached through several aliases becomes one shared object, converted once."""
    done: dict[int, Any] = {} if _done is None else _done
    if id(node) in done:
        return done[id(node)]
    if isinstance(node, Mapping):
        mapping: dict[str, Any] = {}
        done[id(node)] = mapping
        mapping.update((key, to_python(value, done)) for key, value in node._merged_items().items())
        return mapping
    if isinstance(node, Sequence):
        sequence: list[Any] = []
        done[id(node)] = sequence
        sequence.extend(to_python(item, done) for item in node.items)
        return sequence
    if node.style != "plain":
        return node.value
    text = node.value
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def load(text: str) -> Node:
    """Parse the first document of `text`. An empty document is a null `Scalar`."""
    node, merge_error = _load(text)
    if merge_error is not None:
        raise merge_error
    return node


def _load(text: str) -> tuple[Node, Optional[YamlError]]:
    """The document, and the error of merges past the budget (those are not applied)."""
    parser = _Parser(text)
    try:
        return parser.document(), parser.merge_error
    except YamlError:
        raise
    except RecursionError:
        line = parser.lines[min(parser.i, len(parser.lines) - 1)].number  # the line being read
        raise YamlError("nesting too deep", line) from None
    except _Unclosed:  # each reader of a quote or bracket turns this into a YamlError; a bug otherwise
        raise YamlError("unclosed quote or bracket", 1) from None
    except (IndexError, ValueError, KeyError) as error:  # a bug here must not become a traceback
        raise YamlError(f"cannot parse: {error}", 1) from None


def load_recovering(text: str, max_repairs: int = 100) -> tuple[Node, Optional[YamlError]]:
    """Like `load`, but a document with errors still yields what can be read around them.

    Returns (node, the first error or None). On an error in the item that starts at line L
    (the error's line, or the line that opened the bracket or quote it is in) that item is
    dropped: line L and the lines after it that are indented deeper than L (its value, the
    rest of a broken quote or bracket, the other keys of a broken sequence item) become
    blank lines, and the text is parsed again, until it parses. Line numbers do not move, so
    every node read is where it is written; the siblings of the broken item, before and
    after it, keep their place in the structure. Gives up (a null document) after
    `max_repairs` rounds. Merges past MERGE_BUDGET drop nothing: the document comes back with
    the merges from there on not applied, and that error."""
    try:
        return _load(text)  # merges past the budget are an error, but no item to drop
    except YamlError as error:
        first = error
    lines = text.split("\n")
    current: Optional[YamlError] = first
    for _round in range(max_repairs):
        assert current is not None
        index = min(max(current.item_line, 1), len(lines)) - 1
        while index > 0 and not _content_line(lines[index]):
            index -= 1  # an error at the end of the text: drop the last item written
        if not _content_line(lines[index]):
            break
        indent = _indent(lines[index])
        lines[index] = ""
        following = index + 1
        while following < len(lines) and (not _content_line(lines[following]) or _indent(lines[following]) > indent):
            lines[following] = ""
            following += 1
        try:
            return _load("\n".join(lines))[0], first
        except YamlError as error:
            current = error
    return Scalar("", 1, 1), first


def _content_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
}


@dataclass
class _Line:
    number: int  # 1-based
    text: str  # without the line break; may be rewritten (sequence dashes become spaces)
    indent: int = field(init=False)

    def __post_init__(self) -> None:
        self.indent = len(self.text) - len(self.text.lstrip(" "))

    def reset(self, text: str) -> None:
        self.text = text
        self.__post_init__()

    @property
    def content(self) -> str:
        return self.text[self.indent :]

    @property
    def blank(self) -> bool:
        stripped = self.text.strip()
        return not stripped or stripped.startswith("#")


def _strip_comment(text: str) -> str:
    """Text without a trailing ` # comment` (outside quotes), right-stripped."""
    quote = ""
    i = 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\" and quote == '"':
                i += 2
                continue
            if char == quote:
                if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                    i += 2
                    continue
                quote = ""
        elif char in "\"'" and (i == 0 or text[i - 1] in " \t[{,:-"):
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
        i += 1
    return text.rstrip()


def _key_split(text: str) -> Optional[int]:
    """Index of the `:` that ends a mapping key in `text` (content, no indentation), or None."""
    if not text or text[0] in "[{|>#%@`" or text.startswith("- ") or text == "-":
        return None
    i = 0
    if text[0] in "\"'":
        quote = text[0]
        i = 1
        while i < len(text):
            if text[i] == "\\" and quote == '"':
                i += 2
                continue
            if text[i] == quote:
                if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                    i += 2
                    continue
                break
            i += 1
        else:
            return None
        rest = text[i + 1 :].lstrip(" ")
        if rest.startswith(":") and (len(rest) == 1 or rest[1] in " \t"):
            return text.index(":", i + 1)
        return None
    while i < len(text):
        char = text[i]
        if char == "#" and i > 0 and text[i - 1] in " \t":
            return None
        if char == ":" and (i + 1 == len(text) or text[i + 1] in " \t"):
            return i
        i += 1
    return None


def _document_marker(text: str) -> bool:
    return text[:3] in ("---", "...") and (len(text) == 3 or text[3] in " \t")


class _Parser:
    def __init__(self, text: str) -> None:
        self.merge_left = MERGE_BUDGET  # entries `<<` merges may still expand to
        self.merge_error: Optional[YamlError] = None
        if text.startswith("\ufeff"):
            text = text[1:]
        self.lines = [_Line(n, raw.rstrip("\r")) for n, raw in enumerate(text.split("\n"), start=1)]
        # a text that ends with a line break has no line after it
        self.end = len(self.lines) - 1 if len(self.lines) > 1 and not self.lines[-1].text else len(self.lines)
        self.i = 0
        self.anchors: dict[str, Node] = {}
        self.merging: list[Mapping] = []  # the mappings with a `<<` key, in the order they end
        self.started = False

    # --- helpers ---------------------------------------------------------------------

    def _skip_blank(self) -> Optional[_Line]:
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if not line.blank:
                if self.started and line.indent == 0 and (line.text.rstrip() in ("---", "...") or line.text.startswith(("--- ", "... "))):
                    return None  # the end of the first document
                if "\t" in line.text[: line.indent + 1] and line.text[line.indent : line.indent + 1] == "\t":
                    raise YamlError("a tab character is not allowed as indentation", line.number, line.indent + 1)
                return line
            self.i += 1
        return None

    def document(self) -> Node:
        # directives and the document start marker
        while True:
            line = self._skip_blank()
            if line is None:
                return Scalar("", 1, 1)
            if line.indent == 0 and line.text.startswith("%"):
                self.i += 1
                continue
            if line.indent == 0 and line.text[:3] == "---" and _document_marker(line.text):
                rest = line.text[3:].strip()
                if rest and not rest.startswith("#"):
                    line.reset("    " + line.text[4:])  # `--- value`: the value at column 5
                    break
                self.i += 1
                continue
            break
        self.started = True
        line = self._skip_blank()
        if line is None:
            return Scalar("", 1, 1)
        node = self._node(line.indent, parent=-1)
        line = self._skip_blank()
        if line is not None:
            raise YamlError("unexpected content (bad indentation?)", line.number, line.indent + 1)
        self._apply_merges()
        return node

    def _node(self, indent: int, parent: int) -> Node:
        """The block node whose first line is the current one, at `indent` (> `parent`)."""
        line = self._skip_blank()
        if line is None:
            return Scalar("", self.lines[-1].number, 1)
        content = line.content
        if content.startswith("- ") or content == "-" or content.startswith("-\t"):
            return self._sequence(line.indent)
        if content.startswith("? "):
            raise YamlError("complex mapping keys (`? `) are not supported", line.number, line.indent + 1)
        if _key_split(content) is not None:
            return self._mapping(line.indent)
        # a lone value: anchors, tags, aliases, scalars, flow collections, block scalars
        return self._inline_value(line, line.indent, content, parent)

    def _sequence(self, indent: int) -> Sequence:
        first = self.lines[self.i]
        items: list[Node] = []
        while True:
            line = self._skip_blank()
            if line is None or line.indent != indent:
                break
            content = line.content
            if not (content.startswith("- ") or content == "-" or content.startswith("-\t")):
                if _key_split(content) is not None:
                    break  # the enclosing mapping continues (compact `key:\n- a` form)
                raise YamlError("expected a `- ` sequence item", line.number, indent + 1)
            rest = content[1:].lstrip(" ")
            if not _strip_comment(rest):
                self.i += 1
                nxt = self._skip_blank()
                if nxt is not None and nxt.indent > indent:
                    items.append(self._node(nxt.indent, indent))
                else:
                    items.append(Scalar("", line.number, indent + 2))
                continue
            # `- item`: re-read the line with the dash blanked, as a node at the item's column
            column = len(line.text) - len(rest)
            line.reset(" " * column + rest)
            items.append(self._node(column, indent))
        return Sequence(items, first.number, indent + 1)

    def _mapping(self, indent: int) -> Mapping:
        first = self.lines[self.i]
        items: list[tuple[Scalar, Node]] = []
        while True:
            line = self._skip_blank()
            if line is None or line.indent != indent:
                if line is not None and line.indent > indent:
                    raise YamlError("bad indentation of a mapping entry", line.number, line.indent + 1)
                break
            content = line.content
            split = _key_split(content)
            if split is None:
                if content.startswith("- "):
                    raise YamlError("a sequence item where a mapping key was expected", line.number, indent + 1)
                raise YamlError("expected `key: value`", line.number, indent + 1)
            key = self._key(line, content[:split], indent)
            rest_start = indent + split + 1
            rest = line.text[rest_start:]
            value_column = rest_start + (len(rest) - len(rest.lstrip(" \t"))) + 1
            value_text = _strip_comment(rest.lstrip(" \t"))
            value = self._value_after_key(line, value_text, value_column, indent)
            items.append((key, value))
        mapping = Mapping(items, first.number, indent + 1)
        self._note_merges(mapping)
        return mapping

    def _note_merges(self, mapping: Mapping) -> None:
        if any(_is_merge_key(key) for key, _node in mapping.items):
            self.merging.append(mapping)

    def _apply_merges(self) -> None:
        """Expand every `<<` merge now, under the budget, so that no caller of `merged()` can
        be made to do unbounded work; each mapping is expanded once, sources (written earlier
        in the document) before the mappings that merge them. Past the budget, a mapping
        keeps its own keys only, and `merge_error` says where that began."""
        for mapping in self.merging:
            if self.merge_left < 0:
                mapping._merged = {key.value: node for key, node in mapping.items if not _is_merge_key(key)}
                if self.merge_error is None:
                    self.merge_error = self._budget_error(mapping)
                continue
            self.merge_left -= len(mapping._merged_items())
            if self.merge_left < 0 and self.merge_error is None:
                self.merge_error = self._budget_error(mapping)

    @staticmethod
    def _budget_error(mapping: Mapping) -> YamlError:
        return YamlError(f"merge keys (`<<`) expand to more than {MERGE_BUDGET} entries", mapping.line, mapping.column)

    def _key(self, line: _Line, text: str, indent: int) -> Scalar:
        text = text.rstrip()
        column = indent + 1
        anchor: Optional[str] = None
        while text.startswith(("&", "!")):  # properties of the key: `&name key:`, `!!str key:`
            word, _, rest = text.partition(" ")
            column += len(text) - len(rest.lstrip(" "))
            text = rest.lstrip(" ")
            if word.startswith("&"):
                anchor = word[1:]
        if text.startswith("*") and anchor is None:
            name = text[1:].strip()
            aliased = self.anchors.get(name)
            if not isinstance(aliased, Scalar):
                problem = f"unknown alias `*{name}`" if aliased is None else "a mapping key cannot be a collection"
                raise YamlError(problem, line.number, column)
            return aliased
        if text and text[0] in "\"'":
            try:
                value, _end = _quoted(text, 0, line.number, column)
            except _Unclosed:
                raise YamlError("unclosed quote in a mapping key", line.number, column) from None
            key = Scalar(value, line.number, column, "double" if text[0] == '"' else "single")
        else:
            key = Scalar(text, line.number, column)
        if anchor:
            self.anchors[anchor] = key
        return key

    def _value_after_key(self, line: _Line, text: str, column: int, indent: int) -> Node:
        anchor: Optional[str] = None
        while text.startswith(("&", "!")):
            word, _, text = text.partition(" ")
            column += len(word) + 1
            text = text.lstrip(" ")
            if word.startswith("&"):
                anchor = word[1:]
        if not text:
            self.i += 1
            nxt = self._skip_blank()
            if nxt is not None and (nxt.indent > indent or (nxt.indent == indent and (nxt.content.startswith("- ") or nxt.content == "-"))):
                node = self._node(nxt.indent, indent)
            else:
                node = Scalar("", line.number, column)
        else:
            node = self._inline(line, text, column, indent)
        if anchor:
            self.anchors[anchor] = node
        return node

    def _inline_value(self, line: _Line, indent: int, content: str, parent: int) -> Node:
        text = _strip_comment(content)
        return self._value_after_key(line, text, indent + 1, parent)

    def _inline(self, line: _Line, text: str, column: int, indent: int) -> Node:
        """A value that starts on `line` at `column`; consumes its lines."""
        if text.startswith("*"):
            name = text[1:].split()[0] if text[1:].split() else ""
            if name not in self.anchors:
                raise YamlError(f"unknown alias `*{name}`", line.number, column)
            self.i += 1
            return self.anchors[name]
        if text[0] in "|>":
            return self._block_scalar(line, text, column, indent)
        if text[0] in "[{":
            return self._flow(line, column)
        if text[0] in "\"'":
            return self._quoted_scalar(line, column)
        if text[0] in "@`":
            raise YamlError(f"a plain scalar cannot start with `{text[0]}`", line.number, column)
        if text == "-" or text.startswith(("- ", "-\t")):
            raise YamlError("a sequence cannot start on the line of its key", line.number, column)
        split = _key_split(text)
        if split is not None:  # `run: echo a: b`: YAML reads no `: ` inside a plain value
            raise YamlError("mapping values are not allowed here (quote the value)", line.number, column + split)
        return self._plain(line, text, column, indent)

    def _plain(self, line: _Line, text: str, column: int, indent: int) -> Scalar:
        parts = [text]
        segments: list[Segment] = [(0, line.number, column)]
        offset = len(text)
        written = line.text[column - 1 :]
        self.i += 1
        if _strip_comment(written) != written.rstrip():
            return Scalar(text, line.number, column, "plain", tuple(segments))  # a comment ends a plain scalar
        while self.i < len(self.lines):
            nxt = self.lines[self.i]
            stripped = nxt.text.strip()
            if stripped.startswith("#"):
                break
            if not stripped:
                # blank lines inside a folded plain scalar are newlines; look ahead
                j = self.i
                while j < len(self.lines) and not self.lines[j].text.strip():
                    j += 1
                after = self.lines[j] if j < len(self.lines) else None
                if (
                    after is not None
                    and after.indent > indent
                    and not after.text.strip().startswith("#")
                    and not _document_marker(after.text)
                ):
                    parts.append("\n" * (j - self.i))
                    offset += j - self.i
                    self.i = j
                    continue
                break
            if nxt.indent <= indent or _document_marker(nxt.text):
                break
            written = nxt.content.lstrip("\t")  # tabs after the indentation are separation
            content = _strip_comment(written)
            if _key_split(content) is not None:
                raise YamlError("mapping values are not allowed here", nxt.number, nxt.indent + 1)
            if not parts[-1].endswith("\n"):
                parts.append(" ")
                offset += 1
            segments.append((offset, nxt.number, len(nxt.text) - len(written) + 1))
            parts.append(content)
            offset += len(content)
            self.i += 1
            if content != written.rstrip():
                break  # a comment ends a plain scalar
        return Scalar("".join(parts), line.number, column, "plain", tuple(segments))

    def _quoted_scalar(self, line: _Line, column: int) -> Scalar:
        # Join the following lines until the closing quote; fold line breaks as YAML does.
        joined = _Joined(self.lines, self.i, column, " \t")
        quote = joined.pieces[0][0]
        while True:
            text = joined.text()
            marks: list[tuple[int, int]] = []
            try:
                value, end = _quoted(text, 0, line.number, column, marks)
                break
            except _Unclosed:
                if not joined.grow():
                    raise YamlError(f"unclosed {'double' if quote == chr(34) else 'single'} quote", line.number, column) from None
        last = joined.line_of(end)
        self.i = joined.first + last
        rest = _strip_comment(text[end : joined.line_end(last, len(text))])
        if rest.strip():
            raise YamlError(f"unexpected text after a quoted scalar: `{rest.strip()}`", self.lines[self.i].number, 1, line.number)
        self.i += 1
        # A segment where each escape or folded line break makes the value and the text part
        # ways, so a position inside the value is where it is written (`\\n` is no new line).
        segments: list[Segment] = []
        for offset, index in marks:
            start, number, col = joined.origins[joined.line_of(index)]
            segment = (offset, number, col + index - start)
            if segments and segments[-1][0] == offset:
                segments[-1] = segment
            else:
                segments.append(segment)
        return Scalar(value, line.number, column, "double" if quote == '"' else "single", tuple(segments))

    def _block_scalar(self, line: _Line, header: str, column: int, indent: int) -> Scalar:
        match = re.match(r"^([|>])([1-9]?)([-+]?)([1-9]?)\s*$", header)
        if not match:
            raise YamlError(f"invalid block scalar header `{header}`", line.number, column)
        style_char, digit1, chomp, digit2 = match.groups()
        explicit = digit1 or digit2
        self.i += 1
        block_indent = int(explicit) + max(indent, 0) if explicit else None
        body, block_indent = self._block_lines(block_indent, indent)
        texts = [text for text, _number in body]
        trailing = 0  # the empty lines after the last text line: only chomping keeps them
        while trailing < len(texts) and texts[len(texts) - 1 - trailing] == "":
            trailing += 1
        content = body[: len(body) - trailing]
        segments: list[Segment] = []
        out = ""
        previous: Optional[str] = None  # "normal" or "more" (indented): the last text line
        empty = 0
        for text, number in content:
            if not text:
                empty += 1
                continue
            if style_char == "|" or previous is None:
                out += "\n" * (empty + (previous is not None))
            else:
                kind = "more" if text[0] in " \t" else "normal"
                if previous == kind == "normal":  # a break between two plain lines folds
                    out += "\n" * empty if empty else " "
                else:
                    out += "\n" * (empty + 1)
            previous = "more" if text[0] in " \t" else "normal"
            empty = 0
            segments.append((len(out), number, block_indent + 1))
            out += text
        if chomp == "+":
            out += "\n" * (trailing + (previous is not None))
        elif chomp == "" and previous is not None:
            out += "\n"
        return Scalar(out, line.number, column, "literal" if style_char == "|" else "folded", tuple(segments))

    def _block_lines(self, block_indent: Optional[int], indent: int) -> tuple[list[tuple[str, int]], int]:
        """The lines of a block scalar's body, each without its indentation ("" for an empty
        line), and the indentation: the explicit one, or that of the first text line."""
        body: list[tuple[str, int]] = []
        leading_spaces = 0  # the widest empty line before the first text line
        while self.i < self.end:
            nxt = self.lines[self.i]
            text = nxt.text
            spaces = len(text) - len(text.lstrip(" "))
            if nxt.indent == 0 and _document_marker(text):
                break
            if spaces == len(text):  # only spaces: empty, or text made of spaces
                if block_indent is None:
                    leading_spaces = max(leading_spaces, spaces)
                    body.append(("", nxt.number))
                else:
                    body.append((text[block_indent:], nxt.number))
                self.i += 1
                continue
            if block_indent is None:
                if spaces <= indent:
                    break
                if leading_spaces > spaces:
                    raise YamlError("an empty line is indented deeper than the block scalar's text", nxt.number, 1)
                block_indent = spaces
            if spaces < block_indent:
                break
            body.append((text[block_indent:], nxt.number))
            self.i += 1
        return body, indent + 1 if block_indent is None else block_indent

    def _flow(self, line: _Line, column: int) -> Node:
        joined = _Joined(self.lines, self.i, column, " ")
        while True:
            text = joined.text()
            try:
                parser = _FlowParser(text, joined.origins, self.anchors, self.merging)
                node, end = parser.parse(0)
                break
            except YamlError as error:
                error.item_line = min(error.item_line, line.number)
                raise
            except _Unclosed:
                if not joined.grow():
                    raise YamlError("unclosed flow collection", line.number, column) from None
        last = joined.line_of(end)
        self.i = joined.first + last
        rest = _strip_comment(text[end : joined.line_end(last, len(text))])
        if rest.strip():
            raise YamlError(f"unexpected text after a flow collection: `{rest.strip()}`", self.lines[self.i].number, 1, line.number)
        self.i += 1
        return node


class _Joined:
    """The text of a construct that may go on over the following lines (a quoted scalar, a
    flow collection): line `first` from `column`, then the next lines without their
    indentation, joined by line breaks. The construct is read again after each `grow`, and
    `grow` adds lines in doubling batches, so all the reading stays linear in its length."""

    def __init__(self, lines: list[_Line], first: int, column: int, indentation: str) -> None:
        self.lines = lines
        self.first = first
        self.indentation = indentation
        self.pieces = [lines[first].text[column - 1 :]]
        self.origins: list[tuple[int, int, int]] = [(0, lines[first].number, column)]
        self.length = len(self.pieces[0])
        self.batch = 1

    def text(self) -> str:
        return "\n".join(self.pieces)

    def grow(self) -> bool:
        start = self.first + len(self.pieces)
        if start >= len(self.lines):
            return False
        for line in self.lines[start : start + self.batch]:
            piece = line.text.lstrip(self.indentation)
            self.origins.append((self.length + 1, line.number, line.indent + 1))
            self.pieces.append(piece)
            self.length += 1 + len(piece)
        self.batch *= 2
        return True

    def line_of(self, offset: int) -> int:
        """Which of the joined lines (0 = the first) holds `offset`."""
        return _origin_index(self.origins, offset)

    def line_end(self, index: int, default: int) -> int:
        return self.origins[index + 1][0] - 1 if index + 1 < len(self.origins) else default


def _origin_index(origins: list[tuple[int, int, int]], offset: int) -> int:
    return max(bisect.bisect_right(origins, (offset, 1 << 62, 0)) - 1, 0)


class _Unclosed(Exception):
    pass


def _quoted(text: str, start: int, line: int, column: int, marks: Optional[list[tuple[int, int]]] = None) -> tuple[str, int]:
    """Unquote the scalar at `text[start]`; returns (value, index after the closing quote).

    Line breaks written in the text fold as YAML says (one break is a space, each empty line
    a newline, the white space around a break dropped); what an escape yields (`\\n`,
    `\\t`, ...) is never folded or stripped. Raises _Unclosed."""
    quote = text[start]
    out: list[str] = []
    kept = 0  # out[:kept] is escaped or folded text: no trailing white space to strip there
    i = start + 1
    if marks is not None:  # (offset in the value, index in `text`) where the two part ways
        marks.append((0, i))
    while i < len(text):
        char = text[i]
        if char == quote:
            if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                out.append("'")
                i += 2
                if marks is not None:
                    marks.append((len(out), i))
                continue
            return "".join(out), i + 1
        if char == "\\" and quote == '"':
            if i + 1 >= len(text):
                raise _Unclosed()
            if text[i + 1] == "\n":  # an escaped line break joins without a space
                i = _skip_white(text, i + 2)
                while i < len(text) and text[i] == "\n":
                    out.append("\n")
                    i = _skip_white(text, i + 1)
            else:
                value, i = _escape(text, i, line, column)
                out.append(value)
            kept = len(out)
            if marks is not None:
                marks.append((kept, i))
            continue
        if char == "\n":
            while len(out) > kept and out[-1] in " \t":
                out.pop()
            i = _skip_white(text, i + 1)
            breaks = 0
            while i < len(text) and text[i] == "\n":
                breaks += 1
                i = _skip_white(text, i + 1)
            out.extend("\n" * breaks if breaks else " ")  # one character per item: len(out) is the offset
            kept = len(out)
            if marks is not None:
                marks.append((kept, i))
            continue
        run = (_DOUBLE_RUN if quote == '"' else _SINGLE_RUN).match(text, i)
        end = run.end() if run else i + 1
        out.extend(text[i:end])
        i = end
    raise _Unclosed()


# stretches of a quoted scalar with nothing to unescape or fold in them
_DOUBLE_RUN = re.compile(r'[^"\\\n]+')
_SINGLE_RUN = re.compile(r"[^'\n]+")


def _skip_white(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


_ESCAPE_SIZES = {"x": 2, "u": 4, "U": 8}


def _escape(text: str, i: int, line: int, column: int) -> tuple[str, int]:
    """The character the escape at `text[i]` (a backslash) stands for, and the index after it."""
    escape = text[i + 1]
    if escape in _ESCAPES:
        return _ESCAPES[escape], i + 2
    if escape in _ESCAPE_SIZES:
        size = _ESCAPE_SIZES[escape]
        digits = text[i + 2 : i + 2 + size]
        if len(digits) != size or not re.fullmatch(r"[0-9a-fA-F]+", digits):
            raise YamlError(f"invalid escape `\\{escape}{digits}`", line, column)
        return chr(int(digits, 16)), i + 2 + size
    raise YamlError(f"invalid escape `\\{escape}` in a double-quoted scalar", line, column)


# A plain scalar in a flow collection: up to `,` `]` `}`, a `:` before a space, a line break,
# `,` `]` `}` or the end, or a `#` after white space (a comment, also on a line of its own).
_FLOW_PLAIN = re.compile(r"(?:[^,\]}:#]|:(?=[^ ,\]}\n])|(?<=[^ \t\n])#)*")


class _FlowParser:
    """`[a, b]` / `{k: v}` with nested collections and quoted or plain scalars."""

    def __init__(
        self,
        text: str,
        origins: list[tuple[int, int, int]],
        anchors: Optional[dict[str, Node]] = None,
        merging: Optional[list[Mapping]] = None,
    ) -> None:
        self.text = text
        self.merging: list[Mapping] = [] if merging is None else merging
        self.origins = origins
        # shared with the block parser: `&name` here is `*name` later in the document, and
        # `*name` yields the anchored node itself (never a copy), as block aliases do
        self.anchors: dict[str, Node] = {} if anchors is None else anchors

    def name(self, i: int) -> tuple[str, int]:
        """The anchor or alias name starting at `text[i]` (after `&` / `*`)."""
        start = i
        while i < len(self.text) and self.text[i] not in " \t\n,[]{}":
            i += 1
        return self.text[start:i], i

    def where(self, offset: int) -> tuple[int, int]:
        best = self.origins[_origin_index(self.origins, offset)]
        return best[1], best[2] + offset - best[0]

    def skip(self, i: int) -> int:
        while i < len(self.text):
            if self.text[i] in " \t\n":
                i += 1
            elif self.text[i] == "#" and (i == 0 or self.text[i - 1] in " \t\n"):
                while i < len(self.text) and self.text[i] != "\n":
                    i += 1
            else:
                break
        if i >= len(self.text):
            raise _Unclosed()
        return i

    def property_value(self, i: int) -> tuple[Node, int]:
        """The node after an anchor or a tag; an empty scalar when none is written."""
        i = self.skip(i)
        if self.text[i] in ",]}" or (self.text[i] == ":" and self.text[i + 1 : i + 2] in ("", " ", "\n", ",", "]", "}")):
            line, column = self.where(i)
            return Scalar("", line, column), i
        return self.parse(i)

    def value(self, i: int) -> tuple[Node, int]:
        """The value after a `:`; an empty scalar when none is written (`{a: , b: 1}`)."""
        i = self.skip(i)
        if self.text[i] in ",]}":
            line, column = self.where(i)
            return Scalar("", line, column), i
        return self.parse(i)

    def parse(self, i: int) -> tuple[Node, int]:
        i = self.skip(i)
        line, column = self.where(i)
        char = self.text[i]
        if char == "[":
            items: list[Node] = []
            i += 1
            while True:
                i = self.skip(i)
                if self.text[i] == "]":
                    return Sequence(items, line, column), i + 1
                start = i
                node, i = self.parse(i)
                i = self.skip(i)
                # a single pair, `[key: value]`, is a one-item mapping; its key is on one line
                if self.text[i] == ":" and "\n" not in self.text[start:i]:
                    if not isinstance(node, Scalar):
                        l2, c2 = self.where(i)
                        raise YamlError("flow mapping keys must be scalars", l2, c2)
                    pair_value, i = self.value(i + 1)
                    pair = Mapping([(node, pair_value)], node.line, node.column)
                    if _is_merge_key(node):
                        self.merging.append(pair)
                    node = pair
                    i = self.skip(i)
                items.append(node)
                if self.text[i] == ",":
                    i += 1
                elif self.text[i] != "]":
                    l2, c2 = self.where(i)
                    raise YamlError("expected `,` or `]` in a flow sequence", l2, c2)
        if char == "{":
            pairs: list[tuple[Scalar, Node]] = []
            i += 1
            while True:
                i = self.skip(i)
                if self.text[i] == "}":
                    mapping = Mapping(pairs, line, column)
                    if any(_is_merge_key(key) for key, _node in pairs):
                        self.merging.append(mapping)
                    return mapping, i + 1
                key, i = self.parse(i)
                if not isinstance(key, Scalar):
                    l2, c2 = self.where(i)
                    raise YamlError("flow mapping keys must be scalars", l2, c2)
                i = self.skip(i)
                value: Node
                if self.text[i] == ":":
                    value, i = self.value(i + 1)
                else:
                    kl, kc = self.where(i)
                    value = Scalar("", kl, kc)
                pairs.append((key, value))
                i = self.skip(i)
                if self.text[i] == ",":
                    i += 1
                elif self.text[i] != "}":
                    l2, c2 = self.where(i)
                    raise YamlError("expected `,` or `}` in a flow mapping", l2, c2)
        if char in "\"'":
            value_text, end = _quoted(self.text, i, line, column)
            return Scalar(value_text, line, column, "double" if char == '"' else "single", ((0, line, column + 1),)), end
        if char in "]},":
            raise YamlError(f"unexpected `{char}`", line, column)
        if char == "*":
            name, i = self.name(i + 1)
            if name not in self.anchors:
                raise YamlError(f"unknown alias `*{name}`", line, column)
            return self.anchors[name], i
        if char == "&":
            name, i = self.name(i + 1)
            if not name:
                raise YamlError("an anchor needs a name", line, column)
            node, i = self.property_value(i)
            self.anchors[name] = node
            return node, i
        if char == "!":  # a tag (`!reference [a, b]`, `!!str x`) is dropped, as in block context
            _tag, i = self.name(i + 1)
            return self.property_value(i)
        start = i
        match = _FLOW_PLAIN.match(self.text, i)
        i = match.end() if match else i
        raw = self.text[start:i]
        plain = " ".join(part.strip() for part in raw.split("\n") if part.strip())
        return Scalar(plain, line, column, "plain", ((0, line, column),)), i
