"""Pin rules over requirement and constraints files, includes followed as pip follows them."""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from typing import Mapping, Optional

from guard.check.context import PathDisplay, RunContext, TreeBoundary
from guard.config import FILE_KIND_WORDS, Settings
from guard.finding import Finding, Severity, make_finding
from guard.pins.analysis import _STRONG_PREFIXES, STRONG_HASHES, PinInfo, analyse, names_no_project, quoted_requirement
from guard.pins.dep import Dep
from guard.pins.levels import LEVEL_WORDS, PinLevel
from guard.requirements.reader import PipVersion, RequirementFile, include_path, parse_requirement_text, pip_version_of
from guard.rules import get as rule
from guard.text.decode import MAX_BYTES, UnreadableFile, in_memory, read_text


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
    root: str = ""  # the shown path of the file the install starts from
    require_hashes_files: set[str] = field(default_factory=set)  # files saying `--require-hashes`
    no_require_hashes: bool = False  # some file says `--no-require-hashes` (pip 26.x)


# context.cache key the run fills: shown path -> why a library's packaging reads that file.
LIBRARY_REASONS = "library-requirements"
# What a library's own dependency list may leave open on purpose; what pip would refuse
# (partial hashing, an invalid line) is still reported at every install that reads it.
_OPEN_BY_DESIGN = frozenset({"PIN101", "PIN102", "PIN103", "PIN104", "PIN109"})

# pip looks for a PEP 263 cookie in the first two lines only; a cookie further into the
# decoded text than this cannot be on them (two lines this long are no requirement file).
_COOKIE_SPAN = 4096
_PIP_COOKIE_RE = re.compile(rb"coding[:=]\s*([-\w.]+)")
_PIP_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)


def _read_as_pip(path: str) -> str:
    """The text of a requirement file, decoded as pip decodes it where that differs from
    guard's general decoding: the PEP 263 cookie."""
    try:
        text = read_text(path)
    except UnreadableFile as error:
        if not str(error).startswith("is not valid"):
            raise
        # Not utf-8: pip may still decode it, by a cookie guard's decoding does not take.
        decoded = _pip_decoded(path)
        if decoded is None:
            raise
        return decoded
    if "coding" in text[:_COOKIE_SPAN]:
        decoded = _pip_decoded(path)
        if decoded is not None:
            return decoded
    return text


def _pip_decoded(path: str) -> Optional[str]:
    """The file as pip 26's `_decode_req_file` decodes it, or None when a BOM decides (as
    for guard's decoding): pip honours a PEP 263 cookie only on a line starting with `#` in
    its first two `\\n`-separated lines (`\\s` blanks after `coding:`), then utf-8."""
    data = in_memory(path)
    try:
        if data is None:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)  # read_text has refused larger files
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    if data.startswith(_PIP_BOMS):
        return None  # a BOM decides, for pip and guard alike
    encoding = "utf-8"
    for line in data.split(b"\n", 2)[:2]:
        match = _PIP_COOKIE_RE.search(line) if line[:1] == b"#" else None
        if match is not None:
            encoding = match.group(1).decode("ascii")
            break
    try:
        return data.decode(encoding)
    except LookupError:
        raise UnreadableFile(f"declares unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        number = data.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(f"is not valid {encoding} (byte 0x{data[error.start]:02x} on line {number})") from None


def run_reader(context: RunContext, display: Optional[PathDisplay] = None) -> RequirementReader:
    """The run's one requirement-file reader (each file parsed once), within its boundary."""
    reader = context.cache.get("requirements")
    if reader is None:
        version = pip_version_of(context.pip_version) if context.pip_version else None
        reader = context.cache["requirements"] = RequirementReader(display or context.path_display, context.boundary, version)
        reader.library_files = context.cache.setdefault(LIBRARY_REASONS, {})
    assert isinstance(reader, RequirementReader)
    return reader


def install_findings(tree: Tree, settings: Settings, reader: RequirementReader) -> list[Finding]:
    """`check_tree` for an install (a requirement file, a `pip install -r`, tox deps), less
    what it says of a library's requirement files that it includes (`-r extras/redis.txt`):
    those are checked on their own, with the library's policy; their ranges are the
    package's metadata, not this install's to pin."""
    library = reader.library_files
    findings = check_tree(tree, settings)
    if not library:
        return findings
    return [finding for finding in findings if not (finding.path in library and finding.code in _OPEN_BY_DESIGN)]


class RequirementReader:
    """Reads and caches requirement files for one run; each file is parsed once."""

    def __init__(self, display: PathDisplay, boundary: Optional[TreeBoundary] = None, pip_version: Optional[PipVersion] = None) -> None:
        self._display = display
        self._boundary = boundary
        self.library_files: Mapping[str, str] = {}  # shown path -> why it is a library's
        self._pip_version = pip_version  # the target pip's (major, minor); None: the newest
        self._parsed: dict[str, RequirementFile | UnreadableFile] = {}
        self.texts: dict[str, str] = {}
        self.line_alias: dict[str, dict[int, int]] = {}

    def refusal(self, path: str) -> Optional[str]:
        """Why `path` is not read in this run (outside the checked tree), or None."""
        return self._boundary.refusal(path) if self._boundary is not None else None

    def parse(self, path: str, file_kind: str, constraint: bool) -> RequirementFile | UnreadableFile:
        key = os.path.realpath(path)
        cache_key = f"{key}\0{file_kind}\0{constraint}"
        if cache_key not in self._parsed:
            shown = self._display(path)
            refused = self._boundary.refusal(path) if self._boundary is not None else None
            try:
                if refused is not None:
                    raise UnreadableFile(refused)
                text = _read_as_pip(path)
            except UnreadableFile as error:
                self._parsed[cache_key] = error
            else:
                self.texts[shown] = text
                parsed = parse_requirement_text(shown, text, file_kind, constraint, self._pip_version)
                self.line_alias[shown] = parsed.line_alias
                self._parsed[cache_key] = parsed
        return self._parsed[cache_key]

    def tree(self, path: str, file_kind: Optional[str] = None, site: Optional[tuple[str, int, int]] = None) -> Tree:
        """One install's files from `path`; `site` (path, line, column) is where another file
        includes it, where a file that cannot be read is then reported."""
        tree = Tree(root=self._display(path))
        kind = file_kind or requirement_file_kind(path)
        self._walk(path, kind, kind == "constraints", tree, [], site)
        return tree

    def _walk(
        self, path: str, kind: str, constraint: bool, tree: Tree, stack: list[str], include_site: Optional[tuple[str, int, int]]
    ) -> None:
        real = os.path.realpath(path)
        parsed = self.parse(path, kind, constraint)
        if isinstance(parsed, UnreadableFile):
            if include_site is None:
                tree.findings.append(rule("GRD101").finding(self._display(path), 0, 0, f"cannot read `{self._display(path)}`: {parsed}"))
            else:
                site_path, line, column = include_site
                if not os.path.lexists(path):
                    tree.findings.append(
                        rule("GRD103").finding(
                            site_path,
                            line,
                            column,
                            f"included file `{self._display(path)}` does not exist",
                            fix="point the include at an existing file, relative to this one",
                        )
                    )
                else:
                    tree.findings.append(
                        rule("GRD101").finding(site_path, line, column, f"cannot read included file `{self._display(path)}`: {parsed}")
                    )
            return
        tree.files.append(parsed.path)
        if parsed.editable_indexes or constraint:
            self._add_accepted_deps(parsed, constraint, os.path.dirname(real), tree)
        else:
            tree.deps.extend(parsed.deps)
        tree.require_hashes = tree.require_hashes or parsed.require_hashes
        tree.no_require_hashes = tree.no_require_hashes or parsed.no_require_hashes
        if parsed.require_hashes:
            tree.require_hashes_files.add(parsed.path)
        for error in parsed.errors:
            tree.findings.append(rule("GRD102").finding(parsed.path, error.line, error.column, error.message))
        stack.append(real)
        for include in parsed.includes:
            option = "-c" if include.constraint else "-r"
            target = include_path(path, include.target)
            if target is None:
                tree.findings.append(
                    rule("GRD106").finding(
                        parsed.path,
                        include.line,
                        include.column,
                        f"`{option} {include.target}` is fetched by pip at install time; guard does not read it",
                        fix="keep the file in the repository and include it by path",
                    )
                )
                continue
            if len(stack) >= MAX_INCLUDE_DEPTH:
                tree.findings.append(
                    rule("GRD104").finding(
                        parsed.path,
                        include.line,
                        include.column,
                        f"includes nested more than {MAX_INCLUDE_DEPTH} deep; `{option} {include.target}` is not followed",
                    )
                )
                continue
            if "${" in include.target:
                tree.findings.append(
                    rule("PIN107").finding(
                        parsed.path,
                        include.line,
                        include.column,
                        f"`{option} {include.target}` depends on a variable, so the file it names is not checked",
                        fix="name the file literally",
                    )
                )
                continue
            if "\0" in include.target:
                # No file name holds a NUL byte (and the path functions refuse one).
                tree.findings.append(
                    rule("GRD103").finding(
                        parsed.path, include.line, include.column, f"`{option}` names a path with a NUL byte: no such file"
                    )
                )
                continue
            if os.path.realpath(target) in stack:
                chain = (
                    " -> ".join(self._display(p) for p in stack[stack.index(os.path.realpath(target)) :]) + f" -> {self._display(target)}"
                )
                tree.findings.append(rule("GRD104").finding(parsed.path, include.line, include.column, f"include cycle: {chain}"))
                continue
            # pip reads a `-r` file as requirements wherever it is included, a constraints
            # file too (its `-r` installs), and a `-c` file as constraints.
            child_kind = "constraints" if include.constraint else requirement_file_kind(target)
            self._walk(target, child_kind, include.constraint, tree, stack, (parsed.path, include.line, include.column))
        stack.pop()

    def _add_accepted_deps(self, parsed: RequirementFile, constraint: bool, directory: str, tree: Tree) -> None:
        """The file's dependencies, less the editables and constraints pip refuses (each a
        PIN108 finding)."""
        # Only the lines that may be refused are looked at: every line of a constraints file,
        # the `-e` lines of another.
        deps = parsed.deps
        candidates = range(len(deps)) if constraint else parsed.editable_indexes
        refused: dict[int, str] = {}
        for index in candidates:
            dep = deps[index]
            if dep.editable:
                why = editable_refusal(dep, directory)
            else:
                why = constraint_refusal(dep.text)
            if why is not None:
                refused[index] = why
                tree.findings.append(
                    rule("PIN108").finding(dep.path, dep.line, dep.column, why, package=analyse(dep.text, (), dep.editable).name)
                )
        if refused:
            tree.deps.extend(dep for index, dep in enumerate(deps) if index not in refused)
        else:
            tree.deps.extend(deps)


def constraint_refusal(text: str) -> Optional[str]:
    """Why pip refuses the constraint `text`, or None: pip's `check_invalid_constraint_type`
    (a constraint is a project name and versions; editables are judged by `editable_refusal`)."""
    if names_no_project(text):
        return f"`{text}` names no project: pip refuses an unnamed constraint (a constraint is a project name and versions)"
    if "[" in text and _EXTRAS_RE.match(text):
        return f"`{text}` is a constraint with extras: pip refuses it (constraints cannot have extras)"
    return None


# A name and at least one extra (`name[]` has none, which pip's constraint check allows).
_EXTRAS_RE = re.compile(r"[ \t]*[A-Za-z0-9][A-Za-z0-9._-]*[ \t]*\[[ \t]*[A-Za-z0-9]")
_TRAILING_EXTRAS_RE = re.compile(r"\[[^\]]*\]$")
# A name with extras and nothing else: no separator, no leading `.`/`~`, no scheme.
_BARE_NAME_RE = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[^\]]*\])?")


def editable_refusal(dep: Dep, directory: str) -> Optional[str]:
    """Why pip refuses the editable `dep` of a file in `directory`, or None.

    pip refuses every editable in a constraints file (pip 26.x when reading the line, 23.x
    when resolving). A bare name (`-e mypkg`) is a path to pip only when it is a directory
    of the working directory, which guard cannot know: it is refused only when no directory
    of that name is beside the file or beside any directory above it.
    """
    if dep.constraint:
        return f"`-e {dep.text}` is an editable in a constraints file: pip refuses it (a constraint is a name and versions)"
    text = dep.text
    named = "@" in text and not _EDITABLE_URL_RE.match(text)  # `name @ URL`, which pip 26 takes
    if not named and "$" not in text and (text != text.rstrip() or ";" in text):
        # `REQ \` + `-e X` on the next line (pip >= 25 makes REQ the editable) leaves blanks
        # at its end, and a marker is no part of a path: pip takes the whole text for the
        # directory or URL, which then names none (or an invalid `#egg=`).
        return f"{quoted_requirement(text.rstrip())} is neither a local directory nor a VCS URL as written (a marker or trailing blanks): pip refuses it after `-e`"
    if "@" not in text and "$" not in text:
        why = _editable_file_refusal(text)
        if why is not None:
            return why
    if ":" in text or "@" in text or "$" in text or "/" in text or "\\" in text or text.startswith((".", "~")):
        # A URL or `name @ URL` (the pin analysis judges those), or a path, which may be
        # relative to the working directory pip runs in.
        return None
    # pip strips trailing extras, then takes any other text for a directory: `-e requests==1.0`
    # names none, so pip refuses it like a bare name.
    bare = _BARE_NAME_RE.fullmatch(text)
    path = bare.group(1) if bare is not None else _TRAILING_EXTRAS_RE.sub("", text)
    if not path or _directory_in_reach(directory, path):
        return None
    return f"{quoted_requirement(text)} is neither a local directory nor a VCS URL: pip refuses it after `-e` (a package from an index takes no `-e`)"


# What pip's `parse_editable` takes besides a directory: `file:`, a VCS URL (`git+https:`),
# or a bare VCS scheme it prefixes (`git://` becomes `git+git://`).
_EDITABLE_URL_RE = re.compile(r"(?:file|(?:git|hg|svn|bzr)(?:\+[A-Za-z0-9.-]+)?):", re.I)
_ARCHIVE_END_RE = re.compile(r"\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|tar\.lz|tlz)$", re.I)


def _editable_file_refusal(text: str) -> Optional[str]:
    """Why pip refuses `-e text` when it is a URL of another kind or an archive's path (`-e
    https://x/p.whl`, `-e ./dist/p.tar.gz`): pip installs only a directory or a VCS checkout
    in editable mode (archives are not directories, whatever pip's working directory)."""
    head = _TRAILING_EXTRAS_RE.sub("", text.split(";", 1)[0].strip())
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", head) and len(head.split(":", 1)[0]) > 1:
        if _EDITABLE_URL_RE.match(head):
            return None
    elif not _ARCHIVE_END_RE.search(head):
        return None
    return f"{quoted_requirement(text)} is neither a local directory nor a VCS URL: pip refuses it after `-e`"


def _directory_in_reach(directory: str, name: str) -> bool:
    while True:
        if os.path.isdir(os.path.join(directory, name)):
            return True
        parent = os.path.dirname(directory)
        if parent == directory:
            return False
        directory = parent


# Deeper chains of -r are surely generated or a mistake; past this, guard (and pip, which
# recurses without a limit) would run out of stack.
MAX_INCLUDE_DEPTH = 100


def check_tree(tree: Tree, settings: Settings) -> list[Finding]:
    """Every pin finding for one install's worth of requirement files."""
    findings = list(tree.findings)
    deps = tree.deps
    analyse_ = analyse
    infos = [analyse_(dep.text, dep.hashes, dep.editable) for dep in deps]
    # pip switches to hash-checking mode for `--hash` options only: a `#sha256=` on a URL is
    # checked but does not switch the mode on (pip's req_install.py, `has_hash_options`).
    # A weak or malformed `--hash` makes pip reject the line outright (PIN106/PIN108), so only
    # strong ones count here.
    # Files that switch hash mode on by themselves: a line in such a file fails every install
    # that reads it, so its message names no install (and is reported once).
    hashed_files = set(tree.require_hashes_files)
    strong_options = False
    constrained: dict[str, PinLevel] = {}
    for dep, info in zip(deps, infos):
        if dep.constraint:
            name = info.name
            if name:
                constrained[name] = max(constrained.get(name, _ANY), info.level)
        elif dep.hashes and dep.path not in hashed_files and _strong_option(dep.hashes):
            hashed_files.add(dep.path)
            strong_options = True
    by_option = tree.require_hashes
    # `--no-require-hashes` (pip 26.x): a `--hash` checks its own line only.
    hash_mode = by_option or (strong_options and not tree.no_require_hashes)
    # `settings.required_level` per (file kind, name), asked once: it matches the name
    # against every per-package override, and names recur across a tree.
    required_levels: dict[tuple[str, Optional[str]], Optional[PinLevel]] = {}
    required_level = settings.required_level
    # The hash-mode message's ending per file (it depends on the file only), made once.
    refusals: dict[str, tuple[str, str, str, str]] = {}
    unpinned_words: dict[tuple[PinLevel, PinLevel, str, bool], tuple[str, str, Severity, str]] = {}
    root = tree.root
    pin105 = rule("PIN105")
    code105, name105, severity105 = pin105.code, pin105.name, pin105.severity
    append = findings.append
    extend = findings.extend
    for dep, info in zip(deps, infos):
        level = info.level
        constraint = dep.constraint
        if not constraint:
            if constrained and info.name in constrained:
                level = max(level, constrained[info.name])
            if hash_mode and info.has_strong_hash and level >= _EXACT:
                level = _LOCKED
        key = (dep.file_kind, info.name)
        if key in required_levels:
            required = required_levels[key]
        else:
            required = required_levels[key] = required_level(dep.file_kind, info.name)
        # `_dep_findings` only when it may report something: the tests it starts with, and
        # then the conditions of each of its findings.
        if info.weak_hashes or info.malformed_hashes or info.invalid or info.dynamic:
            extend(_dep_findings(dep, info, level, settings, required))
        elif info.first_party or required is None:
            pass
        elif info.mutable_ref is not None or info.url_without_hash or info.wildcard:
            extend(_dep_findings(dep, info, level, settings, required))
        elif level < required:
            # `_dep_findings`, inlined for what is left to it here: the one PIN101/PIN109
            # finding, its words made once per (level, required level, file kind, bootstrap).
            name = info.name or dep.text.strip()
            bootstrap = info.name in settings.bootstrap
            words_key = (level, required, dep.file_kind, bootstrap)
            if words_key in unpinned_words:
                code, rule_name, severity, words = unpinned_words[words_key]
            else:
                unpinned = rule("PIN109" if bootstrap else "PIN101")
                words = (
                    f" {LEVEL_WORDS[level]}"
                    if bootstrap
                    else f"` {LEVEL_WORDS[level]}; {_kind_words(dep.file_kind)} require {required.label}"
                )
                code, rule_name, severity, words = unpinned_words[words_key] = (unpinned.code, unpinned.name, unpinned.severity, words)
            message = f"installer package `{name}`{words}" if bootstrap else f"`{name}{words}"
            append(make_finding(dep.path, dep.line, dep.column, code, rule_name, severity, message, info.name, level_hint(name, required)))
        if hash_mode and not constraint:
            # `_hash_mode_findings`, inlined: most lines of a tree in hash mode get here.
            # Each message's ending after the text depends on the file only: made once a file.
            path = dep.path
            if path in refusals:
                install, refusal, no_hash, weak_only = refusals[path]
            else:
                install, refusal = _refusal(path, by_option, "" if path in hashed_files else root)
                no_hash, weak_only = f"` has no `--hash`{refusal}", f"` has no sha256/384/512 `--hash`{refusal}"
                refusals[path] = (install, refusal, no_hash, weak_only)
            if (dep.editable or info.first_party) and not info.invalid:
                append(
                    make_finding(
                        path,
                        dep.line,
                        dep.column,
                        code105,
                        name105,
                        severity105,
                        f"`{dep.text.strip()}` cannot be hashed{refusal}",
                        info.name,
                    )
                )
            elif info.invalid or info.dynamic:
                pass
            elif not info.has_strong_hash:
                append(
                    make_finding(
                        path,
                        dep.line,
                        dep.column,
                        code105,
                        name105,
                        severity105,
                        "`" + dep.text.strip() + (weak_only if info.weak_hashes else no_hash),
                        info.name,
                        _REGENERATE,
                    )
                )
            elif not _pinned_for_hash_mode(info):
                append(
                    make_finding(
                        path,
                        dep.line,
                        dep.column,
                        code105,
                        name105,
                        severity105,
                        f"`{dep.text.strip()}` is hashed but not pinned with `==`: pip will refuse {install}",
                        info.name,
                    )
                )
    return findings


_ANY, _EXACT, _LOCKED = PinLevel.ANY, PinLevel.EXACT, PinLevel.LOCKED
_REGENERATE = "regenerate the file with hashes for every line"


def _pinned_for_hash_mode(info: PinInfo) -> bool:
    """pip's `is_pinned` (req_install.py): exactly one `==`/`===` specifier — `==2.*` passes
    (pip's resolver still treats it as a range: PIN104 says so), `==1.0,!=1.1` does not."""
    if info.specifier:
        return "," not in info.specifier and info.specifier.startswith("==")
    return info.level >= _EXACT or info.vcs_url is not None


def _refusal(path: str, by_option: bool, root: str) -> tuple[str, str]:
    """(the install, `, but <why>: pip will refuse <the install>`) for a line of `path`."""
    # When the line is in an included file, name the install that switches hash mode on:
    # installing the included file alone may be fine.
    install = "the install" if not root or root == path else f"`pip install -r {root}`"
    if by_option:
        why = "`--require-hashes` is on"
    else:
        why = "other requirements have hashes" if install == "the install" else f"other requirements of `{root}` have hashes"
    return install, f", but {why}: pip will refuse {install}"


def dep_findings(dep: Dep, info: PinInfo, level: PinLevel, settings: Settings) -> list[Finding]:
    """The findings about one dependency, given the level it effectively has."""
    return _dep_findings(dep, info, level, settings, settings.required_level(dep.file_kind, info.name))


def _dep_findings(dep: Dep, info: PinInfo, level: PinLevel, settings: Settings, required: Optional[PinLevel]) -> list[Finding]:
    # `required` is `settings.required_level(dep.file_kind, info.name)`, only asked for below
    # when no earlier `return` applies; asking it first changes nothing (it is pure).
    out: list[Finding] = []
    where = (dep.path, dep.line, dep.column)
    if info.weak_hashes or info.malformed_hashes:
        shown = f"`{dep.text.strip()}`"
        for value in info.weak_hashes:
            out.append(
                rule("PIN106").finding(
                    *where,
                    f"{shown} has a weak hash `{value.split(':')[0]}`; pip accepts only sha256, sha384 and sha512",
                    package=info.name,
                    fix="use `pip hash FILE` for a sha256 hash",
                )
            )
        for value in info.malformed_hashes:
            out.append(
                rule("PIN108").finding(
                    *where, f"{shown} has an invalid `--hash={value}`; pip expects `--hash=sha256:<hex>`", package=info.name
                )
            )
    if info.invalid:
        out.append(rule("PIN108").finding(*where, info.invalid, package=info.name))
        return out
    if info.dynamic:
        out.append(
            rule("PIN107").finding(
                *where,
                f"{quoted_requirement(dep.text.strip())} depends on a variable, so its pin cannot be checked",
                package=info.name,
                fix="write the version in the file",
            )
        )
        return out
    if info.first_party:
        return out
    if required is None:
        return out  # allowed, or ignored by a per-package override
    if info.mutable_ref is not None:
        ref = f"`@{info.mutable_ref}`" if info.mutable_ref else "no revision"
        out.append(
            rule("PIN102").finding(
                *where,
                f"`{dep.text.strip()}` names {ref}, not a full commit hash",
                package=info.name,
                fix="pin the full commit: `@<40 hex digits>`",
            )
        )
    elif info.url_without_hash and not info.local_file and required >= PinLevel.EXACT:
        out.append(
            rule("PIN103").finding(
                *where, f"`{dep.text.strip()}` is a URL without a hash", package=info.name, fix="append `#sha256=<hex>` to the URL"
            )
        )
    wildcard_reported = False
    if info.wildcard and required >= PinLevel.EXACT:
        out.append(
            rule("PIN104").finding(
                *where, f"`{dep.text.strip()}` is a range, not a pin", package=info.name, fix=f"pin one version: `{info.name}==<version>`"
            )
        )
        wildcard_reported = _enabled("PIN104", settings)
    # One finding per problem: a `==X.*` already reported as a range is not reported again as
    # unpinned (unless PIN104 is switched off, when PIN101 is what is left to say it).
    if level < required and info.mutable_ref is None and not wildcard_reported:
        name = info.name or dep.text.strip()
        words = LEVEL_WORDS[level]
        fix = level_hint(name, required)
        if info.name in settings.bootstrap:
            out.append(rule("PIN109").finding(*where, f"installer package `{name}` {words}", package=info.name, fix=fix))
        else:
            out.append(
                rule("PIN101").finding(
                    *where, f"`{name}` {words}; {_kind_words(dep.file_kind)} require {required.label}", package=info.name, fix=fix
                )
            )
    return out


def level_hint(name: str, required: PinLevel) -> str:
    """The one-line fix for a dependency below `required`: ask for what the policy asks."""
    if required <= PinLevel.CONSTRAINED:
        return f"give a version constraint, e.g. `{name}>=<oldest that works>`"
    if required == PinLevel.FLOOR:
        return f"give a lower bound: `{name}>=<version>`"
    if required == PinLevel.BOUNDED:
        return f"give a range: `{name}~=<version>` or `{name}>=<version>,<<next major>`"
    if required == PinLevel.EXACT:
        return f"pin one version: `{name}==<version>`"
    return "generate hashes: `pip-compile --generate-hashes` or `uv pip compile --generate-hashes`"


def _strong_option(hashes: tuple[str, ...]) -> bool:
    # The usual first value, `sha256:<digest>`, settles it without the general test.
    if hashes and hashes[0].startswith(_STRONG_PREFIXES):
        return True
    return any(value.partition(":")[0] in STRONG_HASHES for value in hashes)


def _enabled(code: str, settings: Settings) -> bool:
    from guard.check.policy import is_enabled

    return is_enabled(code, settings)


def _kind_words(kind: str) -> str:
    return FILE_KIND_WORDS.get(kind, f"{kind} files")
