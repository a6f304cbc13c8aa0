"""Which files guard reads, and which checker reads each kind.

One explicit table. A checker is named by "module:function" and imported only when a file of
its kind is checked, so `guard --version` and the pip wrapper never pay for it.
"""

from __future__ import annotations

import os
from typing import Optional

# kind -> "module:function" of a checker `(paths, settings, context) -> None`
CHECKERS: dict[str, str] = {
    "requirements": "guard.checks.requirements_kind:check_files",
}

_REQUIREMENT_DIRS = {"requirements", "reqs", "requirements.d"}


def kind_of(path: str) -> Optional[str]:
    """The kind of a discovered file, or None when guard does not read it."""
    name = os.path.basename(path).lower()
    if name.endswith((".txt", ".in")):
        parent = os.path.basename(os.path.dirname(path)).lower()
        if "requirements" in name or "constraints" in name or parent in _REQUIREMENT_DIRS:
            return "requirements"
    return None


def kind_of_explicit(path: str) -> str:
    """A path the user named is always checked: unknown names are read as requirement files."""
    return kind_of(path) or "requirements"
