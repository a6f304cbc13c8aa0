"""Findings for an environment: the verdict as ENV findings, and the cross-checks of R8.

Pure, like classify: everything comes from the facts. Findings carry path `<environment>`,
line 0, column 0 (they are about no file).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from guard.environment.classify import (
    KIND_VERDICT,
    Classification,
    Verdict,
    classify,
    describe_kind,
    is_windows,
    plain_install_destination,
    tool_venv_owner,
    with_article,
)
from guard.finding import Finding, Severity
from guard.rules import env as rules

PATH = "<environment>"

# Kinds whose plain-install verdict is warn because they are shared global interpreters.
_GLOBAL_WARN = {k for k, v in KIND_VERDICT.items() if v == Verdict.WARN} - {
    "conda-base",
    "tool-venv",
    "broken-venv",
}


def _norm(path: Optional[str], windows: bool) -> str:
    text = (path or "").replace("\\", "/").rstrip("/")
    return text.lower() if windows else text


def venv_python(venv: str, windows: bool) -> str:
    sep = "\\" if windows else "/"
    tail = f"Scripts{sep}python.exe" if windows else "bin/python"
    return venv.rstrip("/\\") + sep + tail


def create_venv_command(facts: Mapping[str, Any], classification: Classification) -> str:
    """The exact command that makes and activates a project venv from a sensible base."""
    interpreter = facts.get("interpreter") or {}
    windows = is_windows(interpreter)
    base = interpreter.get("executable") or ("py" if windows else "python3")
    if classification.kind == "broken-venv":
        base = interpreter.get("executable_realpath") or base
    if windows:
        return f'"{base}" -m venv .venv && .venv\\Scripts\\activate'
    return f"{_quote(base)} -m venv .venv && . .venv/bin/activate"


def _quote(text: str) -> str:
    return text if all(c.isalnum() or c in "/._-+~:" for c in text) else "'" + text.replace("'", "'\\''") + "'"


def fix_commands(facts: Mapping[str, Any], classification: Classification) -> list[str]:
    """Commands that make a plain install safe, most direct first; empty when it already is."""
    interpreter = facts.get("interpreter") or {}
    windows = is_windows(interpreter)
    project = facts.get("project_venv") or None
    commands: list[str] = []
    if classification.verdict <= Verdict.INFO and not _project_venv_unused(facts):
        return commands
    if classification.in_venv and classification.sudo and classification.kind == "venv":
        exe = interpreter.get("executable") or "python"
        return [f"{_quote(exe)} -m pip install PACKAGE"]
    if classification.kind == "tool-venv":
        owner = tool_venv_owner(facts)
        if owner == "pipx":
            name = (interpreter.get("prefix") or "").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
            commands.append(f"pipx inject {name} PACKAGE")
        elif owner == "uv tool":
            commands.append("uv tool install TOOL --with PACKAGE")
        elif owner == "guard":
            commands.append("python3 -m venv .venv && .venv/bin/python -m pip install PACKAGE   # your project's own venv")
        else:
            commands.append("# add PACKAGE to additional_dependencies of the hook in .pre-commit-config.yaml")
        return commands
    if classification.kind == "broken-venv":
        home = (interpreter.get("executable_home") or {}).get("home") or interpreter.get("prefix") or ".venv"
        base = interpreter.get("executable_realpath") or "python3"
        commands.append(f"rm -rf {_quote(home)} && {_quote(base)} -m venv {_quote(home)}")
        return commands
    if classification.kind == "conda-base":
        commands.append("conda create -n NAME python && conda activate NAME")
        return commands
    if project and project.get("path"):
        python = project.get("python") or venv_python(project["path"], windows)
        commands.append(f"{_quote(python)} -m pip install PACKAGE")
        return commands
    commands.append(create_venv_command(facts, classification))
    commands.append(venv_python(".venv", windows) + " -m pip install PACKAGE")
    return commands


def activate_command(facts: Mapping[str, Any], c: Classification) -> str:
    """The command that makes `VIRTUAL_ENV` agree with the target: activate the target's venv
    when it is one (its own `activate` script), else leave the stale one."""
    interpreter = facts.get("interpreter") or {}
    home = interpreter.get("executable_home") or {}
    bin_dir = home.get("bin_dir")
    if c.in_venv and home.get("activate") and bin_dir:
        if is_windows(interpreter):
            return str(bin_dir).rstrip("\\/") + "\\activate"
        return ". " + _quote(str(bin_dir).rstrip("/") + "/activate")
    return "deactivate 2>/dev/null || unset VIRTUAL_ENV"


def shell_python_classification(facts: Mapping[str, Any]) -> Optional[Classification]:
    """What `python3` on PATH is, from the little the facts know about it (`shell.python`:
    its realpath, venv or not, a guessed prefix, the marker there); None when unknown."""
    python = (facts.get("shell") or {}).get("python") or {}
    interpreter = facts.get("interpreter") or {}
    if python.get("venv") is None or not python.get("prefix"):
        return None
    if python.get("venv"):
        base = "/nonexistent-base"  # only `prefix != base_prefix` matters for a venv
        pyvenv = {"exists": True}
    else:
        base = python["prefix"]
        pyvenv = {"exists": False}
    markers = {name: bool(python.get(name)) for name in ("conda_meta", "pixi", "envs_dir")}
    version = [int(v) for v in str(python.get("version") or "").split(".") if v.isdigit()]
    pseudo = {
        "interpreter": {
            "executable": python.get("interpreter"),
            "executable_realpath": python.get("realpath"),
            "prefix": python["prefix"],
            "prefix_realpath": python["prefix"],
            "base_prefix": base,
            "base_prefix_realpath": base,
            "os_name": interpreter.get("os_name"),
            "platform": interpreter.get("platform"),
            "version": version,
            "marker": {"exists": bool(python.get("marker")), "path": None, "text": None},
            "pyvenv_cfg": pyvenv,
            "prefix_markers": markers,
        },
        "environ": facts.get("environ") or {},
        "container_markers": facts.get("container_markers") or {},
        "os_release": facts.get("os_release"),
        "process": facts.get("process") or {},
    }
    return classify(pseudo)


def _mismatch_fix(facts: Mapping[str, Any], name: str, judged: Optional[Classification], windows: bool) -> str:
    """`python3 -m pip` when that python is a fine place to install, else a venv."""
    if judged is None or judged.verdict <= Verdict.INFO:
        return f"{name} -m pip install PACKAGE"
    project = facts.get("project_venv") or None
    if project and project.get("path"):
        python = project.get("python") or venv_python(project["path"], windows)
        return f"{_quote(python)} -m pip install PACKAGE"
    return f"{name} -m venv .venv && {venv_python('.venv', windows)} -m pip install PACKAGE"


def _project_venv_unused(facts: Mapping[str, Any]) -> bool:
    interpreter = facts.get("interpreter") or {}
    windows = is_windows(interpreter)
    project = facts.get("project_venv") or None
    if not project:
        return False
    targets = {_norm(interpreter.get("prefix"), windows), _norm(interpreter.get("prefix_realpath"), windows)}
    venv = {_norm(project.get("path"), windows), _norm(project.get("realpath"), windows)}
    return not (targets & venv)


def environment_findings(
    facts: Mapping[str, Any],
    classification: Optional[Classification] = None,
) -> list[Finding]:
    """Every ENV finding for these facts, in rule order."""
    c = classification if classification is not None else classify(facts)
    return verdict_findings(facts, c) + crosscheck(facts, c)


def verdict_findings(facts: Mapping[str, Any], c: Classification) -> list[Finding]:
    """The classification (R2-R7) said as findings."""
    interpreter = facts.get("interpreter") or {}
    environ = facts.get("environ") or {}
    exe = interpreter.get("executable") or interpreter.get("prefix") or "?"
    prefix = interpreter.get("prefix") or "?"
    fixes = fix_commands(facts, c)
    fix = fixes[0] if fixes else None
    out: list[Finding] = []
    effective = c.base_kind if c.kind == "broken-venv" and not c.in_venv else c.kind

    if c.kind == "broken-venv":
        home = (interpreter.get("executable_home") or {}).get("home")
        if c.in_venv or not home:
            message = f"`{prefix}` has no `pyvenv.cfg`."
        else:
            message = f"`{home}` has no `pyvenv.cfg`; its python runs as `{prefix}` and installs there."
        out.append(rules.BROKEN_VENV.finding(PATH, 0, 0, message, fix=fix))
    if c.kind == "tool-venv":
        owner = tool_venv_owner(facts) or "a tool"
        message = (
            f"`{prefix}` is guard's own installation environment; your project's packages belong in its own venv."
            if owner == "guard"
            else f"`{prefix}` belongs to {owner}; packages installed by hand are lost on its next upgrade."
        )
        out.append(rules.TOOL_VENV_INSTALL.finding(PATH, 0, 0, message, fix=fix))
    if not c.in_venv and effective is not None:
        base_verdict = KIND_VERDICT.get(effective, Verdict.WARN)
        # A broken venv runs as its base interpreter: the same words as for that interpreter.
        words = with_article(c.description if c.kind != "broken-venv" else describe_kind(effective, facts))
        if c.externally_managed or base_verdict == Verdict.BLOCK:
            marked = " (marked EXTERNALLY-MANAGED)" if c.externally_managed else ""
            out.append(
                rules.SYSTEM_PYTHON_INSTALL.finding(
                    PATH, 0, 0, f"`{exe}` is {words}{marked}; `pip install` must not write into it.", fix=fix
                )
            )
        elif effective == "conda-base":
            out.append(
                rules.CONDA_BASE_INSTALL.finding(
                    PATH,
                    0,
                    0,
                    f"`{prefix}` is conda's base environment; `pip install` into it can break conda.",
                    fix=fix,
                )
            )
        elif effective == "container-system":
            out.append(rules.CONTAINER_SYSTEM_INSTALL.finding(PATH, 0, 0, f"`{exe}` is {words}."))
        elif effective == "ci-toolcache" and c.verdict == Verdict.INFO:
            out.append(rules.CI_TOOLCACHE_INSTALL.finding(PATH, 0, 0, f"`{exe}` is {words}."))
        elif effective in _GLOBAL_WARN:
            out.append(
                rules.GLOBAL_PYTHON_INSTALL.finding(PATH, 0, 0, f"`{exe}` is {words}, shared by every project that uses it.", fix=fix)
            )
    if c.sudo:
        user = environ.get("SUDO_USER", "")
        sudo_fix = f"{_quote(exe)} -m pip install PACKAGE  # without sudo" if c.in_venv else fix
        finding = rules.SUDO_INSTALL.finding(PATH, 0, 0, f"`pip install` would run as root (`SUDO_USER={user}`).", fix=sudo_fix)
        out.append(finding if not c.in_venv else finding.with_severity(Severity.WARNING))
    if c.in_venv and c.notes:
        out.append(rules.VENV_SYSTEM_SITE_PACKAGES.finding(PATH, 0, 0, f"The venv `{prefix}` includes the system site-packages."))
    destination = plain_install_destination(facts, c)
    if destination["where"] == "user-site":
        on_path = "on PATH" if destination["scripts_on_path"] else "not on PATH"
        scripts = f"; its scripts dir `{destination['scripts']}` is {on_path}" if destination["scripts"] else ""
        out.append(
            rules.USER_SITE_FALLBACK.finding(
                PATH,
                0,
                0,
                f"`pip install` would fall back to the user site `{destination['path']}`{scripts}.",
                fix=fix,
            )
        )
    return out


def crosscheck(facts: Mapping[str, Any], c: Classification) -> list[Finding]:
    """R8: stale `VIRTUAL_ENV`, `pip` versus `python` on PATH, an unused project venv."""
    interpreter = facts.get("interpreter") or {}
    environ = facts.get("environ") or {}
    windows = is_windows(interpreter)
    out: list[Finding] = []
    targets = {_norm(interpreter.get("prefix"), windows), _norm(interpreter.get("prefix_realpath"), windows)}

    ve = facts.get("virtual_env") or None
    pre_commit = bool(environ.get("PRE_COMMIT"))
    if ve and ve.get("path") and not (pre_commit and ve.get("pre_commit")):
        fix = activate_command(facts, c)
        if not ve.get("exists"):
            out.append(
                rules.STALE_VIRTUAL_ENV.finding(PATH, 0, 0, f"`VIRTUAL_ENV` points to `{ve['path']}`, which no longer exists.", fix=fix)
            )
        elif not ({_norm(ve.get("path"), windows), _norm(ve.get("realpath"), windows)} & targets):
            out.append(
                rules.STALE_VIRTUAL_ENV.finding(
                    PATH,
                    0,
                    0,
                    f"`VIRTUAL_ENV` points to `{ve['path']}`, but the target is `{interpreter.get('prefix')}`.",
                    fix=fix,
                )
            )

    shell = facts.get("shell") or {}
    pip, python = shell.get("pip"), shell.get("python")
    if pip and python and pip.get("identity") and python.get("identity"):
        if _norm(pip["identity"], windows) != _norm(python["identity"], windows):
            via = f" (through the {pip['shim']} shim `{pip['path']}`)" if pip.get("shim") else ""
            judged = shell_python_classification(facts)
            real = python.get("realpath")
            details = [f"really `{real}`"] if real and real != python["interpreter"] else []
            if judged is not None and judged.verdict > Verdict.INFO:
                details.append(with_article(judged.description))
            said = f" ({', '.join(details)})" if details else ""
            out.append(
                rules.PIP_PYTHON_MISMATCH.finding(
                    PATH,
                    0,
                    0,
                    f"`{pip['name']}` installs for `{pip['interpreter']}`{via}, but `{python['name']}` is `{python['interpreter']}`{said}.",
                    fix=_mismatch_fix(facts, python["name"], judged, windows),
                )
            )

    project = facts.get("project_venv") or None
    if project and _project_venv_unused(facts):
        python_path = project.get("python") or venv_python(project["path"], windows)
        out.append(
            rules.PROJECT_VENV_NOT_USED.finding(
                PATH,
                0,
                0,
                f"The project venv `{project['path']}` is not the target `{interpreter.get('executable')}`.",
                fix=f"{_quote(python_path)} -m pip install PACKAGE",
            )
        )
    return out
