"""From what a user names (`python3.12`, `.venv`, `pip`, a pyenv shim) to an interpreter path.

Rule R0 of ENVIRONMENTS.md: judge the interpreter that will install. A `pip` script names its
interpreter on its first line; distlib writes long paths as a `/bin/sh` trampoline; a Windows
`pip.exe` carries its shebang after the launcher; pyenv, asdf and mise put shell shims first
on PATH whose target depends on the directory and the environment.
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    from typing import Callable, Mapping, Optional

_MAX_DEPTH = 8
_HEAD_BYTES = 4096
_EXE_TAIL_LIMIT = 4 * 1024 * 1024

# distlib (pip's script maker) for shebangs longer than the kernel allows or with spaces.
_SH_EXEC = re.compile(r"""^'''exec' (?:"([^"]+)"|(\S+)) "\$0" "\$@"\s*$""", re.MULTILINE)
_PYENV_SHIM = re.compile(r'exec "([^"]*/libexec/pyenv)" exec')
_ASDF_SHIM = re.compile(r"""exec (?:"([^"]*asdf)"|(\S*asdf)) exec""")
# The shebang distlib appends to its Windows launcher, just before the zip archive.
_EXE_SHEBANG = re.compile(rb"#!([^\r\n]{1,1024}?)\r?\n(?:PK\x03\x04|$)")


class ResolveError(Exception):
    """The spec does not lead to an interpreter; the message is one line naming the path."""


def _get(environ: Mapping[str, str], name: str) -> Optional[str]:
    value = environ.get(name)
    if value is None and os.name == "nt":
        upper = name.upper()
        for key, item in environ.items():
            if key.upper() == upper:
                return item
    return value


def _home(environ: Mapping[str, str]) -> str:
    return _get(environ, "HOME") or _get(environ, "USERPROFILE") or os.path.expanduser("~")


def _is_executable_file(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_on_path(
    name: str,
    environ: Mapping[str, str],
    skip: Optional[Callable[[str], bool]] = None,
) -> Optional[str]:
    """First executable `name` on `environ["PATH"]`, or None; `skip(candidate)` rejects one."""
    path = _get(environ, "PATH") or ""
    exts = [""]
    if os.name == "nt" and not os.path.splitext(name)[1]:
        exts = [e.lower() for e in (_get(environ, "PATHEXT") or ".COM;.EXE;.BAT;.CMD").split(";")]
    for directory in path.split(os.pathsep):
        if not directory:
            continue
        for ext in exts:
            candidate = os.path.join(directory, name + ext)
            if _is_executable_file(candidate) and not (skip is not None and skip(candidate)):
                return candidate
    return None


def pyenv_root(environ: Mapping[str, str]) -> str:
    return _get(environ, "PYENV_ROOT") or os.path.join(_home(environ), ".pyenv")


def _under(path: str, directory: str) -> bool:
    try:
        real = os.path.realpath(path)
        base = os.path.realpath(directory)
    except (OSError, ValueError):
        return False
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _read_head(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise ResolveError(f"cannot read `{path}`: {exc.strerror or exc}") from None


def shim_kind(path: str, environ: Mapping[str, str]) -> Optional[str]:
    """`pyenv`, `asdf`, `mise` when `path` is a version manager's shim, else None."""
    if _under(os.path.dirname(os.path.abspath(path)), os.path.join(pyenv_root(environ), "shims")):
        return "pyenv"
    real = os.path.realpath(path)
    if os.path.basename(real) in ("mise", "rtx") and "shims" in path.split(os.sep):
        return "mise"
    try:
        head = _read_head(path)
    except ResolveError:
        return None
    if head.startswith(b"#!"):
        text = head.decode("utf-8", "replace")
        if _PYENV_SHIM.search(text):
            return "pyenv"
        if _ASDF_SHIM.search(text):
            return "asdf"
    return None


def _pyenv_versions(environ: Mapping[str, str], cwd: str) -> list[str]:
    # pyenv's own order: PYENV_VERSION, then .python-version upwards from cwd, then the
    # global version file; https://github.com/pyenv/pyenv#choosing-the-python-version
    value = _get(environ, "PYENV_VERSION")
    if value:
        return [v for v in value.split(":") if v]
    directory = os.path.abspath(cwd)
    while True:
        candidate = os.path.join(directory, ".python-version")
        if os.path.isfile(candidate):
            return _version_file(candidate)
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    global_file = os.path.join(pyenv_root(environ), "version")
    if os.path.isfile(global_file):
        return _version_file(global_file) or ["system"]
    return ["system"]


def _version_file(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            words = handle.read().split()
    except OSError:
        return []
    return [w for w in words if not w.startswith("#")]


def pyenv_which_offline(name: str, environ: Mapping[str, str], cwd: str) -> Optional[str]:
    """What `pyenv which name` prints, computed from pyenv's files without running pyenv."""
    root = pyenv_root(environ)
    shims = os.path.join(root, "shims")
    for version in _pyenv_versions(environ, cwd):
        if version == "system":
            found = find_on_path(name, environ, skip=lambda c: _under(os.path.dirname(c), shims))
        else:
            candidate = os.path.join(root, "versions", version, "bin", name)
            found = candidate if _is_executable_file(candidate) else None
        if found:
            return found
    return None


def _run_which(tool: list[str], name: str, environ: Mapping[str, str], cwd: str) -> str:
    import subprocess  # only shims need it; `guard env` on the running interpreter does not

    try:
        done = subprocess.run(
            [*tool, "which", name],
            env=dict(environ),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ResolveError(f"cannot run `{' '.join(tool)} which {name}`: {exc}") from None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ResolveError(f"`{' '.join(tool)} which {name}` failed: {reason}")
    return lines[-1].strip()


def resolve_shim(
    path: str,
    kind: str,
    environ: Mapping[str, str],
    *,
    cwd: Optional[str] = None,
    subprocess_ok: bool = True,
) -> Optional[str]:
    """The program a shim runs. With `subprocess_ok=False` only pyenv is resolved (from files)."""
    name = os.path.basename(path)
    where = cwd or os.getcwd()
    if not subprocess_ok:
        return pyenv_which_offline(name, environ, where) if kind == "pyenv" else None
    text = _read_head(path).decode("utf-8", "replace")
    if kind == "pyenv":
        match = _PYENV_SHIM.search(text)
        tool = match.group(1) if match else (find_on_path("pyenv", environ) or "pyenv")
        env = dict(environ)
        env.setdefault("PYENV_ROOT", pyenv_root(environ))
        return _run_which([tool], name, env, where)
    if kind == "asdf":
        match = _ASDF_SHIM.search(text)
        tool = (match.group(1) or match.group(2)) if match else "asdf"
        return _run_which([tool], name, environ, where)
    return _run_which([os.path.realpath(path)], name, environ, where)


def shebang_interpreter(path: str, environ: Mapping[str, str]) -> Optional[str]:
    """The interpreter a script or Windows launcher names, or None when it names none."""
    head = _read_head(path)
    if head.startswith(b"#!"):
        text = head.decode("utf-8", "replace")
        first = text.splitlines()[0][2:].strip()
        if first in ("/bin/sh", "/usr/bin/sh", "/bin/bash", "/usr/bin/env sh"):
            match = _SH_EXEC.search(text)
            return (match.group(1) or match.group(2)) if match else None
        return _command_from_shebang(first, environ)
    if head.startswith(b"MZ"):
        try:
            size = os.path.getsize(path)
            with open(path, "rb") as handle:
                data = handle.read(min(size, _EXE_TAIL_LIMIT))
        except OSError:
            return None
        matches = list(_EXE_SHEBANG.finditer(data))
        if matches:
            line = matches[-1].group(1).decode("utf-8", "replace").strip()
            return _command_from_shebang(line, environ)
    return None


def _command_from_shebang(line: str, environ: Mapping[str, str]) -> Optional[str]:
    import shlex

    try:
        # Windows shebangs hold backslashes, which POSIX shell quoting would eat.
        words = shlex.split(line, posix="\\" not in line)
    except ValueError:
        words = line.split()
    if not words:
        return None
    program = words[0].strip('"')
    if os.path.basename(program) == "env":
        rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if not rest:
            return None
        return find_on_path(rest[0], environ) or rest[0]
    return program


def _looks_binary(head: bytes) -> bool:
    return head[:4] in (b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe") or (
        head.startswith(b"MZ")
    )


def _interpreter_in_dir(directory: str) -> Optional[str]:
    for parts in (("bin", "python"), ("bin", "python3"), ("Scripts", "python.exe"), ("python.exe",)):
        candidate = os.path.join(directory, *parts)
        if os.path.isfile(candidate):
            return candidate
    return None


def resolve_target(
    spec: str,
    environ: Mapping[str, str],
    *,
    cwd: Optional[str] = None,
    subprocess_ok: bool = True,
) -> str:
    """The interpreter behind `spec`: an interpreter, a venv or prefix directory, a bare name
    on PATH, a pip-like script, or a version manager's shim. Raises ResolveError."""
    return resolve_chain(spec, environ, cwd=cwd, subprocess_ok=subprocess_ok)[0]


def resolve_chain(
    spec: str,
    environ: Mapping[str, str],
    *,
    cwd: Optional[str] = None,
    subprocess_ok: bool = True,
) -> tuple[str, list[str]]:
    """Like `resolve_target`, plus the steps taken, one short sentence each (for the report)."""
    path = os.path.expanduser(spec)
    steps: list[str] = []
    if not os.path.exists(path) and os.sep not in spec and "/" not in spec:
        found = find_on_path(spec, environ)
        if found is None:
            raise ResolveError(f"`{spec}` is not a file, a directory or a program on PATH")
        steps.append(f"`{spec}` on PATH is `{found}`")
        path = found
    current = path
    for _ in range(_MAX_DEPTH):
        following, step = _step(current, environ, cwd=cwd, subprocess_ok=subprocess_ok)
        if following is None:
            return current, steps
        steps.append(step)
        current = following
    raise ResolveError(f"`{path}` leads through too many scripts and shims")


def _step(
    path: str,
    environ: Mapping[str, str],
    *,
    cwd: Optional[str],
    subprocess_ok: bool,
) -> tuple[Optional[str], str]:
    """The next path in the chain and why, or (None, "") when `path` is the interpreter."""
    if not os.path.exists(path):
        raise ResolveError(f"`{path}` does not exist")
    if os.path.isdir(path):
        found = _interpreter_in_dir(path)
        if found is None:
            raise ResolveError(f"`{path}` is a directory without `bin/python` or `Scripts\\python.exe`")
        return found, f"the environment `{path}` runs `{found}`"
    kind = shim_kind(path, environ)
    if kind is not None:
        target = resolve_shim(path, kind, environ, cwd=cwd, subprocess_ok=subprocess_ok)
        if target is None:
            raise ResolveError(f"cannot tell which program the {kind} shim `{path}` runs")
        version = ""
        if kind == "pyenv" and _get(environ, "PYENV_VERSION"):
            version = f" (PYENV_VERSION={_get(environ, 'PYENV_VERSION')})"
        return target, f"the {kind} shim `{path}` runs `{target}`{version}"
    head = _read_head(path)
    if head.startswith(b"#!") or head.startswith(b"MZ"):
        named = shebang_interpreter(path, environ)
        if named is not None:
            return named, f"`{path}` starts `{named}`"
        if head.startswith(b"#!"):
            raise ResolveError(f"`{path}` is a script whose first line names no Python")
    if _looks_binary(head):
        return None, ""
    raise ResolveError(f"`{path}` is neither a Python interpreter nor a script naming one")
