"""`# guard: ignore[CODE or name] optional reason` comments.

At the end of a line, a suppression applies to findings on that line (for a requirement line
continued with `\\`, on any of its physical lines). On a line of its own it applies to what
comes next, as hadolint's `# hadolint ignore=` does: the whole next Dockerfile instruction,
the next YAML key or list item with its whole value (a `run: |` block, a workflow step), the next shell or Makefile command
or requirement with its `\\` continuation lines (see `_span_finder`). Keys are rule codes
(`PIN101`, or a prefix `PIN`), rule names (`unpinned-requirement`) or package names
(`requests`); no brackets means every finding there. A suppression that suppresses nothing is
reported as GRD105, unless everything it names is switched off by the settings (then it has
nothing to do yet).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Callable, Mapping, Optional, Sequence

from guard.config import Settings
from guard.finding import Finding

_SUPPRESSION_RE = re.compile(r"#\s*guard:\s*ignore\b(?:\[(?P<keys>[^\]]*)\])?")
_CODE_RE = re.compile(r"^[A-Z]{3}\d*$")

# File kinds whose values nest by indentation: what follows a key or a `- ` item, more indented,
# is its value.
_INDENTED_KINDS = frozenset(
    {
        "github-workflow",
        "github-action",
        "gitlab-ci",
        "circleci",
        "readthedocs",
        "environment-yml",
        "pre-commit-config",
        "setup-cfg",
        "tox-ini",
    }
)
# File kinds whose values nest by brackets: a line that opens one runs to where it closes.
_BRACKETED_KINDS = frozenset({"pyproject", "lockfile", "pipfile", "setup-py"})
# In a PEP 723 block every line is a comment, so the next line is the one meant.
_COMMENT_BLOCK_KINDS = frozenset({"python-script"})


@dataclass(frozen=True)
class Suppression:
    line: int
    column: int
    keys: tuple[str, ...]  # empty: everything
    own_line: bool = False  # nothing but the comment on its line: applies to what comes next


def find_suppressions(text: str) -> list[Suppression]:
    found: list[Suppression] = []
    if "guard:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _SUPPRESSION_RE.search(line)
        if match:
            keys = tuple(key.strip() for key in (match.group("keys") or "").split(",") if key.strip())
            # nothing before it, or only the `#` of a comment block (a PEP 723 script's)
            own_line = line[: match.start()].strip() in ("", "#")
            found.append(Suppression(number, match.start() + 1, keys, own_line))
    return found


def suppression_spans(text: str, kind: Optional[str], aliases: Mapping[int, int]) -> list[tuple[Suppression, int, int]]:
    """Each suppression with the first and last line it applies to; an own-line suppression
    with nothing after it (a blank line, the end of the file) applies to no line (0, -1)."""
    # a comment line inside a `\`-continued requirement is part of it, as pip joins the lines
    suppressions = [replace(s, own_line=False) if s.own_line and s.line in aliases else s for s in find_suppressions(text)]
    spans: list[tuple[Suppression, int, int]] = []
    own_line = [suppression for suppression in suppressions if suppression.own_line]
    lines = text.splitlines() if own_line else []
    targets = {suppression.line: _target(lines, suppression.line, kind) for suppression in own_line}
    span_end = _span_finder(text, lines, kind, {target for target in targets.values() if target})
    for suppression in suppressions:
        if not suppression.own_line:
            target = aliases.get(suppression.line, suppression.line)
            spans.append((suppression, target, target))
            continue
        target = targets[suppression.line]
        spans.append((suppression, target, span_end(target)) if target else (suppression, 0, -1))
    return spans


def _target(lines: Sequence[str], line: int, kind: Optional[str]) -> int:
    """The line an own-line suppression on `line` is about (0: none). Other comment lines in
    between are skipped, so that suppressions stack and a hadolint pragma can stay right above
    its instruction; a blank line ends the search."""
    for index in range(line, len(lines)):
        stripped = lines[index].strip()
        if not stripped:
            return 0
        if not stripped.startswith("#") or kind in _COMMENT_BLOCK_KINDS:
            return index + 1
    return 0


def _span_finder(text: str, lines: Sequence[str], kind: Optional[str], targets: set[int]) -> Callable[[int], int]:
    """The last line of what starts on each target line, computed for all targets at once
    (one pass over the file, so the cost stays linear however many suppressions there are)."""
    if not targets:
        return lambda target: target
    if kind == "dockerfile":
        ends = _instruction_ends(text)
        return lambda target: ends.get(target, target)
    continued = _continuation_ends(lines)
    if kind in _INDENTED_KINDS:
        ends = _indented_ends(lines, targets)
        return lambda target: max(ends[target], continued[target - 1])
    if kind in _BRACKETED_KINDS:
        ends = _bracketed_ends(lines, targets)
        return lambda target: ends[target]
    if kind in _COMMENT_BLOCK_KINDS:
        return lambda target: target
    return lambda target: continued[target - 1]


def _instruction_ends(text: str) -> dict[int, int]:
    """First line -> last line of each Dockerfile instruction, as guard's Dockerfile reader
    sees them (continuation lines, here-document bodies and their delimiters)."""
    from guard.pipcalls.dockerfile import parse_instructions

    ends: dict[int, int] = {}
    for instruction in parse_instructions(text)[0]:
        end = max(line for _offset, line, _column in instruction.segments)
        for _delimiter, body, first in instruction.heredocs:
            end = max(end, first + (body.count("\n") + 1 if body else 0))
        ends[instruction.line] = end
    return ends


def _continuation_ends(lines: Sequence[str]) -> list[int]:
    """For each line (0-based index), the 1-based last line of the `\\`-continued line it starts."""
    ends = [0] * len(lines)
    following = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index].rstrip().endswith("\\"):
            following = index + 1
        ends[index] = following
    return ends


def _indented_ends(lines: Sequence[str], targets: set[int]) -> dict[int, int]:
    """For each target line, the last line before the next one indented no deeper: a key's
    value, or a whole `- ` list item (a workflow step with all its keys)."""
    indents: list[Optional[int]] = [len(line) - len(line.lstrip(" ")) if line.strip() else None for line in lines]
    # the line after a target (1-based `target`) has the 0-based index `target`
    stops = _first_at_most(indents, {target: indents[target - 1] or 0 for target in targets})
    ends: dict[int, int] = {}
    for target in targets:
        end = stops[target]  # the stop's 0-based index is the 1-based number of the line before it
        while end > target and not lines[end - 1].strip():
            end -= 1  # blank lines between a value and the next key are not the value's
        ends[target] = end
    return ends


def _bracketed_ends(lines: Sequence[str], targets: set[int]) -> dict[int, int]:
    """For each target line, the line where the brackets it opens are closed again."""
    depths = _bracket_depths(lines)
    before = {target: depths[target - 2] if target > 1 else 0 for target in targets}
    stops = _first_at_most(list(depths), {target - 1: before[target] for target in targets})
    return {target: min(stops[target - 1] + 1, len(lines)) for target in targets}


def _bracket_depths(lines: Sequence[str]) -> list[int]:
    """The bracket depth at the end of each line, outside strings and `#` comments (TOML and
    Python spell both alike enough for this)."""
    depths: list[int] = []
    depth = 0
    quote = ""  # the open string's quote: ", ', \"\"\" or '''
    for line in lines:
        index = 0
        while index < len(line):
            char = line[index]
            if quote:
                if char == "\\" and quote[0] == '"':
                    index += 2
                    continue
                if line.startswith(quote, index):
                    index += len(quote)
                    quote = ""
                    continue
            elif char in "\"'":
                quote = char * 3 if line.startswith(char * 3, index) else char
                index += len(quote)
                continue
            elif char == "#":
                break
            elif char in "([{":
                depth += 1
            elif char in ")]}":
                depth = max(depth - 1, 0)
            index += 1
        if len(quote) == 1:
            quote = ""  # a one-line string does not go on to the next line
        depths.append(depth)
    return depths


def _first_at_most(values: Sequence[Optional[int]], queries: Mapping[int, int]) -> dict[int, int]:
    """For each query (start index -> threshold), the first index at or after start whose value
    is at most the threshold (None values never are), or len(values). One pass from the end
    keeps the prefix minima on a stack, so each query is a binary search."""
    answers: dict[int, int] = {start: len(values) for start in queries if start >= len(values)}
    positions: list[int] = []  # prefix minima of values[index:], nearest last
    minima: list[int] = []  # their values, increasing towards the nearest
    for index in range(len(values) - 1, -1, -1):
        value = values[index]
        if value is not None:
            while minima and minima[-1] >= value:
                minima.pop()
                positions.pop()
            minima.append(value)
            positions.append(index)
        if index in queries:
            found = bisect_right(minima, queries[index]) - 1
            answers[index] = positions[found] if found >= 0 else len(values)
    return answers


def _matches(key: str, finding: Finding) -> bool:
    from guard.pins.analysis import normalise_name

    if _CODE_RE.match(key.upper()) and finding.code.startswith(key.upper()):
        return True
    return key == finding.name or (finding.package is not None and normalise_name(key) == finding.package)


def apply_suppressions(
    findings: Sequence[Finding],
    texts: Mapping[str, str],
    line_alias: Mapping[str, Mapping[int, int]],
    settings: Settings,
    kinds: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
) -> list[Finding]:
    """Drop suppressed findings and report unused suppressions (GRD105). `kinds` (shown path ->
    file kind) says how far an own-line suppression reaches; `cwd` lets `per-file-ignores`
    count as switched off (and apply to GRD105 itself)."""
    from guard import rules
    from guard.check.policy import apply_per_file_ignores, apply_settings, is_enabled, is_ignored_in_file, per_file_ignores

    kinds = kinds or {}
    spans: dict[str, list[tuple[Suppression, int, int]]] = {}
    for path, text in texts.items():
        found = suppression_spans(text, kinds.get(path), line_alias.get(path, {}))
        if found:
            spans[path] = sorted(found, key=lambda span: span[1])
    if not spans:
        return list(findings)
    used: set[tuple[str, int, int, str]] = set()
    kept = _sweep(findings, spans, used)
    table = rules.all_rules()
    unused: list[Finding] = []
    grd105 = rules.get("GRD105")
    ignored_in = per_file_ignores(settings, cwd) if cwd is not None else (lambda path: ())
    for path, path_spans in spans.items():
        for suppression, _first, _last in path_spans:
            for key in suppression.keys or ("",):
                if (path, suppression.line, suppression.column, key) in used:
                    continue
                upper = key.upper()
                if key and _CODE_RE.match(upper) and not rules.codes_matching(upper):
                    unused.append(grd105.finding(path, suppression.line, suppression.column, f"suppression names unknown code `{key}`"))
                    continue
                named = rules.codes_matching(upper) if key and _CODE_RE.match(upper) else [r.code for r in table.values() if r.name == key]
                if named and not any(
                    is_enabled(code, settings, table[code].enabled_by_default) and not is_ignored_in_file(code, ignored_in(path))
                    for code in named
                ):
                    continue  # everything it names is switched off: nothing to suppress yet
                what = f"`{key}`" if key else "anything"
                unused.append(grd105.finding(path, suppression.line, suppression.column, f"suppression of {what} suppresses nothing"))
    reported = apply_settings(unused, settings)
    if cwd is not None:
        reported = apply_per_file_ignores(reported, settings, cwd)
    return sorted(kept + reported, key=lambda f: f.sort_key)


def _sweep(
    findings: Sequence[Finding], spans: Mapping[str, Sequence[tuple[Suppression, int, int]]], used: set[tuple[str, int, int, str]]
) -> list[Finding]:
    """The findings no suppression covers, walking each file's findings and its spans (sorted
    by first line) together, so a large file costs what its findings and suppressions cost."""
    kept: list[Finding] = []
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    for path, path_findings in by_path.items():
        path_spans = spans.get(path, ())
        active: list[tuple[Suppression, int, int]] = []
        next_span = 0
        for finding in sorted(path_findings, key=lambda f: f.line):
            while next_span < len(path_spans) and path_spans[next_span][1] <= finding.line:
                active.append(path_spans[next_span])
                next_span += 1
            active = [span for span in active if span[2] >= finding.line]
            if not _apply(finding, [span[0] for span in active], used):
                kept.append(finding)
    return kept


def _apply(finding: Finding, covering: Sequence[Suppression], used: set[tuple[str, int, int, str]]) -> bool:
    """Whether one of the suppressions covering a finding's line suppresses it (noting which)."""
    suppressed = False
    for suppression in covering:
        hit = [key for key in suppression.keys if _matches(key, finding)]
        if hit or not suppression.keys:
            suppressed = True
            for key in hit or [""]:
                used.add((finding.path, suppression.line, suppression.column, key))
    return suppressed
