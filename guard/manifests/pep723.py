"""PEP 723 inline script metadata: `# /// script` blocks in `.py` files.

Every `.py` file is offered to this checker, so a file is read as bytes and dropped unless
it contains `# /// script`. The block's `dependencies` follow the `pep723` kind (exact by
default). `[tool.uv] exclude-newer` fixes resolution to a date: it counts as a time pin
(exact). A `<script>.py.lock` beside the script (`uv lock --script`) locks it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional

from guard.finding import Finding
from guard.manifests.common import judge
from guard.pins.analysis import analyse
from guard.pins.dep import Dep
from guard.pins.levels import PinLevel
from guard.rules import get as rule
from guard.text.tomlpos import TomlPositions, decode_error_message, decode_error_position, type_name

if TYPE_CHECKING:
    from guard.check.context import RunContext
    from guard.config import Settings
    from guard.manifests.lockfiles import LockInfo

MARKER = b"# /// script"
# The reference regular expression of PEP 723 (applied to text with `\n` line breaks); guard
# finds what it matches with `reference_matches`, in linear time (tests compare the two).
BLOCK_RE = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
_START_RE = re.compile(r"# /// [a-zA-Z0-9-]+")


@dataclass(frozen=True)
class Block:
    type: str
    line: int  # 1-based line of the `# /// TYPE` line
    content: list[str]  # the comment lines between the start and end lines, without line breaks


def normalise_newlines(text: str) -> str:
    """`\r\n` and `\r` as `\n`, as Python reads a source file (universal newlines); line
    numbers and columns stay those of the file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def blocks(text: str) -> list[Block]:
    """The metadata blocks of a source file, in order (`text` from `normalise_newlines`).

    The reference expression is greedy: a `# ///` line directly followed by another
    `# /// TYPE` line would be read as content of one long block. Such a pair ends one block
    and starts the next, which is what the author meant (and lets two `script` blocks written
    back to back be reported as two).
    """
    found: list[Block] = []
    lines = text.split("\n")
    for first, last in reference_matches(lines):
        start = first
        for index in range(first + 1, last):
            if lines[index] == "# ///" and _START_RE.fullmatch(lines[index + 1]):
                found.append(Block(lines[start][len("# /// ") :], start + 1, lines[start + 1 : index]))
                start = index + 1
        found.append(Block(lines[start][len("# /// ") :], start + 1, lines[start + 1 : last]))
    return found


def _is_comment(line: str) -> bool:
    return line == "#" or line.startswith("# ")


def reference_matches(lines: list[str]) -> list[tuple[int, int]]:
    """(start line, end line) indices of what `BLOCK_RE.finditer` matches, in one pass.

    The expression itself backtracks over every following comment line for each unclosed
    `# /// TYPE`, which is quadratic (16,000 unclosed starts took 18 s). Here: a start line,
    the run of comment lines after it, and in that run the last `# ///` with at least one
    line between (the greedy match); without one, no start inside the same run can match
    either, so scanning resumes after the run.
    """
    matches: list[tuple[int, int]] = []
    count = len(lines)
    i = 0
    while i < count:
        if not _START_RE.fullmatch(lines[i]):
            i += 1
            continue
        run_end = i + 1
        while run_end < count and _is_comment(lines[run_end]):
            run_end += 1
        end = next((e for e in range(run_end - 1, i + 1, -1) if lines[e] == "# ///"), None)
        if end is None:
            i = max(run_end, i + 1)
            continue
        matches.append((i, end))
        i = end + 1
    return matches


def script_findings(text: str, absolute: str, shown: str, settings: Settings) -> list[Finding]:
    scripts = [block for block in blocks(normalise_newlines(text)) if block.type == "script"]
    if not scripts:
        return []
    if len(scripts) > 1:
        return [rule("GRD102").finding(shown, scripts[1].line, 1, f"`{shown}` has more than one `# /// script` block")]
    block = scripts[0]
    first_line = block.line
    content_lines: list[str] = []
    offsets: list[int] = []
    for raw in block.content:
        offset = 2 if raw.startswith("# ") else 1
        content_lines.append(raw[offset:] + "\n")
        offsets.append(offset)
    content = "".join(content_lines)

    def where(line: int, column: int) -> tuple[int, int]:
        offset = offsets[line - 1] if 1 <= line <= len(offsets) else 0
        return first_line + line, column + offset

    from guard.text.tomlcompat import TOMLDecodeError, loads

    try:
        data = loads(content)
    except TOMLDecodeError as error:
        line, column = where(*decode_error_position(error, content))
        return [rule("GRD102").finding(shown, line, column, f"the `# /// script` block is not valid TOML: {decode_error_message(error)}")]
    pos = TomlPositions(content)
    dependencies = data.get("dependencies", [])
    if not isinstance(dependencies, list):
        line, column = where(*pos.locate("dependencies"))
        return [
            rule("GRD102").finding(shown, line, column, f"script `dependencies` must be an array of strings, not {type_name(dependencies)}")
        ]
    floor = PinLevel.EXACT if _exclude_newer(data) else None
    lock, lock_label = _script_lock(absolute)
    findings: list[Finding] = []
    for index, item in enumerate(dependencies):
        line, column = where(*pos.locate("dependencies", index))
        if not isinstance(item, str):
            findings.append(
                rule("GRD102").finding(shown, line, column, f"script `dependencies` entries must be strings, not {type_name(item)}")
            )
            continue
        dep = Dep(shown, line, column, item.strip(), "pep723")
        findings.extend(judge(dep, analyse(item.strip()), settings, lock=lock, lock_label=lock_label, floor=floor))
    return findings


def _exclude_newer(data: Mapping[str, Any]) -> bool:
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, Mapping) else None
    return isinstance(uv, Mapping) and bool(uv.get("exclude-newer"))


def _script_lock(absolute: str) -> tuple[Optional[dict[str, LockInfo]], str]:
    from guard.manifests.lockfiles import read_lock
    from guard.text.decode import UnreadableFile

    path = absolute + ".lock"
    if not os.path.isfile(path):
        return None, ""
    lock = read_lock(path, path)
    if isinstance(lock, UnreadableFile) or lock.error is not None:
        return None, ""
    return {entry.name: entry for entry in lock.entries}, f"`{os.path.basename(path)}`"


def check_files(paths: list[str], context: RunContext) -> None:
    from guard.text.decode import UnreadableFile, decode, in_memory

    for path in paths:
        absolute = path if os.path.isabs(path) else os.path.join(context.cwd, path)
        data = in_memory(absolute)
        try:
            if data is None:
                with open(absolute, "rb") as handle:
                    data = handle.read()
        except OSError:
            continue  # not a dependency file unless it has a block: nothing to report
        if MARKER not in data:
            continue
        shown = context.display(absolute)
        try:
            text = decode(data)
        except UnreadableFile as error:
            context.findings.append(rule("GRD101").finding(shown, 0, 0, f"cannot read `{shown}`: {error}"))
            continue
        if not reference_matches(normalise_newlines(text).split("\n")):
            continue  # the marker inside a string or an indented comment: not a script block
        context.texts[shown] = text
        context.findings.extend(script_findings(text, absolute, shown, context.settings))
