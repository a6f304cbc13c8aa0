"""The `shell` file kind: shell scripts (`*.sh`, `*.bash`, ..., or a `sh`/`bash` shebang)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from guard.commands.checks import absolute, check_shell_text, finish
from guard.rules import get as rule
from guard.textfile import UnreadableFile, read_text

if TYPE_CHECKING:
    from guard.checks import RunContext


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        full = absolute(path, context.cwd)
        shown = context.display(full)
        try:
            text = read_text(full)
        except UnreadableFile as error:
            context.findings.append(rule("GRD101").finding(shown, 0, 0, f"cannot read `{shown}`: {error}"))
            continue
        context.texts[shown] = text
        findings, _commands = check_shell_text(text, shown, "shell", context, directory=os.path.dirname(full))
        context.findings.extend(findings)
    finish(context)
