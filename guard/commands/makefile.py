"""The `makefile` file kind: pip in recipe lines.

A recipe line starts with a tab; `@`, `-` and `+` prefixes are dropped; a line ending in
`\\` continues the same shell command on the next line (make removes the next line's leading
tab). Make variables defined with a literal value (`PYTHON ?= python3`, `:=`, `=`) are
substituted in `$(NAME)` / `${NAME}`; `$$` is the shell's `$`. Each recipe line is its
own shell, so `||` fallbacks are judged within a line.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from guard.commands.checks import check_shell_text, finish

if TYPE_CHECKING:
    from guard.checks import RunContext

_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\?|:{1,3}|\+|!)?=\s*(.*)$")
_MAKE_VAR = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\$")


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is None:
            continue
        full, shown, text = read
        variables: dict[str, str] = {}
        for recipe, segments in recipes(text, variables):
            findings, _commands = check_shell_text(recipe, shown, "makefile", context, directory=os.path.dirname(full), segments=segments, variables=variables)
            context.findings.extend(findings)
    finish(context)


def recipes(text: str, variables: dict[str, str]) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """(shell text, segments) of every recipe line; fills `variables` with literal make variables."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[tuple[str, list[tuple[int, int, int]]]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("\t"):
            match = _ASSIGN.match(line)
            if match and not line.lstrip().startswith("#"):
                value = match.group(2).split(" #", 1)[0].strip()
                if "$" not in value:
                    variables[match.group(1)] = value
                else:
                    variables.pop(match.group(1), None)
            i += 1
            continue
        body, segments, start = "", [], i
        while True:
            physical = lines[i][1:] if lines[i].startswith("\t") else lines[i]
            column = 2 if lines[i].startswith("\t") else 1
            if i == start:
                stripped = physical.lstrip("@-+ ")
                column += len(physical) - len(stripped)
                physical = stripped
            piece, piece_segments = _unmake(physical, len(body) + (1 if body else 0), i + 1, column)
            body = f"{body}\n{piece}" if body else piece
            segments.extend(piece_segments)
            i += 1
            if not physical.endswith("\\") or i >= len(lines):
                break
        if body.strip() and not body.lstrip().startswith("#"):
            out.append((body, segments))
    return out


def _unmake(text: str, offset: int, line: int, column: int) -> tuple[str, list[tuple[int, int, int]]]:
    """`$(NAME)` -> `${NAME}` and `$$` -> `$`, with segments that keep columns true."""
    out = ""
    segments = [(offset, line, column)]
    position = 0
    for match in _MAKE_VAR.finditer(text):
        out += text[position:match.start()]
        replacement = "$" if match.group(0) == "$$" else "${" + (match.group(1) or match.group(2)) + "}"
        out += replacement
        position = match.end()
        segments.append((offset + len(out), line, column + position))
    out += text[position:]
    return out, segments
