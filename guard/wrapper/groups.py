"""`pip install --group [PATH:]NAME` (pip >= 25.1): the pins of that PEP 735 dependency group.

Each requirement of the group (and of the groups it includes with `{include-group = ...}`)
is checked as a bare `pip install SPEC` is (CMD101, a note, never a block), at its place in
the pyproject.toml. pip takes `PATH:NAME` apart at the last `:`; without one it reads
`pyproject.toml` in the working directory, and it refuses a PATH whose file is not named
`pyproject.toml` (its own error then). A missing file, a broken one or a missing group is one
line for the caller; pip still runs and says what it says.

Imported only when a call has `--group`: the TOML parser stays off the wrapper's other paths.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    from typing import Iterable, List, Sequence, Tuple

    from guard.finding import Finding

_GROUPS = "dependency-groups"


def group_findings(values: Sequence[str], cwd: str, problems: List[str], bootstrap: Iterable[str]) -> List[Finding]:
    """CMD101 notes for the unpinned requirements of each `--group` value."""
    from guard.finding import Severity
    from guard.pipcalls.specs import unpinned_install_args

    findings: List[Finding] = []
    seen = set()  # a requirement two named groups share is one note (pip installs it once)
    for value in values:
        path, sep, name = value.rpartition(":")
        path = path if sep else "pyproject.toml"
        if os.path.basename(path) != "pyproject.toml":
            continue  # pip refuses it: "group paths use 'pyproject.toml' filenames"
        shown = os.path.normpath(path)
        for line, column, requirement in read_group(os.path.join(cwd, path), shown, name, value, problems):
            if (shown, line, column) in seen:
                continue
            seen.add((shown, line, column))
            for finding in unpinned_install_args([requirement], bootstrap=bootstrap, path=shown):
                findings.append(
                    finding.replace(line=line, column=column, message=f"{finding.message} (in `--group {value}`)").with_severity(
                        Severity.INFO
                    )
                )
    return findings


def read_group(path: str, shown: str, name: str, value: str, problems: List[str]) -> List[Tuple[int, int, str]]:
    """(line, column, requirement) of group `name` in the pyproject.toml at `path`; [] with
    one line in `problems` when the file or the group cannot be read."""
    from guard.manifests.groups import group_key, group_requirements
    from guard.text.decode import UnreadableFile, read_text
    from guard.text.tomlcompat import TOMLDecodeError, loads
    from guard.text.tomlpos import TomlPositions, decode_error_message

    head = f"cannot check `--group {value}`: `{shown}`"
    if not os.path.exists(path):
        problems.append(f"{head} does not exist")
        return []
    try:
        text = read_text(path)
        data = loads(text)
    except UnreadableFile as error:
        problems.append(f"{head} cannot be read: {error}")
        return []
    except TOMLDecodeError as error:
        problems.append(f"{head} is not valid TOML: {decode_error_message(error)}")
        return []
    groups = data.get(_GROUPS)
    if not isinstance(groups, dict):
        problems.append(f"{head} has no `[dependency-groups]` table")
        return []
    start = group_key(groups, name)
    if start is None:
        problems.append(f"{head} has no group `{name}` in `[dependency-groups]`")
        return []
    positions = TomlPositions(text)
    return [(*positions.locate(_GROUPS, key, index), requirement.strip()) for key, index, requirement in group_requirements(groups, start)]
