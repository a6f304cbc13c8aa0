"""`setup.cfg`: `[options] install_requires`, `setup_requires`, `tests_require` and
`[options.extras_require]`, read as literal text with line numbers (no configparser: it
keeps no positions). Values are split as setuptools splits them: one requirement per line,
or `;`-separated on a single line; `#` lines are comments; `file:` values are skipped (the
file is checked on its own as a requirement file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guard.finding import Finding
from guard.manifests.pyproject import BUILD, EXTRA, GROUP, RUNTIME, Entry, pep508_info, project_findings
from guard.pins.dep import Dep
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.check.context import RunContext
    from guard.config import Settings

_SECTION = re.compile(r"^\[([^\]]+)\]\s*(?:[#;].*)?$")
_KEY = re.compile(r"^([^\s=:#;][^=:]*?)\s*[=:]\s?")
_ROLES = {"install_requires": RUNTIME, "setup_requires": BUILD, "tests_require": GROUP}


@dataclass
class Value:
    section: str
    key: str
    line: int
    # (line, column, text) of each physical line of the value, the first one after `=`
    lines: list[tuple[int, int, str]] = field(default_factory=list)


def read_values(text: str) -> tuple[list[Value], list[tuple[int, str]]]:
    """Every `key = value` of the file, with the position of each value line; and syntax errors."""
    values: list[Value] = []
    errors: list[tuple[int, str]] = []
    section = ""
    current: Value | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if raw[:1] in (" ", "\t") and current is not None:
            if stripped and not stripped.startswith(("#", ";")):
                current.lines.append((number, len(raw) - len(raw.lstrip()) + 1, stripped))
            continue
        if not stripped or stripped.startswith(("#", ";")):
            continue
        match = _SECTION.match(raw)
        if match:
            section, current = match.group(1).strip(), None
            continue
        key = _KEY.match(raw)
        if key is None:
            errors.append((number, f"`setup.cfg` line {number} is neither a section, a `key = value` nor a continuation"))
            current = None
            continue
        current = Value(section, key.group(1).strip().replace("-", "_"), number)
        rest = raw[key.end() :]
        if rest.strip():
            current.lines.append((number, key.end() + len(rest) - len(rest.lstrip()) + 1, rest.strip()))
        values.append(current)
    return values, errors


def _requirements(value: Value) -> list[tuple[int, int, str]]:
    """setuptools' `_parse_requirements_list`, keeping positions."""
    if len(value.lines) == 1 and value.lines[0][0] == value.line:
        line, column, text = value.lines[0]
        if text.startswith("file:"):
            return []
        out = []
        offset = 0
        for chunk in text.split(";"):
            if chunk.strip() and not chunk.strip().startswith("#"):
                out.append((line, column + offset + len(chunk) - len(chunk.lstrip()), chunk.strip()))
            offset += len(chunk) + 1
        return out
    if value.lines and value.lines[0][2].startswith("file:"):
        return []
    return [(line, column, re.sub(r"\s+#.*$", "", text)) for line, column, text in value.lines if not text.startswith("#")]


def setup_cfg_findings(text: str, absolute: str, shown: str, settings: Settings) -> list[Finding]:
    values, errors = read_values(text)
    findings = [rule("GRD102").finding(shown, line, 1, message) for line, message in errors]
    entries: list[Entry] = []
    for value in values:
        if value.section == "options" and value.key in _ROLES:
            role = _ROLES[value.key]
        elif value.section == "options.extras_require":
            role = EXTRA
        else:
            continue
        for line, column, requirement in _requirements(value):
            entries.append(Entry(Dep(shown, line, column, requirement, ""), pep508_info(requirement), role))
    return findings + project_findings(entries, absolute, settings)


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is not None:
            absolute, shown, text = read
            context.findings.extend(setup_cfg_findings(text, absolute, shown, context.settings))


def read_requirement_files(text: str) -> list[str]:
    """The files `install_requires = file: ...` and `[options.extras_require]` `file:` values
    name (setuptools reads them as the package's dependencies), relative to setup.cfg."""
    values, _ = read_values(text)
    names: list[str] = []
    for value in values:
        declares = (value.section == "options" and value.key == "install_requires") or value.section == "options.extras_require"
        if not declares or not value.lines:
            continue
        first = value.lines[0][2]
        if first.startswith("file:"):
            rest = " ".join([first[len("file:") :]] + [text for _, _, text in value.lines[1:]])
            names.extend(name.strip() for name in rest.split(",") if name.strip())
    return names
