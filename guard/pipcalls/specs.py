"""Requirement specs on a pip command line: are they pinned (CMD101)?

Used by the pip-call checks and the pip wrapper, which asks `pins_without_packaging` first so
that `pip install name==1.2.3` needs neither `packaging` (~70 ms with its markers and tags)
nor the rule table on its start-up path; `unpinned_install_args` judges the rest.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    from typing import Iterable, List, Optional, Sequence, Tuple

    from guard.finding import Finding

_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")


def is_local_or_url(spec: str) -> bool:
    """A path, an archive or a URL: not a named requirement."""
    lowered = spec.lower()
    return spec.startswith((".", "/", "~")) or "/" in spec or "\\" in spec or "://" in spec or lowered.endswith(_ARCHIVES)


# The two shapes almost every command line uses. tests/wrapper/test_decide.py checks
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


# --- with packaging: every other spec (the rule's full judgement) ---------------------------


def _packaging_verdict(spec: str) -> Optional[Tuple[str, bool]]:
    """(canonical name, pinned) by `packaging`; None for what is not a plain named requirement."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        requirement = Requirement(spec)
    except InvalidRequirement:
        return None  # pip rejects it with its own message
    if requirement.url:
        return None
    exact = any(s.operator == "===" or (s.operator == "==" and "*" not in s.version) for s in requirement.specifier)
    return canonicalize_name(requirement.name), exact


def unpinned_install_args(
    specs: Sequence[str],
    *,
    bootstrap: Iterable[str] = ("pip", "setuptools", "wheel"),
    path: str = "<command line>",
) -> List[Finding]:
    """CMD101 findings for the positional specs of one `pip install`."""
    from guard.rules.cmd import UNPINNED_INSTALL_ARG

    skip = {canonical(name) for name in bootstrap}
    findings: List[Finding] = []
    for spec in specs:
        if is_local_or_url(spec):
            continue
        verdict = fast_verdict(spec)
        if verdict is None:
            verdict = _packaging_verdict(spec)
        if verdict is None:
            continue
        name, pinned = verdict
        if pinned or name in skip:
            continue
        findings.append(
            UNPINNED_INSTALL_ARG.finding(
                path,
                0,
                0,
                f"`{spec}` is not pinned to one version",
                package=name,
                fix=f"pin one version: `{name}==<version>`",
            )
        )
    return findings
