"""The `shell` file kind: shell scripts (`*.sh`, `*.bash`, ..., or a `sh`/`bash` shebang)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from guard.commands.checks import check_shell_text, finish

if TYPE_CHECKING:
    from guard.checks import RunContext


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is None:
            continue
        full, shown, text = read
        findings, _commands = check_shell_text(text, shown, "shell", context, directory=os.path.dirname(full))
        context.findings.extend(findings)
    finish(context)
