"""`setup.py`, read with `ast` and never executed or imported.

`setup(install_requires=[...], extras_require={...}, setup_requires=[...],
tests_require=[...])` are read (the call found through imports and aliases:
`from setuptools import setup as s`, `import setuptools as st; st.setup(...)`,
`distutils.core.setup(...)`) when they are literal lists (or tuples) of strings, a
newline-separated string, or a name bound once at module level to such a literal.
Anything computed, and `setup(**kwargs)`, is one PIN205 finding: guard cannot check what
only running the code would tell.
"""

from __future__ import annotations

import ast
import os
import re
from typing import TYPE_CHECKING, Optional, Union

from guard.finding import Finding
from guard.manifests.pyproject import BUILD, EXTRA, GROUP, RUNTIME, Entry, pep508_info, project_findings
from guard.pins.dep import Dep
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.check.context import RunContext
    from guard.config import Settings

_ROLES = {"install_requires": RUNTIME, "setup_requires": BUILD, "tests_require": GROUP, "extras_require": EXTRA}
_Literal = Union[ast.List, ast.Tuple, ast.Constant]


class _Reader:
    def __init__(self, text: str, shown: str, tree: ast.Module) -> None:
        self.lines = text.splitlines()
        self.shown = shown
        self.entries: list[Entry] = []
        self.findings: list[Finding] = []
        self.bindings = _module_bindings(tree)

    def column(self, node: ast.expr) -> int:
        """1-based character column (ast gives UTF-8 byte offsets)."""
        line = self.lines[node.lineno - 1] if 0 < node.lineno <= len(self.lines) else ""
        return len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace")) + 1

    def dynamic(self, node: ast.AST, what: str) -> None:
        assert isinstance(node, ast.expr)
        self.findings.append(
            rule("PIN205").finding(
                self.shown,
                node.lineno,
                self.column(node),
                f"{what} in `{self.shown}` is computed when setup.py runs, so guard cannot check it",
                fix="write the list literally, or declare the dependencies in pyproject.toml",
            )
        )

    def resolve(self, node: ast.expr) -> Optional[ast.expr]:
        if isinstance(node, ast.Name):
            return self.bindings.get(node.id)
        return node

    def requirements(self, node: ast.expr, role: str, what: str) -> None:
        value = self.resolve(node)
        if isinstance(value, (ast.List, ast.Tuple)) and all(
            isinstance(item, ast.Constant) and isinstance(item.value, str) for item in value.elts
        ):
            for item in value.elts:
                assert isinstance(item, ast.Constant)
                self.add(item, str(item.value).strip(), role)
        elif isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.add(value, "", role, text=value.value)
        else:
            self.dynamic(node, what)

    def add(self, node: ast.Constant, requirement: str, role: str, text: Optional[str] = None) -> None:
        if text is None:
            self.entries.append(Entry(Dep(self.shown, node.lineno, self.column(node), requirement, ""), pep508_info(requirement), role))
            return
        # a newline-separated string: one requirement per line, at the string's position
        for line in text.splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                self.entries.append(Entry(Dep(self.shown, node.lineno, self.column(node), line, ""), pep508_info(line), role))

    def extras(self, node: ast.expr) -> None:
        value = self.resolve(node)
        if not isinstance(value, ast.Dict) or not all(isinstance(key, ast.Constant) and isinstance(key.value, str) for key in value.keys):
            self.dynamic(node, "`extras_require`")
            return
        for key, item in zip(value.keys, value.values):
            assert isinstance(key, ast.Constant)
            self.requirements(item, EXTRA, f"`extras_require[{key.value!r}]`")


def _module_bindings(tree: ast.Module) -> dict[str, ast.expr]:
    """Names assigned exactly once at module level (and never changed with `+=` or calls)."""
    counts: dict[str, int] = {}
    values: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            if node.func.attr in ("append", "extend", "insert", "update", "remove", "pop", "__setitem__"):
                counts[node.func.value.id] = counts.get(node.func.value.id, 0) + 2
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    counts[name.id] = counts.get(name.id, 0) + 1
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = node.value
    return {name: value for name, value in values.items() if counts.get(name) == 1}


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """What each name bound by an import means, as a dotted path: `import setuptools as st`
    binds `st` to `setuptools`, `from setuptools import setup as s` binds `s` to
    `setuptools.setup`, `import distutils.core` binds `distutils` to `distutils`."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    names[head] = head
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr, imports: dict[str, str], bindings: dict[str, ast.expr], depth: int = 0) -> Optional[str]:
    """The dotted path a callee names, through imports and module-level aliases
    (`s = setuptools.setup`); None when it is not a plain name or attribute chain."""
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, imports, bindings, depth)
        return None if base is None else f"{base}.{node.attr}"
    if isinstance(node, ast.Name):
        if node.id in imports:
            return imports[node.id]
        bound = bindings.get(node.id)
        if bound is not None and depth < 5 and isinstance(bound, (ast.Name, ast.Attribute)):
            return _dotted(bound, imports, bindings, depth + 1)
        return node.id
    return None


def _is_setup_call(node: ast.Call, imports: dict[str, str], bindings: dict[str, ast.expr]) -> bool:
    """A call of a function named `setup` once aliases are resolved: `setuptools.setup`,
    `distutils.core.setup`, and the wrappers that take the same keywords (`skbuild.setup`,
    `numpy.distutils.core.setup`)."""
    target = _dotted(node.func, imports, bindings)
    return target is not None and target.rsplit(".", 1)[-1] == "setup"


def setup_py_findings(text: str, absolute: str, shown: str, settings: Settings) -> list[Finding]:
    try:
        tree = ast.parse(text, filename=shown)
    except SyntaxError as error:
        return [rule("GRD102").finding(shown, error.lineno or 1, error.offset or 1, f"`{shown}` is not valid Python: {error.msg}")]
    except ValueError as error:  # source with NUL bytes
        return [rule("GRD102").finding(shown, 1, 1, f"`{shown}` is not valid Python: {error}")]
    except (RecursionError, MemoryError):
        return [_too_deep(shown)]
    try:
        return _read(text, absolute, shown, settings, tree)
    except (RecursionError, MemoryError):  # walking a tree nested deeper than Python allows
        return [_too_deep(shown)]


def _too_deep(shown: str) -> Finding:
    return rule("GRD102").finding(
        shown,
        1,
        1,
        f"`{shown}` holds an expression too long or too deeply nested for Python's parser, so guard cannot check it",
        fix="shorten the expression, or declare the dependencies in pyproject.toml",
    )


def _read(text: str, absolute: str, shown: str, settings: Settings, tree: ast.Module) -> list[Finding]:
    reader = _Reader(text, shown, tree)
    imports = _imported_names(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _is_setup_call(node, imports, reader.bindings)):
            continue
        for keyword in node.keywords:
            if keyword.arg is None:
                reader.dynamic(keyword.value, "`setup(**...)`")
            elif keyword.arg == "extras_require":
                reader.extras(keyword.value)
            elif keyword.arg in _ROLES:
                reader.requirements(keyword.value, _ROLES[keyword.arg], f"`{keyword.arg}`")
    return reader.findings + project_findings(reader.entries, absolute, settings)


def check_files(paths: list[str], context: RunContext) -> None:
    for path in paths:
        read = context.read(path)
        if read is not None:
            absolute, shown, text = read
            context.findings.extend(setup_py_findings(text, absolute, shown, context.settings))


# --- requirement files setup.py reads ---------------------------------------------------------
#
# Many setup.py files read `install_requires` from requirement files (`open("requirements.txt")`,
# `os.path.join(here, "requirements", *parts)`, `f"requirements/{extra}.txt"`). Those files are
# the package's own dependencies. Which ones is found without running anything: every path
# written in the file, with what is computed at run time as a wildcard.

_PATH_CALLS = frozenset({"join", "joinpath", "Path", "PurePath", "PurePosixPath", "PureWindowsPath"})
_LISTING_CALLS = frozenset({"listdir", "scandir", "glob", "iglob", "walk", "iterdir", "rglob"})
_REQUIREMENT_SUFFIXES = (".txt", ".in")
_MAX_PATH = 4096
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrif]")


def read_requirement_globs(text: str, project_dir: str) -> list[str]:
    """Globs, relative to `project_dir`, of the requirement files `setup.py` reads (a directory
    it reads every file of is `dir/*`). Unparsable Python reads nothing (its own check says why)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    globs: list[str] = []
    try:
        nodes = list(ast.walk(tree))
        # An operand of a larger path or string expression is read with it, not again on its
        # own: each node is looked at once, so the reading stays linear in the file.
        operands = {id(child) for node in nodes for child in _operands(node)}
        for node in nodes:
            if id(node) in operands:
                continue
            for glob in _globs_of(node, project_dir):
                if glob not in globs:
                    globs.append(glob)
    except RecursionError:
        return globs
    return globs


def _operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.JoinedStr):
        return list(node.values)
    name = _call_name(node)
    if isinstance(node, ast.Call) and (name in _PATH_CALLS or name in _LISTING_CALLS or name == "format"):
        inner: list[ast.AST] = list(node.args)
        if isinstance(node.func, ast.Attribute):
            inner.append(node.func.value)
        return inner
    return []


def _globs_of(node: ast.AST, project_dir: str) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        literal = node.value.strip()
        # a template (`"req/{}.txt"`, `"req/%s.txt"`) is read where it is filled in
        if literal.endswith(_REQUIREMENT_SUFFIXES) and not any(c.isspace() or c in "{%" for c in literal):
            glob = _glob_of([_escape(literal)], project_dir)
            return [glob] if glob else []
        return []
    pieces = _path_pieces(node)
    if pieces is None:
        return []
    glob = _glob_of(pieces, project_dir, listing=_call_name(node) in _LISTING_CALLS)
    return [glob] if glob else []


def _call_name(node: ast.AST) -> str:
    if not isinstance(node, ast.Call):
        return ""
    function = node.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def _path_pieces(node: ast.AST) -> Optional[list[str]]:
    """The parts of a path-building expression (`os.path.join(...)`, `Path(...) / "x"`,
    `.joinpath(...)`, a listing call, a format string) with unknown parts as `*`; None for
    anything else."""
    name = _call_name(node)
    if isinstance(node, ast.Call) and (name in _PATH_CALLS or name in _LISTING_CALLS):
        assert isinstance(node.func, (ast.Attribute, ast.Name))
        pieces: list[str] = []
        if isinstance(node.func, ast.Attribute) and name in ("joinpath", "glob", "rglob", "iterdir"):
            pieces.extend(_pieces_of(node.func.value))
        for argument in node.args:
            pieces.extend(_pieces_of(argument))
        if name in ("glob", "rglob", "iglob") and pieces:
            pieces[-1] = pieces[-1].replace("[*]", "*")  # the pattern itself is a glob
        return pieces
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _pieces_of(node.left) + _pieces_of(node.right)
    if isinstance(node, (ast.JoinedStr, ast.BinOp)) or name == "format":
        piece = _string_of(node)
        return [piece] if piece is not None and piece.replace("*", "") else None
    return None


def _pieces_of(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [_escape(node.value)]
    nested = _path_pieces(node)
    if nested is not None:
        return nested
    string = _string_of(node)
    return [string if string is not None else "*"]


def _string_of(node: ast.AST) -> Optional[str]:
    """A string expression as a glob: `f"req/{x}.txt"`, `"req/%s.txt" % x`, `"req/{}.txt".format(x)`,
    `"req/" + x`; None when it is not built from a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _escape(part.value) if isinstance(part, ast.Constant) and isinstance(part.value, str) else "*" for part in node.values
        )
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        return _PERCENT_FIELD.sub("*", _escape(node.left.value))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string_of(node.left), _string_of(node.right)
        if left is None and right is None:
            return None
        joined = (left or "*") + (right or "*")
        return joined if len(joined) <= _MAX_PATH else None  # no path is that long
    if _call_name(node) == "format" and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        template = node.func.value
        if isinstance(template, ast.Constant) and isinstance(template.value, str):
            return _FORMAT_FIELD.sub("*", _escape(template.value))
    return None


def _escape(literal: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in literal.replace("\\", "/"))


def _glob_of(pieces: list[str], project_dir: str, listing: bool = False) -> Optional[str]:
    """The glob of a path's pieces, relative to the project: leading unknown parts are where
    setup.py stands (`here`, `os.getcwd()`, `Path(__file__).parent`) and are dropped. It must
    name something: a requirement file (`requirements-*.txt`), or a literal directory whose
    files are read (`requirements/*`, from `join(here, "requirements", *parts)` or a listing)."""
    if pieces and pieces[0].startswith("/"):
        return None  # an absolute path is not the project's
    parts = [part for piece in pieces for part in piece.split("/") if part not in ("", ".")]
    while parts and parts[0] == "*":
        parts.pop(0)
    if not parts or ".." in parts:
        return None
    *directories, last = parts
    if any("*" in _literal(part) or not _literal(part) for part in directories):
        return None  # only a literal directory names a place
    if last.endswith(_REQUIREMENT_SUFFIXES):
        stem = _literal(last)
        named = bool(directories) or bool(stem.replace(".txt", "").replace(".in", ""))
        return "/".join(parts) if named else None  # `f"{name}.txt"` alone names no place
    if last == "*" and directories:
        return "/".join(parts) if os.path.isdir(os.path.join(project_dir, *map(_unescape, directories))) else None
    if listing and "*" not in last and os.path.isdir(os.path.join(project_dir, *map(_unescape, parts))):
        return "/".join(parts) + "/*"
    return None


def _literal(part: str) -> str:
    """What a glob part says for sure: its text without the wildcards."""
    return re.sub(r"(?<!\[)\*(?!\])", "", part)


def _unescape(part: str) -> str:
    return re.sub(r"\[(.)\]", r"\1", part)
