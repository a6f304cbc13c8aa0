"""Gathering the facts that classification judges (R0, R2-R4 of ENVIRONMENTS.md).

Facts are one JSON-able dict (format in docs/facts-format.md): what the interpreter says about
itself (`interpreter`, from `_probe.gather`), plus what the surrounding process sees (selected
environment variables, ids, container markers, `python`/`pip` on PATH, the project's venv).
Everything that needs the disk or the environment is read here, so `classify` and
`crosscheck` stay pure and a recorded case replays on any machine.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys

from guard.environment import _probe
from guard.environment.resolve import (
    ResolveError,
    find_on_path,
    resolve_target,
    shim_kind,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` stays out of the pip wrapper's start-up
    from typing import Any, Callable, Mapping, Optional

FACTS_VERSION = 2
# Version 1 recordings lack the `pip` section: their `environ` holds the few `PIP_*`
# variables they kept, and they replay with those and no pip.conf.
READABLE_VERSIONS = (1, 2)
_PROBE_TIMEOUT = 60

# Variables that change a verdict or a cross-check; the rest of the environment stays out of
# the facts (it is noise in a recorded case, and may hold secrets).
RELEVANT_ENVIRON = (
    "PATH",
    "HOME",
    "USERPROFILE",
    "LOCALAPPDATA",
    "APPDATA",
    "ProgramFiles",
    "ProgramFiles(x86)",
    "ProgramW6432",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "CONDA_SHLVL",
    "_CONDA_ROOT",
    "CONDA_EXE",
    "PIXI_PROJECT_ROOT",
    "PIXI_ENVIRONMENT_NAME",
    "PYENV_ROOT",
    "PYENV_VERSION",
    "ASDF_DATA_DIR",
    "ASDF_PYTHON_VERSION",
    "MISE_DATA_DIR",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "PIPX_HOME",
    "UV_PYTHON_INSTALL_DIR",
    "UV_TOOL_DIR",
    "PRE_COMMIT",
    "PRE_COMMIT_HOME",
    "SUDO_USER",
    "container",
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "TF_BUILD",
    "BUILDKITE",
    "CIRCLECI",
    "JENKINS_URL",
    "RUNNER_TOOL_CACHE",
    "AGENT_TOOLSDIRECTORY",
    "PYTHONHOME",
    "PYTHONPATH",
    "PYTHONUSERBASE",
    "PYTHONNOUSERSITE",
    "PIP_PYTHON",
    "PIP_REQUIRE_VIRTUALENV",
    "PIP_BREAK_SYSTEM_PACKAGES",
    "PIP_USER",
    "PIP_TARGET",
    "PIP_PREFIX",
    "PIP_CONFIG_FILE",
    "PIP_ISOLATED",
)


class FactsError(Exception):
    """Facts cannot be gathered or read; the message is one line naming the path."""


def env_get(environ: Mapping[str, str], name: str) -> Optional[str]:
    """Environment lookup, case-insensitive on Windows as its environment is."""
    value = environ.get(name)
    if value is not None or os.name != "nt":
        return value
    upper = name.upper()
    for key, item in environ.items():
        if key.upper() == upper:
            return item
    return None


def relevant_environ(environ: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in RELEVANT_ENVIRON:
        value = env_get(environ, name)
        if value is not None:
            out[name] = value
    return out


def _home(environ: Mapping[str, str]) -> str:
    return env_get(environ, "HOME") or env_get(environ, "USERPROFILE") or os.path.expanduser("~")


def _realpath(path: str) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return path


def is_under(path: str, directory: str) -> bool:
    real, base = _realpath(path), _realpath(directory)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def pre_commit_home(environ: Mapping[str, str]) -> str:
    # pre-commit's store.py: PRE_COMMIT_HOME, else $XDG_CACHE_HOME/pre-commit, else ~/.cache.
    explicit = env_get(environ, "PRE_COMMIT_HOME")
    if explicit:
        return explicit
    cache = env_get(environ, "XDG_CACHE_HOME") or os.path.join(_home(environ), ".cache")
    return os.path.join(cache, "pre-commit")


def env_identity(python: str) -> str:
    """Which environment an interpreter path stands for: the venv directory when the path is
    inside one (a venv's python is a symlink to its base, so realpaths alone would merge
    them), else the realpath of the executable."""
    bin_dir = os.path.dirname(os.path.abspath(python))
    home = os.path.dirname(bin_dir)
    for candidate in (home, bin_dir):
        if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
            return _realpath(candidate)
    return _realpath(python)


def find_project_venv(cwd: str) -> Optional[dict[str, Any]]:
    """The nearest `.venv` or `venv` (with pyvenv.cfg) in cwd or a parent."""
    directory = os.path.abspath(cwd)
    while True:
        for name in (".venv", "venv"):
            candidate = os.path.join(directory, name)
            if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
                python = None
                for parts in (("bin", "python"), ("bin", "python3"), ("Scripts", "python.exe")):
                    if os.path.isfile(os.path.join(candidate, *parts)):
                        python = os.path.join(candidate, *parts)
                        break
                return {"path": candidate, "realpath": _realpath(candidate), "python": python}
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


_VERSIONED = re.compile(r"^python(\d+\.\d+)t?$")


def _glance(interpreter: str) -> dict[str, Any]:
    """What a few stat calls tell about an interpreter on PATH without running it (for the
    words and the fix of ENV108): its realpath, whether it is a venv's, its prefix (the venv,
    else two levels above the real executable), the PEP 668 marker there, conda's markers."""
    real = _realpath(interpreter)
    bin_dir = os.path.dirname(os.path.abspath(interpreter))
    venv = None
    for candidate in (os.path.dirname(bin_dir), bin_dir):
        if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
            venv = candidate
            break
    prefix = venv or os.path.dirname(os.path.dirname(real))
    marker: Optional[bool] = None
    match = _VERSIONED.match(os.path.basename(real))
    if venv is None:
        if match is not None and os.name != "nt":
            marker = os.path.exists(os.path.join(prefix, "lib", "python" + match.group(1), "EXTERNALLY-MANAGED"))
    return {
        "realpath": real,
        "version": match.group(1) if match is not None else None,
        "venv": venv is not None,
        "prefix": prefix,
        "marker": marker,
        "conda_meta": os.path.isdir(os.path.join(prefix, "conda-meta")),
        "pixi": os.path.exists(os.path.join(prefix, "conda-meta", "pixi")),
        "envs_dir": os.path.isdir(os.path.join(prefix, "envs")),
    }


def _lookup(
    names: tuple[str, ...],
    environ: Mapping[str, str],
    cwd: str,
    skip: Optional[Callable[[str], bool]],
) -> Optional[dict[str, Any]]:
    for name in names:
        path = find_on_path(name, environ, skip=skip)
        if path is None:
            continue
        entry: dict[str, Any] = {"name": name, "path": path, "shim": shim_kind(path, environ)}
        try:
            # No subprocess here (guard env on the running interpreter spawns none): pyenv
            # shims are resolved from pyenv's files, asdf/mise shims stay unresolved.
            interpreter = resolve_target(path, environ, cwd=cwd, subprocess_ok=False)
        except ResolveError as exc:
            entry.update(interpreter=None, identity=None, error=str(exc))
        else:
            entry.update(interpreter=interpreter, identity=env_identity(interpreter), error=None)
            entry.update(_glance(interpreter))
        return entry
    return None


def _on_path(directory: Optional[str], environ: Mapping[str, str]) -> bool:
    if not directory:
        return False
    target = os.path.normcase(_realpath(directory))
    for entry in (env_get(environ, "PATH") or "").split(os.pathsep):
        if entry and os.path.normcase(_realpath(entry)) == target:
            return True
    return False


def read_os_release(path: str = "/etc/os-release") -> Optional[dict[str, str]]:
    """ID, NAME and VERSION_ID of the Linux distribution, for the words of `guard env`."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    out: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key in ("ID", "NAME", "VERSION_ID"):
            out[key.lower()] = value.strip().strip('"').strip("'")
    return out or None


def is_pre_commit_env(path: str, environ: Mapping[str, str]) -> bool:
    """Whether `path` (an environment or a directory in one) is one pre-commit built.

    Under PRE_COMMIT_HOME, or holding pre-commit's `.install_state_v1` marker: `pre-commit
    try-repo` builds its environments in a temporary store outside PRE_COMMIT_HOME.
    """
    if is_under(path, pre_commit_home(environ)):
        return True
    directory = os.path.abspath(path)
    for candidate in (directory, os.path.dirname(directory)):
        if os.path.exists(os.path.join(candidate, ".install_state_v1")):
            return True
    return False


def pre_commit_skip(environ: Mapping[str, str]) -> Optional[Callable[[str], bool]]:
    """Under pre-commit, a predicate hiding pre-commit's own environments on PATH."""
    if not env_get(environ, "PRE_COMMIT"):
        return None
    # The directory, not the file: a hook venv's python is a symlink to a python elsewhere.
    return lambda candidate: is_pre_commit_env(os.path.dirname(os.path.abspath(candidate)), environ)


def context_facts(
    interpreter: Mapping[str, Any],
    environ: Mapping[str, str],
    cwd: str,
    target: Mapping[str, Any],
    pip: Optional[Mapping[str, Any]] = None,
) -> dict[str, Any]:
    """The process side of the facts, around an `interpreter` section; `pip`: what pip
    itself would read (guard.environment.pipconfig), when the caller recorded it."""
    skip = pre_commit_skip(environ)
    virtual_env = env_get(environ, "VIRTUAL_ENV")
    ve: Optional[dict[str, Any]] = None
    if virtual_env:
        ve = {
            "path": virtual_env,
            "exists": os.path.isdir(virtual_env),
            "realpath": _realpath(virtual_env),
            "pre_commit": is_pre_commit_env(virtual_env, environ),
        }
    euid = getattr(os, "geteuid", None)
    uid = getattr(os, "getuid", None)
    facts: dict[str, Any] = {
        "guard_facts": FACTS_VERSION,
        # the venv guard itself runs from (None: not a venv): a target there is guard's own
        # installation environment, the obvious one on PATH after `pip install -e .`
        "guard_environment": _realpath(sys.prefix) if sys.prefix != getattr(sys, "base_prefix", sys.prefix) else None,
        "target": dict(target),
        "interpreter": dict(interpreter),
        "process": {
            "euid": euid() if euid is not None else None,
            "uid": uid() if uid is not None else None,
            "cwd": cwd,
            "platform": sys.platform,
        },
        "environ": relevant_environ(environ),
        "container_markers": {
            "dockerenv": os.path.exists("/.dockerenv"),
            "containerenv": os.path.exists("/run/.containerenv"),
        },
        "shell": {
            "python": _lookup(("python3", "python"), environ, cwd, skip),
            "pip": _lookup(("pip", "pip3"), environ, cwd, skip),
        },
        "os_release": read_os_release(),
        "virtual_env": ve,
        "project_venv": find_project_venv(cwd),
        "path_checks": {
            "scripts_on_path": _on_path(interpreter.get("scripts"), environ),
            "user_scripts_on_path": _on_path(interpreter.get("user_scripts"), environ),
        },
    }
    if pip is not None:
        facts["pip"] = dict(pip)
    return facts


def current_facts(
    environ: Optional[Mapping[str, str]] = None,
    *,
    cwd: Optional[str] = None,
    target: Optional[Mapping[str, Any]] = None,
    pip: Optional[Mapping[str, Any]] = None,
) -> dict[str, Any]:
    """Facts for the running interpreter, in-process: no subprocess, no `packaging`."""
    env = os.environ if environ is None else environ
    where = cwd or os.getcwd()
    interpreter = _probe.gather(env)
    how = dict(target) if target else {"how": "running", "spec": sys.executable}
    return context_facts(interpreter, env, where, how, pip)


def probe_facts(
    interpreter: str,
    environ: Optional[Mapping[str, str]] = None,
    *,
    cwd: Optional[str] = None,
    target: Optional[Mapping[str, Any]] = None,
    pip: Optional[Mapping[str, Any]] = None,
) -> dict[str, Any]:
    """Facts for another interpreter: one subprocess, cached on disk. Raises FactsError."""
    env = os.environ if environ is None else environ
    where = cwd or os.getcwd()
    interp = probe_interpreter(interpreter, env)
    how = dict(target) if target else {"how": "python-option", "spec": interpreter}
    return context_facts(interp, env, where, how, pip)


# --- the probe and its cache -------------------------------------------------------------


def _probe_source() -> str:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_probe.py")
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    # `-c` puts the current directory first on sys.path; drop it before any import so that a
    # `json.py` in the user's project is never run.
    return "import sys\nsys.path[:] = [p for p in sys.path if p not in ('', '.')]\n" + source + "\n_main()\n"


def cache_dir(environ: Mapping[str, str]) -> str:
    explicit = env_get(environ, "GUARD_CACHE_DIR")
    if explicit:
        return explicit
    base = env_get(environ, "XDG_CACHE_HOME")
    if not base and os.name == "nt":
        base = env_get(environ, "LOCALAPPDATA")
    if not base:
        base = os.path.join(_home(environ), ".cache")
    return os.path.join(base, "guard")


def _stat_token(path: str) -> list[Any]:
    try:
        st = os.stat(path)
    except OSError:
        return [path, None]
    return [path, st.st_mtime_ns, st.st_size]


# What the probe's output depends on in its environment besides the interpreter itself: the
# user site and user scripts follow the home directory (HOME; USERPROFILE, HOMEDRIVE and
# HOMEPATH on Windows; APPDATA there for the user base), PYTHONUSERBASE and PYTHONNOUSERSITE
# are read by `site` even under -E, Debian's sysconfig picks its scheme by
# DEB_PYTHON_INSTALL_LAYOUT, and sysconfig reads _PYTHON_SYSCONFIGDATA_NAME and
# _PYTHON_HOST_PLATFORM. Without HOME, the home directory comes from the password database
# by uid, so the uid is part of the key too.
_PROBE_ENVIRON = (
    "HOME",
    "USERPROFILE",
    "HOMEDRIVE",
    "HOMEPATH",
    "APPDATA",
    "PYTHONUSERBASE",
    "PYTHONNOUSERSITE",
    "DEB_PYTHON_INSTALL_LAYOUT",
    "_PYTHON_SYSCONFIGDATA_NAME",
    "_PYTHON_HOST_PLATFORM",
)
_KEY_FIELD = "guard_cache_key"


def _cache_key(interpreter: str, source: str, environ: Mapping[str, str]) -> Optional[str]:
    """The text every input of one probe result is written into (None: no such file).

    Stored in the cache entry and compared on reading, so the short checksum that names the
    file (`_cache_name`) only has to spread entries, not to tell them apart: `hashlib` (~4 ms
    of start-up, OpenSSL) stays out of the pip wrapper's path.
    """
    import zlib

    absolute = os.path.abspath(interpreter)
    real = _realpath(absolute)
    try:
        st = os.stat(real)
    except OSError:
        return None
    bin_dir = os.path.dirname(absolute)
    getuid = getattr(os, "getuid", None)
    encoded = source.encode("utf-8")
    # A venv's python is a symlink to its base: the key holds the unresolved path and the
    # pyvenv.cfg that decides sys.prefix, or a venv and its base would share an entry.
    parts = [
        absolute,
        real,
        st.st_mtime_ns,
        st.st_size,
        _stat_token(os.path.join(bin_dir, "pyvenv.cfg")),
        _stat_token(os.path.join(os.path.dirname(bin_dir), "pyvenv.cfg")),
        [_probe.PROBE_VERSION, len(encoded), zlib.crc32(encoded), zlib.adler32(encoded)],
        {name: env_get(environ, name) for name in _PROBE_ENVIRON},
        getuid() if getuid is not None else None,
    ]
    return json.dumps(parts, sort_keys=True)


def _cache_name(key: str) -> str:
    import zlib

    encoded = key.encode("utf-8")
    return f"probe-{zlib.crc32(encoded):08x}{zlib.adler32(encoded):08x}.json"


# A probe answer is a few KB; anything much larger was not written by guard.
_CACHE_MAX_BYTES = 256 * 1024


def _cache_read(directory: str, key: str) -> Optional[dict[str, Any]]:
    text = read_private_file(os.path.join(directory, _cache_name(key)), _CACHE_MAX_BYTES)
    if text is None:
        return None  # a missing, foreign or broken cache is never fatal
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and data.pop(_KEY_FIELD, None) == key and data.get("probe_version") == _probe.PROBE_VERSION:
        return data
    return None


def read_private_file(path: str, limit: int) -> Optional[str]:
    """The text of `path` when it is a small regular file owned by this user, else None.

    A cache entry can be anything someone put there: a FIFO (opening it would block the
    pip wrapper), a link to `/dev/zero` (reading it would never end), another user's file.
    Opened without following a final symlink and without blocking, then checked on the
    open descriptor, so nothing is swapped in between the check and the read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            return None
        data = os.read(fd, limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > limit:
        return None
    return data.decode("utf-8", errors="replace")


def _cache_write(directory: str, key: str, data: Mapping[str, Any]) -> None:
    import tempfile

    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".probe-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({**data, _KEY_FIELD: key}, handle, sort_keys=True)
        os.replace(tmp, os.path.join(directory, _cache_name(key)))
    except OSError:
        pass


def probe_interpreter(interpreter: str, environ: Mapping[str, str]) -> dict[str, Any]:
    """The `interpreter` section for another interpreter. Raises FactsError."""
    if not os.path.exists(interpreter):
        raise FactsError(f"`{interpreter}` does not exist")
    if os.path.isdir(interpreter):
        raise FactsError(f"`{interpreter}` is a directory, not a Python interpreter")
    source = _probe_source()
    key = _cache_key(interpreter, source, environ)
    directory = cache_dir(environ)
    if key is not None:
        cached = _cache_read(directory, key)
        if cached is not None:
            return _probe.refresh(cached, environ)
    import subprocess  # only on a cache miss: ~7 ms of the pip wrapper's start-up otherwise

    try:
        # -E -s instead of -I: Python 2.7 has no -I; cwd leaves sys.path inside the probe.
        done = subprocess.run(
            [interpreter, "-E", "-s", "-c", source],
            env=dict(environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=_PROBE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        raise FactsError(f"`{interpreter}` is not a Python interpreter ({reason})") from None
    try:
        data = json.loads(done.stdout.decode("utf-8", "replace"))
    except ValueError:
        data = None
    if done.returncode != 0 or not isinstance(data, dict) or "prefix" not in data:
        raise FactsError(f"`{interpreter}` is not a Python interpreter (the probe failed)")
    if key is not None:
        _cache_write(directory, key, data)
    return data


# --- recorded facts ------------------------------------------------------------------------

# The types of docs/facts-format.md. A leaf is a tuple of accepted JSON types ("str", "int",
# "bool", "null", "list[int]", "list[str]", "map[str]": an object of strings); a dict is an
# object with those fields (others are allowed and ignored); "required" marks the fields
# that must be present and not null. Every optional field may be null ("unknown").
_S, _I, _B = ("str", "null"), ("int", "null"), ("bool", "null")
_PREFIX_MARKERS = {name: _B for name in ("conda_meta", "pixi", "envs_dir", "pipx_metadata", "uv_receipt")}
_SHELL_ENTRY = {
    "name": _S,
    "path": _S,
    "shim": _S,
    "interpreter": _S,
    "identity": _S,
    "error": _S,
    "realpath": _S,
    "version": _S,
    "venv": _B,
    "prefix": _S,
    "marker": _B,
    "conda_meta": _B,
    "pixi": _B,
    "envs_dir": _B,
}
_SCHEMA: dict[str, Any] = {
    "guard_facts": ("int", "null"),
    "target": {
        "how": _S,
        "spec": _S,
        "interpreter": _S,
        "via": ("list[str]", "null"),
        "note": _S,
        "source": _S,
        "pip": _S,
    },
    "interpreter": {
        "required": ("executable", "prefix", "base_prefix"),
        "probe_version": _I,
        **{
            name: _S
            for name in (
                "executable",
                "executable_realpath",
                "prefix",
                "prefix_realpath",
                "base_prefix",
                "base_prefix_realpath",
                "exec_prefix",
                "base_exec_prefix",
                "real_prefix",
                "version_string",
                "implementation",
                "platform",
                "os_name",
                "sysconfig_platform",
                "framework",
                "pythonframework",
                "pythonframeworkprefix",
                "stdlib",
                "default_scheme",
                "purelib",
                "platlib",
                "scripts",
                "data",
                "user_base",
                "user_site",
                "user_scheme",
                "user_scripts",
            )
        },
        **{
            name: _B
            for name in (
                "in_venv",
                "purelib_writable",
                "scripts_writable",
                "enable_user_site",
                "site_enable_user_site_flag",
            )
        },
        "version": ("list[int]", "null"),
        "executable_home": {"bin_dir": _S, "home": _S, "pyvenv_cfg": _B, "activate": _B},
        "marker": {"path": _S, "exists": _B, "text": _S},
        "pyvenv_cfg": {"path": _S, "exists": _B, "values": ("map[str]", "null")},
        "prefix_markers": _PREFIX_MARKERS,
        "base_prefix_markers": _PREFIX_MARKERS,
        "ids": {name: _I for name in ("uid", "euid", "gid", "egid")},
    },
    "process": {"euid": _I, "uid": _I, "cwd": _S, "platform": _S},
    "environ": ("map[str]", "null"),
    "container_markers": {"dockerenv": _B, "containerenv": _B},
    "os_release": {"id": _S, "name": _S, "version_id": _S},
    "shell": {"python": _SHELL_ENTRY, "pip": _SHELL_ENTRY},
    "virtual_env": {"path": ("str",), "exists": _B, "realpath": _S, "pre_commit": _B, "required": ("path",)},
    "project_venv": {"path": ("str",), "realpath": _S, "python": _S, "required": ("path",)},
    "path_checks": {"scripts_on_path": _B, "user_scripts_on_path": _B},
    "pip": {
        "environ": ("map[str]", "null"),
        "files": ("list[object]", "null"),
        "script": {"name": _S, "path": ("str",), "interpreter": _S, "required": ("path",)},
    },
}
# Each entry of `pip.files`.
_PIP_FILE = {
    "kind": ("str",),
    "path": ("str",),
    "exists": _B,
    "text": _S,
    "error": _S,
    "prefix": _S,
    "required": ("kind", "path"),
}
_TYPE_WORDS = {
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "null": "null",
    "list[int]": "a list of integers",
    "list[str]": "a list of strings",
    "map[str]": "an object of strings",
    "list[object]": "a list of objects",
}


def _is(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list[int]":
        return isinstance(value, list) and all(_is(v, "int") for v in value)
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "list[object]":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if kind == "map[str]":
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    raise AssertionError(kind)  # pragma: no cover - a typo in _SCHEMA


def _check(value: Any, spec: Any, where: str, path: str) -> None:
    """Raise FactsError naming the first field of `value` that does not fit `spec`."""
    if isinstance(spec, tuple):
        if not any(_is(value, kind) for kind in spec):
            words = " or ".join(_TYPE_WORDS[k] for k in spec if k != "null")
            raise FactsError(f"`{path}`: `{where}` must be {words}, not {json.dumps(value)[:40]}")
        return
    if value is None:
        return
    if not isinstance(value, dict):
        raise FactsError(f"`{path}`: `{where}` must be an object, not {json.dumps(value)[:40]}")
    for name in spec.get("required", ()):
        if value.get(name) is None:
            raise FactsError(f"`{path}`: `{where}.{name}` is required")
    for name, sub in spec.items():
        if name != "required" and name in value:
            _check(value[name], sub, f"{where}.{name}", path)


def load_facts(path: str) -> dict[str, Any]:
    """A recorded facts file (docs/facts-format.md). Raises FactsError with one line."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise FactsError(f"`{path}`: no such file") from None
    except OSError as exc:
        raise FactsError(f"`{path}`: cannot read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise FactsError(f"`{path}`: not valid JSON ({exc})") from None
    except RecursionError:
        raise FactsError(f"`{path}`: nested too deeply to read") from None
    return validate_facts(data, path)


def validate_facts(data: Any, path: str = "<facts>") -> dict[str, Any]:
    """`data` when every field has the type docs/facts-format.md gives it; else FactsError
    with one line naming the file and the field (`interpreter.marker.exists`)."""
    if not isinstance(data, dict):
        raise FactsError(f"`{path}`: facts must be a JSON object")
    version = data.get("guard_facts", FACTS_VERSION)
    if version is not None and not _is(version, "int"):
        raise FactsError(f"`{path}`: `guard_facts` must be an integer, not {json.dumps(version)[:40]}")
    if version is not None and version not in READABLE_VERSIONS:
        raise FactsError(f"`{path}`: unsupported guard_facts version {version!r}")
    if not isinstance(data.get("interpreter"), dict):
        raise FactsError(f"`{path}`: missing the `interpreter` object")
    for name, spec in _SCHEMA.items():
        if name in data:
            _check(data[name], spec, name, path)
    for i, entry in enumerate((data.get("pip") or {}).get("files") or ()):
        _check(entry, _PIP_FILE, f"pip.files[{i}]", path)
    return data
