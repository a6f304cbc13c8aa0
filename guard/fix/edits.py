"""Edits to a file's text: a replacement between two (line, column) places.

Lines are `str.splitlines` lines (as the requirement file reader counts them) and columns count
characters from 1, as findings do; the end is the column just past the last replaced character.
Everything outside the edits is kept as it is, line endings included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Edit:
    """Replace the text from `start` up to (not including) `end` with `replacement`."""

    path: str  # as shown in findings
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    replacement: str

    @property
    def start(self) -> tuple[int, int]:
        return (self.start_line, self.start_column)

    @property
    def end(self) -> tuple[int, int]:
        return (self.end_line, self.end_column)


class EditError(Exception):
    """Edits that cannot be applied (a place outside the text, or two edits overlapping)."""


class LineIndex:
    """Offsets of (line, column) places in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self._starts = [0]
        for line in self.lines:
            self._starts.append(self._starts[-1] + len(line))

    def line(self, number: int) -> str:
        """Physical line `number` (1-based) without its line ending; '' past the end."""
        if number < 1 or number > len(self.lines):
            return ""
        return _without_ending(self.lines[number - 1])

    def offset(self, line: int, column: int) -> int:
        """The offset of a place; a column may be one past the line's content (its end)."""
        if line < 1 or line > len(self.lines) + 1 or column < 1:
            raise EditError(f"line {line}, column {column} is outside the file")
        if line == len(self.lines) + 1:
            if column != 1:
                raise EditError(f"line {line}, column {column} is outside the file")
            return self._starts[-1]
        if column - 1 > len(self.line(line)):
            raise EditError(f"line {line}, column {column} is outside the file")
        return self._starts[line - 1] + column - 1

    def place(self, offset: int) -> tuple[int, int]:
        """The (line, column) of an offset."""
        import bisect

        index = min(bisect.bisect_right(self._starts, offset) - 1, max(len(self.lines) - 1, 0))
        return (index + 1, offset - self._starts[index] + 1)

    def line_ending(self, line: int) -> str:
        """The line ending of `line`, else the file's first one, else `\\n`."""
        for candidate in [line] + list(range(1, len(self.lines) + 1)):
            if 1 <= candidate <= len(self.lines):
                ending = self.lines[candidate - 1][len(_without_ending(self.lines[candidate - 1])) :]
                if ending:
                    return ending
        return "\n"


def _without_ending(line: str) -> str:
    stripped = line.splitlines()
    return stripped[0] if stripped else ""


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """`text` with `edits` applied; they must not overlap (identical edits count once)."""
    index = LineIndex(text)
    # identical edits count once; insertions at one place keep the order they were given in
    unique = list(dict.fromkeys((index.offset(*edit.start), index.offset(*edit.end), edit.replacement) for edit in edits))
    spans = sorted(unique, key=lambda span: (span[0], span[1]))
    pieces: list[str] = []
    position = 0
    for start, end, replacement in spans:
        if end < start:
            raise EditError("an edit ends before it starts")
        if start < position:
            raise EditError("two edits overlap")
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
