"""The rules over `PipCall`s: pins (PIN rules, reused), system-Python use (R10) and hash mode.

Pure apart from reading the requirement files that `-r`/`-c` name (through the run's shared
`RequirementReader`, so each file is parsed once). Every file kind's checker gathers its
calls and the `Surroundings` they run in, then calls `check_calls`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping, Optional, Sequence

from guard.config import Settings
from guard.finding import Finding
from guard.manifests.groups import group_key, group_requirements
from guard.pins.analysis import analyse, without_credentials
from guard.pins.dep import Dep
from guard.pins.levels import PinLevel
from guard.pipcalls.clones import Clone, cloned_before, fresh_clones
from guard.pipcalls.invocation import Command, PipCall, ScanError, Scanner, Word, basename, pip_call, uv_system, word_position
from guard.pipcalls.pipargs import PipArgs, parse_pip_argv, strtobool
from guard.requirements.check import RequirementReader, Tree, install_findings, run_reader
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.check.context import RunContext

# A Dockerfile maps the path pip sees inside the image to files of the build context:
# (candidate paths on disk, whether a miss is worth a finding).
Resolver = Callable[[str], "tuple[list[str], bool]"]
_INSTALLING = ("install", "download", "wheel", "lock")
_SYSTEM_BIN_DIRS = ("/usr/bin/", "/usr/local/bin/", "/bin/", "/usr/sbin/")
_DISTRO_BIN_DIRS = ("/usr/bin/", "/bin/")  # where a distribution's package manager puts pip and python


@dataclass(frozen=True)
class ImageState:
    """What a Dockerfile stage has done by the time a `RUN` runs."""

    base: str
    # "debian 12", "alpine 3.20", ...: the stage holds that distribution's Python, which
    # carries the PEP 668 marker (installed with its package manager: base images have none)
    distro: Optional[str]
    venv_active: bool = False
    marker_removed: bool = False
    distro_pip: bool = True  # the distribution's pip is installed too (`python3-pip`, `py3-pip`, ...)
    # another Python (built into /usr/local, copied there, conda or pyenv first on PATH) is the
    # one `pip` and `python3` name: only `/usr/bin/pip` and the like are the distribution's
    other_python_first: bool = False


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
    # index of the first command in the same text that removes the PEP 668 marker: pip
    # calls after it (in a later command of the chain) no longer meet PEP 668
    marker_removed_at: Optional[int] = None
    # `git clone`s of a default branch earlier in the same text (guard.pipcalls.clones)
    clones: tuple[Clone, ...] = ()

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
    # Once the project itself is installed from disk (`pip install .`, `dist/*.whl`), a later
    # `pip install name[extra]` of the project's own name adds extras to that install.
    own_names: Optional[frozenset[str]] = None
    for call in calls:
        args = _parse(call)
        environ = {**where.environ_at(call.command_index), **call.env}
        findings.extend(_system_findings(call, args, environ, where))
        findings.extend(_option_findings(call, args, environ))
        checked = False
        if args.subcommand in _INSTALLING and not args.help:
            tree_findings, checked = _pin_findings(call, args, environ, where, settings, reader, own_names or frozenset())
            findings.extend(tree_findings)
            if args.subcommand == "install":
                from_disk = _installed_from_disk(args)
                if from_disk is not None:
                    if own_names is None:
                        own_names = _project_names(where, reader)
                    own_names |= from_disk
        hash_checked[call.command_index] = checked
        if call.chained_after == "||" and hash_checked.get(call.command_index - 1) and not checked and args.subcommand == "install":
            findings.append(
                rule("CMD205").finding(
                    call.path,
                    call.line,
                    call.column,
                    "this fallback runs when the hash-checked install before `||` fails, and installs without hash checking",
                    fix="drop the `|| pip install ...` fallback and let the build fail",
                )
            )
    return findings


def marker_removal(command: Command) -> Optional[Word]:
    """The `.../EXTERNALLY-MANAGED` word when `command` removes the PEP 668 marker
    (`rm [-f] PATH`, `mv PATH ELSEWHERE`, behind `sudo`/`doas`), else None."""
    words = list(command.words)
    while words and words[0].text in ("sudo", "doas"):
        words.pop(0)
        while words and words[0].text.startswith("-"):
            words.pop(0)
    if not words:
        return None
    program = basename(words[0].text)
    if program == "rm":
        operands = words[1:]
    elif program == "mv":
        operands = words[1:-1]  # the last operand is where it goes: moving a file *to* the name restores it
    else:
        return None
    for word in operands:
        if not word.text.startswith("-") and word.text.rstrip("/").endswith("EXTERNALLY-MANAGED"):
            return word
    return None


def first_marker_removal(commands: Sequence[Command]) -> Optional[int]:
    """The index of the first command that removes the PEP 668 marker, or None."""
    for command in commands:
        if marker_removal(command) is not None:
            return command.index
    return None


def command_findings(commands: Sequence[Command], path: str) -> list[Finding]:
    """Findings about commands as the shell reads them: removing the PEP 668 marker, and
    requirements the shell cuts at an unquoted `>` or `<`."""
    findings: list[Finding] = []
    for command in commands:
        findings.extend(redirect_findings(command, path))
        word = marker_removal(command)
        if word is not None:
            findings.append(
                rule("CMD202").finding(
                    path,
                    word.line,
                    word.column,
                    "removing `EXTERNALLY-MANAGED` switches PEP 668 off for the whole system Python",
                    fix="install into a venv instead",
                )
            )
    return findings


def wholly_dynamic(call: PipCall, index: int, spec: str) -> bool:
    """Whether the argument `spec` (at `call.words[index]`) is all expansions (`"$@"`,
    `"$(grep ... x.txt)"`): what it installs is unknown, not an invalid requirement."""
    return index < len(call.words) and call.words[index].text == spec and call.words[index].dynamic


# `"$@"`, `$*`, `$1`: a wrapper script passing on what it was given; whoever calls it
# writes the requirements, so there is nothing here to pin or to warn about.
_POSITIONAL = re.compile(r'"?(?:\$[@*1-9]|\$\{[@*1-9]\})"?')
# `${PYTHON_PATH:+--python "$PYTHON_PATH"}`: an option when the variable is set, else nothing
_OPTION_EXPANSION = re.compile(r"\$\{\w+:?[+-]-")


# Variables that always hold a directory on the machine running the step: the action's own
# checkout, the workspace, the job's project directory, the shell's directory and home. What
# starts with one (`"$GITHUB_ACTION_PATH[extra]"`, `${{ github.workspace }}/dist/x.whl`) is a
# local path, the project's own install, not a requirement from an index.
_LOCAL_PATH_VARIABLE = re.compile(
    r"^(?:\$\{\{\s*(?:github|env)\.(?:action_path|workspace|GITHUB_ACTION_PATH|GITHUB_WORKSPACE)\s*\}\}"
    r"|\$\{?(?:GITHUB_ACTION_PATH|GITHUB_WORKSPACE|CI_PROJECT_DIR|CI_BUILDS_DIR|CIRCLE_WORKING_DIRECTORY"
    r"|READTHEDOCS_REPOSITORY_PATH|PWD|HOME)\}?)(?:[/\\][^\s$`]*)?$"
)


def local_path_variable(spec: str) -> bool:
    """Whether `spec` is a path under a directory variable (`$GITHUB_ACTION_PATH`, `$PWD/x`)."""
    return _LOCAL_PATH_VARIABLE.match(spec) is not None


def dynamic_word_finding(path: str, line: int, column: int, spec: str) -> Finding:
    """PIN107 as for any requirement that holds a variable (`pip install $PKG`)."""
    return rule("PIN107").finding(
        path, line, column, f"`{spec}` depends on a variable, so its pin cannot be checked", fix="write the version in the file"
    )


_SPEC_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9._,\s-]*\])?$")
# What follows `>`/`<` in a version specifier: `>=1`, `>1.0`, `<2`, `<=$V`
_VERSION_TARGET = re.compile(r"^=?[0-9$]|^=")
_SPEC_SUBCOMMANDS = ("install", "download", "wheel")


def redirect_findings(command: Command, path: str) -> list[Finding]:
    """CMD208: `pip install x>=1` unquoted is `pip install x` with its output in a file `=1`."""
    if not any(r.touches is not None and r.operator in (">", "<") for r in command.redirects):
        return []
    call = pip_call(command, path, "shell")
    if call is None:
        return []
    args = _parse(call)
    if args.subcommand not in _SPEC_SUBCOMMANDS:
        return []
    findings: list[Finding] = []
    for number, redirect in enumerate(command.redirects):
        if redirect.touches is None or redirect.operator not in (">", "<"):
            continue
        word = command.words[redirect.touches]
        if not any(argument is word for argument in call.words) or word.text not in args.requirements:
            continue
        if not _SPEC_NAME.match(word.text) or not _VERSION_TARGET.match(redirect.target):
            continue
        written = word.text + redirect.operator + redirect.target
        for following in command.redirects[number + 1 :]:
            if not following.continues:
                break
            written += following.operator + following.target
        effect = (
            f"a redirect into the file `{redirect.target}`"
            if redirect.operator == ">"
            else f"input from the file `{redirect.target}` (the command fails when there is none)"
        )
        findings.append(
            rule("CMD208").finding(
                path,
                word.line,
                word.column,
                f"`{written}` is not quoted: the shell reads `{redirect.operator}` as {effect}, and pip installs `{word.text}` with no version",
                fix=f'quote it: `"{written}"`',
            )
        )
    return findings


def environment_findings(path: str, name: str, value: str, line: int, column: int) -> list[Finding]:
    """Findings about one exported variable (`ENV`, `export`, CI `env:`/`variables:`)."""
    if name == "PIP_BREAK_SYSTEM_PACKAGES" and is_true(value):
        return [
            rule("CMD202").finding(
                path,
                line,
                column,
                f"`PIP_BREAK_SYSTEM_PACKAGES={value}` lets every later pip overwrite the system Python's packages",
                fix="install into a venv instead",
            )
        ]
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


def _assignment_word(call: PipCall, name: str) -> tuple[int, int]:
    """Where `NAME=value` is written in front of the program (the last one wins, as in the shell)."""
    found = (call.line, call.column)
    for word in call.assignments:
        if word.text.startswith(name + "="):
            found = (word.line, word.column)
    return found


def _system_findings(call: PipCall, args: PipArgs, environ: Mapping[str, str], where: Surroundings) -> list[Finding]:
    out: list[Finding] = []
    installs = args.changes_environment and call.tool in ("pip", "uv")
    if call.sudo and installs:
        out.append(
            rule("CMD201").finding(
                call.path,
                call.line,
                call.column,
                f"`{call.sudo_program} {call.program} {args.subcommand}` writes into the system Python as root",
                fix="install into a virtual environment instead",
            )
        )
    breaks = args.break_system_packages or any(word.text == "--break-system-packages" for word in call.words)
    if breaks and args.subcommand in ("install", "uninstall"):
        line, column = _flag_word(call, ("--brea",))
        out.append(
            rule("CMD202").finding(
                call.path,
                line,
                column,
                "`--break-system-packages` lets pip overwrite packages the system Python's owner installed",
                fix="install into a venv instead",
            )
        )
    elif installs and is_true(call.env.get("PIP_BREAK_SYSTEM_PACKAGES")):
        line, column = _assignment_word(call, "PIP_BREAK_SYSTEM_PACKAGES")
        out.append(
            rule("CMD202").finding(
                call.path,
                line,
                column,
                "`PIP_BREAK_SYSTEM_PACKAGES` lets pip overwrite packages the system Python's owner installed",
                fix="install into a venv instead",
            )
        )
    if (
        args.subcommand == "config"
        and len(args.requirements) >= 3
        and args.requirements[0] == "set"
        and args.requirements[1].endswith("break-system-packages")
        and is_true(args.requirements[2])
    ):
        out.append(
            rule("CMD202").finding(
                call.path,
                call.line,
                call.column,
                "`pip config set ...break-system-packages true` switches PEP 668 off for every later pip",
                fix="install into a venv instead",
            )
        )
    user = args.user or (is_true(environ.get("PIP_USER")) and "--no-user" not in call.argv)
    if where.kind == "dockerfile" and user and args.subcommand == "install" and call.tool == "pip":
        line, column = _flag_word(call, ("--user",)) if args.user else _assignment_word(call, "PIP_USER")
        out.append(
            rule("CMD203").finding(
                call.path,
                line,
                column,
                "`pip install --user` in an image installs into one user's home directory",
                fix="create a venv in the image and install there",
            )
        )
    if _meets_pep668(call, args, environ, where, breaks):
        image = where.image
        assert image is not None
        also = " (`--user` does not get around it: pip applies PEP 668 to user installs too)" if user and call.tool == "pip" else ""
        out.append(
            rule("CMD204").finding(
                call.path,
                call.line,
                call.column,
                f"`{call.program} install` into the {image.distro} Python of `{image.base}`, which no venv replaced: pip refuses it (PEP 668){also}",
                fix="RUN python3 -m venv /opt/venv, then ENV PATH=/opt/venv/bin:$PATH",
            )
        )
    return out


def _meets_pep668(call: PipCall, args: PipArgs, environ: Mapping[str, str], where: Surroundings, breaks: bool) -> bool:
    """Whether pip would refuse this install under PEP 668 in the image.

    Mirrors pip's `InstallCommand.run` (pip >= 23.0): the check is skipped for `--root`,
    `--target`, `--prefix` and for `--dry-run` together with `--report` (a plain `--dry-run`
    is still refused), and overridden by `--break-system-packages` or
    `PIP_BREAK_SYSTEM_PACKAGES` (which `--isolated` ignores). `--user` does not skip it."""
    image = where.image
    if image is None or not image.distro or image.venv_active or image.marker_removed:
        return False
    if where.marker_removed_at is not None and where.marker_removed_at < call.command_index:
        return False
    if args.subcommand != "install" or not args.changes_environment:
        return False
    if args.target or args.prefix or args.root or (args.dry_run and args.report):
        return False
    if breaks or (not args.isolated and is_true(environ.get("PIP_BREAK_SYSTEM_PACKAGES"))):
        return False
    if environ.get("VIRTUAL_ENV"):
        return False
    if image.other_python_first and not call.program_path.startswith(_DISTRO_BIN_DIRS):
        return False
    if call.tool == "pip":
        return image.distro_pip and not _venv_program(call.program_path)
    return uv_system(call) and not _venv_program(call.program_path)


def _venv_program(program_path: str) -> bool:
    """`/opt/venv/bin/pip`, `.venv/bin/python`: a program inside some environment directory."""
    if "/" not in program_path or program_path.startswith("$"):
        return False
    return "/bin/" in program_path and not program_path.startswith(_SYSTEM_BIN_DIRS)


def _option_findings(call: PipCall, args: PipArgs, environ: Mapping[str, str]) -> list[Finding]:
    out = _stop_findings(call, args)
    if any("--hash" in error for error in args.errors):
        line, column = _flag_word(call, ("--hash",))
        out.append(
            rule("CMD206").finding(
                call.path,
                line,
                column,
                "`--hash` is not a pip command-line option: pip stops with `no such option`",
                fix="move the requirement and its `--hash` into a requirements file",
            )
        )
    for word in call.words:
        if word.text in ("--no-require-hashes", "--no-verify-hashes"):
            out.append(rule("CMD205").finding(call.path, word.line, word.column, f"`{word.text}` switches hash checking off"))
    value = call.env.get("PIP_REQUIRE_HASHES")
    if value is not None and strtobool(value) is False:
        line, column = _assignment_word(call, "PIP_REQUIRE_HASHES")
        out.append(rule("CMD205").finding(call.path, line, column, f"`PIP_REQUIRE_HASHES={value}` switches hash checking off"))
    return out


def _stop_findings(call: PipCall, args: PipArgs) -> list[Finding]:
    """The option error pip stops at (once a call; the parse read nothing after it).

    Only for pip itself: `uv pip` and `pipx` have options of their own that the shell
    scanner may not know, so an unknown word there is not pip's error. `--hash` has its own
    rule, and a word holding a variable may expand to anything."""
    if call.tool != "pip" or args.error_at is None or not args.errors:
        return []
    error = args.errors[0]
    if "--hash" in error or error.startswith("unknown command") or args.error_at >= len(call.words):
        return []
    word = call.words[args.error_at]
    if "$" in word.text or "$" in call.program_path:
        # `${PIP_CALL} --upgrade x`: a variable that names pip may hold the subcommand and
        # options too (`python -m pip install --user`); what follows is not pip's error
        return []
    return [
        rule("GRD102").finding(
            call.path,
            word.line,
            word.column,
            f"`{call.program}` stops here ({error}), so the rest of this call is not checked",
            fix=_stop_fix(error),
        )
    ]


def _stop_fix(error: str) -> str:
    if error.startswith("ambiguous"):
        return "write the option's whole name"
    if error.startswith("no such"):
        return "use an option pip has (guard knows those of pip 23.0 to 26.3)"
    if error.endswith("requires an argument"):
        return "give the option its value"
    return "drop the `=value`: the option is a flag"


def _pin_findings(
    call: PipCall,
    args: PipArgs,
    environ: Mapping[str, str],
    where: Surroundings,
    settings: Settings,
    reader: RequirementReader,
    installed_projects: frozenset[str] = frozenset(),
) -> tuple[list[Finding], bool]:
    tree = Tree()
    used: set[int] = set()
    # `pip lock` resolves its requirements and writes what it found, pinned and hashed, into
    # pylock.toml: what it is given is a lock's input, judged as requirements.in files are.
    locking = args.subcommand == "lock"
    named_kind = "requirements-in" if locking else where.kind
    _follow_files(call, args, where, tree, reader, used, "requirements-in" if locking else None)
    group_files = _group_deps(call, args, where, tree, named_kind, reader, used)
    after = 0
    first_party: list[Dep] = []
    named: list[Dep] = []
    for spec in args.requirements:
        line, column, index = word_position(call, spec, after)
        after = index + 1
        if local_path_variable(spec.split("[", 1)[0]):
            first_party.append(Dep(call.path, line, column, spec, named_kind))
            continue
        if wholly_dynamic(call, index, spec):
            if not (_POSITIONAL.fullmatch(spec) or _OPTION_EXPANSION.match(spec)):
                tree.findings.append(dynamic_word_finding(call.path, line, column, spec))
            continue
        dep = Dep(call.path, line, column, spec, named_kind)
        info = analyse(spec)
        if installed_projects and info.name in installed_projects and info.level == PinLevel.ANY and "[" in spec:
            first_party.append(dep)  # the project installed above, with extras: no release of it is fetched
            continue
        tree.deps.append(dep)
        named.append(dep)
        if info.first_party:
            first_party.append(dep)
            tree.findings.extend(_clone_findings(call, where, spec, line, column))
    for spec in args.editables:
        line, column, _index = _value_position(call, spec, used)
        if local_path_variable(spec.split("[", 1)[0]):
            first_party.append(Dep(call.path, line, column, spec, named_kind, editable=True))
            continue
        tree.findings.extend(_clone_findings(call, where, spec, line, column))
        dep = Dep(call.path, line, column, spec, named_kind, editable=True)
        tree.deps.append(dep)
        if analyse(spec, (), True).first_party:
            first_party.append(dep)
    if args.require_hashes or is_true(environ.get("PIP_REQUIRE_HASHES")):
        tree.require_hashes = True
    findings = install_findings(tree, settings, reader)
    if _local_artifacts_only(args):
        findings = _without_version_findings(findings, named)
    if group_files:
        findings = [_naming_install(finding, call, args.subcommand or "install", group_files) for finding in findings]
    hash_mode = tree.require_hashes or any(
        analyse(dep.text, dep.hashes, dep.editable).has_strong_hash for dep in tree.deps if not dep.constraint
    )
    if first_party and not locking and not args.no_deps and not args.constraint_files and not hash_mode:
        for dep in first_party:
            findings.append(
                rule("CMD207").finding(
                    dep.path,
                    dep.line,
                    dep.column,
                    f"`{dep.text}` resolves the project's dependencies fresh: no `--no-deps`, constraints or lock",
                    fix="install locked dependencies first, then the project with `--no-deps`",
                )
            )
    return findings, hash_mode


def _clone_findings(call: PipCall, where: Surroundings, spec: str, line: int, column: int) -> list[Finding]:
    clone = cloned_before(where.clones, spec, call.command_index) if where.clones else None
    if clone is None:
        return []
    return [
        rule("PIN102").finding(
            call.path,
            line,
            column,
            f"`{spec}` is the `git clone` of `{without_credentials(clone.url)}` (line {clone.line}) with no ref: "
            "it installs whatever the default branch holds that day",
            fix="clone a tag or commit (`git clone --branch TAG`, or `git checkout SHA` after it), or install `name @ git+URL@SHA`",
        )
    ]


def _installed_from_disk(args: PipArgs) -> Optional[frozenset[str]]:
    """The names of what the install takes from disk (`.`, `./dir`, `dist/*.whl`, `-e .`) as
    far as their file names tell; None when it takes nothing from disk."""
    infos = [analyse(spec) for spec in args.requirements] + [analyse(spec, (), True) for spec in args.editables]
    local = [info for info in infos if info.first_party or info.local_file]
    if not local:
        return None
    return frozenset(info.name for info in local if info.name)


def _project_names(where: Surroundings, reader: RequirementReader) -> frozenset[str]:
    """The names the pyproject.toml beside the file gives its project (none when unreadable)."""
    from guard.manifests.pyproject import own_names
    from guard.text.decode import UnreadableFile, read_text
    from guard.text.tomlcompat import loads

    path = os.path.join(where.directory, "pyproject.toml")
    if not os.path.isfile(path) or reader.refusal(path) is not None:
        return frozenset()
    try:
        data = loads(read_text(path))
    except (UnreadableFile, ValueError):
        return frozenset()
    return frozenset(own_names(data))


def _follow_files(
    call: PipCall, args: PipArgs, where: Surroundings, tree: Tree, reader: RequirementReader, used: set[int], kind: Optional[str]
) -> None:
    """Read the `-r` files (as `kind`, else by their names) and `-c` files into `tree`."""
    for option, values, file_kind in (("-r", args.requirement_files, kind), ("-c", args.constraint_files, "constraints")):
        for value in values:
            line, column, _index = _option_position(call, value, used)
            target = _resolve(value, where, (line, column), tree, option)
            if target is None:
                continue
            child = reader.tree(target, file_kind)
            tree.deps.extend(child.deps)
            tree.findings.extend(child.findings)
            tree.files.extend(child.files)
            tree.require_hashes = tree.require_hashes or child.require_hashes


# --- local artifacts: `--no-index` with `--find-links` to directories on disk ------------------

_VERSION_CODES = ("PIN101", "PIN104", "PIN109")


def _local_artifacts_only(args: PipArgs) -> bool:
    """`--no-index` and every `--find-links` a local directory: pip can only install the
    files that are there (a job's own build output), so a named package needs no version."""
    links = args.values("--find-links")
    return args.flag("--no-index") and bool(links) and all(_is_local_place(link) for link in links)


def _is_local_place(link: str) -> bool:
    if "$" in link or "{{" in link:
        return False  # a variable may name a remote index page
    return link.startswith("file:") or "://" not in link


def _without_version_findings(findings: list[Finding], named: Sequence[Dep]) -> list[Finding]:
    places = {(dep.path, dep.line, dep.column) for dep in named}
    return [f for f in findings if not (f.code in _VERSION_CODES and (f.path, f.line, f.column) in places)]


# --- `--group [path:]name`: a PEP 735 dependency group of a pyproject.toml ----------------------


def _group_deps(
    call: PipCall, args: PipArgs, where: Surroundings, tree: Tree, kind: str, reader: RequirementReader, used: set[int]
) -> dict[str, str]:
    """Add each `--group`'s requirements to `tree` (at their places in the pyproject.toml);
    returns {shown pyproject path: the `--group` value} for the messages."""
    files: dict[str, str] = {}
    for value in args.values("--group"):
        line, column, _index = _option_position(call, value, used)
        path, sep, name = value.rpartition(":")
        path = path if sep else "pyproject.toml"
        if "$" in value or os.path.basename(path) != "pyproject.toml":
            continue  # a variable, or a pylock.toml (a lock: every entry pinned)
        target = _resolve(path, where, (line, column), tree, "--group", written=f"--group {value}")
        if target is None:
            continue
        shown = _read_group(target, name, kind, tree, reader, (where.path, line, column), value, where.cwd)
        if shown is not None:
            # several groups from one file (`--group a --group b`): the install names them all
            files[shown] = f"{files[shown]} --group {value}" if shown in files else value
    return files


def _read_group(
    target: str, name: str, kind: str, tree: Tree, reader: RequirementReader, site: tuple[str, int, int], value: str, cwd: str
) -> Optional[str]:
    """The group's requirements into `tree`; the shown path, or None (with a finding) when
    the group cannot be read. A malformed table is reported by the file's own check."""
    from guard.check.context import PathDisplay
    from guard.text.decode import UnreadableFile, read_text
    from guard.text.tomlcompat import TOMLDecodeError, loads
    from guard.text.tomlpos import TomlPositions, decode_error_message

    shown = PathDisplay(cwd)(target)
    try:
        text = read_text(target)
        data = loads(text)
    except UnreadableFile as error:
        tree.findings.append(rule("GRD101").finding(*site, f"`--group {value}` reads `{shown}`, which guard cannot read: {error}"))
        return None
    except TOMLDecodeError as error:
        message = f"`--group {value}` reads `{shown}`, which is not valid TOML: {decode_error_message(error)}"
        tree.findings.append(rule("GRD102").finding(*site, message))
        return None
    groups = data.get("dependency-groups")
    wanted = group_key(groups, name) if isinstance(groups, dict) else None
    if wanted is None:
        where = "has no `[dependency-groups]` table" if not isinstance(groups, dict) else f"has no group `{name}` in `[dependency-groups]`"
        tree.findings.append(
            rule("GRD103").finding(
                *site, f"`--group {value}`: `{shown}` {where}", fix="name a group that `[dependency-groups]` of that file defines"
            )
        )
        return None
    assert isinstance(groups, dict)
    positions = TomlPositions(text)
    reader.texts.setdefault(shown, text)
    for key, index, requirement in group_requirements(groups, wanted):
        line, column = positions.locate("dependency-groups", key, index)
        tree.deps.append(Dep(shown, line, column, requirement.strip(), kind))
    return shown


def _naming_install(finding: Finding, call: PipCall, subcommand: str, group_files: Mapping[str, str]) -> Finding:
    """A group's requirement is reported in the pyproject.toml: say which install reads it."""
    value = group_files.get(finding.path)
    if value is None:
        return finding
    install = f"`{call.program} {subcommand} --group {value}` in {call.path}:{call.line}"
    return finding.replace(message=f"{finding.message} (read by {install})")


def _value_position(call: PipCall, value: str, used: set[int]) -> tuple[int, int, int]:
    for index, word in enumerate(call.words):
        if index in used:
            continue
        if word.text == value or (word.text.endswith(value) and word.text.startswith("-")):
            used.add(index)
            return word.line, word.column, index
    return call.line, call.column, 0


def _option_position(call: PipCall, value: str, used: set[int]) -> tuple[int, int, int]:
    """Where the option naming `value` starts: the `-r` of `-r FILE`, or the one word
    `-rFILE` / `--requirement=FILE`."""
    line, column, index = _value_position(call, value, used)
    word = call.words[index] if index < len(call.words) else None
    if word is not None and word.text == value and index > 0 and call.words[index - 1].text.startswith("-"):
        previous = call.words[index - 1]
        return previous.line, previous.column, index
    return line, column, index


def _resolve(
    value: str, where: Surroundings, position: tuple[int, int], tree: Tree, option: str, written: Optional[str] = None
) -> Optional[str]:
    """The file on disk that `-r value` names, or None (with GRD103 when it should exist).
    `written` is how the call names the file in the message (`--group dev`), if not `option value`."""
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
        tree.findings.append(
            rule("GRD103").finding(
                where.path,
                position[0],
                position[1],
                f"`{written or option + ' ' + value}` names a file that does not exist (looked for {places})",
                fix="point it at an existing file",
            )
        )
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


def assigned_names(commands: Sequence[Command]) -> set[str]:
    """Names a shell text assigns: `NAME=x` (alone or after export/declare/local/readonly),
    `read [-r] NAME...`, `for NAME in`."""
    import re

    names: set[str] = set()
    for command in commands:
        texts = [word.text for word in command.words]
        if not texts:
            continue
        matches = [re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\+?=", text) for text in texts]
        if texts[0] in ("export", "declare", "typeset", "local", "readonly"):
            names.update(match.group(1) for match in matches[1:] if match)
        elif texts[0] == "read":
            names.update(text for text in texts[1:] if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", text))
        elif texts[0] == "for" and len(texts) > 1:
            names.add(texts[1])
        elif all(matches):
            # only a command of assignments alone sets shell variables: in `V=1 cmd` the
            # value lives in `cmd`'s environment, and `$V` in its words is the outer one
            names.update(match.group(1) for match in matches if match)
    return names


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
    expressions: Optional[Mapping[str, str]] = None,
    shadowable: bool = False,
    powershell: bool = False,
) -> tuple[list[Finding], list[Command]]:
    """Scan shell `text` (located by `segments` in `path`) and check every pip call in it.

    `variables` are literal values the shell sees as `$NAME`; with `shadowable` (CI `env:`,
    `variables:`), a name the text assigns itself (`NAME=...`, `export NAME=...`, `read
    NAME`, `for NAME in`) is not substituted anywhere in it: guard does not follow shell
    assignments, so such a `$NAME` stays a variable (PIN107). With `powershell` the text is
    read as PowerShell (a Windows CI step), where `variables` stand for `$env:NAME`."""
    from guard.pipcalls.invocation import find_pip_calls, scan

    if shadowable and variables and not powershell:  # PowerShell's reader shadows `$env:` names itself
        assigned = assigned_names(scan(text, segments).commands)
        variables = {name: value for name, value in variables.items() if name not in assigned}
    scanner: Optional[Scanner] = None
    if powershell:
        from guard.pipcalls.powershell import scan_powershell

        scanner = scan_powershell
    calls, errors, commands = find_pip_calls(text, path, kind, segments, variables, expressions, scanner)
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
        marker_removed_at=first_marker_removal(commands),
        clones=tuple(fresh_clones(commands)),
    )
    findings.extend(check_calls(calls, where, context.settings, requirement_reader(context)))
    return findings, commands


def requirement_reader(context: "RunContext") -> RequirementReader:
    from guard.check.context import PathDisplay

    reader = run_reader(context, PathDisplay(context.cwd))
    return reader


def finish(context: "RunContext") -> None:
    """Hand the texts of the requirement files read on the way to the suppression pass."""
    reader = requirement_reader(context)
    context.texts.update(reader.texts)
    context.line_alias.update(reader.line_alias)
