"""`tomllib` where the standard library has it, `tomli` before Python 3.11.

`loads` also turns the RecursionError that deeply nested input (`x = [[[[…`) raises inside
the parser into a `TOMLDecodeError`, so every caller's "invalid TOML" path reports it as a
finding instead of guard crashing; and it refuses, before parsing, a dotted key of more
than `MAX_KEY_PARTS` parts: the parser's time and memory grow with the square of a key's
parts (a 51 KB key took 3.9 GB), and no real document comes near the limit.
"""

from __future__ import annotations

import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    from tomllib import TOMLDecodeError
    from tomllib import loads as _loads
else:  # pragma: no cover - exercised on the 3.9/3.10 CI runs
    from tomli import TOMLDecodeError
    from tomli import loads as _loads


class TOMLNestingError(TOMLDecodeError):
    """Input nested deeper than the parser can follow."""

    def __init__(self, message: str) -> None:
        # Bypass TOMLDecodeError's (msg, doc, pos) signature of Python 3.14 / tomli 2.1.
        ValueError.__init__(self, message)


MAX_KEY_PARTS = 256
# Strings and comments (skipped whole), dots, and the characters that end a key.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[.=\n\[\]{},]',
    re.S,
)


def longest_dotted_key(text: str) -> int:
    """The most `.`-joined parts of any key (an upper bound: dots in numbers count too), in
    one pass that skips strings and comments."""
    longest, dots = 1, 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == ".":
            dots += 1
            if dots >= longest:
                longest = dots + 1
        elif len(token) == 1 and token in "=\n[]{},":
            dots = 0
    return longest


def loads(text: str) -> dict[str, Any]:
    parts = longest_dotted_key(text)
    if parts > MAX_KEY_PARTS:
        raise TOMLNestingError(f"a dotted key of {parts} parts is more than the {MAX_KEY_PARTS} guard reads")
    try:
        return _loads(text)
    except RecursionError:
        raise TOMLNestingError("nested too deeply to read (arrays or tables inside each other hundreds of levels deep)") from None


__all__ = ["TOMLDecodeError", "TOMLNestingError", "loads"]
