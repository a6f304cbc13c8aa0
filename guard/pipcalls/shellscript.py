"""The `shell` file kind: shell scripts (`*.sh`, `*.bash`, ..., or a `sh`/`bash` shebang).

`check_files` takes any path discovery hands it, named or found by its shebang, with or
without an extension: relative to the run's directory or absolute, inside the repository or
not. A path that is not a readable text file (missing, a directory, a FIFO, binary, not
UTF-8) is one GRD101 finding; the same file named twice (`bin/x`, `./bin/../bin/x`, its
absolute path) is checked once. `-r FILE` is looked up next to the script, then in the
directory guard runs in.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from guard.pipcalls.check import check_shell_text, finish

if TYPE_CHECKING:
    from guard.check.context import RunContext


def check_files(paths: list[str], context: RunContext) -> None:
    seen: set[str] = set()
    for path in paths:
        absolute = os.path.realpath(path if os.path.isabs(path) else os.path.join(context.cwd, path))
        if absolute in seen:
            continue
        seen.add(absolute)
        read = context.read(path)
        if read is None:
            continue
        full, shown, text = read
        findings, _commands = check_shell_text(text, shown, "shell", context, directory=os.path.dirname(full))
        context.findings.extend(findings)
    finish(context)
