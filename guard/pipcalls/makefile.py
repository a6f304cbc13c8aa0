"""The `makefile` file kind: pip in recipe lines.

A recipe line starts with a tab; `@`, `-` and `+` prefixes are dropped; a line ending in
`\\` continues the same shell command on the next line (make removes the next line's leading
tab). Make variables defined with a literal value (`PYTHON ?= python3`, `:=`, `=`) are
substituted in `$(NAME)` / `${NAME}`; `$$` is the shell's `$`. Each recipe line is its
own shell, so `||` fallbacks are judged within a line. Any other line ending in `\\` (a
variable, a rule's prerequisites, a comment) takes its continuation lines with it, tab-led
or not, as make reads them. `.RECIPEPREFIX = >` changes the
recipe prefix from its line on; `x: deps ; cmd` is a recipe on the rule line; `$(shell CMD)`
is read as commands in a recipe (through the shell scanner's command substitution) and on
any other line.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from guard.pipcalls.check import check_shell_text, finish

if TYPE_CHECKING:
    from guard.check.context import RunContext

_ASSIGN = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\?|:{1,3}|\+|!)?=\s*(.*)$")
_MAKE_VAR = re.compile(r"\$\(shell[ \t]+|\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\$")
_SHELL_FUNCTION = re.compile(r"\$\(shell[ \t]+")
_RECIPEPREFIX = re.compile(r"^\.RECIPEPREFIX\s*(?:\?|:{1,3}|\+|!)?=[ \t]?(.*)$")
# `targets: prerequisites ; recipe` (not `x := v`, not a target-specific `x: V = v`)
_RULE_RECIPE = re.compile(r"^[^\t#=;:][^#=;:]*(?::{1,2}|&:)(?!=)[^#=;]*;")


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is None:
            continue
        full, shown, text = read
        variables: dict[str, str] = {}
        for recipe, segments in recipes(text, variables):
            findings, _commands = check_shell_text(
                recipe, shown, "makefile", context, directory=os.path.dirname(full), segments=segments, variables=variables
            )
            context.findings.extend(findings)
    finish(context)


def recipes(text: str, variables: dict[str, str]) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """(shell text, segments) of every recipe line; fills `variables` with literal make variables.

    A recipe is a line that starts with the recipe prefix (a tab, or the first character of
    `.RECIPEPREFIX`), or the text after `;` on a rule line (`x: deps ; cmd`); a `$(shell
    CMD)` anywhere else (a variable's value, a rule line) is read as a recipe of its own."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[tuple[str, list[tuple[int, int, int]]]] = []
    prefix = "\t"
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith(prefix):
            rule = _RULE_RECIPE.match(line)
            if rule and not line.lstrip().startswith("#"):
                out.extend(_shell_functions(line[: rule.end()], i + 1))
                rest = line[rule.end() :]
                stripped = rest.lstrip(" \t@-+")
                i = _recipe(lines, i, prefix, stripped, rule.end() + len(rest) - len(stripped) + 1, out)
                continue
            # any other line continued with `\\` takes its next lines with it, tab or not:
            # make reads a continued variable, prerequisite or comment line as one line
            end = _logical_end(lines, i)
            logical = _join_continued(lines[i:end])
            if not line.lstrip().startswith("#"):
                for number in range(i, end):
                    out.extend(_shell_functions(lines[number], number + 1))
                prefix = _assignment(logical, prefix, variables)
            i = end
            continue
        physical = line[len(prefix) :]
        stripped = physical.lstrip("@-+ \t")
        i = _recipe(lines, i, prefix, stripped, len(prefix) + 1 + len(physical) - len(stripped), out)
    return out


def _assignment(logical: str, prefix: str, variables: dict[str, str]) -> str:
    """Record a literal make variable from one logical line; returns the recipe prefix in
    effect after it (`.RECIPEPREFIX` changes it)."""
    recipe_prefix = _RECIPEPREFIX.match(logical)
    if recipe_prefix:
        value = recipe_prefix.group(1).strip()
        if "$" not in value:  # a value built from variables is not followed
            return value[:1] or "\t"
        return prefix
    match = _ASSIGN.match(logical)
    if match:
        value = match.group(2).split(" #", 1)[0].strip()
        if "$" not in value:
            variables[match.group(1)] = value
        else:
            variables.pop(match.group(1), None)
    return prefix


def _continues(line: str) -> bool:
    """An odd number of trailing backslashes continues a line (`\\\\` is a literal one)."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _logical_end(lines: list[str], i: int) -> int:
    """The index after the last physical line of the logical line starting at `lines[i]`."""
    while _continues(lines[i]) and i + 1 < len(lines):
        i += 1
    return i + 1


def _join_continued(physical: list[str]) -> str:
    """make's joining outside recipes: backslash-newline and the whitespace around it become one space."""
    pieces = [line[:-1].rstrip() if _continues(line) else line for line in physical]
    return " ".join(piece.strip() if number else piece for number, piece in enumerate(pieces))


def _recipe(lines: list[str], i: int, prefix: str, first: str, column: int, out: list[tuple[str, list[tuple[int, int, int]]]]) -> int:
    """Append the recipe line starting at `lines[i]` (its text `first` at `column`) with its
    `\\` continuation lines; returns the index of the line after it."""
    pieces: list[str] = []
    segments: list[tuple[int, int, int]] = []
    length = 0
    physical = first
    while True:
        piece, piece_segments = _unmake(physical, length + (1 if pieces else 0), i + 1, column)
        length += len(piece) + (1 if pieces else 0)
        pieces.append(piece)
        segments.extend(piece_segments)
        i += 1
        if not physical.endswith("\\") or i >= len(lines):
            break
        physical = lines[i][len(prefix) :] if lines[i].startswith(prefix) else lines[i]
        column = len(prefix) + 1 if lines[i].startswith(prefix) else 1
    body = "\n".join(pieces)
    if body.strip() and not body.lstrip().startswith("#"):
        out.append((body, segments))
    return i


def _shell_functions(line: str, number: int) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """The commands of every `$(shell CMD)` on a line that is not a recipe."""
    found: list[tuple[str, list[tuple[int, int, int]]]] = []
    covered = 0  # a `$(shell ...)` nested in one already taken is scanned as part of it
    for match in _SHELL_FUNCTION.finditer(line):
        if match.start() < covered:
            continue
        depth = 1
        end = match.end()
        while end < len(line) and depth:
            depth += {"(": 1, ")": -1}.get(line[end], 0)
            end += 1
        if depth:
            break  # unbalanced: make itself complains, and no later one can close either
        covered = end
        command, segments = _unmake(line[match.end() : end - 1], 0, number, match.end() + 1)
        if command.strip():
            found.append((command, segments))
    return found


def _unmake(text: str, offset: int, line: int, column: int) -> tuple[str, list[tuple[int, int, int]]]:
    """`$(NAME)` -> `${NAME}`, `$(shell CMD)` -> `$(CMD)` and `$$` -> `$`, with segments
    that keep columns true."""
    out: list[str] = []
    length = 0
    segments = [(offset, line, column)]
    position = 0
    for match in _MAKE_VAR.finditer(text):
        out.append(text[position : match.start()])
        if match.group(0) == "$$":
            replacement = "$"
        elif match.group(0).startswith("$(shell"):
            replacement = "$("
        else:
            replacement = "${" + (match.group(1) or match.group(2)) + "}"
        out.append(replacement)
        length += match.start() - position + len(replacement)
        position = match.end()
        segments.append((offset + length, line, column + position))
    out.append(text[position:])
    return "".join(out), segments
