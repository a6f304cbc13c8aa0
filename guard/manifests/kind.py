"""Library or application: which pin policy a project's manifests get (docs/manifests.md).

`[tool.guard] project-kind` in the project's own pyproject.toml decides, else the
`project-kind` setting (environment, command line, `[tool.guard.per-path]`, the root
configuration), else a guess from the files, first that applies:

1. `[tool.uv] package = false` or `[tool.poetry] package-mode = false`: an application (not
   packaged, whatever else is there);
2. a named package (`[build-system]` with a `[project]` or `[tool.poetry]` name, or a
   `setup.py`/`setup.cfg`): a library. It is built and published, and its users resolve its
   dependencies with their own; a Dockerfile or compose file beside it is how it is also
   run or tested (black, celery), not a sign it is deployed as it is;
3. a `Pipfile`, `Dockerfile`, `Containerfile` or compose file beside it: an application;
4. a pyproject.toml with no `[build-system]` table: an application (nothing to build);
5. else a library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional

APPLICATION = "application"
LIBRARY = "library"

_DEPLOY_FILES = (
    "Pipfile",
    "Pipfile.lock",
    "Dockerfile",
    "Containerfile",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
)


@dataclass(frozen=True)
class ProjectKind:
    kind: str  # APPLICATION or LIBRARY
    reason: str  # why, for messages and docs ("[tool.guard] project-kind", "no [build-system]")

    @property
    def library(self) -> bool:
        return self.kind == LIBRARY


def _table(data: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    current: Any = data
    for key in keys:
        current = current.get(key) if isinstance(current, Mapping) else None
    return current if isinstance(current, Mapping) else {}


def project_kind(project_dir: str, pyproject: Optional[Mapping[str, Any]], setting: str = "auto") -> ProjectKind:
    """The kind of the project in `project_dir`; `pyproject` is its parsed pyproject.toml."""
    data: Mapping[str, Any] = pyproject or {}
    own = _table(data, "tool", "guard").get("project-kind")
    if own in (APPLICATION, LIBRARY):
        return ProjectKind(own, "[tool.guard] project-kind")
    if setting in (APPLICATION, LIBRARY):
        return ProjectKind(setting, "the project-kind setting")
    return guess(project_dir, pyproject)


def guess(project_dir: str, pyproject: Optional[Mapping[str, Any]]) -> ProjectKind:
    data: Mapping[str, Any] = pyproject or {}
    if _table(data, "tool", "uv").get("package") is False:
        return ProjectKind(APPLICATION, "[tool.uv] package = false")
    if _table(data, "tool", "poetry").get("package-mode") is False:
        return ProjectKind(APPLICATION, "[tool.poetry] package-mode = false")
    legacy = any(os.path.isfile(os.path.join(project_dir, name)) for name in ("setup.py", "setup.cfg"))
    if legacy or ("build-system" in data and _package_name(data)):
        return ProjectKind(LIBRARY, "it is built as a named package")
    for name in _DEPLOY_FILES:
        if os.path.isfile(os.path.join(project_dir, name)):
            return ProjectKind(APPLICATION, f"a {name} beside it")
    if pyproject is not None and "build-system" not in data:
        return ProjectKind(APPLICATION, "no [build-system] table")
    return ProjectKind(LIBRARY, "it is built as a package")


def _package_name(data: Mapping[str, Any]) -> bool:
    for table in (_table(data, "project"), _table(data, "tool", "poetry")):
        name = table.get("name")
        if isinstance(name, str) and name.strip():
            return True
    return False
