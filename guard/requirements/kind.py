"""The `requirements` file kind: each file checked as the root of one pip install."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guard.requirements.check import install_findings, run_reader

if TYPE_CHECKING:
    from guard.check.context import RunContext


def check_files(paths: list[str], context: RunContext) -> None:
    reader = run_reader(context)
    for path in paths:
        tree = reader.tree(context.path_display.remember(path))
        context.findings.extend(install_findings(tree, context.settings, reader))
    context.texts.update(reader.texts)
    context.line_alias.update(reader.line_alias)
