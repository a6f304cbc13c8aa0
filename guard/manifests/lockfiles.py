"""Lock files: `uv.lock`, `poetry.lock`, `pdm.lock`, `Pipfile.lock`, `pylock.toml` (PEP 751).

Read for two things. As the `lockfile` kind, each lock file is checked on its own: entries
without hashes (PIN203), VCS entries without a full commit (PIN204), a format newer than
guard reads, a file that does not parse or a value of the wrong type (GRD102: the lock is then
not used). For manifests, `locked_names` says which
names a lock beside the manifest fixes, so that an application's dependencies count as
locked and names missing from the lock are reported as drift (PIN202).
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Optional

from guard.finding import Finding
from guard.pins.analysis import normalise_name
from guard.rules import get as rule
from guard.text.decode import UnreadableFile, read_text

if TYPE_CHECKING:
    from guard.check.context import RunContext
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
    # the extras the lock says it covers (pylock.toml's `extras`); None: it does not say
    extras: Optional[frozenset[str]] = None
    data: Any = field(default=None, repr=False, compare=False)  # the parsed document, for `locked_pins`


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
    from guard.text.tomlcompat import TOMLDecodeError, loads
    from guard.text.tomlpos import TomlPositions, decode_error_message, decode_error_position

    try:
        data = loads(text)
    except TOMLDecodeError as error:
        line, column = decode_error_position(error, text)
        lock.error = (line, column, f"`{shown}` is not valid TOML: {decode_error_message(error)}")
        return lock
    lock.data = data
    pos = TomlPositions(text)
    reader = {"uv": _uv, "poetry": _poetry, "pdm": _pdm, "pylock": _pylock}[family]
    try:
        reader(_Typed(data, pos, lock), lock)
    except _WrongType as error:
        line, column = pos.locate(*error.path)
        _unusable(lock, line, column, error.message)
    return lock


class _WrongType(Exception):
    """A value of the wrong type (or a missing required one) at `path` in a lock file."""

    def __init__(self, path: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _unusable(lock: LockFile, line: int, column: int, what: str) -> None:
    lock.entries.clear()
    lock.error = (line, column, f"`{lock.path}` is not a valid {_FORMAT_NAMES[lock.family]}: {what}; it was not used")


_FORMAT_NAMES = {
    "uv": "uv lock file",
    "poetry": "Poetry lock file",
    "pdm": "PDM lock file",
    "pipfile": "pipenv lock file",
    "pylock": "PEP 751 lock file",
}
_TOML_TYPES: dict[str, tuple[type, ...]] = {
    "a string": (str,),
    "an integer": (int,),
    "a table": (Mapping,),
    "an array": (list,),
    "a boolean": (bool,),
}
_JSON_WORDS = {"a table": "an object", "an integer": "an integer", "a float": "a number", "empty": "null"}


class _Typed:
    """Typed access to a parsed lock file: a value of the wrong type raises `_WrongType`
    naming where it is and what it should be, so that the lock is reported, not half-read."""

    def __init__(self, data: Any, pos: Any, lock: LockFile, json: bool = False) -> None:
        self.data = data
        self.pos = pos
        self.lock = lock
        self.json = json

    def words(self, words: str) -> str:
        return _JSON_WORDS.get(words, words) if self.json else words

    def want(self, value: Any, path: tuple[Any, ...], expected: str) -> Any:
        types = _TOML_TYPES[expected]
        if isinstance(value, types) and not (expected == "an integer" and isinstance(value, bool)):
            return value
        from guard.text.tomlpos import dotted, type_name

        raise _WrongType(path, f"`{dotted(path)}` must be {self.words(expected)}, not {self.words(type_name(value))}")

    def get(self, table: Mapping[str, Any], path: tuple[Any, ...], key: str, expected: str, required: bool = False) -> Any:
        """`table[key]` (None when absent), checked to be of the `expected` type."""
        if key not in table:
            if required:
                from guard.text.tomlpos import dotted

                raise _WrongType(path, f"`{dotted(path)}` has no `{key}`" if path else f"`{key}` is missing")
            return None
        return self.want(table[key], path + (key,), expected)

    def tables(self, table: Mapping[str, Any], key: str) -> list[tuple[tuple[Any, ...], Mapping[str, Any]]]:
        """The array of tables at `table[key]` (`[[package]]`), each with its path."""
        items = self.get(table, (), key, "an array") or []
        return [((key, index), self.want(item, (key, index), "a table")) for index, item in enumerate(items)]


def _newer(lock: LockFile, version: Any, where: tuple[int, int]) -> bool:
    """True (and the error set) when `version` has a major above what guard reads."""
    text = str(version)
    match = re.match(r"^\s*(\d+)", text)
    if match is None:
        return False
    supported = SUPPORTED[lock.family]
    if int(match.group(1)) > supported:
        lock.error = (
            where[0],
            where[1],
            f"`{lock.path}` uses lock format version {text}, newer than guard reads (up to {supported}.x); its entries were not checked",
        )
        return True
    return False


def _entry(
    lock: LockFile,
    typed: _Typed,
    path: tuple[Any, ...],
    package: Mapping[str, Any],
    source: str,
    hashed: bool,
    vcs_url: Optional[str] = None,
    commit: Optional[str] = None,
) -> None:
    """One package table of a TOML lock: `name` (required) and `version` are strings."""
    name = typed.get(package, path, "name", "a string", required=True)
    version = typed.get(package, path, "version", "a string")
    line, column = typed.pos.locate(*path, "name")
    lock.entries.append(
        LockInfo(
            normalise_name(name),
            version,
            line,
            column,
            source,
            hashed,
            vcs_url,
            commit if commit and _FULL_SHA.match(commit) else None,
            lock.path,
        )
    )


def _has_hash(value: Any, key: str = "hash") -> bool:
    if isinstance(value, Mapping):
        return bool(value.get(key))
    if isinstance(value, list):
        return any(_has_hash(item, key) for item in value)
    return False


def _files(typed: _Typed, package: Mapping[str, Any], path: tuple[Any, ...], key: str) -> Any:
    """An array of file tables (`wheels`, `files`), checked."""
    files = typed.get(package, path, key, "an array")
    for index, item in enumerate(files or []):
        typed.want(item, path + (key, index), "a table")
    return files


def _uv(typed: _Typed, lock: LockFile) -> None:
    data = typed.data
    version = typed.get(data, (), "version", "an integer")
    if _newer(lock, 1 if version is None else version, typed.pos.locate("version")):
        return
    for path, package in typed.tables(data, "package"):
        source = typed.get(package, path, "source", "a table")
        source = source if source is not None else {"registry": ""}
        kind = next((k for k in ("registry", "git", "url", "path", "directory", "editable", "virtual") if k in source), "registry")
        for key in source:
            if key in ("registry", "git", "url", "path", "directory", "editable", "virtual"):
                typed.get(source, path + ("source",), key, "a string")
        sdist = typed.get(package, path, "sdist", "a table")
        hashed = _has_hash(sdist) or _has_hash(_files(typed, package, path, "wheels"))
        vcs_url = commit = None
        if kind == "git":
            vcs_url, _, commit = str(source["git"]).partition("#")
        _entry(lock, typed, path, package, "vcs" if kind == "git" else kind, hashed, vcs_url, commit)


def _poetry(typed: _Typed, lock: LockFile) -> None:
    data = typed.data
    metadata = typed.get(data, (), "metadata", "a table") or {}
    lock_version = typed.get(metadata, ("metadata",), "lock-version", "a string")
    if _newer(lock, lock_version or "1.0", typed.pos.locate("metadata", "lock-version")):
        return
    old_files = typed.get(metadata, ("metadata",), "files", "a table") or {}
    for path, package in typed.tables(data, "package"):
        source = typed.get(package, path, "source", "a table") or {}
        kind = typed.get(source, path + ("source",), "type", "a string") or "registry"
        name = typed.get(package, path, "name", "a string", required=True)
        if "files" in package:
            files = _files(typed, package, path, "files")
        else:
            files = old_files.get(name)
            if files is not None:
                _files(typed, old_files, ("metadata", "files"), name)
        hashed = _has_hash(files)
        if kind == "git":
            url = typed.get(source, path + ("source",), "url", "a string")
            commit = typed.get(source, path + ("source",), "resolved_reference", "a string")
            _entry(lock, typed, path, package, "vcs", hashed, url, commit or "")
        else:
            mapped = {"directory": "directory", "file": "path", "url": "url"}.get(kind, "registry")
            _entry(lock, typed, path, package, mapped, hashed)


def _pdm(typed: _Typed, lock: LockFile) -> None:
    data = typed.data
    metadata = typed.get(data, (), "metadata", "a table") or {}
    lock_version = typed.get(metadata, ("metadata",), "lock_version", "a string")
    if _newer(lock, lock_version or "4.0", typed.pos.locate("metadata", "lock_version")):
        return
    for path, package in typed.tables(data, "package"):
        hashed = _has_hash(_files(typed, package, path, "files"))
        vcs = next((k for k in ("git", "hg", "svn", "bzr") if k in package), None)
        if vcs is not None:
            url = typed.get(package, path, vcs, "a string")
            commit = typed.get(package, path, "revision", "a string")
            _entry(lock, typed, path, package, "vcs", hashed, url, commit or "")
        elif "path" in package:
            typed.get(package, path, "path", "a string")
            editable = typed.get(package, path, "editable", "a boolean")
            _entry(lock, typed, path, package, "editable" if editable else "directory", hashed)
        else:
            typed.get(package, path, "url", "a string")
            _entry(lock, typed, path, package, "url" if "url" in package else "registry", hashed)


def _pylock(typed: _Typed, lock: LockFile) -> None:
    data = typed.data
    lock_version = typed.get(data, (), "lock-version", "a string")
    if _newer(lock, lock_version or "1.0", typed.pos.locate("lock-version")):
        return
    extras = data.get("extras")
    if isinstance(extras, list) and all(isinstance(extra, str) for extra in extras):
        lock.extras = frozenset(normalise_name(extra) for extra in extras)
    for path, package in typed.tables(data, "packages"):
        vcs = typed.get(package, path, "vcs", "a table")
        if vcs is not None:
            url = typed.get(vcs, path + ("vcs",), "url", "a string") or typed.get(vcs, path + ("vcs",), "path", "a string")
            commit = typed.get(vcs, path + ("vcs",), "commit-id", "a string")
            _entry(lock, typed, path, package, "vcs", False, str(url), commit or "")
            continue
        if typed.get(package, path, "directory", "a table") is not None:
            _entry(lock, typed, path, package, "directory", False)
            continue
        archive = typed.get(package, path, "archive", "a table")
        sdist = typed.get(package, path, "sdist", "a table")
        wheels = _files(typed, package, path, "wheels")
        hashed = any(_has_hash(value, "hashes") for value in (archive, sdist, wheels))
        _entry(lock, typed, path, package, "url" if archive is not None else "registry", hashed)


def _parse_pipfile_lock(text: str, lock: LockFile) -> None:
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        lock.error = (error.lineno, error.colno, f"`{lock.path}` is not valid JSON: {error.msg}")
        return
    except RecursionError:
        lock.error = (1, 1, f"`{lock.path}` is nested too deeply to read")
        return
    lock.data = data
    typed = _Typed(data, _JsonPositions(text), lock, json=True)
    try:
        _pipfile_lock(typed, text, lock)
    except _WrongType as error:
        line, column = typed.pos.locate(*error.path)
        _unusable(lock, line, column, error.message)


def _pipfile_lock(typed: _Typed, text: str, lock: LockFile) -> None:
    data = typed.want(typed.data, (), "a table")
    meta = typed.get(data, (), "_meta", "a table") or {}
    spec = typed.get(meta, ("_meta",), "pipfile-spec", "an integer")
    if _newer(lock, 6 if spec is None else spec, typed.pos.locate("_meta", "pipfile-spec")):
        return
    for section in ("default", "develop"):
        entries = typed.get(data, (), section, "a table")
        for name, entry in (entries or {}).items():
            path = (section, name)
            typed.want(entry, path, "a table")
            line, column = typed.pos.locate(*path)
            version = typed.get(entry, path, "version", "a string")
            hashes = typed.get(entry, path, "hashes", "an array")
            vcs = next((k for k in ("git", "hg", "svn", "bzr") if k in entry), None)
            vcs_url = commit = None
            if vcs is not None:
                source = "vcs"
                vcs_url = typed.get(entry, path, vcs, "a string")
                commit = typed.get(entry, path, "ref", "a string") or ""
            elif "path" in entry:
                typed.get(entry, path, "path", "a string")
                source = "editable" if entry.get("editable") else "directory"
            else:
                typed.get(entry, path, "file", "a string")
                source = "url" if "file" in entry else "registry"
            lock.entries.append(
                LockInfo(
                    normalise_name(str(name)),
                    version,
                    line,
                    column,
                    source,
                    bool(hashes),
                    vcs_url,
                    commit if commit and _FULL_SHA.match(commit) else None,
                    lock.path,
                )
            )


class _JsonPositions:
    """Where a key path of a JSON document is written: each key is searched for after the
    previous one (enough for the shallow, pretty-printed Pipfile.lock).

    Linear over a whole lock: the entries of a table are located in the order they are
    written, so each search starts where the previous sibling was found, and line numbers
    come from one table of line starts.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self._found: dict[tuple[Any, ...], int] = {}
        self._last_child: dict[tuple[Any, ...], int] = {}

    def locate(self, *path: Any) -> tuple[int, int]:
        keys = tuple(key for key in path if isinstance(key, str))
        found = None
        for depth in range(1, len(keys) + 1):
            prefix = keys[:depth]
            offset = self._found.get(prefix)
            if offset is None:
                parent = keys[: depth - 1]
                offset = self._search(keys[depth - 1], self._last_child.get(parent, self._found.get(parent, 0)))
                if offset is None and parent in self._last_child:
                    offset = self._search(keys[depth - 1], self._found.get(parent, 0))  # written out of order
                if offset is None:
                    break
                self._found[prefix] = offset
                self._last_child[parent] = offset
            found = offset
        return (1, 1) if found is None else self._position(found)

    def _search(self, key: str, start: int) -> Optional[int]:
        import json

        match = re.compile(re.escape(json.dumps(key)) + r"\s*:").search(self._text, start)
        return None if match is None else match.start()

    def _position(self, index: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self._line_starts, index)
        return line, index - self._line_starts[line - 1] + 1


# --- coverage, for manifests ---------------------------------------------------------------


def find_locks(project_dir: str, pipfile: bool = False) -> list[str]:
    """Lock files that fix the dependencies of the manifest in `project_dir`.

    `uv.lock` is the one uv uses: a uv workspace member's dependencies are locked by the
    workspace root's `uv.lock`, and a stray `uv.lock` in the member's own directory is not
    read by uv at all (see `uv_project_root`). The other tools' locks sit beside the manifest.
    """
    if pipfile:
        candidate = os.path.join(project_dir, PIPFILE_LOCK)
        return [candidate] if os.path.isfile(candidate) else []
    found: list[str] = []
    uv_lock = os.path.join(uv_project_root(project_dir), "uv.lock")
    if os.path.isfile(uv_lock):
        found.append(uv_lock)
    found.extend(os.path.join(project_dir, name) for name in PROJECT_LOCKS[1:] if os.path.isfile(os.path.join(project_dir, name)))
    try:
        found.extend(
            sorted(
                os.path.join(project_dir, name) for name in os.listdir(project_dir) if re.fullmatch(r"pylock\.[^/\\]+\.toml", name, re.I)
            )
        )
    except OSError:
        pass
    return found


def lock_label(locks: list[str], project_dir: str) -> str:
    """How a message names `locks`: each by its path from the manifest's directory
    (`uv.lock` beside it, `../uv.lock` at a workspace root)."""
    return " and ".join(f"`{os.path.relpath(path, project_dir)}`" for path in locks) or "the lock file"


def uv_project_root(project_dir: str) -> str:
    """The directory of the workspace whose `uv.lock` uv uses for the project in `project_dir`.

    As uv discovers it: a project whose own pyproject.toml has `[tool.uv.workspace]` (or
    `managed = false`) is its own root. Otherwise the nearest ancestor directory holding a
    pyproject.toml decides, and only that one: it is the root when it declares
    `[tool.uv.workspace]` whose `members` globs match the project and whose `exclude` globs
    do not; any other pyproject.toml there (another project, a workspace that does not list
    this one, one that does not parse) leaves the project as its own root.
    """
    project = directory = os.path.abspath(project_dir)
    own = _uv_table(os.path.join(project, "pyproject.toml"))
    if own is not None and (isinstance(own.get("workspace"), Mapping) or own.get("managed") is False):
        return project_dir
    parent = os.path.dirname(directory)
    while parent != directory:
        pyproject = os.path.join(parent, "pyproject.toml")
        if os.path.isfile(pyproject):
            workspace = (_uv_table(pyproject) or {}).get("workspace")
            if isinstance(workspace, Mapping) and _is_member(project, parent, workspace):
                return parent
            return project_dir
        directory, parent = parent, os.path.dirname(parent)
    return project_dir


def _uv_table(pyproject: str) -> Optional[Mapping[str, Any]]:
    """`[tool.uv]` of a pyproject.toml; None when it is missing or the file does not parse."""
    from guard.text.tomlcompat import TOMLDecodeError, loads

    try:
        data = loads(read_text(pyproject))
    except (OSError, UnreadableFile, TOMLDecodeError):
        return None
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, Mapping) else None
    return uv if isinstance(uv, Mapping) else None


def _is_member(project: str, root: str, workspace: Mapping[str, Any]) -> bool:
    """uv's test: some `members` glob matches and no `exclude` glob does. uv matches the
    globs joined to the root against the whole path with `*` crossing `/` (the `glob`
    crate's default), as `fnmatchcase` does."""
    relative = os.path.relpath(project, root).replace(os.sep, "/")

    def matches(key: str) -> bool:
        globs = workspace.get(key)
        return isinstance(globs, list) and any(isinstance(glob, str) and fnmatch.fnmatchcase(relative, glob) for glob in globs)

    return matches("members") and not matches("exclude")


def locked_extras(project_dir: str) -> Optional[frozenset[str]]:
    """The extras the project's locks say they cover, when every usable lock says (a
    `pylock.toml` with `extras = []` locks none); None: they cover what they hold."""
    covered: set[str] = set()
    said = False
    for path in find_locks(project_dir):
        lock = read_lock(path, path)
        if isinstance(lock, UnreadableFile) or lock.error is not None:
            continue
        if lock.extras is None:
            return None
        said = True
        covered |= lock.extras
    return frozenset(covered) if said else None


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
            out.append(
                rule("PIN204").finding(
                    lock.path,
                    entry.line,
                    entry.column,
                    f"lock entry `{entry.name}`{version} from `{entry.vcs_url}` has no full commit hash",
                    package=entry.name,
                    fix="pin the dependency to a commit and lock again",
                )
            )
        elif entry.needs_hash and not entry.hashed:
            out.append(
                rule("PIN203").finding(
                    lock.path,
                    entry.line,
                    entry.column,
                    f"lock entry `{entry.name}`{version} has no hash",
                    package=entry.name,
                    fix=_relock_hint(lock.family),
                )
            )
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


# --- versions and hashes, for `guard check --fix` ------------------------------------------


@dataclass(frozen=True)
class LockedPin:
    """One registry package a lock fixes: its version and the hashes of its files."""

    name: str  # normalised
    version: str
    hashes: tuple[str, ...]  # `algo:digest`, as `--hash` takes them


def locked_pins(path: str) -> Optional[list[LockedPin]]:
    """The registry packages of one lock file with their versions and hashes; None when the
    lock cannot be used (unreadable, does not parse, a newer format: the `lockfile` check
    reports it). Entries from URLs, VCS or paths are left out: `name==version` would not
    install them."""
    lock = read_lock(path, path)
    if isinstance(lock, UnreadableFile) or lock.error is not None:
        return None
    registry = {(entry.name, entry.version) for entry in lock.entries if entry.source == "registry" and entry.version}
    pins: list[LockedPin] = []
    for name, version, hashes in _versions_and_hashes(lock.data, lock.family):
        key = (normalise_name(name), version)
        if key in registry:
            pins.append(LockedPin(key[0], _bare_version(version), hashes))
    return pins


def _bare_version(version: str) -> str:
    return version[2:] if version.startswith("==") else version  # Pipfile.lock writes `==1.0`


def _versions_and_hashes(data: Any, family: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, version as the lock writes it, hashes) of each package table of a parsed lock
    (already checked for types by `parse_lock`)."""
    if not isinstance(data, Mapping):
        return []
    if family == "pipfile":
        return [
            (str(name), str(entry.get("version")), _string_hashes(entry.get("hashes")))
            for section in ("default", "develop")
            for name, entry in (data.get(section) or {}).items()
            if isinstance(entry, Mapping) and entry.get("version")
        ]
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for package in data.get("packages" if family == "pylock" else "package") or []:
        if not isinstance(package, Mapping) or not isinstance(package.get("version"), str):
            continue
        if family == "pylock":
            files = [package.get("sdist"), package.get("archive"), *(package.get("wheels") or [])]
            hashes = _string_hashes(
                [f"{algo}:{digest}" for item in files if isinstance(item, Mapping) for algo, digest in (item.get("hashes") or {}).items()]
            )
        elif family == "uv":
            files = [package.get("sdist"), *(package.get("wheels") or [])]
            hashes = _string_hashes([item.get("hash") for item in files if isinstance(item, Mapping)])
        else:
            listed = package.get("files")
            if listed is None and family == "poetry":
                listed = ((data.get("metadata") or {}).get("files") or {}).get(package.get("name"))
            hashes = _string_hashes([item.get("hash") for item in listed or [] if isinstance(item, Mapping)])
        out.append((str(package.get("name")), package["version"], hashes))
    return out


def _string_hashes(values: Any) -> tuple[str, ...]:
    return tuple(sorted({value for value in values or [] if isinstance(value, str) and ":" in value}))


def relock_fix(label: str) -> str:
    """The fix of a drift finding (PIN202): the command that locks again, for the lock(s) a
    message names (`lock_label`); guard never guesses the new entries itself."""
    names = re.findall(r"`([^`]+)`", label)
    if not names:
        return "lock again (`uv lock`, `poetry lock`, `pdm lock`, `pipenv lock`) and commit the lock file"
    commands: list[str] = []
    for name in names:
        base = os.path.basename(name)
        family = family_of(base)
        if base.lower().endswith(".py.lock"):
            command = f"`uv lock --script {base[: -len('.lock')]}`"
        elif family == "pylock":
            command = "`uv export --format pylock.toml` or `pip lock`"
        else:
            command = {"uv": "`uv lock`", "poetry": "`poetry lock`", "pdm": "`pdm lock`", "pipfile": "`pipenv lock`"}[family]
        if command not in commands:
            commands.append(command)
    return f"run {' and '.join(commands)} and commit the lock file"
