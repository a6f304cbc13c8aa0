"""`tox.ini`: `deps` of `[testenv]` and `[testenv:*]`, and `[tox] requires`.

Each `deps` value is what tox hands to one `pip install`: requirement-file lines, so the
requirement-file reader and rules apply unchanged (`-r`/`-c` are followed relative to
`tox.ini`). Factor conditions (`py311: pytest==8.0`) are dropped, `{toxinidir}` is the
directory of `tox.ini`, `{[section]key}` references are skipped (that section is checked
itself), and any other substitution (`{env:VERSION}`) makes the line dynamic (PIN107).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from guard.finding import Finding
from guard.manifests.common import requirement_text_findings
from guard.manifests.setup_cfg import read_values

if TYPE_CHECKING:
    from guard.check.context import RunContext

_FACTORS = re.compile(r"^([!\w{},.-]+):\s+(?=\S)")
_REFERENCE = re.compile(r"^\{\[[^\]]*\][^}]*\}$")
_ENV = re.compile(r"\{env:([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")
_OTHER = re.compile(r"(?<!\$)\{(?!toxinidir\}|toxworkdir\}|\[)([^}]*)\}")


def _virtual_line(text: str, written: Optional[dict[str, str]] = None) -> str:
    """One deps line as pip would read it, same length before the requirement starts.

    Substitutions become pip's `${VAR}`; `written` collects what each stood for in the file
    (`${LIBV}` -> `{env:LIBV}`), so that messages can quote the user's text.
    """
    factors = _FACTORS.match(text)
    if factors:
        text = " " * factors.end() + text[factors.end() :]
    if _REFERENCE.match(text.strip()):
        return ""
    text = text.replace("{toxinidir}", ".").replace("{toxworkdir}", ".tox")

    def substitute(replacement: str, match: re.Match[str]) -> str:
        if written is not None:
            written.setdefault(replacement, match.group(0))
        return replacement

    text = _ENV.sub(lambda match: substitute("${" + match.group(1) + "}", match), text)
    return _OTHER.sub(lambda match: substitute("${TOX_" + re.sub(r"\W", "_", match.group(1)).upper() + "}", match), text)


def _as_written(finding: Finding, written: dict[str, str]) -> Finding:
    """The finding with each substitution quoted as the file writes it."""
    message = finding.message
    for replacement, original in written.items():
        message = message.replace(replacement, original)
    return finding if message == finding.message else finding.replace(message=message)


def tox_findings(text: str, absolute: str, shown: str, context: RunContext) -> list[Finding]:
    values, _errors = read_values(text)  # tox itself reports malformed lines; nothing to pin there
    findings: list[Finding] = []
    for value in values:
        wanted = (value.key == "deps" and (value.section == "testenv" or value.section.startswith("testenv:"))) or (
            value.key == "requires" and value.section in ("tox", "tox:tox")
        )
        if not wanted or not value.lines:
            continue
        first = min(line for line, _, _ in value.lines)
        lines = [""] * (max(line for line, _, _ in value.lines) - first + 1)
        written: dict[int, dict[str, str]] = {}
        for line, column, content in value.lines:
            lines[line - first] = " " * (column - 1) + _virtual_line(content, written.setdefault(line, {}))
        embedded = "\n".join(lines) + "\n"
        for finding in requirement_text_findings(embedded, absolute, shown, "tox-ini", context, first_line=first):
            if finding.path == shown and written.get(finding.line):
                finding = _as_written(finding, written[finding.line])
            findings.append(finding)
    return findings


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is not None:
            absolute, shown, text = read
            context.findings.extend(tox_findings(text, absolute, shown, context))
