"""CMD: pip invocations, typed at the shell or written in Dockerfiles, scripts and CI files."""

from __future__ import annotations

from typing import Iterable, List, Sequence

from guard.finding import Finding, Severity
from guard.rules import Rule

UNPINNED_INSTALL_ARG = Rule(
    code="CMD101",
    name="unpinned-install-arg",
    severity=Severity.WARNING,
    summary="`pip install` names a package on its command line without pinning one version.",
    doc="""
## What it does
Looks at the requirement specifiers given as arguments to `pip install` (not the option
values such as `--index-url URL`, and not the files named by `-r`, which the PIN rules read)
and reports those that do not pin one exact version (`==1.2.3` or `===1.2.3`). Local paths
(`.`, `./pkg`, `dist/x.whl`), URLs and direct references (`name @ url`), the bootstrap
installers (`pip`, `setuptools`, `wheel`) and calls with a constraints file (`-c`) are left
alone. The pip wrapper shows it as a note; in files it is a warning.

## Why it matters
`pip install requests` installs whatever is newest on the day it runs: the same command
gives different environments on different days, and a bad release arrives without a change.

## Example
```
pip install requests "numpy>=1.26"
```

## How to fix
Pin the version you tested (`pip install requests==2.32.3`), or install from a pinned,
preferably hashed, requirements file (`pip install -r requirements.txt --require-hashes`).
""",
)

RULES: list[Rule] = [UNPINNED_INSTALL_ARG]

_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")


def _is_local_or_url(spec: str) -> bool:
    lowered = spec.lower()
    return (
        spec.startswith((".", "/", "~"))
        or "/" in spec
        or "\\" in spec
        or "://" in spec
        or lowered.endswith(_ARCHIVES)
    )


def unpinned_install_args(
    specs: Sequence[str],
    *,
    bootstrap: Iterable[str] = ("pip", "setuptools", "wheel"),
    path: str = "<command line>",
) -> List[Finding]:
    """CMD101 findings for the positional specs of one `pip install`."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    skip = {canonicalize_name(name) for name in bootstrap}
    findings: List[Finding] = []
    for spec in specs:
        if _is_local_or_url(spec):
            continue
        try:
            requirement = Requirement(spec)
        except InvalidRequirement:
            continue  # pip rejects it with its own message
        name = canonicalize_name(requirement.name)
        if requirement.url or name in skip:
            continue
        exact = any(
            s.operator == "===" or (s.operator == "==" and "*" not in s.version) for s in requirement.specifier
        )
        if exact:
            continue
        findings.append(
            UNPINNED_INSTALL_ARG.finding(
                path,
                0,
                0,
                f"`{spec}` is not pinned to one version",
                package=name,
                fix=f"pin it: `{requirement.name}==<version>`",
            )
        )
    return findings
