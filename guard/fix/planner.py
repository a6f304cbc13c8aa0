"""One place's findings + the file's text + a version source -> an Edit, or why there is none.

The text at the finding's place is read again and parsed (`guard.fix.locate`); a fix is only
planned when it names the package the finding is about, and the version the source has must
satisfy what the user wrote (`numpy>=1.20` is never pinned to 1.19).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence, Union

from guard.finding import Finding
from guard.fix.edits import Edit, LineIndex
from guard.fix.locate import Located, Parsed, parse_requirement, requirement_line, shell_word, toml_string, yaml_scalar
from guard.fix.sources import Pin, VersionSource
from guard.pins.analysis import normalise_name

# Findings a pin fixes, when their hint asks for one version (the policy asks exact) or for
# hashes (strict): what they say is "this is not pinned".
PIN_CODES = ("PIN101", "PIN104", "PIN109")
_ASKS_PIN = "pin one version"
_ASKS_HASHES = "generate hashes"
# PIN105 about a line the pin (and its hashes) mends: no `--hash`, or hashed but not `==`
_NO_HASH = re.compile(r"` (?:has no `--hash`|is hashed but not pinned with `==`)")
_SINGLE_EQUALS = re.compile(r"\A(\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*)=(?!=)(\s*[^\s=<>!~;]+\s*)(;.*)?\Z", re.S)
# Characters the shell reads specially in an unquoted word (besides blanks).
_SHELL_SPECIAL = re.compile(r"[\s<>;&|()$`\\\"'*?!#~{}]")


@dataclass(frozen=True)
class Planned:
    """What `--fix` does at one place: an edit and what it writes, or why there is none."""

    edits: tuple[Edit, ...]  # none: not fixable
    words: str  # "pins `requests==2.32.3` from `uv.lock`", or the reason nothing is done

    @property
    def applicable(self) -> bool:
        return bool(self.edits)


@dataclass(frozen=True)
class Place:
    """The findings at one place of one file, and how that file is written."""

    path: str
    line: int
    column: int
    findings: tuple[Finding, ...]
    shape: str  # "requirements", "shell", "toml", "yaml" (pre-commit hooks' deps), "ini" (tox deps)
    hash_mode: bool = False  # a requirement file pip reads in hash-checking mode
    yaml_quote: str = ""  # the quote of a YAML scalar holding the shell command, if any


def is_candidate(finding: Finding) -> bool:
    """Whether `--fix` may fix the finding (given a source and text it can read)."""
    if finding.line <= 0:
        return False
    if finding.code in PIN_CODES:
        return bool(finding.fix) and str(finding.fix).startswith((_ASKS_PIN, _ASKS_HASHES))
    if finding.code == "PIN105":
        return bool(_NO_HASH.search(finding.message))
    if finding.code == "PIN108":
        return "uses a single `=`" in finding.message
    return finding.code == "CMD208"


def not_fixed_reason(finding: Finding) -> str:
    """Why a finding that is no candidate stays, for the summary."""
    if finding.code == "PIN202":
        return f"lock drift is not guessed: {finding.fix}"
    if finding.code in PIN_CODES and finding.fix and not str(finding.fix).startswith((_ASKS_PIN, _ASKS_HASHES)):
        return "the policy does not ask for one version here"
    return f"guard has no fix for {finding.code}"


def plan(place: Place, index: LineIndex, source: Optional[VersionSource], source_problem: str = "") -> Planned:
    """The fix of one place: `source` gives the version (None: there is none, and
    `source_problem` may say why, e.g. an environment that could not be read)."""
    codes = {finding.code for finding in place.findings}
    located = _locate(place, index)
    if isinstance(located, str):
        return Planned((), located)
    if not _ends_inside(place, index, located):
        return Planned((), "the text here is not what the finding points at (the file changed?)")
    if "PIN108" in codes and not codes & set(PIN_CODES):
        return _single_equals(place, index, located)
    parsed = parse_requirement(located.text)
    if parsed is None:
        return Planned((), f"`{located.text}` is not a requirement guard can read")
    if parsed.has_url:
        return Planned((), f"`{parsed.name}` is installed from a URL; guard does not pin it")
    packages = {finding.package for finding in place.findings if finding.package}
    if any(normalise_name(parsed.name) != package for package in packages):
        return Planned((), f"the text here (`{located.text}`) is not the requirement the finding is about")
    if not codes & (set(PIN_CODES) | {"PIN105"}):
        return _quote_only(place, index, located)
    return _pin(place, index, located, parsed, source, source_problem)


def _ends_inside(place: Place, index: LineIndex, located: Located) -> bool:
    """Whether each finding that says where it ends ends within the located text (its reader
    may stop a shell word at a redirect, where guard reads on to the spec the user meant)."""
    from guard.fix.edits import EditError

    for finding in place.findings:
        if finding.end_line is None or finding.end_column is None:
            continue
        try:
            end = index.offset(finding.end_line, finding.end_column)
        except EditError:
            return False
        # the closing quote of an enclosing string (a YAML scalar's, `sh -c "..."`) may be
        # counted in: it is no quote of this word, and guard stops before it
        closing = 1 if index.text[located.end : located.end + 1] in ("'", '"') else 0
        # a plain YAML item of a flow list (`[requests, numpy]`) may be counted to the line's end
        unbounded = place.shape == "yaml" and not located.quote
        if not located.start < end <= (len(index.text) if unbounded else located.end + closing):
            return False
    return True


def _locate(place: Place, index: LineIndex) -> Union[Located, str]:
    if place.shape == "requirements":
        return requirement_line(index, place.line, place.column)
    if place.shape == "shell":
        return shell_word(index, place.line, place.column, place.yaml_quote)
    if place.shape == "yaml":
        return yaml_scalar(index, place.line, place.column)
    if place.shape == "ini":
        return requirement_line(index, place.line, place.column)  # tox deps: one requirement a line
    return toml_string(index, place.line, place.column)


def _pin(place: Place, index: LineIndex, located: Located, parsed: Parsed, source: Optional[VersionSource], source_problem: str) -> Planned:
    name = parsed.name
    if source is None:
        why = f" ({source_problem})" if source_problem else ""
        return Planned((), f"no lock file or environment has a version for `{name}`{why}")
    pin = source.pin_for(name)
    if isinstance(pin, str):
        return Planned((), pin)
    if not _allows(parsed.specifier, pin.version):
        return Planned((), f"{source.label} has `{name}` {pin.version}, which `{parsed.specifier}` excludes")
    wants_hashes = place.shape == "requirements" and (
        place.hash_mode or any(f.code == "PIN105" or str(f.fix or "").startswith(_ASKS_HASHES) for f in place.findings)
    )
    hashes = ""
    if wants_hashes:
        given = re.findall(r"--hash[=\s]+(\S+)", located.rest)
        if given and not set(given) <= set(pin.hashes):
            return Planned((), f"the `--hash` values of `{name}` are not the hashes {source.label} has for {pin.version}")
        if not given:
            if not pin.hashes:
                return Planned((), f"the file is in hash-checking mode and {source.label} has no hashes for `{name}`")
            hashes = _hash_options(index, located, pin)
    text = located.text
    new = text[: parsed.spec_start] + f"=={pin.version}" + text[parsed.spec_end :]
    if place.shape == "shell" and _runs_a_uvx_tool(index.line(place.line)[: place.column - 1]):
        # `uvx ruff==0.3.0` is refused by uv ("not a valid package name"): its pin is `ruff@0.3.0`
        if text[: parsed.spec_start].strip() != text[: parsed.spec_start] or "[" in text or ";" in text:
            return Planned((), f"`{text}` names a uvx tool with extras or markers; guard does not rewrite it")
        new = f"{text[: parsed.spec_start]}@{pin.version}"
    words = f"pins `{name}=={pin.version}`{' with its hashes' if hashes else ''} from {source.label}"
    if place.shape == "shell":
        return _shell_word(place, index, located, new, words)
    edits = [_text_edit(place.path, index, located, parsed.spec_start, parsed.spec_end, f"=={pin.version}")]
    if hashes:
        edits.append(_text_edit(place.path, index, located, len(text), len(text), hashes))
    return Planned(tuple(edits), words)


# uvx / `uv tool run` options whose value is a requirement (written with `==`); after any
# other token, the word is the tool to run, pinned as `name@version`.
_UVX = re.compile(r"(?:^|[\s;&|(])(?:uvx|uv\s+tool\s+run)((?:\s+\S+)*?)\s+$")
_UVX_SPEC_OPTIONS = ("--from", "--with", "-w", "--with-editable", "--with-requirements", "--constraints", "-c", "--overrides")


def _runs_a_uvx_tool(before: str) -> bool:
    """Whether the word after `before` is the tool a uvx command runs."""
    match = _UVX.search(before)
    if match is None:
        return False
    tokens = match.group(1).split()
    return not tokens or tokens[-1] not in _UVX_SPEC_OPTIONS


def _allows(specifier: str, version: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def _hash_options(index: LineIndex, located: Located, pin: Pin) -> str:
    """`--hash` options to write after the requirement: on continuation lines (as pip-compile
    writes them) when nothing follows it on its line, else on the line itself."""
    end_line, end_column = index.place(located.end)
    after = index.line(end_line)[end_column - 1 :]
    options = [f"--hash={value}" for value in pin.hashes]
    if after.strip():
        return " " + " ".join(options)
    ending = index.line_ending(end_line)
    return "".join(f" \\{ending}    {option}" for option in options)


def _text_edit(path: str, index: LineIndex, located: Located, start: int, end: int, replacement: str) -> Edit:
    """An edit of `located.text[start:end]`, mapped onto the file (across continuations)."""
    offsets = located.offsets
    begin = offsets[start]
    finish = offsets[end - 1] + 1 if end > start else begin
    start_line, start_column = index.place(begin)
    end_line, end_column = index.place(finish)
    return Edit(path, start_line, start_column, end_line, end_column, replacement)


def _shell_word(place: Place, index: LineIndex, located: Located, new: str, words: str) -> Planned:
    """The edit that writes the shell word `new` in place of the located one, quoted as the
    user quoted it, or in quotes when the shell would otherwise read it differently."""
    quote = located.quote
    if not quote and (located.redirect or _SHELL_SPECIAL.search(new)):
        quote = "'" if place.yaml_quote == '"' or '"' in new else '"'
        if quote in new or quote == place.yaml_quote:
            return Planned((), "the spec would need quotes that the file's quoting does not allow")
    elif quote and quote in new:
        return Planned((), "the new spec holds the quote it is written in")
    start_line, start_column = index.place(located.start)
    end_line, end_column = index.place(located.end)
    return Planned((Edit(place.path, start_line, start_column, end_line, end_column, f"{quote}{new}{quote}"),), words)


def _quote_only(place: Place, index: LineIndex, located: Located) -> Planned:
    """CMD208 alone (the policy accepts the range): quote the spec so the shell passes it."""
    if place.shape != "shell" or located.quote:
        return Planned((), "guard has no fix for this")
    return _shell_word(place, index, located, located.text, f"quotes `{located.text}`")


def _single_equals(place: Place, index: LineIndex, located: Located) -> Planned:
    """PIN108 `name=1.0`: the `==` pip needs."""
    match = _SINGLE_EQUALS.match(located.text)
    if match is None:
        return Planned((), f"`{located.text}` is not a `name=version` requirement")
    new = f"{match.group(1)}=={match.group(2)}{match.group(3) or ''}"
    if parse_requirement(new) is None:
        return Planned((), f"`{new}` would not be a valid requirement either")
    words = f"writes `{new.strip()}`"
    if place.shape == "shell":
        return _shell_word(place, index, located, new, words)
    at = match.end(1)
    return Planned((_text_edit(place.path, index, located, at, at + 1, "=="),), words)


def places(findings: Sequence[Finding]) -> dict[tuple[str, int, int], list[Finding]]:
    """Candidate findings grouped by place."""
    grouped: dict[tuple[str, int, int], list[Finding]] = {}
    for finding in findings:
        if is_candidate(finding):
            grouped.setdefault((finding.path, finding.line, finding.column), []).append(finding)
    return grouped
