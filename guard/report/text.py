"""`--format text`: `path:line:column: CODE message`, the shape editors and terminals link."""

from __future__ import annotations

from typing import Any, Mapping, Sequence, TextIO

from guard.finding import Finding, Severity

_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_SEVERITY_COLOUR = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}


def report(
    findings: Sequence[Finding],
    stream: TextIO,
    *,
    color: bool = False,
    checked: int = 0,
    skipped: int = 0,
    summary: bool = True,
    fixes: Mapping[Finding, Any] | None = None,
    **_: Any,
) -> None:
    """`summary`: False (`--quiet`) writes the findings only; `fixes`: what `--fix` does for
    each finding it fixes (marked `[*]`)."""

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    for finding in findings:
        place = f"{finding.path}:{finding.line}:{finding.column}:" if finding.line > 0 else f"{finding.path}:"
        code = paint(_SEVERITY_COLOUR[finding.severity] + _BOLD, finding.code)
        # `[*]` before the message, as ruff marks what `--fix` fixes
        mark = "[*] " if fixes and getattr(fixes.get(finding), "applicable", False) else ""
        stream.write(f"{paint(_BOLD, place)} {code} {mark}{finding.message} {paint(_DIM, f'[{finding.name}]')}\n")
        if finding.fix:
            stream.write(f"    {paint(_DIM, 'hint: ' + finding.fix)}\n")
    if summary:
        write_summary(findings, stream, checked=checked, skipped=skipped)


def write_summary(findings: Sequence[Finding], stream: TextIO, *, checked: int, skipped: int) -> None:
    """`Found 3 findings (1 error, 2 warnings) in 12 files.` or `No findings in 12 files.`,
    then the note on skipped fixture files."""
    counts = {severity: sum(1 for f in findings if f.severity == severity) for severity in Severity}
    in_files = f"in {checked} file{'s' if checked != 1 else ''}"
    if findings:
        parts = [f"{n} {s.label}{'s' if n != 1 and s != Severity.INFO else ''}" for s, n in sorted(counts.items(), reverse=True) if n]
        stream.write(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(parts)}) {in_files}.\n")
    else:
        stream.write(f"No findings {in_files}.\n")
    if skipped:
        files = "file" if skipped == 1 else "files"
        stream.write(
            f"({skipped} {files} in test fixtures skipped; `--include-fixtures` or `include-fixtures = true` checks {'it' if skipped == 1 else 'them'}.)\n"
        )
