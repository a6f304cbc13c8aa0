"""What kind of Python the facts describe, and the verdict for a plain `pip install` (R2-R5, R7).

Pure: everything comes from the facts dict, nothing from the disk or `os.environ`, so a macOS
or Windows case recorded as JSON classifies the same on Linux. Paths are compared as strings
after turning backslashes into slashes (and lower-casing, for Windows facts).
"""

from __future__ import annotations

import enum
import re

from guard._frozen import Frozen, _set

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` and `dataclasses` stay out of the pip wrapper's start-up
    from typing import Any, Mapping, Optional


class Verdict(enum.IntEnum):
    """Ordered: the most severe verdict wins (R7)."""

    OK = 0
    INFO = 1
    WARN = 2
    BLOCK = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Classification(Frozen):
    """The kind of environment, and the verdict for a plain `pip install` into it.

    A frozen record (guard._frozen: equality, hashing and repr of a frozen dataclass).
    """

    _fields = (
        "kind",
        "verdict",
        "in_venv",
        "externally_managed",
        "marker_message",
        "description",
        "reasons",
        "base_kind",
        "sudo",
        "notes",
    )
    __slots__ = _fields

    def __init__(
        self,
        kind: str,
        verdict: Verdict,
        in_venv: bool,
        externally_managed: bool,
        marker_message: Optional[str],
        description: str,
        reasons: tuple[str, ...],
        base_kind: Optional[str] = None,
        sudo: bool = False,
        notes: tuple[str, ...] = (),
    ) -> None:
        _set(self, "kind", kind)
        _set(self, "verdict", verdict)
        _set(self, "in_venv", in_venv)
        _set(self, "externally_managed", externally_managed)
        _set(self, "marker_message", marker_message)
        _set(self, "description", description)
        _set(self, "reasons", reasons)
        _set(self, "base_kind", base_kind)
        _set(self, "sudo", sudo)
        _set(self, "notes", notes)

    kind: str
    verdict: Verdict
    in_venv: bool
    externally_managed: bool
    marker_message: Optional[str]
    description: str
    reasons: tuple[str, ...]
    base_kind: Optional[str]  # for venvs: the kind of the interpreter they were made from
    sudo: bool
    notes: tuple[str, ...]


KINDS = (
    "venv",
    "tool-venv",
    "broken-venv",
    "conda-env",
    "pixi-env",
    "conda-base",
    "distro",
    "local-build",
    "container-system",
    "apple-clt",
    "apple-xcode",
    "apple-system-py2",
    "macos-python-org",
    "homebrew",
    "macports",
    "pyenv",
    "asdf",
    "mise",
    "uv-managed",
    "nix",
    "ci-toolcache",
    "windows-store",
    "windows-python-org-user",
    "windows-python-org-allusers",
    "windows-pymanager",
    "msys2",
    "app-embedded",
    "other-global",
)

# R7: verdict of a plain install, by kind. ci-toolcache is info only under CI (see below).
KIND_VERDICT: dict[str, Verdict] = {
    "venv": Verdict.OK,
    "conda-env": Verdict.OK,
    "pixi-env": Verdict.OK,
    "distro": Verdict.BLOCK,
    "apple-system-py2": Verdict.BLOCK,
    "apple-clt": Verdict.BLOCK,
    "apple-xcode": Verdict.BLOCK,
    "homebrew": Verdict.BLOCK,
    "macports": Verdict.BLOCK,
    "uv-managed": Verdict.BLOCK,
    "nix": Verdict.BLOCK,
    "msys2": Verdict.BLOCK,
    "app-embedded": Verdict.BLOCK,
    "macos-python-org": Verdict.WARN,
    "windows-store": Verdict.WARN,
    "windows-python-org-user": Verdict.WARN,
    "windows-python-org-allusers": Verdict.WARN,
    "windows-pymanager": Verdict.WARN,
    "pyenv": Verdict.WARN,
    "asdf": Verdict.WARN,
    "mise": Verdict.WARN,
    "local-build": Verdict.WARN,
    "other-global": Verdict.WARN,
    "conda-base": Verdict.WARN,
    "tool-venv": Verdict.WARN,
    "broken-venv": Verdict.WARN,
    "ci-toolcache": Verdict.WARN,
    "container-system": Verdict.INFO,
}

KIND_WORDS: dict[str, str] = {
    "venv": "virtual environment",
    "tool-venv": "tool-owned virtual environment",
    "broken-venv": "broken virtual environment (pyvenv.cfg missing)",
    "conda-env": "conda environment",
    "pixi-env": "pixi environment",
    "conda-base": "conda base environment",
    "distro": "Linux distribution's system Python",
    "local-build": "locally built Python (/usr/local)",
    "container-system": "container image's system Python",
    "apple-clt": "Apple Command Line Tools Python",
    "apple-xcode": "Xcode's bundled Python",
    "apple-system-py2": "macOS system Python",
    "macos-python-org": "python.org framework Python",
    "homebrew": "Homebrew Python",
    "macports": "MacPorts Python",
    "pyenv": "pyenv-installed Python",
    "asdf": "asdf-installed Python",
    "mise": "mise-installed Python",
    "uv-managed": "uv-managed Python",
    "nix": "Nix store Python",
    "ci-toolcache": "CI tool-cache Python",
    "windows-store": "Microsoft Store Python",
    "windows-python-org-user": "python.org Python (per-user install)",
    "windows-python-org-allusers": "python.org Python (all-users install)",
    "windows-pymanager": "Python install manager Python",
    "msys2": "MSYS2 Python",
    "app-embedded": "Python embedded in an application bundle",
    "other-global": "global Python of unknown origin",
}

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "BUILDKITE", "CIRCLECI", "JENKINS_URL")

_XCODE = re.compile(r"/applications/xcode[^/]*\.app/contents/developer/", re.IGNORECASE)
_APP_BUNDLE = re.compile(r"\.app/contents/", re.IGNORECASE)


def _get(mapping: Mapping[str, Any], name: str) -> Any:
    value = mapping.get(name)
    if value is not None:
        return value
    upper = name.upper()
    for key, item in mapping.items():
        if isinstance(key, str) and key.upper() == upper:
            return item
    return None


def _truthy(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() not in ("", "0", "false", "no")


class _Paths:
    """String path logic for facts from any OS."""

    def __init__(self, windows: bool) -> None:
        self.windows = windows

    def norm(self, path: Optional[str]) -> str:
        if not path:
            return ""
        text = path.replace("\\", "/")
        text = re.sub(r"/+", "/", text)
        return text.lower() if self.windows else text

    def under(self, path: Optional[str], directory: Optional[str]) -> bool:
        p, d = self.norm(path), self.norm(directory).rstrip("/")
        return bool(p and d) and (p == d or p.startswith(d + "/"))

    def same(self, a: Optional[str], b: Optional[str]) -> bool:
        return bool(a and b) and self.norm(a).rstrip("/") == self.norm(b).rstrip("/")

    def join(self, *parts: str) -> str:
        return "/".join(self.norm(p).rstrip("/") for p in parts)


def parse_marker(text: Optional[str]) -> Optional[str]:
    """The `Error` value of an EXTERNALLY-MANAGED file (PEP 668), as configparser reads it."""
    if not text:
        return None
    section = None
    value: Optional[list[str]] = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if value is not None:
            if raw[:1] in (" ", "\t") or not line:
                value.append(line.strip())
                continue
            break
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            continue
        if section == "externally-managed" and re.match(r"error\s*[=:]", stripped, re.IGNORECASE):
            value = [re.split(r"[=:]", stripped, maxsplit=1)[1].strip()]
    if value is None:
        return None
    message = "\n".join(value).strip()
    return message or None


def is_sudo(facts: Mapping[str, Any]) -> bool:
    interpreter = facts.get("interpreter") or {}
    process = facts.get("process") or {}
    euid = (interpreter.get("ids") or {}).get("euid")
    if euid is None:
        euid = process.get("euid")
    return euid == 0 and bool(_get(facts.get("environ") or {}, "SUDO_USER"))


def in_container(facts: Mapping[str, Any]) -> bool:
    markers = facts.get("container_markers") or {}
    environ = facts.get("environ") or {}
    return bool(markers.get("dockerenv") or markers.get("containerenv") or environ.get("container"))


def in_ci(facts: Mapping[str, Any]) -> bool:
    environ = facts.get("environ") or {}
    return any(_truthy(_get(environ, name)) for name in CI_VARIABLES)


def is_windows(interpreter: Mapping[str, Any]) -> bool:
    return interpreter.get("os_name") == "nt" or str(interpreter.get("platform", "")).startswith("win")


def _home(environ: Mapping[str, Any]) -> str:
    return str(_get(environ, "HOME") or _get(environ, "USERPROFILE") or "~")


def tool_venv_owner(facts: Mapping[str, Any]) -> Optional[str]:
    """`guard` (the venv guard runs from), `pipx`, `uv tool` or `pre-commit` when that tool
    owns the venv (R2)."""
    interpreter = facts.get("interpreter") or {}
    environ = facts.get("environ") or {}
    paths = _Paths(is_windows(interpreter))
    markers = interpreter.get("prefix_markers") or {}
    prefixes = [interpreter.get("prefix"), interpreter.get("prefix_realpath")]
    home = _home(environ)
    xdg_data = _get(environ, "XDG_DATA_HOME") or paths.join(home, ".local/share")
    xdg_cache = _get(environ, "XDG_CACHE_HOME") or paths.join(home, ".cache")
    pipx_dirs = [paths.join(home, ".local/pipx/venvs"), paths.join(xdg_data, "pipx/venvs")]
    if _get(environ, "PIPX_HOME"):
        pipx_dirs.insert(0, paths.join(_get(environ, "PIPX_HOME"), "venvs"))
    uv_dirs = [_get(environ, "UV_TOOL_DIR") or paths.join(xdg_data, "uv/tools")]
    pre_commit_dirs = [_get(environ, "PRE_COMMIT_HOME") or paths.join(xdg_cache, "pre-commit")]

    def any_under(dirs: list[str]) -> bool:
        return any(paths.under(p, d) for p in prefixes for d in dirs)

    guard_environment = facts.get("guard_environment")
    if guard_environment and any(paths.same(p, guard_environment) for p in prefixes if p):
        return "guard"
    if markers.get("pipx_metadata") or any_under(pipx_dirs):
        return "pipx"
    if markers.get("uv_receipt") or any_under(uv_dirs):
        return "uv tool"
    if any_under(pre_commit_dirs):
        return "pre-commit"
    return None


def conda_kind(interpreter: Mapping[str, Any], environ: Mapping[str, Any]) -> Optional[str]:
    """R3: `pixi-env`, `conda-base` or `conda-env` for a prefix with conda-meta, else None."""
    markers = interpreter.get("prefix_markers") or {}
    if not markers.get("conda_meta"):
        return None
    if markers.get("pixi"):
        return "pixi-env"
    paths = _Paths(is_windows(interpreter))
    prefix = interpreter.get("prefix") or ""
    prefixes = [prefix, interpreter.get("prefix_realpath") or prefix]
    root = _get(environ, "_CONDA_ROOT")
    if root and any(paths.same(p, root) for p in prefixes):
        return "conda-base"
    default_env = _get(environ, "CONDA_DEFAULT_ENV")
    conda_prefix = _get(environ, "CONDA_PREFIX")
    if default_env in ("base", "root") and any(paths.same(p, conda_prefix) for p in prefixes):
        return "conda-base"
    parent = paths.norm(prefix).rstrip("/").rsplit("/", 1)[0].rsplit("/", 1)[-1]
    if markers.get("envs_dir") and parent != "envs":
        return "conda-base"
    return "conda-env"


def name_global(facts: Mapping[str, Any]) -> str:
    """R5: the kind of a non-venv, non-conda interpreter; the first matching rule wins."""
    interpreter = facts.get("interpreter") or {}
    environ = facts.get("environ") or {}
    windows = is_windows(interpreter)
    paths = _Paths(windows)
    base = interpreter.get("base_prefix") or interpreter.get("prefix") or ""
    candidates = [
        paths.norm(p) + "/"
        for p in (
            base,
            interpreter.get("base_prefix_realpath"),
            interpreter.get("executable"),
            interpreter.get("executable_realpath"),
        )
        if p
    ]

    def has(fragment: str) -> bool:
        needle = fragment.lower() if windows else fragment
        return any(needle in c for c in candidates)

    def under(directory: Optional[str]) -> bool:
        return bool(directory) and any(paths.under(c, directory) for c in candidates)

    framework = interpreter.get("pythonframework") or ""
    framework_prefix = interpreter.get("pythonframeworkprefix") or ""
    home = _home(environ)
    xdg_data = _get(environ, "XDG_DATA_HOME") or paths.join(home, ".local/share")

    if has("/System/Library/Frameworks/Python.framework/"):
        return "apple-system-py2"
    if framework == "Python3" and has("/Library/Developer/CommandLineTools/"):
        return "apple-clt"
    if framework == "Python3" and any(_XCODE.search(c) for c in candidates):
        return "apple-xcode"
    # Homebrew's sitecustomize rewrites Cellar paths to opt paths: match both.
    if has("/Cellar/python@") or has("/opt/python@") or has("/Cellar/python/"):
        return "homebrew"
    if has("/opt/local/Library/Frameworks/Python.framework/"):
        return "macports"
    if framework_prefix == "/Library/Frameworks" and framework in ("Python", "PythonT"):
        return "macos-python-org"
    pyenv_root = _get(environ, "PYENV_ROOT") or paths.join(home, ".pyenv")
    if under(paths.join(pyenv_root, "versions")) or has("/.pyenv/versions/") or has("/pyenv-win/versions/"):
        return "pyenv"
    asdf_root = _get(environ, "ASDF_DATA_DIR") or paths.join(home, ".asdf")
    if under(paths.join(asdf_root, "installs/python")) or has("/.asdf/installs/python/"):
        return "asdf"
    mise_root = _get(environ, "MISE_DATA_DIR") or paths.join(xdg_data, "mise")
    if under(paths.join(mise_root, "installs/python")) or has("/mise/installs/python/"):
        return "mise"
    uv_dir = _get(environ, "UV_PYTHON_INSTALL_DIR") or paths.join(xdg_data, "uv/python")
    if under(uv_dir) or has("/uv/python/cpython-") or has("/uv/python/pypy-"):
        return "uv-managed"
    if has("/nix/store/"):
        return "nix"
    if has("/hostedtoolcache/"):
        return "ci-toolcache"
    if any(_APP_BUNDLE.search(c) for c in candidates[:2]):
        return "app-embedded"
    if windows:
        return _name_windows(paths, candidates, environ, interpreter)
    real_base = paths.norm(interpreter.get("base_prefix_realpath") or base).rstrip("/")
    if real_base == "/usr":
        return "distro"
    if real_base == "/usr/local":
        return "container-system" if in_container(facts) else "local-build"
    return "other-global"


def _name_windows(
    paths: _Paths,
    candidates: list[str],
    environ: Mapping[str, Any],
    interpreter: Mapping[str, Any],
) -> str:
    def has(fragment: str) -> bool:
        return any(fragment.lower() in c for c in candidates)

    if has("/windowsapps/pythonsoftwarefoundation.python."):
        return "windows-store"
    if has("/msys64/") or has("/msys32/") or str(interpreter.get("sysconfig_platform", "")).startswith("mingw"):
        return "msys2"
    local = _get(environ, "LOCALAPPDATA")
    if (
        local
        and any(paths.under(c, paths.join(local, "Python/pythoncore-")) or paths.join(local, "Python/pythoncore-") in c for c in candidates)
    ) or has("/appdata/local/python/pythoncore-"):
        return "windows-pymanager"
    if (local and any(paths.under(c, paths.join(local, "Programs/Python")) for c in candidates)) or has("/appdata/local/programs/python/"):
        return "windows-python-org-user"
    program_dirs = [_get(environ, name) for name in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")]
    for directory in [d for d in program_dirs if d] + ["c:/program files", "c:/program files (x86)"]:
        root = paths.norm(directory).rstrip("/") + "/python"
        if any(c.startswith(root) for c in candidates):
            return "windows-python-org-allusers"
    return "other-global"


def _version(interpreter: Mapping[str, Any]) -> str:
    version = interpreter.get("version")
    if isinstance(version, list) and len(version) >= 2:
        return f"{version[0]}.{version[1]}"
    text = str(interpreter.get("version_string") or "")
    return ".".join(text.split(".")[:2])


def _describe(kind: str, facts: Mapping[str, Any], base_kind: Optional[str]) -> str:
    interpreter = facts.get("interpreter") or {}
    version = _version(interpreter)
    prefix = interpreter.get("prefix") or ""
    py = f"Python {version}" if version else "Python"
    if kind == "venv":
        made = f", made from {kind_words(base_kind, facts)}" if base_kind in KIND_WORDS else ""
        return f"virtual environment `{prefix}` ({py}{made})"
    if kind == "tool-venv":
        return f"{tool_venv_owner(facts) or 'tool'}'s virtual environment `{prefix}` ({py})"
    if kind == "broken-venv":
        home = (interpreter.get("executable_home") or {}).get("home") or prefix
        return f"broken virtual environment `{home}` (no pyvenv.cfg; runs as {py} in `{prefix}`)"
    if kind == "distro":
        name = (facts.get("os_release") or {}).get("name")
        who = f"{name}'s" if name else "the Linux distribution's"
        return f"{who} system {py}"
    if kind == "macos-python-org":
        threaded = " free-threaded" if interpreter.get("pythonframework") == "PythonT" else ""
        return f"python.org{threaded} framework {py} on macOS"
    if kind in ("conda-env", "pixi-env", "conda-base"):
        return f"{KIND_WORDS[kind]} `{prefix}` ({py})"
    return with_version(KIND_WORDS.get(kind, kind), version)


def describe_kind(kind: str, facts: Mapping[str, Any]) -> str:
    """`kind` in words with the version of the facts' interpreter (`Debian GNU/Linux's system
    Python 3.11`, `pyenv-installed Python 3.12`), as the `Kind:` line says it."""
    return _describe(kind, facts, None)


def with_version(words: str, version: str) -> str:
    """`global Python of unknown origin` -> `global Python 3.12 of unknown origin`."""
    if not version:
        return words
    at = words.rfind("Python")
    if at < 0:
        return f"{words} {version}"
    end = at + len("Python")
    return f"{words[:end]} {version}{words[end:]}"


def with_article(phrase: str) -> str:
    """`a`/`an` before a description, unless it is possessive (`Debian's system Python`)."""
    first = phrase.split(" ", 1)[0]
    if first in ("the", "a", "an"):
        return phrase
    if "'s " in phrase.split("Python", 1)[0]:
        return phrase if phrase[:1].isupper() else "the " + phrase
    return ("an " if phrase[:1].lower() in "aeio" or first.startswith("MSYS") else "a ") + phrase


def classify(facts: Mapping[str, Any]) -> Classification:
    """Kind and plain-install verdict of the target interpreter described by `facts`. Pure."""
    interpreter = facts.get("interpreter") or {}
    environ = facts.get("environ") or {}
    prefix = interpreter.get("prefix") or ""
    base_prefix = interpreter.get("base_prefix") or prefix
    in_venv = bool(interpreter.get("real_prefix")) or prefix != base_prefix
    sudo = is_sudo(facts)
    marker = interpreter.get("marker") or {}
    marker_exists = bool(marker.get("exists"))
    marker_message = parse_marker(marker.get("text")) if marker_exists else None
    reasons: list[str] = []
    notes: list[str] = []
    base_kind: Optional[str] = None

    if in_venv:
        externally_managed = False  # R4: the venv test comes first
        base_kind = name_global(facts)
        pyvenv = interpreter.get("pyvenv_cfg") or {}
        owner = tool_venv_owner(facts)
        if not pyvenv.get("exists", True) and not interpreter.get("real_prefix"):
            kind = "broken-venv"
            reasons.append(f"`{prefix}` is a venv without `pyvenv.cfg`.")
        elif owner == "guard":
            kind = "tool-venv"
            reasons.append(f"`{prefix}` is guard's own installation environment, not your project's.")
        elif owner is not None:
            kind = "tool-venv"
            reasons.append(f"`{prefix}` belongs to {owner}; installing into it by hand is undone on its next upgrade.")
        else:
            kind = "venv"
            reasons.append(f"`{prefix}` is a virtual environment.")
            values = pyvenv.get("values") or {}
            if str(values.get("include-system-site-packages", "")).lower() == "true":
                notes.append("It also sees the base interpreter's site-packages (include-system-site-packages = true).")
        verdict = KIND_VERDICT[kind]
        if sudo:
            verdict = max(verdict, Verdict.WARN)
            reasons.append("Running as root through sudo writes root-owned files into the venv.")
        return Classification(
            kind=kind,
            verdict=verdict,
            in_venv=True,
            externally_managed=False,
            marker_message=None,
            description=_describe(kind, facts, base_kind),
            reasons=tuple(reasons),
            base_kind=base_kind,
            sudo=sudo,
            notes=tuple(notes),
        )

    externally_managed = marker_exists
    home = interpreter.get("executable_home") or {}
    paths = _Paths(is_windows(interpreter))
    broken = (
        bool(home.get("activate"))
        and not home.get("pyvenv_cfg")
        and not paths.same(home.get("home"), prefix)
        and not paths.same(home.get("home"), interpreter.get("prefix_realpath"))
    )
    global_kind = conda_kind(interpreter, environ) or name_global(facts)
    verdict = KIND_VERDICT.get(global_kind, Verdict.WARN)
    if global_kind == "ci-toolcache" and in_ci(facts):
        verdict = Verdict.INFO
    if broken:
        kind = "broken-venv"
        base_kind = global_kind
        reasons.append(
            f"`{home.get('home')}` looks like a venv but has no `pyvenv.cfg`, so its python runs as the base interpreter `{prefix}`."
        )
        verdict = max(Verdict.WARN, verdict)
    else:
        kind = global_kind
    reasons.append(_kind_reason(global_kind, prefix, verdict, facts))
    if externally_managed:
        verdict = Verdict.BLOCK
        reasons.append(f"`{marker.get('path')}` marks it as externally managed (PEP 668).")
    if sudo:
        verdict = Verdict.BLOCK
        reasons.append("Running as root through sudo, outside a venv, writes into the system.")
    return Classification(
        kind=kind,
        verdict=verdict,
        in_venv=False,
        externally_managed=externally_managed,
        marker_message=marker_message,
        description=_describe(kind, facts, base_kind),
        reasons=tuple(reasons),
        base_kind=base_kind,
        sudo=sudo,
        notes=tuple(notes),
    )


def kind_words(kind: Optional[str], facts: Mapping[str, Any]) -> str:
    """The kind in words with `the`, or the distribution's own name (`Debian GNU/Linux's
    system Python`) when the facts know it."""
    if kind == "distro":
        name = (facts.get("os_release") or {}).get("name")
        if name:
            return f"{name}'s system Python"
    return "the " + KIND_WORDS.get(kind or "", kind or "")


def _kind_reason(kind: str, prefix: str, verdict: Verdict, facts: Mapping[str, Any]) -> str:
    if kind in ("conda-env", "pixi-env"):
        return f"`{prefix}` is a {KIND_WORDS[kind]}, which is meant to be installed into."
    words = kind_words(kind, facts)
    if verdict == Verdict.BLOCK:
        return f"`{prefix}` is {words}; its packages belong to the tool that installed it."
    if verdict == Verdict.INFO:
        return f"`{prefix}` is {words}, a throwaway place to install."
    return f"`{prefix}` is {words}, shared by every project that uses it."


def plain_install_destination(facts: Mapping[str, Any], classification: Classification) -> dict[str, Any]:
    """Where a plain `pip install` would land (R6 without arguments): `purelib`, the user site
    when purelib is not writable and the user site is enabled (pip falls back silently), or
    `refused` when pip itself would refuse (marker outside a venv)."""
    interpreter = facts.get("interpreter") or {}
    checks = facts.get("path_checks") or {}
    if classification.externally_managed:
        return {"where": "refused", "path": None, "scripts": None, "scripts_on_path": None}
    if (
        not classification.in_venv
        and interpreter.get("purelib_writable") is False
        and interpreter.get("enable_user_site")
        and interpreter.get("user_site")
    ):
        return {
            "where": "user-site",
            "path": interpreter.get("user_site"),
            "scripts": interpreter.get("user_scripts"),
            "scripts_on_path": checks.get("user_scripts_on_path"),
        }
    return {
        "where": "purelib",
        "path": interpreter.get("purelib"),
        "scripts": interpreter.get("scripts"),
        "scripts_on_path": checks.get("scripts_on_path"),
    }
