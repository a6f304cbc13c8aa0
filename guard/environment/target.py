"""Which interpreter `guard env` judges (R0), before any facts are gathered.

Order: `--python`, then what pip itself would re-run under: `PIP_PYTHON`, else `python` under
`[global]` in pip's configuration files (`guard.environment.pipconfig.python_choice`, the rule
the pip wrapper follows too), then the interpreter behind the `pip` the user would run: the first `pip` (else `pip3`) on PATH, through pyenv/asdf
shims and its `#!` line (an activated venv's pip is first on PATH); then `python3` (or
`python`) on PATH; only then the interpreter running guard. Never guard's own environment
just because guard runs in it: guard may be installed in another venv and called by path.

Under pre-commit (a `language: python` hook runs inside pre-commit's own venv) and in a
pipx / `uv tool` venv (guard installed as an application), guard prefers the project's
`.venv` (or `venv`) when there is one, and never judges the tool's own environment.

When the target is the running interpreter's environment, facts are gathered in-process
(`None` as the interpreter to probe): no subprocess.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Mapping, Optional

from guard.environment.facts import (
    env_get,
    env_identity,
    find_project_venv,
    is_pre_commit_env,
    is_under,
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


def _path_skip(environ: Mapping[str, str], owner: Optional[str]) -> Callable[[str], bool]:
    """Candidates on PATH that are never the user's pip or python: guard's own pip wrapper
    scripts, pre-commit's environments under pre-commit, the tool venv guard runs in."""
    from guard.environment.resolve import is_guard_wrapper

    pre_commit = pre_commit_skip(environ)
    own = sys.prefix if owner in ("pipx", "uv tool") else None

    def skip(candidate: str) -> bool:
        if own is not None and is_under(os.path.dirname(os.path.abspath(candidate)), own):
            return True
        if pre_commit is not None and pre_commit(candidate):
            return True
        return os.path.basename(candidate).startswith("pip") and is_guard_wrapper(candidate)

    return skip


def choose_target(
    python: Optional[str],
    environ: Mapping[str, str],
    cwd: str,
) -> tuple[Optional[str], dict[str, Any]]:
    """(interpreter to probe, or None for the running one; the `target` facts section).
    Raises ResolveError."""
    interpreter, info, _ = choose_target_with_pip(python, environ, cwd)
    return interpreter, info


def _first_pip(environ: Mapping[str, str], cwd: str, skip: Callable[[str], bool]) -> Optional[tuple[str, str, Any]]:
    """(name, path, resolved (interpreter, steps) or the ResolveError) of the first pip on PATH."""
    for name in ("pip", "pip3"):
        pip = find_on_path(name, environ, skip=skip)
        if pip is None:
            continue
        try:
            return name, pip, resolve_chain(pip, environ, cwd=cwd)
        except ResolveError as exc:
            return name, pip, exc
    return None


def choose_target_with_pip(
    python: Optional[str],
    environ: Mapping[str, str],
    cwd: str,
) -> tuple[Optional[str], dict[str, Any], dict[str, Any]]:
    """`choose_target`, plus the facts' `pip` section: what pip would read (its variables and
    configuration files, the pip script on PATH). Raises ResolveError."""
    from guard.environment.pipconfig import python_choice, record_pip_config

    owner = "pre-commit" if running_under_pre_commit(environ) else running_in_tool_venv()
    skip = _path_skip(environ, owner)
    first = _first_pip(environ, cwd, skip)
    pip_python = first[2][0] if first is not None and isinstance(first[2], tuple) else None
    # pip's site file is `{sys.prefix}/pip.conf` of the python running the pip script
    site = os.path.dirname(os.path.dirname(pip_python)) if pip_python else None
    record = record_pip_config(environ, [site])
    record["script"] = {"name": first[0], "path": first[1], "interpreter": pip_python} if first is not None else None
    if python:
        return (*_resolved(python, "python-option", environ, cwd), record)
    choice = python_choice(None, record, site)
    if choice is not None:
        spec, source = choice
        how = "PIP_PYTHON" if source.startswith("PIP_PYTHON=") else "pip-config"
        interpreter, info = _resolved(spec, how, environ, cwd)
        info["source"] = source
        info["via"] = [f"pip re-runs itself under `{spec}` ({source})", *info["via"]]
        return interpreter, info, record
    return (*_after_pip_config(environ, cwd, owner, skip, first), record)


def _after_pip_config(
    environ: Mapping[str, str],
    cwd: str,
    owner: Optional[str],
    skip: Callable[[str], bool],
    first: Optional[tuple[str, str, Any]],
) -> tuple[Optional[str], dict[str, Any]]:
    inside = f"guard runs inside {owner}'s environment; " if owner else ""
    if owner is not None:
        project = find_project_venv(cwd)
        if project and project.get("python"):
            interpreter, info = _resolved(project["python"], "project-venv", environ, cwd)
            info["note"] = inside + "judging the project venv instead"
            return interpreter, info
    notes: list[str] = []
    if first is not None and isinstance(first[2], ResolveError):
        notes.append(f"cannot tell which Python `{first[0]}` on PATH runs ({first[2]})")
    elif first is not None:
        name, pip, (interpreter, steps) = first
        found_pip: dict[str, Any] = {
            "how": "path-pip",
            "spec": pip,
            "interpreter": interpreter,
            "via": [f"`{name}` on PATH is `{pip}`", *steps],
        }
        if owner:
            found_pip["note"] = inside + f"judging the first `{name}` on PATH instead"
        return _in_process_if_running(interpreter, found_pip, environ)
    found = find_on_path("python3", environ, skip=skip) or find_on_path("python", environ, skip=skip)
    if found is not None:
        interpreter, info = _resolved(found, "path-python", environ, cwd)
        if not notes:
            notes.append("no `pip` or `pip3` on PATH")
        info["note"] = inside + "; ".join(notes) + f"; judging `{os.path.basename(found)}` on PATH instead"
        return interpreter, info
    if owner is not None:
        raise ResolveError(f"guard runs inside {owner}'s environment and finds no `pip` or `python3` on PATH outside it")
    if not notes:
        notes.append("no `pip` or `python3` on PATH")
    note = "; ".join(notes) + "; judging the interpreter running guard"
    return None, {"how": "running", "spec": sys.executable, "interpreter": sys.executable, "via": [], "note": note}


def _resolved(spec: str, how: str, environ: Mapping[str, str], cwd: str) -> tuple[Optional[str], dict[str, Any]]:
    interpreter, steps = resolve_chain(spec, environ, cwd=cwd)
    info: dict[str, Any] = {"how": how, "spec": spec, "interpreter": interpreter, "via": steps}
    return _in_process_if_running(interpreter, info, environ)


def _in_process_if_running(interpreter: str, info: dict[str, Any], environ: Mapping[str, str]) -> tuple[Optional[str], dict[str, Any]]:
    # The running interpreter's own environment needs no subprocess: its facts are at hand,
    # and a probe would cost a second Python start.
    if env_identity(interpreter) == env_identity(sys.executable) and not running_under_pre_commit(environ):
        return None, info
    return interpreter, info
