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
