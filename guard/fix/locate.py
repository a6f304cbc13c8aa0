"""Finding a requirement's text at a finding's place, with the offset of each of its characters.

Three shapes: a requirement file's line (continuations joined as pip joins them, comment and
options cut off), a word of a shell command (quotes removed), and a TOML string. Each gives
the requirement as the tool reads it plus, for every character, its offset in the file, so a
change to the requirement maps back onto exactly the characters it replaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union

from guard.fix.edits import EditError, LineIndex

# pip's COMMENT_RE (req_file.py): `#` at the start or after blanks starts a comment.
_COMMENT = re.compile(r"(^|\s+)#.*$")


@dataclass(frozen=True)
class Located:
    """A requirement as read, with the file offset of each character (`offsets[i]` for
    `text[i]`; one more entry: the offset just past the last character)."""

    text: str
    offsets: tuple[int, ...]
    # the shell word's quoting: "" unquoted, `"` or `'` when one quoted segment holds it all
    quote: str = ""
    redirect: bool = False  # an unquoted `<` or `>` in a shell word: the shell would redirect
    start: int = 0  # file offset where the located text (its quotes included) starts
    end: int = 0  # file offset just past it
    rest: str = ""  # a requirement file's options after the requirement (comment removed)


def requirement_line(index: LineIndex, line: int, column: int) -> Union[Located, str]:
    """The requirement of a requirement file that starts at (line, column)."""
    try:
        begin = index.offset(line, column)
    except EditError as error:
        return str(error)
    chars: list[str] = []
    offsets: list[int] = []
    number = line
    while number <= len(index.lines):
        content = index.line(number)
        start = index.offset(number, 1)
        first = begin - start if number == line else 0
        end = len(content)
        continues = content.endswith("\\") and not re.match(r"\s*#", content)
        if continues:
            # pip's `line.strip("\\")` on each line that continues
            end = len(content.rstrip("\\"))
            while first < end and content[first] == "\\":
                first += 1
        for position in range(first, end):
            chars.append(content[position])
            offsets.append(start + position)
        if not continues:
            break
        number += 1
    text = "".join(chars)
    comment = _COMMENT.search(text)
    if comment is not None:
        text = text[: comment.start()]
    cut = text.find(" -")
    rest = text[cut:] if cut >= 0 else ""
    if cut >= 0:
        text = text[:cut]
    text = text.rstrip()
    if not text:
        return "there is no requirement at this place"
    end_offsets = offsets[: len(text)] + [offsets[len(text) - 1] + 1]
    return Located(text, tuple(end_offsets), start=end_offsets[0], end=end_offsets[-1], rest=rest)


# Characters that end a shell word when unquoted (besides blanks); `<`/`>` are redirects,
# kept in the word so that the spec the user meant (`pip>=26`) is read whole.
_WORD_END = set(";&|()`")
_REDIRECT = set("<>")


def shell_word(index: LineIndex, line: int, column: int, stop: str = "") -> Union[Located, str]:
    """The shell word at (line, column), its quotes removed. `stop`: the quote of a YAML
    scalar holding the command, which ends the command, not a shell quote."""
    try:
        begin = index.offset(line, column)
    except EditError as error:
        return str(error)
    content = index.line(line)
    start = index.offset(line, 1)
    position = begin - start
    chars: list[str] = []
    offsets: list[int] = []
    segments: list[str] = []  # the quoting of each segment: "", `"` or `'`
    redirect = False
    while position < len(content):
        char = content[position]
        if char in stop:
            break
        if char in "\"'":
            close = content.find(char, position + 1)
            if close < 0:
                if chars:
                    break  # the closing quote of an enclosing string: `sh -c "pip install meson"`
                return "the quote at this place is not closed on its line"
            inner = content[position + 1 : close]
            if char == '"' and ("\\" in inner or "$" in inner or "`" in inner):
                return "the spec uses shell escapes or expansions; guard does not rewrite it"
            segments.append(char)
            for offset, inner_char in enumerate(inner):
                chars.append(inner_char)
                offsets.append(start + position + 1 + offset)
            position = close + 1
            continue
        if char.isspace() or char in _WORD_END:
            break
        if char in "\\$":
            return "the spec uses shell escapes or expansions; guard does not rewrite it"
        if not segments or segments[-1] != "":
            segments.append("")
        redirect = redirect or char in _REDIRECT
        chars.append(char)
        offsets.append(start + position)
        position += 1
    if not chars:
        return "there is no pip argument at this place"
    quote = segments[0] if len(segments) == 1 else ""
    if len(segments) > 1:
        return "the spec is quoted in pieces; guard does not rewrite it"
    return Located("".join(chars), tuple(offsets + [offsets[-1] + 1]), quote, redirect, begin, start + position)


def _line_at(index: LineIndex, line: int, column: int) -> Union[tuple[int, str, int], str]:
    """(offset in the file, the line's text, index in that line) of (line, column), or why not."""
    try:
        begin = index.offset(line, column)
    except EditError as error:
        return str(error)
    return begin, index.line(line), begin - index.offset(line, 1)


def toml_string(index: LineIndex, line: int, column: int) -> Union[Located, str]:
    """The one-line TOML string (basic or literal) that starts at (line, column)."""
    start = _line_at(index, line, column)
    if isinstance(start, str):
        return start
    begin, content, position = start
    quote = content[position : position + 1]
    if quote not in ("'", '"') or content[position : position + 3] == quote * 3:
        return "there is no one-line TOML string at this place"
    close = content.find(quote, position + 1)
    if close < 0:
        return "the TOML string at this place does not end on its line"
    inner = content[position + 1 : close]
    if quote == '"' and "\\" in inner:
        return "the TOML string uses escapes; guard does not rewrite it"
    offsets = tuple(begin + 1 + offset for offset in range(len(inner) + 1))
    return Located(inner, offsets, quote, False, begin, begin + len(inner) + 2)


def yaml_scalar(index: LineIndex, line: int, column: int) -> Union[Located, str]:
    """The one-line YAML scalar (plain, or quoted without escapes) that starts at (line, column)."""
    start = _line_at(index, line, column)
    if isinstance(start, str):
        return start
    begin, content, position = start
    quote = content[position : position + 1]
    if quote in ("'", '"'):
        close = content.find(quote, position + 1)
        inner = content[position + 1 : close] if close >= 0 else ""
        if close < 0 or content[close + 1 : close + 2] == quote or (quote == '"' and "\\" in inner):
            return "the YAML string at this place is not one guard rewrites (escapes, or not closed on its line)"
        offsets = tuple(begin + 1 + offset for offset in range(len(inner) + 1))
        return Located(inner, offsets, quote, False, begin, begin + len(inner) + 2)
    # a plain scalar ends at a comment, the line's end, or in a flow list at `,` `]` `}`
    flow = "[" in content[:position] or "{" in content[:position]
    end = position
    while end < len(content):
        char = content[end]
        if (flow and char in ",]}") or (char == "#" and content[end - 1 : end].isspace()):
            break
        end += 1
    inner = content[position:end].rstrip()
    if not inner:
        return "there is no YAML value at this place"
    offsets = tuple(begin + offset for offset in range(len(inner) + 1))
    return Located(inner, offsets, "", False, begin, begin + len(inner))


@dataclass(frozen=True)
class Parsed:
    """A requirement's parts: where its version specifier is (start == end: none written)."""

    name: str
    spec_start: int
    spec_end: int
    specifier: str
    has_url: bool


_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?")


def parse_requirement(text: str) -> Optional[Parsed]:
    """The name and the specifier's span of a PEP 508 requirement; None when it is none."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    match = _NAME.match(text)
    if match is None:
        return None
    after = match.end(2) if match.group(2) else match.end(1)
    if requirement.url:
        return Parsed(requirement.name, after, after, "", True)
    marker = text.find(";", after)
    region = text[after : marker if marker >= 0 else len(text)]
    stripped = region.strip()
    if not stripped:
        return Parsed(requirement.name, after, after, "", False)
    # from just after the name (or extras): `numpy >= 1.20` becomes `numpy==1.26.4`
    end = after + len(region.rstrip())
    return Parsed(requirement.name, after, end, str(requirement.specifier), False)
