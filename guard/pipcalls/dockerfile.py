"""The `dockerfile` file kind: pip in `RUN` (shell and exec form, heredocs, `ONBUILD`).

Follows the build the way BuildKit reads it: `\\` (or `# escape=` ) continuations with
comment lines dropped, multi-stage `FROM ... AS name` (a stage built on another inherits its
facts), `ARG`/`ENV` values substituted where they are literal, `WORKDIR`, and `COPY`/`ADD`
from the build context, so that `-r /app/requirements.txt` is read from the file that was
copied there. The build context is taken to be the Dockerfile's directory, then the
directory guard runs in. Each stage knows whether its base image is a distribution whose
packaged Python carries the PEP 668 marker, whether it installed that Python (and its pip)
with the package manager, whether another Python comes first on `PATH` (built into
`/usr/local`, copied there, conda), and whether a venv was created and put on `PATH`.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Optional

from guard.finding import Finding
from guard.pipcalls.check import ImageState, check_shell_text, environment_findings, finish, first_marker_removal
from guard.pipcalls.imagefacts import DISTRO_PIP, builds_python, copies_python, installed_python, python_first_on_path
from guard.pipcalls.invocation import Command, Word, basename, is_venv_creation, pip_call, resolve_dir, scan
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.check.context import RunContext

_INSTRUCTION = re.compile(r"^(\s*)([A-Za-z]+)(?=\s|$)")
_KNOWN = {
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
}
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_SHELLS = {"sh", "bash", "dash", "ash", "zsh", "ksh"}


@dataclass
class Instruction:
    keyword: str
    text: str  # the arguments, physical lines joined with "\n" (continuations kept)
    line: int
    segments: list[tuple[int, int, int]]
    heredocs: list[tuple[str, str, int]] = field(default_factory=list)  # (delimiter, body, first line)


@dataclass
class Stage:
    base: str
    distro: Optional[str]
    variables: dict[str, str] = field(default_factory=dict)  # literal ARG/ENV values
    env: dict[str, str] = field(default_factory=dict)  # ENV as written (may hold `$PATH`)
    venvs: set[str] = field(default_factory=set)
    workdir: str = "/"
    copies: list[tuple[str, str]] = field(default_factory=list)  # (destination, source)
    directories: set[str] = field(default_factory=set)  # known to exist: WORKDIRs, directory copies
    marker_removed: bool = False
    distro_python: Optional[str] = None  # DISTRO_PIP / DISTRO_PYTHON once a package manager installed them
    other_python_first: bool = False  # a Python built or copied into /usr/local, conda, pyenv, ...

    def image(self, activated: bool = False) -> ImageState:
        """What the pip rules need to know about this stage: the distribution's Python counts
        only once the stage installed it (no distribution base image ships one)."""
        return ImageState(
            self.base,
            self.distro if self.distro_python else None,
            self.venv_active() or activated,
            self.marker_removed,
            distro_pip=self.distro_python == DISTRO_PIP,
            other_python_first=self.other_python_first,
        )

    def venv_active(self) -> bool:
        if self.env.get("VIRTUAL_ENV"):
            return True
        path = self.env.get("PATH", "")
        return any(f"{venv.rstrip('/')}/bin" in path for venv in self.venvs)

    def copy(self) -> Stage:
        return replace(
            self,
            variables=dict(self.variables),
            env=dict(self.env),
            venvs=set(self.venvs),
            copies=list(self.copies),
            directories=set(self.directories),
        )


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is None:
            continue
        full, shown, text = read
        context.findings.extend(check_dockerfile(text, shown, os.path.dirname(full), context))
    finish(context)


def parse_instructions(text: str) -> tuple[list[Instruction], list[tuple[int, int, str]]]:
    """Instructions and parse errors (line, column, message)."""
    lines = text.replace("\r\n", "\n").split("\n")
    escape = "\\"
    for raw in lines[:5]:
        directive = re.match(r"^#\s*escape\s*=\s*([\\`])\s*$", raw)
        if directive:
            escape = directive.group(1)
            break
        if not raw.startswith("#"):
            break
    instructions: list[Instruction] = []
    errors: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        match = _INSTRUCTION.match(raw)
        if not match or match.group(2).upper() not in _KNOWN:
            word = stripped.split()[0]
            errors.append((i + 1, len(raw) - len(raw.lstrip()) + 1, f"`{word}` is not a Dockerfile instruction"))
            i = _skip_continued(lines, i, escape)
            continue
        keyword = match.group(2).upper()
        start_column = match.end() + 1
        first = raw[match.end() :]
        offset = len(first) - len(first.lstrip())
        pieces = [first.lstrip()]
        segments = [(0, i + 1, start_column + offset)]
        length = len(pieces[0])
        number = i
        while pieces[-1].rstrip().endswith(escape) and number + 1 < len(lines):
            number += 1
            nxt = lines[number]
            if nxt.strip().startswith("#") or not nxt.strip():
                continue
            if escape == "`":
                pieces[-1] = pieces[-1].rstrip()[:-1] + "\\"
            length += 1
            segments.append((length, number + 1, 1))
            pieces.append(nxt)
            length += len(nxt)
        if escape == "`" and pieces[-1].rstrip().endswith("`"):
            pieces[-1] = pieces[-1].rstrip()[:-1]
        instruction = Instruction(keyword, "\n".join(pieces), i + 1, segments)
        i = number + 1
        if keyword in ("RUN", "ONBUILD", "COPY", "ADD"):
            markers = _HEREDOC.findall(pieces[0])
            for strip_tabs, _quote, delimiter in markers:
                body: list[str] = []
                body_start = i + 1
                while i < len(lines):
                    candidate = lines[i].lstrip("\t") if strip_tabs else lines[i]
                    i += 1
                    if candidate == delimiter:
                        break
                    body.append(lines[i - 1])
                else:
                    errors.append((instruction.line, 1, f"here-document `<<{delimiter}` is never closed"))
                instruction.heredocs.append((delimiter, "\n".join(body), body_start))
        instructions.append(instruction)
    return instructions, errors


def _skip_continued(lines: list[str], i: int, escape: str) -> int:
    while lines[i].rstrip().endswith(escape) and i + 1 < len(lines):
        i += 1
    return i + 1


def check_dockerfile(text: str, path: str, directory: str, context: RunContext) -> list[Finding]:
    instructions, errors = parse_instructions(text)
    ignored, global_ignored = hadolint_ignores(text)
    findings = [rule("GRD102").finding(path, line, column, message) for line, column, message in errors]
    global_args: dict[str, str] = {}
    stages: dict[str, Stage] = {}
    stage: Optional[Stage] = None
    for instruction in instructions:
        keyword = instruction.keyword
        if keyword == "ONBUILD":
            inner = re.match(r"^([A-Za-z]+)\s*", instruction.text)
            if not inner:
                continue
            skipped = inner.end()
            instruction = Instruction(
                inner.group(1).upper(),
                instruction.text[skipped:],
                instruction.line,
                _shift(instruction.segments, skipped),
                instruction.heredocs,
            )
            keyword = instruction.keyword
        if keyword == "FROM":
            stage = _from(instruction, global_args, stages, path, findings)
            continue
        if keyword == "ARG":
            for name, value in _assignments(instruction, stage.variables if stage else global_args, arg=True):
                target = stage.variables if stage else global_args
                if value is None:
                    if stage is not None and name in global_args:
                        target[name] = global_args[name]
                elif "$" not in value:
                    target[name] = value
                else:
                    target.pop(name, None)
            continue
        if stage is None:
            findings.append(rule("GRD102").finding(path, instruction.line, 1, f"`{keyword}` before the first `FROM`"))
            stage = Stage(base="", distro=None)
        if keyword == "ENV":
            for name, value in _assignments(instruction, stage.variables, arg=False):
                value = value or ""
                stage.env[name] = value
                if name == "PATH" and python_first_on_path(value):
                    stage.other_python_first = True
                if "$" in value:
                    stage.variables.pop(name, None)
                else:
                    stage.variables[name] = value
                if name.startswith("PIP_"):
                    line, column = _assignment_position(instruction, name)
                    findings.extend(environment_findings(path, name, value, line, column))
        elif keyword == "WORKDIR":
            words = scan(instruction.text, instruction.segments, stage.variables).commands
            if words and words[0].words:
                stage.workdir = resolve_dir(words[0].words[0].text, stage.workdir)
                stage.directories.update(_with_parents(stage.workdir))
        elif keyword in ("COPY", "ADD"):
            _record_copy(instruction, stage, directory, context.cwd)
        elif keyword == "RUN":
            found = _run(instruction, stage, path, directory, context)
            if _PIN_PRAGMA in ignored.get(instruction.line, global_ignored):
                found = [finding for finding in found if not (finding.path == path and finding.code in _PIN_CODES)]
            findings.extend(found)
    return findings


# hadolint's pragmas, as hadolint 2.15 reads them: `# hadolint ignore=DL3013,DL3042` on the
# line right above an instruction (no blank or other comment line between), `# hadolint
# global ignore=DL3013` anywhere for the whole file; codes are case-sensitive, a trailing
# `# comment` is allowed, other trailing text makes it no pragma.
_HADOLINT_PRAGMA = re.compile(
    r"^[ \t]*#[ \t]*hadolint[ \t]+(global[ \t]+)?ignore[ \t]*=[ \t]*([DLSC0-9]+(?:[ \t]*,[ \t]*[DLSC0-9]+)*)[ \t]*(?:#.*)?$"
)
# DL3013 "Pin versions in pip" stands for guard's findings about the pins of that `RUN`'s
# installs; errors that make pip fail (PIN105, PIN106, PIN108) are not hadolint's to hide.
_PIN_PRAGMA = "DL3013"
_PIN_CODES = {"PIN101", "PIN102", "PIN103", "PIN104", "PIN107", "PIN109", "CMD101"}


def hadolint_ignores(text: str) -> tuple[dict[int, set[str]], set[str]]:
    """(codes ignored per instruction line, codes ignored in the whole file) by hadolint pragmas.

    The per-line sets include the global codes, so `ignored.get(line, global_codes)` is what
    applies to the instruction on `line`."""
    per_line: dict[int, set[str]] = {}
    global_codes: set[str] = set()
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        match = _HADOLINT_PRAGMA.match(line) if "hadolint" in line else None
        if match is None:
            continue
        codes = {code.strip() for code in match.group(2).split(",")}
        if match.group(1):
            global_codes |= codes
        else:
            per_line[number + 1] = codes
    return {line: codes | global_codes for line, codes in per_line.items()}, global_codes


def _from(instruction: Instruction, global_args: dict[str, str], stages: dict[str, Stage], path: str, findings: list[Finding]) -> Stage:
    commands = scan(instruction.text, instruction.segments, global_args).commands
    words = [word.text for word in commands[0].words] if commands else []
    words = [word for word in words if not word.startswith("--")]
    if not words:
        findings.append(rule("GRD102").finding(path, instruction.line, 1, "`FROM` names no image"))
        return Stage(base="", distro=None)
    image = words[0]
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    parent = stages.get(image.lower())
    stage = parent.copy() if parent is not None else Stage(base=image, distro=None if "$" in image else distro_of(image))
    stage.variables = {key: value for key, value in stage.env.items() if "$" not in value}
    if name:
        stages[name.lower()] = stage
    return stage


_DEBIAN_OLD = {"buster", "bullseye", "stretch", "jessie", "oldstable", "oldoldstable", "10", "11", "9"}
_UBUNTU_OLD = {"bionic", "focal", "jammy", "kinetic", "xenial", "trusty"}


def distro_of(image: str) -> Optional[str]:
    """ "debian 12", "ubuntu 24.04", ... when `image` is a distribution image whose Python
    has the PEP 668 marker; None for `python:*` and every image guard cannot place."""
    reference = image.split("@", 1)[0]
    parts = reference.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if parts and parts[0] == "library":
        parts = parts[1:]
    last = "/".join(parts)
    repository, _, tag = last.partition(":")
    tag = tag.lower()
    version = tag.split("-", 1)[0]
    if repository == "debian":
        if version in _DEBIAN_OLD:
            return None
        return f"debian {version or 'latest'}"
    if repository == "ubuntu":
        if version in _UBUNTU_OLD:
            return None
        numeric = re.match(r"^(\d+)\.(\d+)$", version)
        if numeric and (int(numeric.group(1)), int(numeric.group(2))) < (23, 4):
            return None
        return f"ubuntu {version or 'latest'}"
    if repository == "alpine":
        numeric = re.match(r"^(\d+)\.(\d+)", version)
        if numeric and (int(numeric.group(1)), int(numeric.group(2))) < (3, 19):
            return None
        return f"alpine {version or 'latest'}"
    if repository in ("archlinux", "archlinux/archlinux"):
        return "arch linux"
    if repository == "opensuse/tumbleweed":
        return "opensuse tumbleweed"
    return None


def _assignments(instruction: Instruction, variables: dict[str, str], arg: bool) -> list[tuple[str, Optional[str]]]:
    commands = scan(instruction.text, instruction.segments, variables).commands
    words = [word.text for command in commands for word in command.words]
    if not words:
        return []
    if not arg and "=" not in words[0]:
        # legacy `ENV NAME value with spaces`
        return [(words[0], " ".join(words[1:]))]
    out: list[tuple[str, Optional[str]]] = []
    for word in words:
        name, equals, value = word.partition("=")
        out.append((name, value if equals else None))
    return out


def _assignment_position(instruction: Instruction, name: str) -> tuple[int, int]:
    for command in scan(instruction.text, instruction.segments).commands:
        for word in command.words:
            if word.text.startswith(name):
                return word.line, word.column
    return instruction.line, 1


def _record_copy(instruction: Instruction, stage: Stage, directory: str, cwd: str) -> None:
    """Remember where `COPY`/`ADD` put build-context files in the image.

    As Docker does it: a directory source (`.` included) has its contents copied into the
    destination, with or without a trailing `/`; a file source goes into the destination when
    that ends in `/`, there are several sources or a wildcard, or the destination is a
    directory the image already has (a `WORKDIR`, an earlier directory copy), and otherwise
    becomes the destination itself (`COPY requirements.txt /deps` makes the file `/deps`).
    `--from` copies come from another image or stage, not from the build context."""
    text = instruction.text
    flags = re.match(r"^(?:--\S+\s+)*", text)
    words_text = text[flags.end() :] if flags else text
    commands = scan(text, instruction.segments, stage.variables).commands
    words = [word.text for command in commands for word in command.words]
    from_image = next((word.partition("=")[2] for word in words if word.startswith("--from=")), None)
    words = [word for word in words if not word.startswith("--")]
    if words_text.lstrip().startswith("["):
        try:
            loaded = json.loads(re.sub(r"\\\n", "", words_text))
            words = [str(item) for item in loaded] if isinstance(loaded, list) else words
        except ValueError:
            pass
    if len(words) < 2:
        return
    written, sources = words[-1], [source for source in words[:-1] if "://" not in source and not source.startswith("<<")]
    destination = resolve_dir(written, stage.workdir)
    if copies_python(destination, sources, from_image):
        stage.other_python_first = True
    if from_image is not None:
        return
    into = (
        written.endswith("/")
        or written in (".", "./")
        or len(words) > 2
        or any(_is_context_directory(source, directory, cwd) or _has_wildcard(source) for source in sources)
        or destination in stage.directories
        or destination in _BASE_DIRECTORIES
    )
    if into:
        stage.directories.add(destination)
    for source in sources:
        stage.copies.append((destination.rstrip("/") + "/" if into else destination, source))


# directories every Linux base image has: `COPY requirements.txt /tmp` lands in `/tmp/`
_BASE_DIRECTORIES = {
    "/",
    "/tmp",
    "/opt",
    "/srv",
    "/home",
    "/root",
    "/etc",
    "/var",
    "/var/tmp",
    "/usr",
    "/usr/local",
    "/usr/src",
    "/usr/local/src",
}


def _with_parents(path: str) -> list[str]:
    """`/app/src` and the directories `WORKDIR /app/src` creates on the way (`/app`, `/`)."""
    found = [path]
    while os.path.dirname(found[-1]) != found[-1]:
        found.append(os.path.dirname(found[-1]))
    return found


def _is_context_directory(source: str, directory: str, cwd: str) -> bool:
    if source.rstrip("/") in ("", ".") or source.endswith("/"):
        return True
    return os.path.isdir(os.path.join(directory, source)) or os.path.isdir(os.path.join(cwd, source))


def _has_wildcard(source: str) -> bool:
    return any(character in source for character in "*?[")


def _resolver(stage: Stage, directory: str, cwd: str) -> Callable[[str], tuple[list[str], bool]]:
    copies = list(stage.copies)
    workdir = stage.workdir

    def resolve(value: str) -> tuple[list[str], bool]:
        inside = resolve_dir(value, workdir)
        for destination, source in reversed(copies):
            relative: Optional[str] = None
            if destination.endswith("/"):
                base = destination.rstrip("/") or "/"
                if inside.startswith(base.rstrip("/") + "/"):
                    rest = inside[len(base.rstrip("/")) + 1 :]
                    if source in (".", "./") or os.path.isdir(os.path.join(directory, source)) or os.path.isdir(os.path.join(cwd, source)):
                        relative = os.path.join(source, rest)
                    elif basename(source) == rest:
                        relative = source
                    elif _has_wildcard(source) and "/" not in rest and fnmatch.fnmatchcase(rest, basename(source)):
                        # `COPY requirements*.txt /app/`: the file is copied if the context has it
                        candidate = os.path.join(os.path.dirname(source), rest)
                        if any(os.path.isfile(os.path.join(root, candidate)) for root in (directory, cwd)):
                            relative = candidate
            elif inside == destination:
                relative = source
            if relative is not None:
                return [os.path.normpath(os.path.join(directory, relative)), os.path.normpath(os.path.join(cwd, relative))], True
        if os.path.isabs(value):
            return [], False
        return [os.path.join(directory, value), os.path.join(cwd, value)], False

    return resolve


def _run(instruction: Instruction, stage: Stage, path: str, directory: str, context: RunContext) -> list[Finding]:
    findings: list[Finding] = []
    text = instruction.text
    segments = instruction.segments
    flags = re.match(r"^(?:--\S+\s+)*", text)
    if flags and flags.end():
        skipped = flags.end()
        text = text[skipped:]
        segments = _shift(segments, skipped)
    scripts: list[tuple[str, list[tuple[int, int, int]]]] = []
    exec_words = _exec_form(text, segments)
    if exec_words is not None:
        if (
            len(exec_words) >= 3
            and basename(exec_words[0].text) in _SHELLS
            and exec_words[1].text.startswith("-")
            and "c" in exec_words[1].text
        ):
            inline = exec_words[2]
            scripts.append((inline.text, [(0, inline.line, inline.column + 1)]))
        else:
            _note_pythons([Command(tuple(exec_words), None, 0)], text, stage)
            findings.extend(_check_exec(exec_words, stage, path, directory, context))
    else:
        scripts.append((text, segments))
        command = _HEREDOC.sub("", text).strip()
        first = command.split()[0] if command.split() else ""
        for _delimiter, body, body_line in instruction.heredocs:
            # the body is a script when the shell runs it: `RUN <<EOF` or `RUN bash <<EOF`
            if not command or basename(first) in _SHELLS:
                scripts.append((body, [(0, body_line, 1)]))
    for script, script_segments in scripts:
        pre = scan(script, script_segments, stage.variables)
        activated = any(
            command.words
            and command.words[0].text in (".", "source")
            and len(command.words) > 1
            and command.words[1].text.endswith("/bin/activate")
            for command in pre.commands
        )
        created = [is_venv_creation(command) for command in pre.commands]
        _note_pythons(pre.commands, script, stage)
        image = stage.image(activated)
        result, commands = check_shell_text(
            script,
            path,
            "dockerfile",
            context,
            directory=directory,
            segments=script_segments,
            variables=stage.variables,
            environ={name: value for name, value in stage.env.items()},
            image=image,
            resolver=_resolver(stage, directory, context.cwd),
        )
        findings.extend(result)
        for venv in created:
            if venv:
                stage.venvs.add(resolve_dir(venv, stage.workdir))
        if first_marker_removal(commands) is not None:
            stage.marker_removed = True  # for the next script of this RUN and every later RUN
    return findings


def _note_pythons(commands: list[Command], script: str, stage: Stage) -> None:
    """Record the distribution Python a `RUN` installs and the Python it builds (for this
    `RUN`'s pip calls and every later one in the stage)."""
    for command in commands:
        installed = installed_python(command)
        if installed is not None and stage.distro_python != DISTRO_PIP:
            stage.distro_python = installed
    if builds_python(commands, script):
        stage.other_python_first = True


def _shift(segments: list[tuple[int, int, int]], skipped: int) -> list[tuple[int, int, int]]:
    """Segments for the text after its first `skipped` characters (all on the first line)."""
    first = segments[0]
    shifted = [(0, first[1], first[2] + skipped)]
    shifted.extend((offset - skipped, line, column) for offset, line, column in segments[1:] if offset > skipped)
    return shifted


def _exec_form(text: str, segments: list[tuple[int, int, int]]) -> Optional[list[Word]]:
    stripped = text.strip()
    if not stripped.startswith("["):
        return None
    joined = re.sub(r"\\\n", "", stripped)
    try:
        loaded = json.loads(joined)
    except ValueError:
        return None  # Docker runs it as a shell command then
    if not isinstance(loaded, list) or not all(isinstance(item, str) for item in loaded):
        return None
    words: list[Word] = []
    position = 0
    line0, column0 = segments[0][1], segments[0][2]
    for item in loaded:
        encoded = json.dumps(item)
        found = text.find(encoded, position)
        if found < 0:
            found = text.find('"', position)
        position = max(found, 0) + len(encoded)
        line = line0 + text.count("\n", 0, max(found, 0))
        column = (column0 + found) if "\n" not in text[: max(found, 0)] else found - text.rfind("\n", 0, found)
        words.append(Word(item, line, column, encoded))
    return words


def _check_exec(words: list[Word], stage: Stage, path: str, directory: str, context: RunContext) -> list[Finding]:
    from guard.pipcalls.check import Surroundings, check_calls, requirement_reader

    call = pip_call(Command(tuple(words), None, 0), path, "dockerfile")
    if call is None:
        return []
    where = Surroundings(
        path=path,
        directory=directory,
        kind="dockerfile",
        cwd=context.cwd,
        environ=dict(stage.env),
        image=stage.image(),
        resolver=_resolver(stage, directory, context.cwd),
    )
    return check_calls([call], where, context.settings, requirement_reader(context))
