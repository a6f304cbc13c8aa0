"""`guard check --diff`: the fixes as a unified diff (what `git apply` and `patch -p1` take)."""

from __future__ import annotations

import difflib


def unified_diff(path: str, before: str, after: str) -> str:
    """The diff of one file; `path` as shown, with `a/` and `b/` prefixes as git writes them.
    Lines are split at `\\n` only, as patch tools split them (a CRLF line keeps its `\\r`); a
    last line without a line ending is marked as git and diff mark it."""
    shown = path.replace("\\", "/")
    lines = difflib.unified_diff(_lines(before), _lines(after), fromfile=f"a/{shown}", tofile=f"b/{shown}")
    out: list[str] = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines
