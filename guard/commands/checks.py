"""The rules over `PipCall`s: pins (PIN rules, reused), system-Python use (R10) and hash mode.

Pure apart from reading the requirement files that `-r`/`-c` name (through the run's shared
`RequirementReader`, so each file is parsed once). Every file kind's checker gathers its
calls and the `Surroundings` they run in, then calls `check_calls`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping, Optional, Sequence

from guard.checks.requirements import RequirementReader, Tree, check_tree
from guard.commands.invocation import Command, PipCall, ScanError, basename, uv_system, word_position
from guard.commands.pipargs import PipArgs, parse_pip_argv, strtobool
from guard.config import Settings
from guard.deps.dep import Dep
from guard.finding import Finding
from guard.pinning import analyse
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.checks import RunContext

# A Dockerfile maps the path pip sees inside the image to files of the build context:
# (candidate paths on disk, whether a miss is worth a finding).
Resolver = Callable[[str], "tuple[list[str], bool]"]
_INSTALLING = ("install", "download", "wheel", "lock")
_SYSTEM_BIN_DIRS = ("/usr/bin/", "/usr/local/bin/", "/bin/", "/usr/sbin/")


@dataclass(frozen=True)
class ImageState:
    """What a Dockerfile stage has done by the time a `RUN` runs."""

    base: str
    distro: Optional[str]  # "debian 12", "alpine 3.20", ...: a Python with the PEP 668 marker
    venv_active: bool = False
    marker_removed: bool = False


@dataclass(frozen=True)
class Surroundings:
    """Where a batch of calls runs: the file, its policy kind and the environment around it."""

    path: str  # shown path of the file holding the calls
    directory: str  # absolute directory of that file, for `-r` resolution
    kind: str  # dockerfile, shell, ci, makefile
    cwd: str
    environ: Mapping[str, str] = field(default_factory=dict)  # exported variables in effect
    image: Optional[ImageState] = None
    resolver: Optional[Resolver] = None
    # (command index, name, value): `export NAME=value` in the same text, in effect after it
    timeline: tuple[tuple[int, str, str], ...] = ()

    def environ_at(self, command_index: int) -> dict[str, str]:
        environ = dict(self.environ)
        for index, name, value in self.timeline:
            if index < command_index:
                environ[name] = value
        return environ


def is_true(value: Optional[str]) -> bool:
    return value is not None and strtobool(value) is True


def scan_error_findings(path: str, errors: Sequence[ScanError]) -> list[Finding]:
    return [rule("GRD102").finding(path, error.line, error.column, error.message) for error in errors]


def check_calls(calls: Sequence[PipCall], where: Surroundings, settings: Settings, reader: RequirementReader) -> list[Finding]:
    """Every finding about `calls` (in file order, as one scan returned them)."""
    findings: list[Finding] = []
    hash_checked: dict[int, bool] = {}
    for call in calls:
        args = _parse(call)
        environ = {**where.environ_at(call.command_index), **call.env}
        findings.extend(_system_findings(call, args, environ, where))
        findings.extend(_option_findings(call, args, environ))
        checked = False
        if args.subcommand in _INSTALLING and not args.help:
            tree_findings, checked = _pin_findings(call, args, environ, where, settings, reader)
            findings.extend(tree_findings)
        hash_checked[call.command_index] = checked
        if call.chained_after == "||" and hash_checked.get(call.command_index - 1) and not checked and args.subcommand == "install":
            findings.append(rule("CMD205").finding(
                call.path, call.line, call.column,
                "this fallback runs when the hash-checked install before `||` fails, and installs without hash checking",
                fix="drop the `|| pip install ...` fallback and let the build fail",
            ))
    return findings


def command_findings(commands: Sequence[Command], path: str) -> list[Finding]:
    """Findings about commands that are not pip calls: removing the PEP 668 marker."""
    findings: list[Finding] = []
    for command in commands:
        words = command.words
        if words and basename(words[0].text) == "rm" or (len(words) > 1 and words[0].text in ("sudo", "doas") and basename(words[1].text) == "rm"):
            for word in words:
                if word.text.endswith("EXTERNALLY-MANAGED"):
                    findings.append(rule("CMD202").finding(path, word.line, word.column, "removing `EXTERNALLY-MANAGED` switches PEP 668 off for the whole system Python", fix="install into a venv instead"))
                    break
    return findings


def removes_marker(commands: Sequence[Command]) -> bool:
    return any(any(word.text.endswith("EXTERNALLY-MANAGED") for word in command.words) and basename(command.words[0].text) in ("rm", "sudo", "doas") for command in commands if command.words)


def environment_findings(path: str, name: str, value: str, line: int, column: int) -> list[Finding]:
    """Findings about one exported variable (`ENV`, `export`, CI `env:`/`variables:`)."""
    if name == "PIP_BREAK_SYSTEM_PACKAGES" and is_true(value):
        return [rule("CMD202").finding(path, line, column, f"`PIP_BREAK_SYSTEM_PACKAGES={value}` lets every later pip overwrite the system Python's packages", fix="install into a venv instead")]
    if name == "PIP_REQUIRE_HASHES" and strtobool(value) is False:
        return [rule("CMD205").finding(path, line, column, f"`PIP_REQUIRE_HASHES={value}` switches hash checking off")]
    return []


def _parse(call: PipCall) -> PipArgs:
    return parse_pip_argv(call.argv)


def _flag_word(call: PipCall, prefixes: Sequence[str]) -> tuple[int, int]:
    for word in call.words:
        if any(word.text.startswith(prefix) for prefix in prefixes):
            return word.line, word.column
    return call.line, call.column


def _system_findings(call: PipCall, args: PipArgs, environ: Mapping[str, str], where: Surroundings) -> list[Finding]:
    out: list[Finding] = []
    installs = args.changes_environment and call.tool in ("pip", "uv")
    if call.sudo and installs:
        out.append(rule("CMD201").finding(call.path, call.line, call.column, f"`sudo {call.program} {args.subcommand}` writes into the system Python as root", fix="install into a virtual environment instead"))
    breaks = args.break_system_packages or any(word.text == "--break-system-packages" for word in call.words)
    if breaks and args.subcommand in ("install", "uninstall"):
        line, column = _flag_word(call, ("--brea",))
        out.append(rule("CMD202").finding(call.path, line, column, "`--break-system-packages` lets pip overwrite packages the system Python's owner installed", fix="install into a venv instead"))
    elif installs and is_true(call.env.get("PIP_BREAK_SYSTEM_PACKAGES")):
        out.append(rule("CMD202").finding(call.path, call.line, call.column, "`PIP_BREAK_SYSTEM_PACKAGES` lets pip overwrite packages the system Python's owner installed", fix="install into a venv instead"))
    if args.subcommand == "config" and len(args.requirements) >= 3 and args.requirements[0] == "set" and args.requirements[1].endswith("break-system-packages") and is_true(args.requirements[2]):
        out.append(rule("CMD202").finding(call.path, call.line, call.column, "`pip config set ...break-system-packages true` switches PEP 668 off for every later pip", fix="install into a venv instead"))
    user = args.user or (is_true(environ.get("PIP_USER")) and "--no-user" not in call.argv)
    if where.kind == "dockerfile" and user and args.subcommand == "install" and call.tool == "pip":
        line, column = _flag_word(call, ("--user",)) if args.user else (call.line, call.column)
        out.append(rule("CMD203").finding(call.path, line, column, "`pip install --user` in an image installs into one user's home directory", fix="create a venv in the image and install there"))
        return out
    image = where.image
    if (
        image is not None
        and image.distro
        and not image.venv_active
        and not image.marker_removed
        and args.subcommand == "install"
        and args.changes_environment
        and not (args.target or args.prefix or args.root or args.dry_run)
        and not breaks
        and not is_true(environ.get("PIP_BREAK_SYSTEM_PACKAGES"))
        and not environ.get("VIRTUAL_ENV")
        and (call.tool == "pip" or uv_system(call))
        and not _venv_program(call.program_path)
    ):
        out.append(rule("CMD204").finding(
            call.path, call.line, call.column,
            f"`{call.program} install` into the {image.distro} Python of `{image.base}`, which no venv replaced: pip refuses it (PEP 668)",
            fix="RUN python3 -m venv /opt/venv, then ENV PATH=/opt/venv/bin:$PATH",
        ))
    return out


def _venv_program(program_path: str) -> bool:
    """`/opt/venv/bin/pip`, `.venv/bin/python`: a program inside some environment directory."""
    if "/" not in program_path or program_path.startswith("$"):
        return False
    return "/bin/" in program_path and not program_path.startswith(_SYSTEM_BIN_DIRS)


def _option_findings(call: PipCall, args: PipArgs, environ: Mapping[str, str]) -> list[Finding]:
    out: list[Finding] = []
    if any("--hash" in error for error in args.errors):
        line, column = _flag_word(call, ("--hash",))
        out.append(rule("CMD206").finding(call.path, line, column, "`--hash` is not a pip command-line option: pip stops with `no such option`", fix="move the requirement and its `--hash` into a requirements file"))
    for word in call.words:
        if word.text in ("--no-require-hashes", "--no-verify-hashes"):
            out.append(rule("CMD205").finding(call.path, word.line, word.column, f"`{word.text}` switches hash checking off"))
    value = call.env.get("PIP_REQUIRE_HASHES")
    if value is not None and strtobool(value) is False:
        out.append(rule("CMD205").finding(call.path, call.line, call.column, f"`PIP_REQUIRE_HASHES={value}` switches hash checking off"))
    return out


def _pin_findings(call: PipCall, args: PipArgs, environ: Mapping[str, str], where: Surroundings, settings: Settings, reader: RequirementReader) -> tuple[list[Finding], bool]:
    tree = Tree()
    used: set[int] = set()
    for option, values, kind in (("-r", args.requirement_files, None), ("-c", args.constraint_files, "constraints")):
        for value in values:
            line, column, index = _value_position(call, value, used)
            target = _resolve(value, where, (line, column), tree, option)
            if target is None:
                continue
            child = reader.tree(target, kind)
            tree.deps.extend(child.deps)
            tree.findings.extend(child.findings)
            tree.files.extend(child.files)
            tree.require_hashes = tree.require_hashes or child.require_hashes
    after = 0
    first_party: list[Dep] = []
    for spec in args.requirements:
        line, column, index = word_position(call, spec, after)
        after = index + 1
        dep = Dep(call.path, line, column, spec, where.kind)
        tree.deps.append(dep)
        if analyse(spec).first_party:
            first_party.append(dep)
    for spec in args.editables:
        line, column, _index = _value_position(call, spec, used)
        dep = Dep(call.path, line, column, spec, where.kind, editable=True)
        tree.deps.append(dep)
        if analyse(spec, (), True).first_party:
            first_party.append(dep)
    if args.require_hashes or is_true(environ.get("PIP_REQUIRE_HASHES")):
        tree.require_hashes = True
    findings = check_tree(tree, settings)
    hash_mode = tree.require_hashes or any(analyse(dep.text, dep.hashes, dep.editable).has_strong_hash for dep in tree.deps if not dep.constraint)
    if first_party and not args.no_deps and not args.constraint_files and not hash_mode:
        for dep in first_party:
            findings.append(rule("CMD207").finding(dep.path, dep.line, dep.column, f"`{dep.text}` resolves the project's dependencies fresh: no `--no-deps`, constraints or lock", fix="install locked dependencies first, then the project with `--no-deps`"))
    return findings, hash_mode


def _value_position(call: PipCall, value: str, used: set[int]) -> tuple[int, int, int]:
    for index, word in enumerate(call.words):
        if index in used:
            continue
        if word.text == value or (word.text.endswith(value) and word.text.startswith("-")):
            used.add(index)
            return word.line, word.column, index
    return call.line, call.column, 0


def _resolve(value: str, where: Surroundings, position: tuple[int, int], tree: Tree, option: str) -> Optional[str]:
    """The file on disk that `-r value` names, or None (with GRD103 when it should exist)."""
    if "$" in value or "://" in value:
        return None  # dynamic or remote: nothing on disk to read
    report = True
    if where.resolver is not None:
        candidates, report = where.resolver(value)
    elif os.path.isabs(value):
        candidates, report = [value], False  # outside the repository: not ours to judge
    else:
        candidates = [os.path.join(where.directory, value), os.path.join(where.cwd, value)]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    if report:
        places = " or ".join(dict.fromkeys(_shown(c, where.cwd) for c in candidates)) or value
        tree.findings.append(rule("GRD103").finding(where.path, position[0], position[1], f"`{option} {value}` names a file that does not exist (looked for {places})", fix="point it at an existing file"))
    return None


def _shown(path: str, cwd: str) -> str:
    relative = os.path.relpath(path, cwd)
    return f"`{relative if not relative.startswith('..') else path}`"


def exports(commands: Sequence[Command]) -> list[tuple[int, str, str, int, int]]:
    """`export NAME=value` / `declare -x NAME=value`: (command index, name, value, line, column)."""
    import re

    found: list[tuple[int, str, str, int, int]] = []
    for command in commands:
        words = command.words
        if not words or words[0].text not in ("export", "declare", "typeset"):
            continue
        if words[0].text != "export" and not any(word.text.startswith("-") and "x" in word.text for word in words[1:]):
            continue
        for word in words[1:]:
            match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", word.text, re.S)
            if match:
                found.append((command.index, match.group(1), match.group(2), word.line, word.column))
    return found


def check_shell_text(
    text: str,
    path: str,
    kind: str,
    context: "RunContext",
    *,
    directory: str,
    segments: Sequence[tuple[int, int, int]] = ((0, 1, 1),),
    variables: Optional[Mapping[str, str]] = None,
    environ: Optional[Mapping[str, str]] = None,
    image: Optional[ImageState] = None,
    resolver: Optional[Resolver] = None,
) -> tuple[list[Finding], list[Command]]:
    """Scan shell `text` (located by `segments` in `path`) and check every pip call in it."""
    from guard.commands.invocation import find_pip_calls

    calls, errors, commands = find_pip_calls(text, path, kind, segments, variables)
    findings = scan_error_findings(path, errors)
    found_exports = exports(commands)
    for _index, name, value, line, column in found_exports:
        findings.extend(environment_findings(path, name, value, line, column))
    findings.extend(command_findings(commands, path))
    where = Surroundings(
        path=path,
        directory=directory,
        kind=kind,
        cwd=context.cwd,
        environ=dict(environ or {}),
        image=image,
        resolver=resolver,
        timeline=tuple((index, name, value) for index, name, value, _l, _c in found_exports),
    )
    findings.extend(check_calls(calls, where, context.settings, requirement_reader(context)))
    return findings, commands


def requirement_reader(context: "RunContext") -> RequirementReader:
    from guard.checks.requirements import PathDisplay

    reader = context.cache.get("requirements")
    if reader is None:
        reader = context.cache["requirements"] = RequirementReader(PathDisplay(context.cwd))
    assert isinstance(reader, RequirementReader)
    return reader


def finish(context: "RunContext") -> None:
    """Hand the texts of the requirement files read on the way to the suppression pass."""
    reader = requirement_reader(context)
    context.texts.update(reader.texts)
    context.line_alias.update(reader.line_alias)
