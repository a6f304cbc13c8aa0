"""Requirement specs on a pip command line, judged without importing `packaging`.

Shared by the CMD101 rule (`guard.rules.cmd`) and the pip wrapper, which asks
`pins_without_packaging` first so that `pip install name==1.2.3` needs neither `packaging`
(~70 ms with its markers and tags) nor the rule table on its start-up path.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    from typing import Iterable, Optional, Tuple

_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")


def is_local_or_url(spec: str) -> bool:
    """A path, an archive or a URL: not a named requirement."""
    lowered = spec.lower()
    return spec.startswith((".", "/", "~")) or "/" in spec or "\\" in spec or "://" in spec or lowered.endswith(_ARCHIVES)


# The two shapes almost every command line uses. tests/wrapper/test_pipwrap_decide.py checks
# that the fast path agrees with packaging on every case it accepts.
_BARE_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
_NAME_EQ_VERSION = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)==(\d+(?:\.\d+)*)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def fast_verdict(spec: str) -> Optional[Tuple[str, bool]]:
    """(canonical name, pinned) for `name` and `name==1.2.3`; None for anything else."""
    if _BARE_NAME.match(spec):
        return canonical(spec), False
    match = _NAME_EQ_VERSION.match(spec)
    if match:
        return canonical(match.group(1)), True
    return None


def pins_without_packaging(specs: Iterable[str]) -> bool:
    """Whether every spec is a local path/URL or `name==1.2.3`: then CMD101 reports none."""
    for spec in specs:
        if is_local_or_url(spec):
            continue
        verdict = fast_verdict(spec)
        if verdict is None or not verdict[1]:
            return False
    return True
