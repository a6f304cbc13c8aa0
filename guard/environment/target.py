"""Which interpreter `guard env` judges (R0), before any facts are gathered.

Order: `--python`, then `PIP_PYTHON` (pip itself gives it precedence), then the running
interpreter, except where the running interpreter is certainly not the one the user installs
with: under pre-commit (a `language: python` hook runs inside pre-commit's own venv) and in a
pipx / `uv tool` venv (guard installed as an application). There guard judges the project's
`.venv` (or `venv`) when there is one, else `python3` / `python` on PATH with pre-commit's
environments left out.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Mapping, Optional

from guard.environment.facts import (
    env_get,
    env_identity,
    find_project_venv,
    is_pre_commit_env,
    pre_commit_skip,
)
from guard.environment.resolve import ResolveError, find_on_path, resolve_chain


def running_under_pre_commit(environ: Mapping[str, str], prefix: Optional[str] = None) -> bool:
    if not env_get(environ, "PRE_COMMIT"):
        return False
    virtual_env = env_get(environ, "VIRTUAL_ENV")
    return is_pre_commit_env(prefix or sys.prefix, environ) or bool(virtual_env and is_pre_commit_env(virtual_env, environ))


def running_in_tool_venv(prefix: Optional[str] = None) -> Optional[str]:
    base = prefix or sys.prefix
    if base == getattr(sys, "base_prefix", base) and prefix is None:
        return None
    if os.path.exists(os.path.join(base, "pipx_metadata.json")):
        return "pipx"
    if os.path.exists(os.path.join(base, "uv-receipt.toml")):
        return "uv tool"
    return None


def choose_target(
    python: Optional[str],
    environ: Mapping[str, str],
    cwd: str,
) -> tuple[Optional[str], dict[str, Any]]:
    """(interpreter to probe, or None for the running one; the `target` facts section).
    Raises ResolveError."""
    if python:
        return _resolved(python, "python-option", environ, cwd)
    pip_python = env_get(environ, "PIP_PYTHON")
    if pip_python:
        return _resolved(pip_python, "PIP_PYTHON", environ, cwd)
    owner = "pre-commit" if running_under_pre_commit(environ) else running_in_tool_venv()
    if owner is None:
        return None, {"how": "running", "spec": sys.executable, "interpreter": sys.executable, "via": []}
    project = find_project_venv(cwd)
    if project and project.get("python"):
        interpreter, info = _resolved(project["python"], "project-venv", environ, cwd)
        info["note"] = f"guard runs inside {owner}'s environment; judging the project venv instead"
        return interpreter, info
    found = find_on_path("python3", environ, skip=pre_commit_skip(environ)) or find_on_path(
        "python", environ, skip=pre_commit_skip(environ)
    )
    if found is None:
        raise ResolveError(f"guard runs inside {owner}'s environment and finds no `python3` on PATH outside it")
    interpreter, info = _resolved(found, "path-python", environ, cwd)
    info["note"] = f"guard runs inside {owner}'s environment; judging `python3` on PATH instead"
    return interpreter, info


def _resolved(
    spec: str, how: str, environ: Mapping[str, str], cwd: str
) -> tuple[Optional[str], dict[str, Any]]:
    interpreter, steps = resolve_chain(spec, environ, cwd=cwd)
    info: dict[str, Any] = {"how": how, "spec": spec, "interpreter": interpreter, "via": steps}
    # Asking for the running interpreter by name needs no subprocess.
    if env_identity(interpreter) == env_identity(sys.executable) and not running_under_pre_commit(environ):
        return None, info
    return interpreter, info
