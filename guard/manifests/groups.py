"""PEP 735 dependency groups: a group's requirements, following `{include-group = ...}`.

Shared by the checker (`pip install --group` written in files) and the pip wrapper (a live
`pip install --group`), so it imports nothing but `re`: the wrapper's start-up stays light.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    from typing import Any, Mapping, Optional


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def group_key(groups: Mapping[str, Any], name: str) -> Optional[str]:
    """The key of the group named `name` (PEP 735 compares names normalised)."""
    wanted = _canonical(name)
    return next((key for key in groups if _canonical(key) == wanted), None)


def group_requirements(groups: Mapping[str, Any], start: str) -> list[tuple[str, int, str]]:
    """(group key, index, requirement) of `start` and of the groups it includes, each group
    once (an include cycle ends there; the file's own check reports it)."""
    found: list[tuple[str, int, str]] = []
    pending, seen = [start], {start}
    while pending:
        key = pending.pop(0)
        entries = groups.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, str):
                found.append((key, index, entry))
            elif isinstance(entry, dict) and isinstance(entry.get("include-group"), str):
                included = group_key(groups, entry["include-group"])
                if included is not None and included not in seen:
                    seen.add(included)
                    pending.append(included)
    return found
