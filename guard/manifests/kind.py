"""Library or application: which pin policy a project's manifests get (docs/manifests.md).

`[tool.guard] project-kind` in the project's own pyproject.toml decides, else the
`project-kind` setting (environment, command line, the root configuration), else a guess
from the files: a project is an application when

- its pyproject.toml has no `[build-system]` table (nothing to build and publish), unless a
  `setup.py` or `setup.cfg` beside it makes it a legacy setuptools package;
- `[tool.uv] package = false` or `[tool.poetry] package-mode = false` (not packaged);
- a `Pipfile`, `Dockerfile`, `Containerfile` or compose file sits beside it (deployed).

Everything else is a library: it is built and published, and its users resolve its
dependencies together with their own.
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
    for name in _DEPLOY_FILES:
        if os.path.isfile(os.path.join(project_dir, name)):
            return ProjectKind(APPLICATION, f"a {name} beside it")
    legacy = any(os.path.isfile(os.path.join(project_dir, name)) for name in ("setup.py", "setup.cfg"))
    if pyproject is not None and "build-system" not in data and not legacy:
        return ProjectKind(APPLICATION, "no [build-system] table")
    return ProjectKind(LIBRARY, "it is built as a package")
