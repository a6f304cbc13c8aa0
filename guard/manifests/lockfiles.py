"""Lock files: `uv.lock`, `poetry.lock`, `pdm.lock`, `Pipfile.lock`, `pylock.toml` (PEP 751).

Read for two things. As the `lockfile` kind, each lock file is checked on its own: entries
without hashes (PIN203), VCS entries without a full commit (PIN204), a format newer than
guard reads or a file that does not parse (GRD102). For manifests, `locked_names` says which
names a lock beside the manifest fixes, so that an application's dependencies count as
locked and names missing from the lock are reported as drift (PIN202).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Optional

from guard.finding import Finding
from guard.pinning import normalise_name
from guard.rules import get as rule
from guard.textfile import UnreadableFile, read_text

if TYPE_CHECKING:
    from guard.checks import RunContext
    from guard.config import Settings

PROJECT_LOCKS = ("uv.lock", "poetry.lock", "pdm.lock", "pylock.toml")
PIPFILE_LOCK = "Pipfile.lock"
# Newest format major version guard understands, per lock file family.
SUPPORTED = {"uv": 1, "poetry": 2, "pdm": 4, "pipfile": 6, "pylock": 1}
_FULL_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$", re.I)


@dataclass(frozen=True)
class LockInfo:
    """One package a lock file fixes."""

    name: str  # normalised
    version: Optional[str]
    line: int
    column: int
    source: str  # registry, url, vcs, directory, path, editable, virtual
    hashed: bool
    vcs_url: Optional[str] = None
    commit: Optional[str] = None  # full commit of a VCS entry, None when the lock has none
    lock_path: str = ""

    @property
    def needs_hash(self) -> bool:
        return self.source in ("registry", "url")


@dataclass
class LockFile:
    path: str  # as shown
    family: str
    entries: list[LockInfo] = field(default_factory=list)
    error: Optional[tuple[int, int, str]] = None  # a parse error or a newer format


def family_of(path: str) -> str:
    name = os.path.basename(path).lower()
    if name == "uv.lock" or name.endswith(".py.lock"):
        return "uv"
    if name == "poetry.lock":
        return "poetry"
    if name == "pdm.lock":
        return "pdm"
    if name == "pipfile.lock":
        return "pipfile"
    return "pylock"


_CACHE: dict[tuple[str, int, int, str], "LockFile | UnreadableFile"] = {}


def read_lock(path: str, shown: str) -> LockFile | UnreadableFile:
    """The parsed lock file (cached by path, size and modification time)."""
    try:
        stat = os.stat(path)
        key = (os.path.realpath(path), stat.st_mtime_ns, stat.st_size, shown)
    except OSError:
        key = (os.path.realpath(path), -1, -1, shown)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    try:
        text = read_text(path)
    except UnreadableFile as error:
        result: LockFile | UnreadableFile = error
    else:
        result = parse_lock(text, shown, family_of(path))
    _CACHE[key] = result
    return result


def parse_lock(text: str, shown: str, family: str) -> LockFile:
    lock = LockFile(shown, family)
    if family == "pipfile":
        _parse_pipfile_lock(text, lock)
        return lock
    from guard.manifests.tomlpos import TomlPositions, decode_error_message, decode_error_position
    from guard.tomlcompat import TOMLDecodeError, loads

    try:
        data = loads(text)
    except TOMLDecodeError as error:
        line, column = decode_error_position(error, text)
        lock.error = (line, column, f"`{shown}` is not valid TOML: {decode_error_message(error)}")
        return lock
    pos = TomlPositions(text)
    reader = {"uv": _uv, "poetry": _poetry, "pdm": _pdm, "pylock": _pylock}[family]
    reader(data, pos, lock)
    return lock


def _newer(lock: LockFile, version: Any, where: tuple[int, int]) -> bool:
    """True (and the error set) when `version` has a major above what guard reads."""
    text = str(version)
    match = re.match(r"^\s*(\d+)", text)
    if match is None:
        return False
    supported = SUPPORTED[lock.family]
    if int(match.group(1)) > supported:
        lock.error = (where[0], where[1], f"`{lock.path}` uses lock format version {text}, newer than guard reads (up to {supported}.x); its entries were not checked")
        return True
    return False


def _entry(lock: LockFile, pos: Any, path: tuple[Any, ...], name: Any, version: Any, source: str, hashed: bool, vcs_url: Optional[str] = None, commit: Optional[str] = None) -> None:
    if not isinstance(name, str):
        return
    line, column = pos.locate(*path, "name")
    lock.entries.append(
        LockInfo(
            normalise_name(name),
            version if isinstance(version, str) else None,
            line,
            column,
            source,
            hashed,
            vcs_url,
            commit if commit and _FULL_SHA.match(commit) else None,
            lock.path,
        )
    )


def _tables(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, Mapping)]


def _has_hash(value: Any, key: str = "hash") -> bool:
    if isinstance(value, Mapping):
        return bool(value.get(key))
    if isinstance(value, list):
        return any(_has_hash(item, key) for item in value)
    return False


def _uv(data: Mapping[str, Any], pos: Any, lock: LockFile) -> None:
    if _newer(lock, data.get("version", 1), pos.locate("version")):
        return
    for index, package in _tables(data.get("package")):
        source = package.get("source")
        source = source if isinstance(source, Mapping) else {"registry": ""}
        kind = next((k for k in ("registry", "git", "url", "path", "directory", "editable", "virtual") if k in source), "registry")
        hashed = _has_hash(package.get("sdist")) or _has_hash(package.get("wheels"))
        vcs_url = commit = None
        if kind == "git":
            url = str(source.get("git"))
            vcs_url, _, commit = url.partition("#")
        _entry(lock, pos, ("package", index), package.get("name"), package.get("version"), "vcs" if kind == "git" else kind, hashed, vcs_url, commit)


def _poetry(data: Mapping[str, Any], pos: Any, lock: LockFile) -> None:
    metadata: Mapping[str, Any] = data["metadata"] if isinstance(data.get("metadata"), Mapping) else {}
    if _newer(lock, metadata.get("lock-version", "1.0"), pos.locate("metadata", "lock-version")):
        return
    old_files: Mapping[str, Any] = metadata["files"] if isinstance(metadata.get("files"), Mapping) else {}
    for index, package in _tables(data.get("package")):
        source: Mapping[str, Any] = package["source"] if isinstance(package.get("source"), Mapping) else {}
        kind = str(source.get("type", "registry"))
        name = package.get("name")
        files = package.get("files", old_files.get(name) if isinstance(name, str) else None)
        hashed = _has_hash(files)
        if kind == "git":
            _entry(lock, pos, ("package", index), name, package.get("version"), "vcs", hashed, str(source.get("url")), str(source.get("resolved_reference") or ""))
        else:
            mapped = {"directory": "directory", "file": "path", "url": "url"}.get(kind, "registry")
            _entry(lock, pos, ("package", index), name, package.get("version"), mapped, hashed)


def _pdm(data: Mapping[str, Any], pos: Any, lock: LockFile) -> None:
    metadata: Mapping[str, Any] = data["metadata"] if isinstance(data.get("metadata"), Mapping) else {}
    if _newer(lock, metadata.get("lock_version", "4.0"), pos.locate("metadata", "lock_version")):
        return
    for index, package in _tables(data.get("package")):
        hashed = _has_hash(package.get("files"))
        vcs = next((k for k in ("git", "hg", "svn", "bzr") if k in package), None)
        if vcs is not None:
            _entry(lock, pos, ("package", index), package.get("name"), package.get("version"), "vcs", hashed, str(package.get(vcs)), str(package.get("revision") or ""))
        elif "path" in package:
            _entry(lock, pos, ("package", index), package.get("name"), package.get("version"), "editable" if package.get("editable") else "directory", hashed)
        else:
            _entry(lock, pos, ("package", index), package.get("name"), package.get("version"), "url" if "url" in package else "registry", hashed)


def _pylock(data: Mapping[str, Any], pos: Any, lock: LockFile) -> None:
    if _newer(lock, data.get("lock-version", "1.0"), pos.locate("lock-version")):
        return
    for index, package in _tables(data.get("packages")):
        name, version = package.get("name"), package.get("version")
        vcs = package.get("vcs")
        if isinstance(vcs, Mapping):
            _entry(lock, pos, ("packages", index), name, version, "vcs", False, str(vcs.get("url") or vcs.get("path")), str(vcs.get("commit-id") or ""))
            continue
        if "directory" in package:
            _entry(lock, pos, ("packages", index), name, version, "directory", False)
            continue
        hashed = any(_has_hash(package.get(key), "hashes") for key in ("archive", "sdist", "wheels"))
        _entry(lock, pos, ("packages", index), name, version, "url" if "archive" in package else "registry", hashed)


def _parse_pipfile_lock(text: str, lock: LockFile) -> None:
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        lock.error = (error.lineno, error.colno, f"`{lock.path}` is not valid JSON: {error.msg}")
        return
    if not isinstance(data, Mapping):
        lock.error = (1, 1, f"`{lock.path}` must hold a JSON object")
        return
    meta: Mapping[str, Any] = data["_meta"] if isinstance(data.get("_meta"), Mapping) else {}
    spec_match = re.search(r'"pipfile-spec"\s*:', text)
    if _newer(lock, meta.get("pipfile-spec", 6), _text_position(text, spec_match.start() if spec_match else 0)):
        return
    for section in ("default", "develop"):
        entries = data.get(section)
        if not isinstance(entries, Mapping):
            continue
        start = re.search(r'"' + section + r'"\s*:', text)
        offset = start.end() if start else 0
        for name, entry in entries.items():
            if not isinstance(entry, Mapping):
                continue
            found = re.compile(r'"' + re.escape(json.dumps(name)[1:-1]) + r'"\s*:').search(text, offset)
            line, column = _text_position(text, found.start() if found else offset)
            vcs = next((k for k in ("git", "hg", "svn", "bzr") if k in entry), None)
            if vcs is not None:
                source, vcs_url, commit = "vcs", str(entry.get(vcs)), str(entry.get("ref") or "")
            elif "path" in entry:
                source, vcs_url, commit = ("editable" if entry.get("editable") else "directory"), None, None
            else:
                source, vcs_url, commit = ("url" if "file" in entry else "registry"), None, None
            lock.entries.append(
                LockInfo(normalise_name(str(name)), entry.get("version") if isinstance(entry.get("version"), str) else None,
                         line, column, source, bool(entry.get("hashes")), vcs_url,
                         commit if commit and _FULL_SHA.match(commit) else None, lock.path)
            )


def _text_position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# --- coverage, for manifests ---------------------------------------------------------------


def find_locks(project_dir: str, pipfile: bool = False) -> list[str]:
    """Lock files that fix the dependencies of the manifest in `project_dir`.

    A uv workspace member is locked by the workspace root's `uv.lock`, so parents holding a
    `uv.lock` beside a `[tool.uv.workspace]` pyproject.toml count too.
    """
    if pipfile:
        candidate = os.path.join(project_dir, PIPFILE_LOCK)
        return [candidate] if os.path.isfile(candidate) else []
    found = [os.path.join(project_dir, name) for name in PROJECT_LOCKS if os.path.isfile(os.path.join(project_dir, name))]
    try:
        found.extend(sorted(os.path.join(project_dir, name) for name in os.listdir(project_dir)
                            if re.fullmatch(r"pylock\.[^/\\]+\.toml", name, re.I)))
    except OSError:
        pass
    if found:
        return found
    directory = os.path.dirname(os.path.abspath(project_dir))
    while True:
        lock = os.path.join(directory, "uv.lock")
        if os.path.isfile(lock) and _declares_workspace(os.path.join(directory, "pyproject.toml")):
            return [lock]
        if os.path.exists(os.path.join(directory, ".git")) or os.path.dirname(directory) == directory:
            return []
        directory = os.path.dirname(directory)


def _declares_workspace(pyproject: str) -> bool:
    try:
        with open(pyproject, encoding="utf-8", errors="replace") as handle:
            return "tool.uv.workspace" in handle.read()
    except OSError:
        return False


def locked_names(project_dir: str, pipfile: bool = False) -> Optional[dict[str, LockInfo]]:
    """Names fixed by the lock files of `project_dir`; None when there is no usable lock.

    A lock that cannot be read, does not parse or is of a newer format counts as absent
    here (the `lockfile` check reports it), so coverage is never claimed from it.
    """
    names: Optional[dict[str, LockInfo]] = None
    for path in find_locks(project_dir, pipfile):
        lock = read_lock(path, path)
        if isinstance(lock, UnreadableFile) or lock.error is not None:
            continue
        if names is None:
            names = {}
        for entry in lock.entries:
            names.setdefault(entry.name, entry)
    return names


# --- the `lockfile` kind -------------------------------------------------------------------


def lock_findings(lock: LockFile, settings: Settings) -> list[Finding]:
    if lock.error is not None:
        line, column, message = lock.error
        return [rule("GRD102").finding(lock.path, line, column, message)]
    out: list[Finding] = []
    for entry in lock.entries:
        if entry.name in settings.allow:
            continue
        override = settings.package_rule(entry.name)
        if override is not None and override.level is None:
            continue
        version = f" {entry.version}" if entry.version else ""
        if entry.source == "vcs" and entry.commit is None:
            out.append(rule("PIN204").finding(lock.path, entry.line, entry.column,
                                              f"lock entry `{entry.name}`{version} from `{entry.vcs_url}` has no full commit hash",
                                              package=entry.name, fix="pin the dependency to a commit and lock again"))
        elif entry.needs_hash and not entry.hashed:
            out.append(rule("PIN203").finding(lock.path, entry.line, entry.column,
                                              f"lock entry `{entry.name}`{version} has no hash",
                                              package=entry.name, fix=_relock_hint(lock.family)))
    return out


def _relock_hint(family: str) -> str:
    return {
        "uv": "run `uv lock` again",
        "poetry": "run `poetry lock` again",
        "pdm": "run `pdm lock` again (without `--no-hashes`-like options)",
        "pipfile": "run `pipenv lock` again",
        "pylock": "regenerate the lock with hashes (`uv export --format pylock.toml`, `pip lock`)",
    }[family]


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        absolute = path if os.path.isabs(path) else os.path.join(context.cwd, path)
        shown = context.display(absolute)
        try:
            text = read_text(absolute)
        except UnreadableFile as error:
            context.findings.append(rule("GRD101").finding(shown, 0, 0, f"cannot read `{shown}`: {error}"))
            continue
        context.texts[shown] = text
        lock = parse_lock(text, shown, family_of(absolute))
        context.findings.extend(lock_findings(lock, context.settings))
