"""Where the project's venv goes and which Python makes it: the pip wrapper's way out of a
blocked install, and `guard env --fix`.

The project root is the nearest directory, from the current one upwards, holding
`pyproject.toml`, `setup.py`, `setup.cfg`, `requirements.txt` or `.git`; without one, the
current directory. Its venv is an existing `.venv` or `venv` between the current directory
and that root, else a new `<root>/.venv`.

The Python comes from two files of the root, read and never run: `.python-version` (pyenv's
`3.12`, `3.12.4`, a version name under `$PYENV_ROOT/versions`, or a path) and
`requires-python` in `pyproject.toml`. It is looked for among the blocked interpreter,
pyenv's versions (`$PYENV_ROOT/versions/*/bin/python3.X`) and the `python3.X` programs on
PATH; when none fits `.python-version`, the blocked interpreter still serves if it
satisfies `requires-python`.

Imported only when the wrapper stops a call (or by `guard env --fix`): its own imports cost
nothing on the path of an allowed pip call.
"""

from __future__ import annotations

import os
import re
import subprocess

from guard._frozen import Frozen, _set

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Mapping, Optional, Tuple

    Version = Tuple[int, ...]

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", ".git")
VENV_NAMES = (".venv", "venv")
VERSION_TIMEOUT = 10.0  # seconds for `python -c 'print(version)'`; a hung interpreter is no candidate
_MAX_FILE = 1 << 20  # a `.python-version` or `pyproject.toml` bigger than this is not read
_NUMERIC = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")
_PYTHON_MINOR = re.compile(r"^python3\.(\d+)$")
_VERSION_SCRIPT = "import sys; print('%d.%d.%d' % sys.version_info[:3])"


class Candidate(Frozen):
    """An interpreter that could make the venv: its path, version and where it was found."""

    _fields = ("path", "version", "source")
    __slots__ = _fields

    def __init__(self, path: str, version: Optional[Version], source: str) -> None:
        _set(self, "path", path)
        _set(self, "version", version)
        _set(self, "source", source)

    path: str
    version: Optional[Version]
    source: str

    @property
    def version_string(self) -> str:
        return ".".join(str(part) for part in self.version) if self.version else "unknown version"


class VenvPlan(Frozen):
    """Which venv a way out uses: `existing` (reused, never recreated) or made by `creator`.
    `reason` says why there is none (then the other fields are best effort); `notes` say
    what the plan had to give up (a `.python-version` that names a Python not found here)."""

    _fields = ("root", "venv", "python", "existing", "creator", "notes", "reason")
    __slots__ = _fields

    def __init__(
        self,
        root: str,
        venv: str,
        python: str,
        existing: bool = False,
        creator: Optional[Candidate] = None,
        notes: Tuple[str, ...] = (),
        reason: Optional[str] = None,
    ) -> None:
        _set(self, "root", root)
        _set(self, "venv", venv)
        _set(self, "python", python)
        _set(self, "existing", existing)
        _set(self, "creator", creator)
        _set(self, "notes", notes)
        _set(self, "reason", reason)

    root: str
    venv: str
    python: str
    existing: bool
    creator: Optional[Candidate]
    notes: Tuple[str, ...]
    reason: Optional[str]

    @property
    def possible(self) -> bool:
        return self.reason is None


# --- the project -------------------------------------------------------------------------


def project_root(cwd: str) -> str:
    """The nearest directory from `cwd` upwards with a project marker, else `cwd`."""
    start = directory = os.path.abspath(cwd)
    while True:
        if any(os.path.lexists(os.path.join(directory, marker)) for marker in PROJECT_MARKERS):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return start
        directory = parent


def venv_python(venv: str, windows: bool) -> str:
    return os.path.join(venv, "Scripts", "python.exe") if windows else os.path.join(venv, "bin", "python")


def existing_venv(cwd: str, root: str) -> Optional[str]:
    """The first `.venv` or `venv` with a pyvenv.cfg from `cwd` up to `root` (inclusive)."""
    directory = os.path.abspath(cwd)
    while True:
        for name in VENV_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
                return candidate
        parent = os.path.dirname(directory)
        if directory == root or parent == directory:
            return None
        directory = parent


def _read_small(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_FILE + 1)
    except OSError:
        return None
    if len(data) > _MAX_FILE:
        return None
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def read_python_version(root: str) -> Optional[str]:
    """The first version word of `<root>/.python-version` (pyenv reads the first one too)."""
    text = _read_small(os.path.join(root, ".python-version"))
    for line in (text or "").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            return words[0]
    return None


def read_requires_python(root: str) -> Tuple[Optional[str], Optional[str]]:
    """(`requires-python` of `<root>/pyproject.toml`, or None; a problem reading it, or None)."""
    path = os.path.join(root, "pyproject.toml")
    text = _read_small(path)
    if text is None:
        return None, None
    from guard.text.tomlcompat import TOMLDecodeError, loads

    try:
        document = loads(text)
    except TOMLDecodeError as exc:
        return None, f"{path} is not valid TOML ({str(exc).splitlines()[0] if str(exc) else 'parse error'})"
    project = document.get("project")
    value = project.get("requires-python") if isinstance(project, dict) else None
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"{path}: requires-python is not a string"
    return value.strip(), None


# --- the interpreters ----------------------------------------------------------------------


def python_version(path: str) -> Optional[Version]:
    """The interpreter's version, asked of it (`-I`: no user site, no PYTHON* variables)."""
    try:
        done = subprocess.run(
            [path, "-I", "-c", _VERSION_SCRIPT],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=VERSION_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    match = _NUMERIC.match(done.stdout.decode("ascii", errors="replace").strip())
    if done.returncode != 0 or match is None or match.group(3) is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def pyenv_root(environ: Mapping[str, str]) -> str:
    return environ.get("PYENV_ROOT") or os.path.join(environ.get("HOME") or os.path.expanduser("~"), ".pyenv")


def pyenv_candidates(environ: Mapping[str, str]) -> List[Candidate]:
    """`$PYENV_ROOT/versions/X.Y.Z/bin/python3.Y`, newest first (the version is the folder's name)."""
    versions = os.path.join(pyenv_root(environ), "versions")
    try:
        names = os.listdir(versions)
    except OSError:
        return []
    out: List[Candidate] = []
    for name in names:
        match = _NUMERIC.match(name)
        if match is None or match.group(3) is None:
            continue
        version = tuple(int(part) for part in match.groups() if part is not None)
        path = os.path.join(versions, name, "bin", f"python{version[0]}.{version[1]}")
        if _executable(path):
            out.append(Candidate(path, version, "pyenv"))
    return sorted(out, key=lambda c: c.version or (), reverse=True)


def path_candidates(environ: Mapping[str, str]) -> List[Tuple[int, str]]:
    """(minor, path) of each `python3.X` on PATH, newest first; shim folders (pyenv, asdf)
    are left out, their versions are looked for where they live."""
    out: List[Tuple[int, str]] = []
    seen: set[str] = set()
    for directory in (environ.get("PATH") or "").split(os.pathsep):
        if not directory or os.path.basename(directory.rstrip("/")) == "shims":
            continue
        try:
            entries = sorted(os.listdir(directory))
        except OSError:
            continue
        for entry in entries:
            match = _PYTHON_MINOR.match(entry)
            path = os.path.join(directory, entry)
            if match is None or not _executable(path):
                continue
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                out.append((int(match.group(1)), path))
    return sorted(out, key=lambda item: item[0], reverse=True)


# --- what the project asks for -------------------------------------------------------------


class _Wanted:
    """`.python-version` and `requires-python` as tests on a candidate."""

    def __init__(self, request: Optional[str], requires: Optional[str], root: str) -> None:
        self.request = None if request == "system" else request  # pyenv's word for "not pyenv's"
        self.requires = requires
        self.prefix: Optional[Version] = None
        self.explicit: Optional[str] = None  # a path or a pyenv version name
        self.specifier: Any = None
        self.invalid: Optional[str] = None  # a requires-python that is no specifier
        if self.request is not None:
            match = _NUMERIC.match(self.request)
            if match is not None:
                self.prefix = tuple(int(part) for part in match.groups() if part is not None)
            else:
                self.explicit = self.request
        if requires:
            from packaging.specifiers import InvalidSpecifier, SpecifierSet

            try:
                self.specifier = SpecifierSet(requires)
            except InvalidSpecifier:
                self.requires, self.invalid = None, requires

    def fits_requires(self, candidate: Candidate) -> bool:
        if self.specifier is None:
            return True
        return candidate.version is not None and self.specifier.contains(candidate.version_string, prereleases=True)

    def fits(self, candidate: Candidate) -> bool:
        if self.prefix is not None and (candidate.version is None or candidate.version[: len(self.prefix)] != self.prefix):
            return False
        return self.fits_requires(candidate)

    def words(self) -> str:
        said = []
        if self.request is not None:
            said.append(f"Python {self.request} (.python-version)")
        if self.requires:
            said.append(f"Python {self.requires} (pyproject.toml requires-python)")
        return " and ".join(said)


def _explicit_candidate(word: str, root: str, environ: Mapping[str, str]) -> Optional[str]:
    """A `.python-version` that is a path (a python, or a prefix with bin/python3) or a name
    under `$PYENV_ROOT/versions` (`pypy3.10-7.3.12`, `3.12-dev`)."""
    if "/" in word or "\\" in word or word.startswith("~"):
        path = os.path.join(root, os.path.expanduser(word))
        bases = [path] if not os.path.isdir(path) else []
    else:
        path = os.path.join(pyenv_root(environ), "versions", word)
        bases = []
    if os.path.isdir(path):
        bases = [os.path.join(path, "bin", "python3"), os.path.join(path, "bin", "python"), os.path.join(path, "python.exe")]
    return next((base for base in bases if _executable(base)), None)


def choose_python(
    blocked: str, root: str, environ: Mapping[str, str], version_of: Callable[[str], Optional[Version]] = python_version
) -> Tuple[Optional[Candidate], List[str], Optional[str]]:
    """(the interpreter to make the venv with, notes, why there is none)."""
    requires, problem = read_requires_python(root)
    if problem is not None:
        return None, [], problem
    wanted = _Wanted(read_python_version(root), requires, root)
    if wanted.invalid is not None:
        return None, [], f"requires-python `{wanted.invalid}` in pyproject.toml is not a valid version specifier"
    own = Candidate(blocked, version_of(blocked), "the blocked interpreter")
    notes: List[str] = []
    if wanted.explicit is not None:
        path = _explicit_candidate(wanted.explicit, root, environ)
        found = Candidate(path, version_of(path), ".python-version") if path is not None else None
        if found is not None and wanted.fits_requires(found):
            return found, notes, None
        if found is not None:
            notes.append(f".python-version names {path} (Python {found.version_string}), which requires-python rules out")
    else:
        for candidate in _in_order(own, environ, wanted, version_of):
            if wanted.fits(candidate):
                return candidate, notes, None
    if wanted.request is not None and not notes:
        notes.append(f".python-version asks for Python {wanted.request}: not found on this machine")
    if wanted.fits_requires(own):
        return own, notes, None
    return None, notes, f"the project asks for {wanted.words()}, and no Python found here satisfies it"


def _in_order(own: Candidate, environ: Mapping[str, str], wanted: _Wanted, version_of: Callable[[str], Optional[Version]]) -> Any:
    """The blocked interpreter, then pyenv's versions, then PATH's `python3.X`: each newest
    first, the PATH ones asked for their version only when their minor could fit."""
    yield own
    seen = {os.path.realpath(own.path)}
    for candidate in pyenv_candidates(environ):
        if os.path.realpath(candidate.path) not in seen:
            seen.add(os.path.realpath(candidate.path))
            yield candidate
    for minor, path in path_candidates(environ):
        if os.path.realpath(path) in seen:
            continue
        if wanted.prefix is not None and wanted.prefix[:2] not in ((3, minor), (3,)):
            continue
        seen.add(os.path.realpath(path))
        yield Candidate(path, version_of(path), "PATH")


# --- the plan ------------------------------------------------------------------------------


def make_plan(
    blocked: str,
    cwd: str,
    environ: Mapping[str, str],
    *,
    windows: bool = os.name == "nt",
    version_of: Callable[[str], Optional[Version]] = python_version,
) -> VenvPlan:
    """The venv a way out would use for a call that `blocked` (the judged interpreter) refused."""
    root = project_root(cwd)
    venv = os.path.join(root, ".venv")
    if os.path.lexists(venv) and not os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        return VenvPlan(root, venv, venv_python(venv, windows), reason=f"{venv} exists and is not a venv (no pyvenv.cfg)")
    found = existing_venv(cwd, root)
    if found is not None:
        python = venv_python(found, windows)
        if not _executable(python) and not windows:
            python = os.path.join(found, "bin", "python3")
        if not _executable(python):
            return VenvPlan(root, found, python, existing=True, reason=f"the venv {found} has no python")
        return VenvPlan(root, found, python, existing=True)
    if _under_sudo(environ):
        return VenvPlan(root, venv, venv_python(venv, windows), reason="guard runs under sudo: a venv made now would belong to root")
    if not os.access(root, os.W_OK):
        return VenvPlan(root, venv, venv_python(venv, windows), reason=f"{root} is not writable")
    creator, notes, reason = choose_python(blocked, root, environ, version_of)
    return VenvPlan(root, venv, venv_python(venv, windows), creator=creator, notes=tuple(notes), reason=reason)


def _under_sudo(environ: Mapping[str, str]) -> bool:
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0 and bool(environ.get("SUDO_USER"))
