"""Settings: defaults < a configuration file < `GUARD_*` variables < flags.

The configuration file is `.guard.toml` or `guard.toml` (settings at the top level) or
`[tool.guard]` in pyproject.toml, found as ruff finds its own (docs/configuration.md); its
`extend = "PATH"` inherits another one.

Built once into a frozen `Settings`; nothing below the CLI sees argparse. Every unknown key,
code or value is a `ConfigError` whose message names it (the CLI turns that into exit 2).
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from guard.finding import Severity
from guard.pins.levels import PinLevel

# Policy kinds (each with a minimum pin level) and how a message names their dependencies.
# Every module takes kind names from here, so that `min-level` rejects names nobody reads.
FILE_KIND_WORDS: dict[str, str] = {
    "requirements": "requirement files",
    "constraints": "constraints files",
    "requirements-in": "requirements.in files",
    # requirement files a library's packaging reads as its own dependencies (docs/manifests.md)
    "requirements-library": "a library's requirement files",
    # pip commands written in files (docs/pip-in-files.md)
    "dockerfile": "Dockerfile pip installs",
    "shell": "pip installs in shell scripts",
    "ci": "pip installs in CI files",
    "makefile": "pip installs in Makefiles",
    # manifests (docs/manifests.md)
    "pyproject-application": "an application's dependencies",
    "pyproject-library": "a library's dependencies",
    "dependency-groups": "development dependencies",
    "build-system": "build requirements",
    "pipfile": "Pipfile packages",
    "environment-yml": "conda environment files",
    "tox-ini": "tox deps",
    "pre-commit-config": "pre-commit additional_dependencies",
    "pep723": "inline script dependencies",
}
FILE_KINDS = tuple(FILE_KIND_WORDS)

PRESET_MIN_LEVELS: dict[str, dict[str, PinLevel]] = {
    "default": {
        "requirements": PinLevel.EXACT,
        "constraints": PinLevel.EXACT,
        "requirements-in": PinLevel.ANY,
        "requirements-library": PinLevel.CONSTRAINED,
        "dockerfile": PinLevel.EXACT,
        "shell": PinLevel.EXACT,
        "ci": PinLevel.EXACT,
        "makefile": PinLevel.EXACT,
        # manifests
        "pyproject-application": PinLevel.EXACT,
        "pyproject-library": PinLevel.CONSTRAINED,
        "dependency-groups": PinLevel.ANY,
        "build-system": PinLevel.FLOOR,
        "pipfile": PinLevel.EXACT,
        "environment-yml": PinLevel.EXACT,
        "tox-ini": PinLevel.EXACT,
        "pre-commit-config": PinLevel.EXACT,
        "pep723": PinLevel.EXACT,
    },
    # Scorecard-like: every install reproducible down to the bytes.
    "strict": {
        "requirements": PinLevel.HASHED,
        "constraints": PinLevel.HASHED,
        "requirements-in": PinLevel.ANY,
        "requirements-library": PinLevel.CONSTRAINED,
        "dockerfile": PinLevel.HASHED,
        "shell": PinLevel.HASHED,
        "ci": PinLevel.HASHED,
        "makefile": PinLevel.HASHED,
        # manifests
        "pyproject-application": PinLevel.HASHED,
        "pyproject-library": PinLevel.CONSTRAINED,
        "dependency-groups": PinLevel.HASHED,
        "build-system": PinLevel.EXACT,
        "pipfile": PinLevel.HASHED,
        "environment-yml": PinLevel.EXACT,
        "tox-ini": PinLevel.HASHED,
        "pre-commit-config": PinLevel.EXACT,
        "pep723": PinLevel.EXACT,
    },
    # hadolint-like: any version specifier at all passes.
    "lenient": {
        "requirements": PinLevel.CONSTRAINED,
        "constraints": PinLevel.CONSTRAINED,
        "requirements-in": PinLevel.ANY,
        "requirements-library": PinLevel.ANY,
        "dockerfile": PinLevel.CONSTRAINED,
        "shell": PinLevel.CONSTRAINED,
        "ci": PinLevel.CONSTRAINED,
        "makefile": PinLevel.CONSTRAINED,
        # manifests
        "pyproject-application": PinLevel.CONSTRAINED,
        "pyproject-library": PinLevel.ANY,
        "dependency-groups": PinLevel.ANY,
        "build-system": PinLevel.ANY,
        "pipfile": PinLevel.CONSTRAINED,
        "environment-yml": PinLevel.CONSTRAINED,
        "tox-ini": PinLevel.CONSTRAINED,
        "pre-commit-config": PinLevel.CONSTRAINED,
        "pep723": PinLevel.CONSTRAINED,
    },
}
PRESETS = tuple(PRESET_MIN_LEVELS)
PIP_MODES = ("auto", "ask", "warn", "block")
PROJECT_KINDS = ("auto", "application", "library")
DEFAULT_BOOTSTRAP = ("pip", "setuptools", "wheel")

# GUARD_* variables that are not settings (read elsewhere), so not reported as unknown.
NON_SETTING_VARIABLES = frozenset({"GUARD_ALLOW", "GUARD_CACHE_DIR", "GUARD_PIP_ACTIVE", "GUARD_DEBUG", "GUARD_CRASH_DIR", "GUARD_FORMAT"})


class ConfigError(Exception):
    """A configuration problem; the message names the key and where it came from."""


@dataclass(frozen=True)
class PackageRule:
    """A per-package override: `pattern` is a glob over normalised names."""

    pattern: str
    level: Optional[PinLevel]  # None means "ignore this package"

    def matches(self, name: str) -> bool:
        return fnmatch.fnmatchcase(name, self.pattern)


@dataclass(frozen=True)
class PathPolicy:
    """A `[tool.guard.per-path]` entry: what no guess can know about the files under a glob."""

    pattern: str
    project_kind: Optional[str] = None  # "application" or "library"
    min_level: Mapping[str, PinLevel] = field(default_factory=dict)  # policy kind -> level
    root: Optional[str] = None  # the directory relative paths start from (for anchored globs)

    def matches(self, relative_path: str) -> bool:
        return glob_matches(relative_path, self.pattern, self.root)


def glob_matches(relative_path: str, pattern: str, root: Optional[str] = None) -> bool:
    """Whether a glob names a path (relative, `/`-separated), its file name, or one of its
    parent directories: `vendor`, `vendor/*`, `*.lock` and `docs/requirements.txt` all work.

    An anchored glob (absolute: one an inherited configuration file gave, rooted at its own
    directory) is matched against `root` joined with the path, and matches nothing without."""
    path = relative_path.replace(os.sep, "/")
    pattern = pattern.rstrip("/")
    if is_anchored(pattern):
        if root is None:
            return False
        path = posixpath.normpath(_posix(root) + "/" + path)
    parts = path.split("/")
    if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(parts[-1], pattern):
        return True
    return any(fnmatch.fnmatchcase("/".join(parts[:end]), pattern) for end in range(1, len(parts)))


def is_anchored(pattern: str) -> bool:
    return pattern.startswith("/") or (len(pattern) > 2 and pattern[1] == ":" and pattern[2] == "/")


def _posix(directory: str) -> str:
    return os.path.abspath(directory).replace(os.sep, "/")


def anchor_glob(pattern: str, directory: str) -> str:
    """A glob an inherited configuration file gives, rooted at that file's `directory` (as ruff
    roots the globs of an `extend`ed file). A glob without `/` names a file or directory
    wherever it is, so it stays as it is."""
    if "/" not in pattern.rstrip("/") or is_anchored(pattern):
        return pattern
    return posixpath.normpath(_posix(directory) + "/" + pattern)


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.WARNING
    preset: str = "default"
    min_level: Mapping[str, PinLevel] = field(default_factory=lambda: dict(PRESET_MIN_LEVELS["default"]))
    packages: tuple[PackageRule, ...] = ()
    allow: tuple[str, ...] = ()
    bootstrap: tuple[str, ...] = DEFAULT_BOOTSTRAP
    exclude: tuple[str, ...] = ()
    include_fixtures: bool = False
    read_outside: bool = False  # read files outside the checked tree (symlinks, `-r ../x`)
    file_kinds: tuple[tuple[str, str], ...] = ()  # (glob, file kind), the last match wins
    per_path: tuple[PathPolicy, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob or !glob, codes), all that match apply
    project_kind: str = "auto"
    pip_on_block: str = "auto"
    pip_on_warn: str = "warn"
    pip_check_installs: bool = True
    config_file: Optional[str] = None
    config_files: tuple[str, ...] = ()  # the file read, then each file it extends, in order
    root: Optional[str] = None
    warnings: tuple[str, ...] = ()

    def package_rule(self, name: str) -> Optional[PackageRule]:
        """The most specific matching override: the longest pattern wins."""
        matching = [rule for rule in self.packages if rule.matches(name)]
        if not matching:
            return None
        return max(matching, key=lambda rule: len(rule.pattern.replace("*", "")))

    def required_level(self, file_kind: str, name: Optional[str]) -> Optional[PinLevel]:
        """The minimum level for `name` in a file of `file_kind`; None when nothing is required."""
        if name is not None:
            if name in self.allow:
                return None
            override = self.package_rule(name)
            if override is not None:
                return override.level
        return self.min_level.get(file_kind)

    def base_dir(self, cwd: str) -> str:
        """Where `per-path` and `file-kinds` globs are rooted: the directory of the
        configuration file, else the repository root, else the working directory."""
        if self.config_file:
            return os.path.dirname(os.path.abspath(self.config_file))
        return self.root or os.path.abspath(cwd)

    def for_path(self, relative_path: str) -> Settings:
        """These settings with the `per-path` entries matching a path applied (the most
        specific pattern, the longest without its wildcards, applied last)."""
        matching = [policy for policy in self.per_path if policy.matches(relative_path)]
        if not matching:
            return self
        matching.sort(key=lambda policy: len(policy.pattern.replace("*", "")))
        project_kind = self.project_kind
        min_level = dict(self.min_level)
        for policy in matching:
            project_kind = policy.project_kind or project_kind
            min_level.update(policy.min_level)
        return replace(self, project_kind=project_kind, min_level=min_level)

    def per_path_project_kind(self, relative_path: str) -> Optional[str]:
        """The `project-kind` the most specific matching `per-path` entry that has one says."""
        said = [policy for policy in self.per_path if policy.project_kind and policy.matches(relative_path)]
        if not said:
            return None
        return max(said, key=lambda policy: len(policy.pattern.replace("*", ""))).project_kind

    def file_kind_for(self, relative_path: str) -> Optional[str]:
        """The kind the `file-kinds` setting gives a path (the last matching entry), if any."""
        kind: Optional[str] = None
        for pattern, name in self.file_kinds:
            if glob_matches(relative_path, pattern, self.config_dir):
                kind = name
        return kind

    @property
    def config_dir(self) -> Optional[str]:
        """The directory of the configuration file (where its globs are rooted), if any."""
        return os.path.dirname(os.path.abspath(self.config_file)) if self.config_file else None

    def ignored_for(self, relative_path: str) -> tuple[str, ...]:
        """The codes and prefixes `per-file-ignores` drops for a path relative to `base_dir`;
        a glob starting with `!` applies to the paths it does not match."""
        codes: list[str] = []
        for pattern, entry_codes in self.per_file_ignores:
            negated = pattern.startswith("!")
            if glob_matches(relative_path, pattern[1:] if negated else pattern, self.config_dir) != negated:
                codes.extend(entry_codes)
        return tuple(codes)

    def as_dict(self) -> dict[str, Any]:
        """The merged settings, as `guard check --show-settings` prints them."""
        return {
            "config-file": self.config_file,
            "config-files": list(self.config_files),
            "root": self.root,
            "preset": self.preset,
            "select": list(self.select),
            "extend-select": list(self.extend_select),
            "ignore": list(self.ignore),
            "severity": {code: sev.label for code, sev in sorted(self.severity.items())},
            "fail-on": self.fail_on.label,
            "min-level": {kind: level.label for kind, level in self.min_level.items()},
            "packages": {rule.pattern: rule.level.label if rule.level else "ignore" for rule in self.packages},
            "allow": list(self.allow),
            "bootstrap": list(self.bootstrap),
            "exclude": list(self.exclude),
            "include-fixtures": self.include_fixtures,
            "read-outside": self.read_outside,
            "file-kinds": dict(self.file_kinds),
            "per-path": {policy.pattern: _policy_dict(policy) for policy in self.per_path},
            "per-file-ignores": _per_file_ignores_dict(self.per_file_ignores),
            "project-kind": self.project_kind,
            "pip": {
                "on-block": self.pip_on_block,
                "on-warn": self.pip_on_warn,
                "check-installs": self.pip_check_installs,
            },
        }


def _per_file_ignores_dict(entries: Sequence[tuple[str, Sequence[str]]]) -> dict[str, list[str]]:
    shown: dict[str, list[str]] = {}
    for pattern, codes in entries:
        listed = shown.setdefault(pattern, [])
        for code in codes:
            if code not in listed:
                listed.append(code)
    return shown


def _policy_dict(policy: PathPolicy) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    if policy.project_kind is not None:
        shown["project-kind"] = policy.project_kind
    if policy.min_level:
        shown["min-level"] = {kind: level.label for kind, level in policy.min_level.items()}
    return shown


# --- reading the sources ---------------------------------------------------------------


# In one directory `.guard.toml` wins over `guard.toml`, which wins over a pyproject.toml
# (as ruff's `.ruff.toml` > `ruff.toml` > `pyproject.toml`); a pyproject.toml without a
# `[tool.guard]` table is no configuration file and the walk goes on.
CONFIG_NAMES = (".guard.toml", "guard.toml", "pyproject.toml")


def find_config(start: Path) -> Optional[Path]:
    """The nearest configuration file, walking up to the repo root: `.guard.toml`,
    `guard.toml` or a pyproject.toml with a `[tool.guard]` table; the closest directory wins.

    The walk stops at the first directory holding `.git` (the repository root), so a
    project's settings never leak in from a parent checkout or the home directory.
    """
    directory = start.resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_guard_table(candidate)):
                return candidate
        if (directory / ".git").exists() or directory.parent == directory:
            return None
        directory = directory.parent


def _has_guard_table(path: Path) -> bool:
    # A cheap text test first: parsing TOML for every pyproject.toml on the way up costs more.
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "tool.guard" in text


def _read_toml(path: Path) -> dict[str, Any]:
    from guard.text.tomlcompat import TOMLDecodeError, loads

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    try:
        return loads(text)
    except TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def _config_table(path: Path) -> tuple[str, dict[str, Any]]:
    """(how messages name it, the settings) of one configuration file: `[tool.guard]` of a
    pyproject.toml, the top level of any other file (`guard.toml`, `.guard.toml`, a shared one)."""
    document = _read_toml(path)
    if path.name == "pyproject.toml":
        tool = document.get("tool", {})
        table = tool.get("guard", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.guard] must be a table")
        return f"{path} [tool.guard]", dict(table)
    tool = document.get("tool")
    if isinstance(tool, dict) and "guard" in tool:
        raise ConfigError(f"{path}: unknown key 'tool' (outside pyproject.toml the settings are top-level keys, without [tool.guard])")
    return str(path), dict(document)


def _config_chain(path: Path) -> list[tuple[Path, str, dict[str, Any]]]:
    """The file and each file its `extend` names, in that order: (path, name, settings
    without `extend`). A missing file or a cycle is a ConfigError naming the path."""
    chain: list[tuple[Path, str, dict[str, Any]]] = []
    seen: set[Path] = set()
    current = path
    while True:
        seen.add(current.resolve())
        label, table = _config_table(current)
        extend = table.pop("extend", None)
        chain.append((current, label, table))
        if extend is None:
            return chain
        if not isinstance(extend, str) or not extend.strip():
            raise ConfigError(f"{label}: extend: expected the path of a configuration file")
        # as ruff's `extend`: `~` and environment variables expanded, relative to this file
        target = Path(os.path.normpath(current.parent / os.path.expandvars(os.path.expanduser(extend.strip()))))
        if not target.is_file():
            raise ConfigError(f"{label}: extend: {target}: no such configuration file")
        if target.resolve() in seen:
            cycle = " -> ".join(str(entry[0]) for entry in chain)
            raise ConfigError(f"{label}: extend: {target} makes a cycle ({cycle} -> {target})")
        current = target


# `extend` keys add up along an `extend` chain and a `select` starts afresh, as ruff's rule
# selections do; every other key of the extending file replaces the inherited one whole.
_SELECTION_KEYS = ("ignore", "extend-select")
_ADDED_KEYS = ("extend-per-file-ignores",)
# Settings holding globs: those of an inherited file are rooted at its own directory.
_GLOB_LIST_KEYS = ("exclude",)
_GLOB_TABLE_KEYS = ("per-path", "file-kinds", "per-file-ignores", "extend-per-file-ignores")


def _file_layers(path: Path) -> tuple[list[tuple[str, Mapping[str, Any]]], tuple[str, ...]]:
    """The settings layers of a configuration file and what it extends, inherited first, and
    the files read (that file first)."""
    chain = _config_chain(path)
    top_directory = os.path.dirname(os.path.abspath(path))
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for file, label, table in reversed(chain):
        _build([(label, table)])  # each file checked alone, so that errors name the file
        directory = os.path.dirname(os.path.abspath(file))
        if directory != top_directory:
            table = _anchor_globs(table, directory)
        if "select" in table:
            for key in _SELECTION_KEYS:
                merged.pop(key, None)
        for key, value in table.items():
            if key in _SELECTION_KEYS and key in merged:
                value = _string_list(merged[key], key) + _string_list(value, key)
            elif key in _ADDED_KEYS and key in merged:
                value = _merge_code_tables(merged[key], value)
            merged[key] = value
            sources[key] = label
    layers: dict[str, dict[str, Any]] = {}
    for key, value in merged.items():
        layers.setdefault(sources[key], {})[key] = value
    order = [label for _file, label, _table in reversed(chain)]
    return [(label, layers[label]) for label in order if label in layers], tuple(str(entry[0]) for entry in chain)


def _anchor_globs(table: Mapping[str, Any], directory: str) -> dict[str, Any]:
    anchored = dict(table)
    for key in _GLOB_LIST_KEYS:
        if key in anchored:
            anchored[key] = [anchor_glob(glob, directory) for glob in _string_list(anchored[key], key)]
    for key in _GLOB_TABLE_KEYS:
        value = anchored.get(key)
        if isinstance(value, dict):
            anchored[key] = {_anchor_entry(glob, directory): entry for glob, entry in value.items()}
        elif isinstance(value, list):  # `GLOB=KIND` / `GLOB:CODE` strings, as on the command line
            separator = "=" if key == "file-kinds" else ":"
            anchored[key] = [_anchor_pair(item, separator, directory) for item in _string_list(value, key)]
    return anchored


def _anchor_pair(item: str, separator: str, directory: str) -> str:
    glob, found, rest = item.rpartition(separator)
    return f"{_anchor_entry(glob.strip(), directory)}{separator}{rest}" if found else item


def _anchor_entry(glob: str, directory: str) -> str:
    if glob.startswith("!"):
        return "!" + anchor_glob(glob[1:], directory)
    return anchor_glob(glob, directory)


def _merge_code_tables(first: Mapping[str, Any], second: Mapping[str, Any]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {glob: _string_list(codes, glob) for glob, codes in first.items()}
    for glob, codes in second.items():
        merged.setdefault(glob, []).extend(_string_list(codes, glob))
    return merged


def load_settings(
    *,
    cwd: str | os.PathLike[str] | None = None,
    environ: Optional[Mapping[str, str]] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    config_path: str | os.PathLike[str] | None = None,
    use_config_file: bool = True,
) -> Settings:
    """Merge defaults, the configuration file (and what it extends), `GUARD_*` and flag
    `overrides` (keys as in TOML). `config_path` may name any of the three kinds of file."""
    environ = os.environ if environ is None else environ
    start = Path(cwd) if cwd is not None else Path.cwd()
    layers: list[tuple[str, Mapping[str, Any]]] = []
    config_file: Optional[Path] = None
    if config_path is not None:
        config_file = Path(config_path)
        if not config_file.is_file():
            raise ConfigError(f"{config_file}: no such configuration file")
    elif use_config_file:
        config_file = find_config(start)
    config_files: tuple[str, ...] = ()
    if config_file is not None:
        file_layers, config_files = _file_layers(config_file)
        layers.extend(file_layers)
    env_layer, unknown_vars = _environment_layer(environ)
    if env_layer:
        layers.append(("environment", env_layer))
    if overrides:
        layers.append(("command line", {k: v for k, v in overrides.items() if v is not None}))
    settings = _build(layers)
    root = _repo_root(start)
    warnings = tuple(f"unknown environment variable {name} ignored" for name in unknown_vars)
    settings = replace(
        settings,
        config_file=str(config_file) if config_file else None,
        config_files=config_files,
        root=str(root) if root else None,
        warnings=warnings,
    )
    if settings.config_dir is not None:
        # anchored globs (from inherited files) are matched from where relative paths start
        settings = replace(settings, per_path=tuple(replace(policy, root=settings.config_dir) for policy in settings.per_path))
    return settings


def _repo_root(start: Path) -> Optional[Path]:
    directory = start.resolve()
    while True:
        if (directory / ".git").exists():
            return directory
        if directory.parent == directory:
            return None
        directory = directory.parent


_ENV_KEYS = {
    "GUARD_SELECT": ("select", "list"),
    "GUARD_EXTEND_SELECT": ("extend-select", "list"),
    "GUARD_IGNORE": ("ignore", "list"),
    "GUARD_FAIL_ON": ("fail-on", "str"),
    "GUARD_PRESET": ("preset", "str"),
    "GUARD_EXCLUDE": ("exclude", "list"),
    "GUARD_INCLUDE_FIXTURES": ("include-fixtures", "bool"),
    "GUARD_READ_OUTSIDE": ("read-outside", "bool"),
    "GUARD_ALLOW_PACKAGES": ("allow", "list"),
    "GUARD_PROJECT_KIND": ("project-kind", "str"),
    "GUARD_PIP_ON_BLOCK": ("pip.on-block", "str"),
    "GUARD_PIP_ON_WARN": ("pip.on-warn", "str"),
    "GUARD_PIP_CHECK_INSTALLS": ("pip.check-installs", "bool"),
}


def _environment_layer(environ: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    layer: dict[str, Any] = {}
    unknown: list[str] = []
    for name, value in environ.items():
        if not name.startswith("GUARD_"):
            continue
        if name not in _ENV_KEYS:
            if name not in NON_SETTING_VARIABLES:
                unknown.append(name)
            continue
        key, kind = _ENV_KEYS[name]
        parsed: Any
        if kind == "list":
            parsed = [item.strip() for item in value.split(",") if item.strip()]
        elif kind == "bool":
            lowered = value.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                parsed = True
            elif lowered in ("0", "false", "no", "off", ""):
                parsed = False
            else:
                raise ConfigError(f"environment variable {name}: expected 1 or 0, got {value!r}")
        else:
            parsed = value.strip()
        if key.startswith("pip."):
            layer.setdefault("pip", {})[key[4:]] = parsed
        else:
            layer[key] = parsed
    return layer, sorted(unknown)


_TOP_KEYS = {
    "select",
    "extend-select",
    "ignore",
    "severity",
    "fail-on",
    "preset",
    "min-level",
    "packages",
    "allow",
    "bootstrap",
    "exclude",
    "include-fixtures",
    "read-outside",
    "file-kinds",
    "per-path",
    "per-file-ignores",
    "extend-per-file-ignores",
    "project-kind",
    "pip",
}
_PER_PATH_KEYS = ("project-kind", "min-level")
_PIP_KEYS = {"on-block", "on-warn", "check-installs"}


def _build(layers: Sequence[tuple[str, Mapping[str, Any]]]) -> Settings:
    from guard import rules

    values: dict[str, Any] = {}
    severity: dict[str, Severity] = {}
    min_level_overrides: dict[str, PinLevel] = {}
    packages: dict[str, Optional[PinLevel]] = {}
    file_kinds: dict[str, str] = {}
    per_path: dict[str, PathPolicy] = {}
    per_file_ignores: list[tuple[str, tuple[str, ...]]] = []
    extend_per_file_ignores: list[tuple[str, tuple[str, ...]]] = []
    for source, layer in layers:
        for key, value in layer.items():
            where = f"{source}: {key}"
            if key not in _TOP_KEYS:
                raise ConfigError(f"{source}: unknown key {key!r}")
            if key in ("select", "extend-select", "ignore"):
                codes = _string_list(value, where)
                for code in codes:
                    if not rules.codes_matching(code):
                        raise ConfigError(f"{where}: unknown rule code or prefix {code!r}")
                values[key] = tuple(code.upper() for code in codes)
            elif key in ("allow", "bootstrap"):
                values[key] = tuple(_normalise(name) for name in _string_list(value, where))
            elif key == "exclude":
                values[key] = tuple(_string_list(value, where))
            elif key in ("include-fixtures", "read-outside"):
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}: expected true or false")
                values[key.replace("-", "_")] = value
            elif key == "file-kinds":
                file_kinds.update(_file_kinds(value, where))
            elif key == "per-file-ignores":
                per_file_ignores = _code_table(value, where)
            elif key == "extend-per-file-ignores":
                extend_per_file_ignores.extend(_code_table(value, where))
            elif key == "per-path":
                for pattern, entry in _table(value, where).items():
                    per_path[pattern] = _path_policy(pattern, entry, f"{where}.{pattern}")
            elif key == "severity":
                for code, label in _table(value, where).items():
                    rule = rules.by_name_or_code(code)
                    if rule is None:
                        raise ConfigError(f"{where}: unknown rule {code!r}")
                    severity[rule.code] = _parse(Severity.parse, label, f"{where}.{code}")
            elif key == "fail-on":
                values["fail_on"] = _parse(Severity.parse, _string(value, where), where)
            elif key == "preset":
                preset = _string(value, where)
                if preset not in PRESETS:
                    raise ConfigError(f"{where}: unknown preset {preset!r} (expected {', '.join(PRESETS)})")
                values["preset"] = preset
            elif key == "min-level":
                for kind, label in _table(value, where).items():
                    if kind not in FILE_KINDS:
                        raise ConfigError(f"{where}: unknown file kind {kind!r} (expected {', '.join(FILE_KINDS)})")
                    min_level_overrides[kind] = _parse(PinLevel.parse, label, f"{where}.{kind}")
            elif key == "packages":
                for pattern, label in _table(value, where).items():
                    text = _string(label, f"{where}.{pattern}")
                    level = None if text == "ignore" else _parse(PinLevel.parse, text, f"{where}.{pattern}")
                    packages[_normalise_pattern(pattern)] = level
            elif key == "project-kind":
                kind = _string(value, where)
                if kind not in PROJECT_KINDS:
                    raise ConfigError(f"{where}: expected one of {', '.join(PROJECT_KINDS)}, got {kind!r}")
                values["project_kind"] = kind
            elif key == "pip":
                for pip_key, pip_value in _table(value, where).items():
                    pip_where = f"{where}.{pip_key}"
                    if pip_key not in _PIP_KEYS:
                        raise ConfigError(f"{source}: unknown key 'pip.{pip_key}'")
                    if pip_key == "check-installs":
                        if not isinstance(pip_value, bool):
                            raise ConfigError(f"{pip_where}: expected true or false")
                        values["pip_check_installs"] = pip_value
                    else:
                        mode = _string(pip_value, pip_where)
                        if mode not in PIP_MODES:
                            raise ConfigError(f"{pip_where}: expected one of {', '.join(PIP_MODES)}, got {mode!r}")
                        values["pip_" + pip_key.replace("-", "_")] = mode
    for key in ("select", "extend-select", "ignore"):
        if key in values:
            values[key.replace("-", "_")] = values.pop(key)
    preset = values.get("preset", "default")
    min_level = dict(PRESET_MIN_LEVELS[preset])
    min_level.update(min_level_overrides)
    values["min_level"] = min_level
    values["severity"] = severity
    values["packages"] = tuple(PackageRule(pattern, level) for pattern, level in packages.items())
    values["file_kinds"] = tuple(file_kinds.items())
    values["per_path"] = tuple(per_path.values())
    values["per_file_ignores"] = tuple(per_file_ignores + extend_per_file_ignores)
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known})


def file_kind_names() -> tuple[str, ...]:
    """The file kinds a `file-kinds` entry may name: the rows of the checker table."""
    from guard.check.filekinds import CHECKERS

    return tuple(CHECKERS)


def _file_kinds(value: Any, where: str) -> dict[str, str]:
    """`{glob = kind}`; on the command line also a list of `GLOB=KIND` strings."""
    if isinstance(value, list):
        pairs: dict[str, Any] = {}
        for item in _string_list(value, where):
            glob, equals, kind = item.rpartition("=")
            if not equals or not glob.strip() or not kind.strip():
                raise ConfigError(f"{where}: expected GLOB=KIND, got {item!r}")
            pairs[glob.strip()] = kind.strip()
        value = pairs
    kinds = file_kind_names()
    found: dict[str, str] = {}
    for glob, kind in _table(value, where).items():
        name = _string(kind, f"{where}.{glob}")
        if name not in kinds:
            raise ConfigError(f"{where}.{glob}: unknown file kind {name!r} (expected {', '.join(kinds)})")
        found[glob] = name
    return found


def _code_table(value: Any, where: str) -> list[tuple[str, tuple[str, ...]]]:
    """`{glob = [codes or prefixes]}`; on the command line also `GLOB:CODE` strings (as ruff's
    `--per-file-ignores`), entries for one glob adding up."""
    from guard import rules

    if isinstance(value, list):
        pairs: dict[str, list[str]] = {}
        for item in _string_list(value, where):
            glob, colon, code = item.rpartition(":")
            if not colon or not glob.strip() or not code.strip():
                raise ConfigError(f"{where}: expected GLOB:CODE, got {item!r}")
            pairs.setdefault(glob.strip(), []).append(code.strip())
        value = pairs
    entries: list[tuple[str, tuple[str, ...]]] = []
    for glob, codes in _table(value, where).items():
        listed = _string_list(codes, f"{where}.{glob}")
        for code in listed:
            if not rules.codes_matching(code):
                raise ConfigError(f"{where}.{glob}: unknown rule code or prefix {code!r}")
        entries.append((glob, tuple(code.strip().upper() for code in listed)))
    return entries


def _path_policy(pattern: str, entry: Any, where: str) -> PathPolicy:
    """`"glob" = { project-kind = "library", min-level = "exact" | {kind = level} }`."""
    table = _table(entry, where)
    unknown = sorted(key for key in table if key not in _PER_PATH_KEYS)
    if unknown:
        names = ", ".join(repr(key) for key in unknown)
        raise ConfigError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {names} (expected {', '.join(_PER_PATH_KEYS)})")
    if not table:
        raise ConfigError(f"{where}: expected project-kind or min-level")
    kind: Optional[str] = None
    if "project-kind" in table:
        kind = _string(table["project-kind"], f"{where}.project-kind")
        if kind not in ("application", "library"):
            raise ConfigError(f"{where}.project-kind: expected application or library, got {kind!r}")
    levels: dict[str, PinLevel] = {}
    if "min-level" in table:
        value = table["min-level"]
        level_where = f"{where}.min-level"
        if isinstance(value, str):
            # one level for every dependency in those files, whatever kind declares it
            level = _parse(PinLevel.parse, value, level_where)
            levels = {name: level for name in FILE_KINDS}
        else:
            for name, label in _table(value, level_where).items():
                if name not in FILE_KINDS:
                    raise ConfigError(f"{level_where}: unknown file kind {name!r} (expected {', '.join(FILE_KINDS)})")
                levels[name] = _parse(PinLevel.parse, label, f"{level_where}.{name}")
    return PathPolicy(pattern, kind, levels)


def _parse(parser: Any, text: Any, where: str) -> Any:
    if not isinstance(text, str):
        raise ConfigError(f"{where}: expected a string, got {type(text).__name__}")
    try:
        return parser(text)
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string, got {type(value).__name__}")
    return value


def _string_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [item.strip() for item in value.split(",") if item.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return list(value)


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table")
    return value


def _normalise(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def _normalise_pattern(pattern: str) -> str:
    return _normalise(pattern)
