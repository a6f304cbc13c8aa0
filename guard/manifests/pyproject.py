"""`pyproject.toml`: every table that declares dependencies (docs/manifests.md).

Read: `[project] dependencies` and `optional-dependencies`, `[dependency-groups]` (PEP 735),
`[build-system] requires`, Poetry (`[tool.poetry.dependencies]`, `dev-dependencies`,
`group.*.dependencies`), uv (`dev-dependencies`, `constraint-dependencies`,
`override-dependencies`, `[tool.uv.sources]`), `[tool.pdm.dev-dependencies]` and
`[tool.hatch.envs.*]` `dependencies` / `extra-dependencies`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Mapping, Optional

from guard.finding import Finding
from guard.manifests.common import judge, vcs_info
from guard.manifests.kind import ProjectKind, project_kind
from guard.pins.analysis import PinInfo, analyse, normalise_name
from guard.pins.dep import Dep
from guard.pins.levels import PinLevel
from guard.rules import get as rule
from guard.text.tomlpos import Key, TomlPositions, decode_error_message, decode_error_position, dotted, type_name

if TYPE_CHECKING:
    from guard.check.context import RunContext
    from guard.config import Settings

# Roles: where a dependency is declared decides its policy.
RUNTIME = "runtime"  # [project] dependencies, Poetry main dependencies
EXTRA = "extra"  # optional-dependencies: the application row, or dev-like in a library
GROUP = "group"  # dependency groups and tool dev dependencies: locked when a lock exists
ENV = "env"  # Hatch environments: never in a lock
CONSTRAINT = "constraint"  # uv constraint/override dependencies
BUILD = "build"  # [build-system] requires
SOURCE = "source"  # [tool.uv.sources] entries

_COVERED = (RUNTIME, EXTRA, GROUP)


@dataclass
class Entry:
    dep: Dep
    info: PinInfo
    role: str
    extra: str = ""  # the optional-dependencies table it is in (EXTRA)


@dataclass
class _Collector:
    shown: str
    pos: TomlPositions
    entries: list[Entry] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)

    def error(self, path: tuple[Key, ...], message: str) -> None:
        line, column = self.pos.locate(*path)
        self.errors.append(rule("GRD102").finding(self.shown, line, column, message))

    def add(self, path: tuple[Key, ...], text: str, info: PinInfo, role: str, kind: str = "") -> None:
        line, column = self.pos.locate(*path)
        extra = str(path[2]) if role == EXTRA and len(path) > 2 and path[:2] == ("project", "optional-dependencies") else ""
        self.entries.append(Entry(Dep(self.shown, line, column, text, kind), info, role, extra))

    def table(self, data: Mapping[str, Any], path: tuple[str, ...]) -> Optional[Mapping[str, Any]]:
        """The table at `path`, None when absent; a non-table is reported."""
        current: Any = data
        for depth, key in enumerate(path):
            if not isinstance(current, Mapping) or key not in current:
                return None
            current = current[key]
            if not isinstance(current, Mapping):
                self.error(path[: depth + 1], f"`{dotted(path[: depth + 1])}` must be a table, not {type_name(current)}")
                return None
        found: Mapping[str, Any] = current
        return found

    def strings(self, value: Any, path: tuple[Key, ...], role: str, allow_include: bool = False) -> None:
        """An array of PEP 508 strings."""
        if not isinstance(value, list):
            self.error(path, f"`{dotted(path)}` must be an array of strings, not {type_name(value)}")
            return
        for index, item in enumerate(value):
            item_path = path + (index,)
            if isinstance(item, str):
                self.add(item_path, item.strip(), pep508_info(item), role)
            elif allow_include and isinstance(item, Mapping) and set(item) == {"include-group"}:
                continue  # PEP 735 `{include-group = "x"}`: a reference, not a requirement
            else:
                self.error(item_path, f"`{dotted(path)}` entries must be strings, not {type_name(item)}")


def pep508_info(text: str) -> PinInfo:
    text = text.strip()
    editable = False
    if text.startswith("-e "):
        text, editable = text[3:].strip(), True
    if "${PROJECT_ROOT}" in text or "{root" in text:
        return PinInfo(None, PinLevel.EXACT, first_party=True)  # PDM / Hatch local references
    if re.search(r"\{[a-z_]+(:[^}]*)?\}", text) and "${" not in text:
        # Hatch context formatting (`{env:VERSION}`): a value known only at install time
        return PinInfo(_leading(text), PinLevel.ANY, dynamic=True)
    return analyse(text, (), editable)


def _leading(text: str) -> Optional[str]:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
    return normalise_name(match.group(1)) if match else None


# --- Poetry ---------------------------------------------------------------------------------

_POETRY_PART = re.compile(r"(\^|~=|~|===|==|!=|<=|>=|<|>|=)?\s*([^\s,]+)")


def poetry_constraint_info(name: str, constraint: str) -> PinInfo:
    """Level of a Poetry version constraint: `^1.2`, `~1.2`, `1.2.3` (exact), `*`, ranges,
    `||` alternatives (the weakest wins)."""
    levels: list[PinLevel] = []
    versions: list[str] = []  # the version each exact alternative allows
    specifier = constraint.strip()
    wildcard = False
    for alternative in specifier.split("||"):
        lower = upper = exact = constrained = False
        parts = [part for part in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", alternative.strip()) if part]
        for part in parts:
            match = _POETRY_PART.fullmatch(part.strip())
            if match is None:
                return PinInfo(name, PinLevel.ANY, invalid=f"`{name}` has an invalid Poetry constraint `{constraint}`")
            operator, version = match.group(1) or "", match.group(2)
            if version == "*" and operator in ("", "==", "="):
                continue
            if not re.fullmatch(r"v?\d[0-9A-Za-z.+!*-]*", version):
                return PinInfo(name, PinLevel.ANY, invalid=f"`{name}` has an invalid Poetry constraint `{constraint}`")
            if operator in ("^", "~", "~="):
                lower = upper = True
            elif operator in ("", "==", "=", "==="):
                if "*" in version:
                    lower = upper = wildcard = True
                else:
                    exact = True
                    versions.append(version)
            elif operator in (">=", ">"):
                lower = True
            elif operator in ("<", "<="):
                upper = True
            else:
                constrained = True
        if exact:
            levels.append(PinLevel.EXACT)
        elif lower and upper:
            levels.append(PinLevel.BOUNDED)
        elif lower:
            levels.append(PinLevel.FLOOR)
        elif upper or constrained:
            levels.append(PinLevel.CONSTRAINED)
        else:
            levels.append(PinLevel.ANY)
    level = min(levels) if levels else PinLevel.ANY
    if level == PinLevel.EXACT and len(levels) > 1:
        # `1.0 || 2.0` allows two versions: at best a range, unless every side names the same one
        if not all_same_version(versions):
            level = PinLevel.BOUNDED
        specifier = f"=={versions[0]}" if level == PinLevel.EXACT else specifier
    exact_spec = specifier if specifier.startswith("=") else f"=={specifier}"
    return PinInfo(
        name, level, wildcard=wildcard and level == PinLevel.BOUNDED, specifier=exact_spec if level == PinLevel.EXACT else specifier
    )


def all_same_version(versions: list[str]) -> bool:
    """True when the versions are one version (PEP 440 equality: `1.0` is `1.0.0`)."""
    from packaging.version import InvalidVersion, Version

    try:
        return len({Version(version) for version in versions}) <= 1
    except InvalidVersion:
        return len({version.lower().lstrip("v") for version in versions}) <= 1


def poetry_table_info(name: str, table: Mapping[str, Any]) -> tuple[PinInfo, str]:
    """(level info, the key whose value the finding points at) for a Poetry dependency table."""
    for vcs in ("git", "hg"):
        if vcs in table:
            ref_key = next((key for key in ("rev", "tag", "branch") if key in table), None)
            ref = str(table[ref_key]) if ref_key and ref_key != "branch" and ref_key != "tag" else None
            info = vcs_info(name, str(table[vcs]), ref, vcs)
            if ref_key in ("branch", "tag"):
                info = replace(info, level=PinLevel.ANY, mutable_ref=str(table[ref_key]))
            return info, ref_key or vcs
    if "path" in table:
        path = str(table["path"])
        if path.lower().endswith((".whl", ".tar.gz", ".zip", ".tgz")):
            return PinInfo(name, PinLevel.EXACT, local_file=True), "path"
        return PinInfo(name, PinLevel.EXACT, first_party=True), "path"
    if "url" in table:
        return analyse(f"{name} @ {table['url']}"), "url"
    if "version" in table:
        if not isinstance(table["version"], str):
            return PinInfo(name, PinLevel.ANY, invalid=f"`{name}` version must be a string, not {type_name(table['version'])}"), "version"
        return poetry_constraint_info(name, table["version"]), "version"
    return PinInfo(name, PinLevel.ANY), ""


def _poetry_dependencies(collector: _Collector, table: Mapping[str, Any], path: tuple[str, ...], role: str) -> None:
    for key, value in table.items():
        if key.lower() == "python":
            continue  # the interpreter constraint, not a package
        name = normalise_name(key)
        key_path: tuple[Key, ...] = path + (key,)
        if isinstance(value, str):
            collector.add(key_path, key, poetry_constraint_info(name, value), role)
        elif isinstance(value, Mapping):
            info, at = poetry_table_info(name, value)
            collector.add(key_path + ((at,) if at else ()), key, info, role)
        elif isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            # multiple-constraint dependencies (one table per environment): one dependency,
            # as firmly pinned as its weakest alternative, reported at the first one
            alternatives = [poetry_table_info(name, item) for item in value]
            info = min((alternative[0] for alternative in alternatives), key=_weakness)
            at = alternatives[0][1]
            collector.add(key_path + (0,) + ((at,) if at else ()), key, info, role)
        else:
            collector.error(key_path, f"`{dotted(key_path)}` must be a version string or a table, not {type_name(value)}")


def _weakness(info: PinInfo) -> tuple[bool, int, bool]:
    """Sort key: an invalid alternative first, then the lowest level, a flagged one (mutable
    VCS ref, URL without hash) before an unflagged one of the same level."""
    flagged = info.mutable_ref is not None or info.url_without_hash
    return (info.invalid is None, int(info.level) if not info.first_party else int(PinLevel.LOCKED), not flagged)


# --- reading ---------------------------------------------------------------------------------


def collect(data: Mapping[str, Any], collector: _Collector) -> None:
    project = collector.table(data, ("project",))
    if project is not None:
        if "dependencies" in project:
            collector.strings(project["dependencies"], ("project", "dependencies"), RUNTIME)
        extras = collector.table(data, ("project", "optional-dependencies"))
        for extra, value in (extras or {}).items():
            collector.strings(value, ("project", "optional-dependencies", extra), EXTRA)
    groups = collector.table(data, ("dependency-groups",))
    for group, value in (groups or {}).items():
        collector.strings(value, ("dependency-groups", group), GROUP, allow_include=True)
    _group_includes(collector, groups or {})
    build = collector.table(data, ("build-system",))
    if build is not None and "requires" in build:
        collector.strings(build["requires"], ("build-system", "requires"), BUILD)
    poetry = collector.table(data, ("tool", "poetry"))
    if poetry is not None:
        main = collector.table(data, ("tool", "poetry", "dependencies"))
        if main is not None:
            _poetry_dependencies(collector, main, ("tool", "poetry", "dependencies"), RUNTIME)
        dev = collector.table(data, ("tool", "poetry", "dev-dependencies"))
        if dev is not None:
            _poetry_dependencies(collector, dev, ("tool", "poetry", "dev-dependencies"), GROUP)
        for group in collector.table(data, ("tool", "poetry", "group")) or {}:
            deps = collector.table(data, ("tool", "poetry", "group", group, "dependencies"))
            if deps is not None:
                _poetry_dependencies(collector, deps, ("tool", "poetry", "group", group, "dependencies"), GROUP)
    uv = collector.table(data, ("tool", "uv"))
    if uv is not None:
        if "dev-dependencies" in uv:
            collector.strings(uv["dev-dependencies"], ("tool", "uv", "dev-dependencies"), GROUP)
        for key in ("constraint-dependencies", "override-dependencies"):
            if key in uv:
                collector.strings(uv[key], ("tool", "uv", key), CONSTRAINT)
        _uv_sources(collector, collector.table(data, ("tool", "uv", "sources")) or {})
    pdm_dev = collector.table(data, ("tool", "pdm", "dev-dependencies"))
    for group, value in (pdm_dev or {}).items():
        collector.strings(value, ("tool", "pdm", "dev-dependencies", group), GROUP)
    envs = collector.table(data, ("tool", "hatch", "envs"))
    for env, table in (envs or {}).items():
        if not isinstance(table, Mapping):
            collector.error(
                ("tool", "hatch", "envs", env), f"`{dotted(('tool', 'hatch', 'envs', env))}` must be a table, not {type_name(table)}"
            )
            continue
        for key in ("dependencies", "extra-dependencies"):
            if key in table:
                collector.strings(table[key], ("tool", "hatch", "envs", env, key), ENV)


def _group_includes(collector: _Collector, groups: Mapping[str, Any]) -> None:
    """PEP 735 `{include-group = "name"}` entries must name a group of the table (names
    compared normalised, as package names are); uv and pip refuse the file otherwise."""
    defined = {normalise_name(group) for group in groups}
    for group, value in groups.items():
        for index, item in enumerate(value if isinstance(value, list) else []):
            if not (isinstance(item, Mapping) and set(item) == {"include-group"}):
                continue
            path: tuple[Key, ...] = ("dependency-groups", group, index, "include-group")
            target = item["include-group"]
            if not isinstance(target, str):
                collector.error(path, f"`{dotted(path)}` must be a string, not {type_name(target)}")
            elif normalise_name(target) not in defined:
                collector.error(path, f"`{dotted(path[:-1])}` includes group `{target}`, which `[dependency-groups]` does not define")


def _uv_sources(collector: _Collector, sources: Mapping[str, Any]) -> None:
    for key, value in sources.items():
        name = normalise_name(key)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            path: tuple[Key, ...] = ("tool", "uv", "sources", key) + ((index,) if isinstance(value, list) else ())
            if not isinstance(item, Mapping):
                collector.error(path, f"`{dotted(path)}` must be a table, not {type_name(item)}")
                continue
            if "git" in item:
                ref_key = next((k for k in ("rev", "tag", "branch") if k in item), None)
                info = vcs_info(name, str(item["git"]), str(item[ref_key]) if ref_key == "rev" else None)
                if ref_key in ("tag", "branch"):
                    info = replace(info, level=PinLevel.ANY, mutable_ref=str(item[ref_key]))
                collector.add(path + (ref_key or "git",), key, info, SOURCE)
            elif "url" in item:
                collector.add(path + ("url",), key, analyse(f"{name} @ {item['url']}"), SOURCE)
            elif "path" in item or item.get("workspace") is True:
                collector.add(path, key, PinInfo(name, PinLevel.EXACT, first_party=True), SOURCE)
            # `index = "..."` only says where to download from: the pin is in the requirement


# --- the policy -----------------------------------------------------------------------------


def _kind_for(role: str, project: ProjectKind) -> str:
    if role == RUNTIME or (role == EXTRA and not project.library):
        return "pyproject-library" if project.library else "pyproject-application"
    if role == BUILD:
        return "build-system"
    return "dependency-groups"


def pyproject_findings(text: str, absolute: str, shown: str, settings: Settings) -> list[Finding]:
    """Every finding for one pyproject.toml (before selection and suppressions)."""
    from guard.text.tomlcompat import TOMLDecodeError, loads

    try:
        data = loads(text)
    except TOMLDecodeError as error:
        line, column = decode_error_position(error, text)
        return [rule("GRD102").finding(shown, line, column, f"`{shown}` is not valid TOML: {decode_error_message(error)}")]
    collector = _Collector(shown, TomlPositions(text))
    collect(data, collector)
    project_dir = os.path.dirname(os.path.abspath(absolute))
    project = project_kind(project_dir, data, settings.project_kind)
    return collector.errors + policy_findings(collector.entries, project, project_dir, settings, own_names(data))


def policy_findings(entries: list[Entry], project: ProjectKind, project_dir: str, settings: Settings, own_names: set[str]) -> list[Finding]:
    """The library/application policy over a project's declared dependencies (any manifest)."""
    from guard.manifests.lockfiles import find_locks, lock_label, locked_extras, locked_names

    lock = locked_names(project_dir)
    label = lock_label(find_locks(project_dir), project_dir)
    # a lock that says which extras it covers is no drift for the others (pipenv's `extras = []`)
    extras_locked = locked_extras(project_dir) if lock is not None else None
    floors: dict[str, PinLevel] = {}
    sources: dict[str, list[Entry]] = {}
    users: dict[str, str] = {}  # source name -> the kind of the first declaration using it
    for entry in entries:
        name = entry.info.name
        if name is None:
            continue
        if entry.role == CONSTRAINT and not (entry.info.invalid or entry.info.dynamic):
            floors[name] = max(floors.get(name, PinLevel.ANY), entry.info.level)
        elif entry.role == SOURCE:
            sources.setdefault(name, []).append(entry)
        elif entry.role in _COVERED and name not in users:
            users[name] = _kind_for(entry.role, project)

    findings: list[Finding] = []
    for entry in entries:
        info, role = entry.info, entry.role
        if info.name is not None and info.name in own_names:
            continue  # the project referring to itself (`myproject[test]`)
        if role == SOURCE:
            kind = users.get(info.name or "", _kind_for(RUNTIME, project))
            dep = replace(entry.dep, file_kind=kind)
            covered = lock if info.name in users else None
            findings.extend(judge(dep, info, settings, lock=covered, lock_label=label, check_drift=False, advisory=project.library))
            continue
        kind = _kind_for(role, project)
        dep = replace(entry.dep, file_kind=kind)
        floor = floors.get(info.name or "") if role in _COVERED else None
        source = sources.get(info.name or "") if role in _COVERED else None
        if source and not (info.invalid or info.dynamic) and info.vcs_url is None:
            # installed from a VCS, URL or path source: its pin is judged at the source entry
            if all(item.info.first_party for item in source):
                continue
            floor = max(floor or PinLevel.ANY, PinLevel.EXACT)
        findings.extend(
            judge(
                dep,
                info,
                settings,
                lock=lock if role in _COVERED else None,
                lock_label=label,
                check_drift=not (role == EXTRA and extras_locked is not None and normalise_name(entry.extra) not in extras_locked),
                advisory=project.library or role == BUILD,
                library_runtime=project.library and role == RUNTIME,
                floor=floor,
            )
        )
    return findings


def own_names(data: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for table in (data.get("project"), (data.get("tool") or {}).get("poetry") if isinstance(data.get("tool"), Mapping) else None):
        if isinstance(table, Mapping) and isinstance(table.get("name"), str):
            names.add(normalise_name(table["name"]))
    return names


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is None:
            continue
        absolute, shown, text = read
        context.findings.extend(pyproject_findings(text, absolute, shown, context.settings))


def sibling_data(project_dir: str) -> Optional[Mapping[str, Any]]:
    """The parsed pyproject.toml in `project_dir` (for setup.cfg / setup.py projects), None
    when absent or invalid (its own check reports that)."""
    from guard.text.decode import UnreadableFile, read_text
    from guard.text.tomlcompat import TOMLDecodeError, loads

    path = os.path.join(project_dir, "pyproject.toml")
    if not os.path.isfile(path):
        return None
    try:
        data: dict[str, Any] = loads(read_text(path))
    except (UnreadableFile, TOMLDecodeError):
        return None
    return data


def project_findings(entries: list[Entry], absolute: str, settings: Settings) -> list[Finding]:
    """The policy for entries read from a setup.cfg or setup.py (kind from pyproject.toml beside)."""
    project_dir = os.path.dirname(os.path.abspath(absolute))
    data = sibling_data(project_dir)
    project = project_kind(project_dir, data, settings.project_kind)
    return policy_findings(entries, project, project_dir, settings, own_names(data or {}))


# --- requirement files the build reads ------------------------------------------------------


def read_requirement_files(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(file, which build reads it) for the requirement files pyproject.toml tells the build
    backend to read as the package's dependencies: setuptools'
    `[tool.setuptools.dynamic] dependencies = {file = [...]}` (and `optional-dependencies`), and
    hatch-requirements-txt's `[tool.hatch.metadata.hooks.requirements_txt]`."""
    found: list[tuple[str, str]] = []
    tool = data.get("tool")
    tool = tool if isinstance(tool, Mapping) else {}
    dynamic = _mapping(_mapping(tool.get("setuptools")).get("dynamic"))
    setuptools = "`[tool.setuptools.dynamic]`"
    found.extend((name, setuptools) for name in _file_directive(dynamic.get("dependencies")))
    for extra in _mapping(dynamic.get("optional-dependencies")).values():
        found.extend((name, setuptools) for name in _file_directive(extra))
    hook = _mapping(_mapping(_mapping(_mapping(tool.get("hatch")).get("metadata")).get("hooks")).get("requirements_txt"))
    hatch = "hatch-requirements-txt"
    found.extend((name, hatch) for name in _strings(hook.get("files")))
    for files in _mapping(hook.get("optional-dependencies")).values():
        found.extend((name, hatch) for name in _strings(files))
    return found


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _file_directive(value: Any) -> list[str]:
    return _strings(_mapping(value).get("file"))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []
