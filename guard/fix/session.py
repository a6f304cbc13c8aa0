"""A run's fixes: every candidate finding planned, file by file, and the files' new text.

A file is only fixed as a whole: it must have been parsed (no GRD101/GRD102 finding), read
back byte for byte, its fixes must not overlap, and the fixed text must parse as well as the
original did. Otherwise each of its findings says why it was left.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from guard.finding import Finding
from guard.fix.apply import FileText, read_for_fix, write_fixed
from guard.fix.edits import Edit, EditError, LineIndex, apply_edits
from guard.fix.planner import Place, Planned, is_candidate, not_fixed_reason, places, plan
from guard.fix.sources import SourceFinder

_PIP_CALL_KINDS = {"dockerfile", "shell", "makefile", "github-workflow", "github-action", "gitlab-ci", "circleci", "readthedocs"}
_YAML_KINDS = {"github-workflow", "github-action", "gitlab-ci", "circleci", "readthedocs"}
_HASH_MODE = re.compile(r"(?:^|\s)--(?:hash|require-hashes)\b")
_YAML_SCALAR_QUOTE = re.compile(r"\s*(?:-\s+)?(?:[^\s:#'\"][^:#]*:\s+)?([\"'])")


@dataclass
class FileFix:
    shown: str
    original: FileText
    text: str  # the fixed text
    edits: list[Edit]


@dataclass
class FixPlan:
    """What `--fix` would do: per candidate finding its plan; per file its new text."""

    outcomes: dict[Finding, Planned] = field(default_factory=dict)
    files: dict[str, FileFix] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # environments that could not be read

    @property
    def fixable(self) -> list[Finding]:
        return [finding for finding, planned in self.outcomes.items() if planned.applicable]

    def reason(self, finding: Finding) -> str:
        planned = self.outcomes.get(finding)
        return planned.words if planned is not None else not_fixed_reason(finding)


def plan_fixes(findings: Sequence[Finding], cwd: str, root: str, fix_from: Optional[str] = None, probe: bool = True) -> FixPlan:
    """Plan a fix for each candidate finding. `root`: the checked tree, where the search for a
    lock or a `.venv` stops; `probe`: whether a `.venv`'s interpreter may be run (`SourceFinder`)."""
    result = FixPlan()
    grouped = places(findings)
    if not grouped:
        return result
    finder = SourceFinder(root, fix_from, probe)
    unparsed = {finding.path for finding in findings if finding.code in ("GRD101", "GRD102")}
    by_path: dict[str, list[tuple[tuple[int, int], list[Finding]]]] = {}
    for (path, line, column), at_place in grouped.items():
        by_path.setdefault(path, []).append(((line, column), at_place))
    for path, entries in by_path.items():
        absolute = os.path.abspath(os.path.join(cwd, path))
        refusal = _file_refusal(path, absolute, unparsed)
        original = read_for_fix(absolute) if refusal is None else refusal
        if not isinstance(original, str) and not _parses(_shape(absolute), original.text):
            original = "guard could not parse it"
        if isinstance(original, str):
            for _, at_place in entries:
                _set(result, at_place, Planned((), f"`{path}` is not rewritten: {original}"))
            continue
        _plan_file(result, path, absolute, original, entries, finder)
    result.problems = finder.problems
    return result


def _file_refusal(path: str, absolute: str, unparsed: set[str]) -> Optional[str]:
    if path in unparsed:
        return "guard could not parse it"
    if _shape(absolute) is None:
        return "guard does not fix this kind of file yet"
    return None


def _shape(absolute: str) -> Optional[str]:
    from guard.check.filekinds import kind_of_explicit

    kind = kind_of_explicit(absolute)
    if kind == "requirements":
        return "requirements"
    if kind == "pyproject":
        return "toml"
    if kind in _PIP_CALL_KINDS:
        return "shell"
    return {"tox-ini": "ini", "pre-commit-config": "yaml"}.get(kind)


def _plan_file(
    result: FixPlan,
    path: str,
    absolute: str,
    original: FileText,
    entries: list[tuple[tuple[int, int], list[Finding]]],
    finder: SourceFinder,
) -> None:
    from guard.check.filekinds import kind_of_explicit

    shape = _shape(absolute)
    assert shape is not None
    kind = kind_of_explicit(absolute)
    index = LineIndex(original.text)
    source = finder.for_file(absolute)
    problem = finder.problems[-1] if finder.problems and source is None else ""
    hash_mode = shape == "requirements" and any(_HASH_MODE.search(line.split(" #")[0]) for line in index.lines if "--" in line)
    planned_places: list[tuple[list[Finding], Planned]] = []
    for (line, column), at_place in sorted(entries, key=lambda entry: entry[0]):
        yaml_quote = _yaml_quote(index.line(line), column) if kind in _YAML_KINDS else ""
        place = Place(path, line, column, tuple(at_place), shape, hash_mode, yaml_quote)
        planned_places.append((at_place, plan(place, index, source, problem)))
    edits = [edit for _, planned in planned_places for edit in planned.edits]
    try:
        text = apply_edits(original.text, edits) if edits else original.text
    except EditError as error:
        for at_place, planned in planned_places:
            _set(result, at_place, Planned((), f"`{path}` is not rewritten: {error}") if planned.applicable else planned)
        return
    failure = _still_parses(shape, original.text, text) if edits else None
    for at_place, planned in planned_places:
        if failure is not None and planned.applicable:
            planned = Planned((), f"`{path}` is not rewritten: {failure}")
        _set(result, at_place, planned)
    if edits and failure is None:
        result.files[path] = FileFix(path, original, text, edits)


def _yaml_quote(line: str, column: int) -> str:
    """The quote of the YAML scalar the shell command at `column` is written in, if any."""
    match = _YAML_SCALAR_QUOTE.match(line)
    return match.group(1) if match is not None and match.start(1) < column - 1 else ""


def _parses(shape: Optional[str], text: str) -> bool:
    """Whether the file's reader reads it without an error (a line pip cannot parse, TOML
    that does not load): a file guard could not parse is never rewritten."""
    if shape == "requirements":
        from guard.requirements.reader import parse_requirement_text

        return not parse_requirement_text("x", text, "requirements").errors
    if shape == "toml":
        from guard.text.tomlcompat import TOMLDecodeError, loads

        try:
            loads(text)
        except TOMLDecodeError:
            return False
    return True


def _still_parses(shape: str, before: str, after: str) -> Optional[str]:
    """Why the fixed text is worse than the original for its reader, or None."""
    if shape == "requirements":
        from guard.requirements.reader import parse_requirement_text

        errors_before = len(parse_requirement_text("x", before, "requirements").errors)
        if len(parse_requirement_text("x", after, "requirements").errors) > errors_before:
            return "pip could not read the fixed file"
    elif shape == "toml":
        from guard.text.tomlcompat import TOMLDecodeError, loads

        try:
            loads(after)
        except TOMLDecodeError:
            return "the fixed file would not be valid TOML"
    return None


def _set(result: FixPlan, findings: list[Finding], planned: Planned) -> None:
    for finding in findings:
        result.outcomes[finding] = planned


def write_plan(plan_: FixPlan) -> dict[str, str]:
    """Write every fixed file; returns the files that could not be written, with why."""
    failed: dict[str, str] = {}
    for path, fix in plan_.files.items():
        refusal = write_fixed(fix.original, fix.text)
        if refusal is not None:
            failed[path] = refusal
    return failed


def candidates(findings: Sequence[Finding]) -> bool:
    return any(is_candidate(finding) for finding in findings)
