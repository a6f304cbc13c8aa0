"""Pin rules over requirement and constraints files, includes followed as pip follows them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

from guard.config import Settings
from guard.deps.dep import Dep
from guard.deps.requirements import RequirementFile, include_path, parse_requirement_text
from guard.finding import Finding
from guard.pinlevel import LEVEL_WORDS, PinLevel
from guard.pinning import PinInfo, analyse
from guard.rules import get as rule
from guard.textfile import UnreadableFile, read_text


def requirement_file_kind(path: str) -> str:
    """The policy kind of a requirement file from its name (`constraints`, `requirements-in`)."""
    name = os.path.basename(path).lower()
    if name.endswith(".in"):
        return "requirements-in"
    if "constraint" in name:
        return "constraints"
    return "requirements"


@dataclass
class Tree:
    """A requirement file with everything it includes, as one pip install would read it."""

    deps: list[Dep] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    require_hashes: bool = False
    files: list[str] = field(default_factory=list)


class RequirementReader:
    """Reads and caches requirement files for one run; each file is parsed once."""

    def __init__(self, display: "PathDisplay") -> None:
        self._display = display
        self._parsed: dict[str, RequirementFile | UnreadableFile] = {}
        self.texts: dict[str, str] = {}
        self.line_alias: dict[str, dict[int, int]] = {}

    def parse(self, path: str, file_kind: str, constraint: bool) -> RequirementFile | UnreadableFile:
        key = os.path.realpath(path)
        cache_key = f"{key}\0{file_kind}\0{constraint}"
        if cache_key not in self._parsed:
            shown = self._display(path)
            try:
                text = read_text(path)
            except UnreadableFile as error:
                self._parsed[cache_key] = error
            else:
                self.texts[shown] = text
                parsed = parse_requirement_text(shown, text, file_kind, constraint)
                self.line_alias[shown] = parsed.line_alias
                self._parsed[cache_key] = parsed
        return self._parsed[cache_key]

    def tree(self, path: str, file_kind: Optional[str] = None) -> Tree:
        tree = Tree()
        kind = file_kind or requirement_file_kind(path)
        self._walk(path, kind, kind == "constraints", tree, [], None)
        return tree

    def _walk(self, path: str, kind: str, constraint: bool, tree: Tree, stack: list[str], include_site: Optional[tuple[str, int, int]]) -> None:
        real = os.path.realpath(path)
        parsed = self.parse(path, kind, constraint)
        if isinstance(parsed, UnreadableFile):
            if include_site is None:
                tree.findings.append(rule("GRD101").finding(self._display(path), 0, 0, f"cannot read `{self._display(path)}`: {parsed}"))
            else:
                site_path, line, column = include_site
                if not os.path.lexists(path):
                    tree.findings.append(rule("GRD103").finding(site_path, line, column, f"included file `{self._display(path)}` does not exist", fix="point the include at an existing file, relative to this one"))
                else:
                    tree.findings.append(rule("GRD101").finding(site_path, line, column, f"cannot read included file `{self._display(path)}`: {parsed}"))
            return
        tree.files.append(parsed.path)
        tree.deps.extend(parsed.deps)
        tree.require_hashes = tree.require_hashes or parsed.require_hashes
        for error in parsed.errors:
            tree.findings.append(rule("GRD102").finding(parsed.path, error.line, error.column, error.message))
        stack.append(real)
        for include in parsed.includes:
            target = include_path(path, include.target)
            if target is None or "${" in include.target:
                continue  # remote or templated: nothing on disk to read
            if os.path.realpath(target) in stack:
                chain = " -> ".join(self._display(p) for p in stack[stack.index(os.path.realpath(target)):]) + f" -> {self._display(target)}"
                tree.findings.append(rule("GRD104").finding(parsed.path, include.line, include.column, f"include cycle: {chain}"))
                continue
            child_kind = "constraints" if include.constraint else requirement_file_kind(target) if kind != "constraints" else "constraints"
            self._walk(target, child_kind, include.constraint or constraint, tree, stack, (parsed.path, include.line, include.column))
        stack.pop()


class PathDisplay:
    """Shows paths relative to the working directory when they are below it."""

    def __init__(self, cwd: str) -> None:
        self._cwd = os.path.abspath(cwd)

    def __call__(self, path: str) -> str:
        absolute = os.path.abspath(os.path.join(self._cwd, path))
        if absolute == self._cwd or absolute.startswith(self._cwd + os.sep):
            return os.path.relpath(absolute, self._cwd)
        return path


def check_tree(tree: Tree, settings: Settings) -> list[Finding]:
    """Every pin finding for one install's worth of requirement files."""
    findings = list(tree.findings)
    infos = [(dep, analyse(dep.text, dep.hashes, dep.editable)) for dep in tree.deps]
    installs = [(dep, info) for dep, info in infos if not dep.constraint]
    hash_mode = tree.require_hashes or any(info.has_strong_hash for _, info in installs)
    constrained: dict[str, PinLevel] = {}
    for dep, info in infos:
        if dep.constraint and info.name:
            constrained[info.name] = max(constrained.get(info.name, PinLevel.ANY), info.level)
    # `settings.required_level` per (file kind, name), asked once: it matches the name
    # against every per-package override, and names recur across a tree.
    required_levels: dict[tuple[str, Optional[str]], Optional[PinLevel]] = {}
    exact, locked = PinLevel.EXACT, PinLevel.LOCKED
    by_option = tree.require_hashes
    extend = findings.extend
    for dep, info in infos:
        level = info.level
        if not dep.constraint:
            if constrained and info.name in constrained:
                level = max(level, constrained[info.name])
            if hash_mode and info.has_strong_hash and level >= exact:
                level = locked
        key = (dep.file_kind, info.name)
        if key in required_levels:
            required = required_levels[key]
        else:
            required = required_levels[key] = settings.required_level(dep.file_kind, info.name)
        extend(_dep_findings(dep, info, level, settings, required))
        if hash_mode and not dep.constraint:
            extend(_hash_mode_findings(dep, info, by_option))
    return findings


def dep_findings(dep: Dep, info: PinInfo, level: PinLevel, settings: Settings) -> list[Finding]:
    """The findings about one dependency, given the level it effectively has."""
    return _dep_findings(dep, info, level, settings, settings.required_level(dep.file_kind, info.name))


def _dep_findings(dep: Dep, info: PinInfo, level: PinLevel, settings: Settings, required: Optional[PinLevel]) -> list[Finding]:
    # `required` is `settings.required_level(dep.file_kind, info.name)`, only asked for below
    # when no earlier `return` applies; asking it first changes nothing (it is pure).
    out: list[Finding] = []
    where = (dep.path, dep.line, dep.column)
    if info.weak_hashes or info.malformed_hashes:
        shown = f"`{dep.text}`"
        for value in info.weak_hashes:
            out.append(rule("PIN106").finding(*where, f"{shown} has a weak hash `{value.split(':')[0]}`; pip accepts only sha256, sha384 and sha512", package=info.name, fix="use `pip hash FILE` for a sha256 hash"))
        for value in info.malformed_hashes:
            out.append(rule("PIN108").finding(*where, f"{shown} has an invalid `--hash={value}`; pip expects `--hash=sha256:<hex>`", package=info.name))
    if info.invalid:
        out.append(rule("PIN108").finding(*where, info.invalid, package=info.name))
        return out
    if info.dynamic:
        out.append(rule("PIN107").finding(*where, f"`{dep.text}` depends on a variable, so its pin cannot be checked", package=info.name, fix="write the version in the file"))
        return out
    if info.first_party:
        return out
    if required is None:
        return out  # allowed, or ignored by a per-package override
    if info.mutable_ref is not None:
        ref = f"`@{info.mutable_ref}`" if info.mutable_ref else "no revision"
        out.append(rule("PIN102").finding(*where, f"`{dep.text}` names {ref}, not a full commit hash", package=info.name, fix="pin the full commit: `@<40 hex digits>`"))
    elif info.url_without_hash and not info.local_file and required >= PinLevel.EXACT:
        out.append(rule("PIN103").finding(*where, f"`{dep.text}` is a URL without a hash", package=info.name, fix="append `#sha256=<hex>` to the URL"))
    if info.wildcard and required >= PinLevel.EXACT:
        out.append(rule("PIN104").finding(*where, f"`{dep.text}` is a range, not a pin", package=info.name, fix=f"pin one version: `{info.name}==<version>`"))
    if level < required and info.mutable_ref is None:
        name = info.name or dep.text
        words = LEVEL_WORDS[level]
        fix = f"pin one version: `{name}==<version>`" if required <= PinLevel.EXACT else "generate hashes: `pip-compile --generate-hashes` or `uv pip compile --generate-hashes`"
        if info.name in settings.bootstrap:
            out.append(rule("PIN109").finding(*where, f"installer package `{name}` {words}", package=info.name, fix=fix))
        else:
            out.append(rule("PIN101").finding(*where, f"`{name}` {words}; {_kind_words(dep.file_kind)} require {required.label}", package=info.name, fix=fix))
    return out


def _hash_mode_findings(dep: Dep, info: PinInfo, by_option: bool) -> list[Finding]:
    if dep.editable or info.first_party:
        why = "`--require-hashes` is on" if by_option else "other requirements have hashes"
        return [rule("PIN105").finding(dep.path, dep.line, dep.column, f"`{dep.text}` cannot be hashed, but {why}: pip will refuse the install", package=info.name)]
    if info.invalid or info.dynamic:
        return []
    if not info.has_strong_hash:
        why = "`--require-hashes` is on" if by_option else "other requirements have hashes"
        return [rule("PIN105").finding(dep.path, dep.line, dep.column, f"`{dep.text}` has no `--hash`, but {why}: pip will refuse the install", package=info.name, fix="regenerate the file with hashes for every line")]
    if info.level < PinLevel.EXACT and not info.vcs_url:
        return [rule("PIN105").finding(dep.path, dep.line, dep.column, f"`{dep.text}` is hashed but not pinned with `==`: pip will refuse the install", package=info.name)]
    return []


def _kind_words(kind: str) -> str:
    from guard.config import FILE_KIND_WORDS

    return FILE_KIND_WORDS.get(kind, f"{kind} files")
