"""Where each finding ends: the end of what it points at, read from the file's own text.

Readers place a finding at the first character of what it is about (a requirement, a shell
word, a TOML or YAML string) and are fast because they keep no more than that. The end is
found here, once per finding and only for files that have findings, by reading from the
start the way the file's syntax delimits that thing:

- a requirement line (requirement files, and `-r`/`-e` lines): up to a comment (pip's
  `(^|\\s)#`) or an option (`\\s-`, pip's `break_args_options`), across `\\` continuations;
- a shell word (Dockerfiles, scripts, CI `run:` blocks, Makefiles): up to the first unquoted
  blank or operator, quotes and `$(...)` followed as the shell does;
- a value in a manifest (TOML, INI, YAML): a quoted string to its closing quote, else as a
  requirement line on one line;
- an expression in `setup.py`: a string literal, else a name with its balanced brackets
  (`install_requires()`).

The end is the column just past the last character (SARIF's `endColumn`). A finding about a
whole file (line 0) keeps no end; one whose place is not in the text ends where it starts.
"""

from __future__ import annotations

import re
from typing import Mapping, Optional, Sequence

from guard.finding import Finding, make_finding

_SHELL_KINDS = frozenset({"dockerfile", "shell", "makefile", "github-workflow", "github-action", "gitlab-ci", "circleci", "readthedocs"})
_VALUE_KINDS = frozenset(
    {"pyproject", "lockfile", "setup-cfg", "pipfile", "environment-yml", "tox-ini", "pre-commit-config", "python-script"}
)
_OPENING, _CLOSING = "([{", ")]}"
# pip's COMMENT_RE (`(^|\s+)#.*$`) and `break_args_options` (a blank, then `-`)
_COMMENT_OR_OPTION = re.compile(r"[ \t]+[#-]")
_SHELL_STOPS = frozenset(" \t;&|<>()")
_OPTIONS_WITH_A_FILE = frozenset({"-r", "-c", "--requirement", "--constraint"})


def syntax_of(kind: str) -> str:
    """`shell`, `value`, `python` or `requirement` (the default: files reached by `-r` are
    requirement files)."""
    if kind == "setup-py":
        return "python"
    if kind in _SHELL_KINDS:
        return "shell"
    if kind in _VALUE_KINDS:
        return "value"
    return "requirement"


def fill_ends(
    findings: Sequence[Finding],
    texts: Mapping[str, str],
    line_alias: Mapping[str, Mapping[int, int]],
    syntaxes: Mapping[str, str],
) -> list[Finding]:
    """`findings` with `end_line`/`end_column` set where a reader left them None."""
    lines_of: dict[str, Optional[list[str]]] = {}
    out: list[Finding] = []
    append = out.append
    search = _COMMENT_OR_OPTION.search
    no_aliases: Mapping[int, int] = {}
    for f in findings:
        line = f.line
        if f.end_line is not None or line <= 0:
            append(f)
            continue
        path = f.path
        if path in lines_of:
            lines = lines_of[path]
        else:
            text = texts.get(path)
            lines = lines_of[path] = None if text is None else text.splitlines()
        column = f.column
        if lines is None or line > len(lines) or column < 1:
            end_line, end_column = line, column
        else:
            syntax = syntaxes.get(path, "requirement")
            aliases = line_alias.get(path, no_aliases)
            physical = lines[line - 1]
            if syntax == "requirement" and line + 1 not in aliases and not physical.startswith("#", column - 1):
                # the usual requirement line, on one physical line: `_requirement_end`, inlined
                match = search(physical, column - 1)
                body = (physical[column - 1 : match.start()] if match is not None else physical[column - 1 :]).rstrip()
                if match is None and body.endswith("\\"):
                    body = body[:-1].rstrip()
                end_line, end_column = line, column + len(body)
            else:
                end_line, end_column = subject_end(lines, line, column, syntax, aliases)
        append(make_finding(f.path, line, column, f.code, f.name, f.severity, f.message, f.package, f.fix, end_line, end_column))
    return out


def subject_end(lines: Sequence[str], line: int, column: int, syntax: str, aliases: Mapping[int, int]) -> tuple[int, int]:
    """(line, column) just past the thing that starts at (`line`, `column`) (both 1-based)."""
    text = lines[line - 1]
    start = column - 1
    if start >= len(text):
        return (line, column)
    if syntax == "shell":
        end = _shell_word_end(text, start)
        if text[start:end] in _OPTIONS_WITH_A_FILE:
            # `-r FILE`: a finding at the option is about the option and the file it names
            following = len(text) - len(text[end:].lstrip(" \t"))
            if following < len(text) and text[following] not in _SHELL_STOPS:
                end = _shell_word_end(text, following)
        return (line, end + 1)
    if syntax in ("value", "python") and text[start] in "\"'":
        return (line, _quoted_end(text, start) + 1)
    if syntax == "python":
        return (line, _expression_end(text, start) + 1)
    if syntax == "value":
        end = _requirement_end(text, start)[0]
        if text[:start].rstrip().endswith(("[", ",")):
            # a plain scalar in a YAML flow list (`[requests, numpy]`) ends before `,`, `]`, `}`
            stops = [index for index in (text.find(char, start, end) for char in ",]}") if index >= 0]
            end = len(text[start : min(stops)].rstrip()) + start if stops else end
        return (line, end + 1)
    return _requirement_span_end(lines, line, start, aliases)


def _requirement_span_end(lines: Sequence[str], line: int, start: int, aliases: Mapping[int, int]) -> tuple[int, int]:
    """Across the physical lines pip joins into this one (`aliases`: continuation -> first)."""
    end_line, end_column = line, start
    number, position = line, start
    while True:
        end, stopped = _requirement_end(lines[number - 1], position)
        if end > position or number == line:
            end_line, end_column = number, end
        if stopped or aliases.get(number + 1) != line:
            break
        number, position = number + 1, 0
    return (end_line, end_column + 1)


def _requirement_end(text: str, start: int) -> tuple[int, bool]:
    """Index just past the requirement's last character on this physical line, and whether
    a comment or an option ended it there (else it may continue on the next line)."""
    match = _COMMENT_OR_OPTION.search(text, start)
    if match is not None:
        return (start + len(text[start : match.start()].rstrip()), True)
    if text.startswith("#", start):
        return (start, True)
    body = text[start:].rstrip()
    if body.endswith("\\"):
        body = body[:-1].rstrip()
    return (start + len(body), False)


def _quoted_end(text: str, start: int) -> int:
    """Index just past the closing quote (a basic string's `\\"` escapes it); the line's end
    when the string does not close on it."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\" and quote == '"':
            index += 2
            continue
        if char == quote:
            return index + 1
        index += 1
    return len(text.rstrip())


def _expression_end(text: str, start: int) -> int:
    """Index just past a name and the brackets it opens (`reqs('test.txt')`), strings inside
    followed; it ends at a blank, comma or closing bracket outside them."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char in "\"'":
            index = _quoted_end(text, index)
            continue
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            if not depth:
                break
            depth -= 1
        elif not depth and char in " \t,#":
            break
        index += 1
    return index


def _shell_word_end(text: str, start: int) -> int:
    """Index just past the shell word starting at `start`: quotes, backslashes and `$(...)`
    followed; the word ends at an unquoted blank or operator, or at the line's end."""
    index = start
    depth = 0  # open `$(` (and `(` inside them)
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "'":
            closing = text.find("'", index + 1)
            index = length if closing < 0 else closing + 1
            continue
        if char == '"':
            index = _double_quoted_end(text, index)
            continue
        if char == "$" and text[index + 1 : index + 2] == "(":
            depth += 1
            index += 2
            continue
        if depth:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            index += 1
            continue
        if char in _SHELL_STOPS:
            break
        index += 1
    return min(index, len(text.rstrip())) if index >= length else index


def _double_quoted_end(text: str, start: int) -> int:
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index + 1
        index += 1
    return len(text)
