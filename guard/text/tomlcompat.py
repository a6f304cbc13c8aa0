"""`tomllib` where the standard library has it, `tomli` before Python 3.11.

`loads` also turns the RecursionError that deeply nested input (`x = [[[[…`) raises inside
the parser into a `TOMLDecodeError`, so every caller's "invalid TOML" path reports it as a
finding instead of guard crashing.
"""

from __future__ import annotations

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


def loads(text: str) -> dict[str, Any]:
    try:
        return _loads(text)
    except RecursionError:
        raise TOMLNestingError("nested too deeply to read (arrays or tables inside each other hundreds of levels deep)") from None


__all__ = ["TOMLDecodeError", "TOMLNestingError", "loads"]
