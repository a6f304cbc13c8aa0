"""`guard check --fix` / `--diff`, and the marks a plain `guard check` puts on fixable findings."""

from __future__ import annotations

import os
import sys
from typing import Callable, Optional, Sequence, TextIO

from guard.finding import Finding
from guard.fix.planner import Planned
from guard.fix.session import FixPlan, candidates, plan_fixes, write_plan

TYPE_CHECKING = False
if TYPE_CHECKING:
    from guard.check.run import CheckResult


def plan_for(findings: Sequence[Finding], cwd: str, paths: Sequence[str], fix_from: Optional[str], probe: bool = True) -> FixPlan:
    """The run's plan; empty (nothing read, nothing probed) when no finding is a candidate.
    `probe`: whether a `.venv`'s interpreter may be run (only when fixing was asked for)."""
    if not candidates(findings):
        return FixPlan()
    from guard.check.context import tree_root

    root = tree_root(cwd)
    return plan_fixes(findings, cwd, root, fix_from, probe)


def annotate(findings: Sequence[Finding], plan: FixPlan, explain: bool) -> tuple[list[Finding], dict[Finding, Planned]]:
    """The findings with their hints saying what `--fix` writes (and, when `explain`, why it
    leaves a candidate), and the plan keyed by the findings as reported."""
    shown: list[Finding] = []
    outcomes: dict[Finding, Planned] = {}
    for finding in findings:
        planned = plan.outcomes.get(finding)
        if planned is not None and planned.applicable:
            finding = finding.replace(fix=f"`guard check --fix` {planned.words}")
        elif planned is not None and explain:
            finding = finding.replace(fix=f"{finding.fix} (not fixed: {planned.words})" if finding.fix else f"not fixed: {planned.words}")
        if planned is not None:
            outcomes[finding] = planned
        shown.append(finding)
    return shown, outcomes


def print_diff_of(run: FixRun, stream: TextIO) -> None:
    from guard.fix.diff import unified_diff

    for path in sorted(run.plan.files):
        fix = run.plan.files[path]
        bom = "\ufeff" if fix.original.bom else ""  # in the diff as in the file, for patch tools
        stream.write(unified_diff(path, bom + fix.original.text, bom + fix.text))


def apply_plan(plan: FixPlan) -> dict[str, str]:
    """Write the plan's files; a file that could not be written turns its plans into reasons."""
    failed = write_plan(plan)
    for finding, planned in list(plan.outcomes.items()):
        if planned.applicable and finding.path in failed:
            plan.outcomes[finding] = Planned((), f"`{finding.path}` is not rewritten: {failed[finding.path]}")
    return failed


def summary(plan: FixPlan, left: Sequence[Finding], left_plan: FixPlan, *, diff: bool) -> list[str]:
    """The summary lines: how many fixed (or would be), the source(s), how many left and why."""
    fixed = plan.fixable
    sources = sorted({_source_of(plan.outcomes[finding]) for finding in fixed} - {""})
    files = len({finding.path for finding in fixed})
    verb = "Would fix" if diff else "Fixed"
    head = f"{verb} {len(fixed)} finding{'s' if len(fixed) != 1 else ''}"
    if fixed:
        head += f" in {files} file{'s' if files != 1 else ''}"
        if sources:
            head += f" (versions from {' and '.join(sources)})"
    lines = [f"{head}; {len(left)} left{':' if left else '.'}"]
    for finding in left:
        place = f"{finding.path}:{finding.line}:{finding.column}" if finding.line > 0 else finding.path
        lines.append(f"  {place}: {finding.code} {left_plan.reason(finding)}")
    return lines  # an environment that could not be read is named in its findings' reasons


def _source_of(planned: Planned) -> str:
    words = planned.words
    marker = " from "
    return words[words.index(marker) + len(marker) :] if marker in words else ""


def environment_python(value: Optional[str], cwd: str) -> Optional[str]:
    """`--fix-from PYTHON`: an interpreter path (relative to the working directory), or a
    name found on PATH."""
    if value is None:
        return None
    candidate = os.path.join(cwd, value)
    if os.sep in value or (os.altsep and os.altsep in value) or os.path.exists(candidate):
        return os.path.abspath(candidate)
    import shutil

    found = shutil.which(value)
    return found or value


def fix_from_error(value: Optional[str], cwd: str) -> Optional[str]:
    """Why `--fix-from` names no interpreter (a usage error), or None."""
    if value is None:
        return None
    python = environment_python(value, cwd)
    if python is None or not os.path.isfile(python):
        return f"--fix-from: `{value}` is not an interpreter guard can find"
    return None


def write_lines(lines: Sequence[str], stream: TextIO = sys.stderr) -> None:
    for line in lines:
        stream.write(line + "\n")


class FixRun:
    """What `guard check` reports after planning (and, with `--fix`, writing) the fixes."""

    def __init__(
        self, findings: list[Finding], fixes: dict[Finding, Planned], lines: list[str], plan: FixPlan, result: Optional[CheckResult] = None
    ) -> None:
        self.findings = findings
        self.fixes = fixes
        self.lines = lines  # the summary, after the report
        self.plan = plan
        self.result = result  # the check after `--fix` wrote files

    @property
    def changed(self) -> bool:
        return bool(self.plan.files)


def fix_run(
    findings: Sequence[Finding],
    *,
    mode: str,
    cwd: str,
    paths: Sequence[str],
    fix_from: Optional[str],
    rerun: Callable[[], CheckResult],
) -> FixRun:
    """`mode`: "mark" (a plain check: fixable findings marked), "diff" or "fix"."""
    python = environment_python(fix_from, cwd)
    plan = plan_for(findings, cwd, paths, python, probe=mode != "mark")
    if mode == "mark":
        shown, fixes = annotate(findings, plan, explain=False)
        return FixRun(shown, fixes, [], plan)
    if mode == "diff":
        shown, fixes = annotate(findings, plan, explain=True)
        left = [finding for finding in shown if not (fixes.get(finding) and fixes[finding].applicable)]
        left_plan = FixPlan(outcomes=fixes)
        return FixRun(shown, fixes, summary(plan, left, left_plan, diff=True), plan)
    apply_plan(plan)
    after = rerun() if plan.files else None
    remaining = after.findings if after is not None else list(findings)
    left_plan = plan_for(remaining, cwd, paths, python)
    for finding, planned in plan.outcomes.items():
        # a file that was not written keeps its findings, and says why
        if not planned.applicable and finding in left_plan.outcomes and left_plan.outcomes[finding].applicable:
            left_plan.outcomes[finding] = planned
    shown, fixes = annotate(remaining, left_plan, explain=True)
    done = FixPlan(outcomes={f: p for f, p in plan.outcomes.items() if p.applicable}, problems=plan.problems)
    return FixRun(shown, fixes, summary(done, shown, FixPlan(outcomes=fixes), diff=False), plan, after)
