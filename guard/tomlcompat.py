"""`tomllib` where the standard library has it, `tomli` before Python 3.11."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from tomllib import TOMLDecodeError, loads
else:  # pragma: no cover - exercised on the 3.9/3.10 CI runs
    from tomli import TOMLDecodeError, loads

__all__ = ["TOMLDecodeError", "loads"]
