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


# The mark guard's own shell wrappers and `pip` scripts carry (see guard/wrapper/shells/).
_WRAPPER_MARK = b"GUARD_PIP_WRAPPER"


def is_guard_wrapper(path: str) -> bool:
    """A script that only re-enters guard (it carries `GUARD_PIP_WRAPPER`): never the real pip."""
    try:
        with open(path, "rb") as handle:
            return _WRAPPER_MARK in handle.read(1024)
    except OSError:
        return False


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


_PYENV_ROOT_EXPORT = re.compile(r'export PYENV_ROOT="([^"]*)"')
# pyenv-virtualenv's `which` hooks act only when the command was not found (`! -x`), so they
# cannot change an answer found in a version's bin directory or on PATH.
_HARMLESS_WHICH_HOOKS = ("conda.bash", "python-config.bash", "system-site-packages.bash")


def _pyenv_hook_scripts(root: str, environ: Mapping[str, str], command: str) -> list[str]:
    """The `pyenv hooks COMMAND` scripts: PYENV_HOOK_PATH as libexec/pyenv builds it."""
    dirs = [d for d in (_get(environ, "PYENV_HOOK_PATH") or "").split(":") if d]
    dirs += [os.path.join(root, "pyenv.d"), "/usr/etc/pyenv.d", "/usr/local/etc/pyenv.d", "/etc/pyenv.d", "/usr/lib/pyenv/hooks"]
    plugins = os.path.join(root, "plugins")
    try:
        dirs += [os.path.join(plugins, p, "etc", "pyenv.d") for p in sorted(os.listdir(plugins))]
    except OSError:
        pass
    found: list[str] = []
    for directory in dirs:
        try:
            names = sorted(os.listdir(os.path.join(directory, command)))
        except OSError:
            continue
        found += [os.path.join(directory, command, n) for n in names if n.endswith(".bash")]
    return found


def _version_file_words(path: str) -> Optional[list[str]]:
    """pyenv-version-file-read: the first word of each line, comments and blanks skipped;
    None when a word is one pyenv would reject (path traversal) or the file is unreadable."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    out: list[str] = []
    for line in lines:
        words = line.replace("\r", " ").split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == ".." or "/" in words[0]:
            return None
        out.append(words[0])
    return out


def _pyenv_version_list(root: str, environ: Mapping[str, str], cwd: str) -> tuple[bool, list[str]]:
    """(sure, versions) as `pyenv which` takes them: PYENV_VERSION as given, else the version
    file (.python-version upwards from cwd, then $PYENV_ROOT/version) through version-name."""
    value = _get(environ, "PYENV_VERSION")
    if value:
        named = [v for v in value.split(":") if v]
        return all(v == "system" or os.path.isdir(os.path.join(root, "versions", v)) for v in named), named
    pyenv_dir = _get(environ, "PYENV_DIR")
    sure = not pyenv_dir or os.path.abspath(pyenv_dir) == os.path.abspath(cwd)
    version_file = os.path.join(root, "version")
    directory = os.path.abspath(cwd)
    while True:
        candidate = os.path.join(directory, ".python-version")
        if os.path.isfile(candidate):
            version_file = candidate
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    words: Optional[list[str]] = []
    if os.path.isfile(version_file) and os.path.getsize(version_file) > 0:
        words = _version_file_words(version_file)
    if words is None:
        return False, []
    if not words or words == ["system"]:
        return sure, ["system"]
    versions: list[str] = []
    for word in words:
        # pyenv-version-name: an installed name, `system`, the name without `python-`; other
        # names go through `pyenv latest` (prefix matching), which is left to pyenv itself.
        if word == "system" or os.path.isdir(os.path.join(root, "versions", word)):
            versions.append(word)
        elif word.startswith("python-") and os.path.isdir(os.path.join(root, "versions", word[7:])):
            versions.append(word[7:])
        else:
            sure = False
            versions.append(word)
    return sure, versions


def _pyenv_decide(name: str, environ: Mapping[str, str], cwd: str, root: Optional[str] = None) -> tuple[bool, Optional[str]]:
    """(sure, what `pyenv which name` prints) from pyenv's files, without running pyenv.

    Sure only when pyenv could not answer differently: versions named exactly, no hook that
    could change the answer, and the program found (pyenv's "not found" path, with its
    messages and its fallbacks, is left to pyenv).
    """
    root = root or pyenv_root(environ)
    sure, versions = _pyenv_version_list(root, environ, cwd)
    hooks = _pyenv_hook_scripts(root, environ, "which") + _pyenv_hook_scripts(root, environ, "version-name")
    if any(os.path.basename(h) not in _HARMLESS_WHICH_HOOKS or os.sep + "version-name" + os.sep in h for h in hooks):
        sure = False
    shims = os.path.join(root, "shims")
    home = _home(environ)
    entries = [e.replace("~", home) for e in (_get(environ, "PATH") or "").split(os.pathsep)]
    program = re.sub(r"[^A-Z0-9_]", "_", name.upper().replace("-", "_"))
    for version in versions:
        if version == "system":
            if _get(environ, "_PYENV_SHIM_PATHS_" + program) or any(not e or not os.path.isabs(e) for e in entries):
                sure = False
            search = {"PATH": os.pathsep.join(e for e in entries if e != shims)}
            found = find_on_path(name, search)
        else:
            candidate = os.path.join(root, "versions", version, "bin", name)
            found = candidate if _is_executable_file(candidate) else None
        if found:
            return sure, found
    return False, None


def pyenv_which_offline(name: str, environ: Mapping[str, str], cwd: str) -> Optional[str]:
    """What `pyenv which name` prints, computed from pyenv's files without running pyenv
    (a best guess where pyenv might decide otherwise; see `_pyenv_decide`)."""
    return _pyenv_decide(name, environ, cwd)[1]


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
        # The first line says what failed (`pyenv: pip3.9: command not found`); the rest is advice.
        meaningful = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = meaningful[0] if meaningful else f"exit status {done.returncode}, no output"
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
        # pyenv's own files answer most calls; `pyenv which` (a bash process or three) only
        # where pyenv might decide otherwise.
        exported = _PYENV_ROOT_EXPORT.search(text)
        root = exported.group(1) if exported else pyenv_root(environ)
        sure, found = _pyenv_decide(name, environ, where, root)
        if sure and found is not None and os.path.dirname(os.path.abspath(path)) == os.path.join(root, "shims"):
            return found
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
    return head[:4] in (b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe") or (head.startswith(b"MZ"))


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
