"""The way out of a blocked pip: the same install, run in the project's venv (made first when
there is none), then the one line that activates that venv in the user's shell.

Offered when the wrapper stops `pip install` because the target is a Python outside any
venv (a distribution's, Homebrew's, a framework build, ...): `v` at the prompt, or
`on-block = "venv"` without asking. `guard env --fix` makes the venv its advice names.
Where the venv goes and which Python makes it: guard.wrapper.venvplan.

Imported only when a call is stopped, never on the path of an allowed pip call.
"""

from __future__ import annotations

import os
import subprocess

from guard.wrapper.venvplan import VenvPlan, make_plan

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Dict, Mapping, Optional, Sequence

    Marker = Callable[[Mapping[str, str], str, Sequence[str]], Dict[str, str]]

VENV_TIMEOUT = 300.0  # seconds for `python -m venv` (ensurepip included) before guard gives up
# `guard pip --check-only` after running pip itself in the venv: 101 + pip's status (0-18),
# so that the shell snippet returns pip's status instead of running pip a second time.
CHECK_ONLY_RAN = 101
CHECK_ONLY_RAN_LAST = 119
FAILED = 1
INTERRUPTED = 130

# Targets that are environments already (or whose way out is not a venv: conda base).
_NOT_SYSTEM = ("venv", "tool-venv", "broken-venv", "conda-env", "pixi-env", "conda-base")
SHELLS = ("bash", "zsh", "fish", "powershell", "cmd", "csh", "tcsh", "sh")
LABEL = "  venv:    "


def unavailable(decision: Any) -> Optional[str]:
    """Why this call has no venv way out, or None when it has one."""
    if decision.subcommand != "install":
        return f"only `pip install` has one (this is `pip {decision.subcommand}`)"
    if decision.kind in _NOT_SYSTEM:
        return f"the target is {decision.description}, not a Python outside any environment"
    return None


def plan_for(decision: Any, environ: Mapping[str, str], cwd: str) -> Optional[VenvPlan]:
    """The plan for a stopped call, None when the call has no way out at all."""
    if unavailable(decision) is not None or not decision.interpreter:
        return None
    return make_plan(decision.interpreter, cwd, environ)


def offer_lines(plan: VenvPlan) -> Sequence[str]:
    """What the prompt says about `v` (or why there is no `v`)."""
    pad = " " * len(LABEL)
    if not plan.possible:
        return [f"{LABEL}no venv way out: {plan.reason}"]
    if plan.existing:
        lines = [f"{LABEL}v: run this install with the project's venv {plan.venv}"]
    else:
        creator = plan.creator
        assert creator is not None
        lines = [f"{LABEL}v: run this install in a new venv {plan.venv}, made with {creator.path} (Python {creator.version_string})"]
    return [*lines, *(f"{pad}{note}" for note in plan.notes)]


# --- doing it ------------------------------------------------------------------------------


def take(
    plan: VenvPlan,
    pip_argv: Sequence[str],
    *,
    environ: Mapping[str, str],
    cwd: str,
    err: IO[str],
    check_only: bool,
    refused: int,
    mark: Marker,
) -> int:
    """Make the venv if needed, run the same install there, print the activation line.
    Returns pip's status (check-only: encoded for the snippet, see CHECK_ONLY_RAN); when the
    venv cannot be made, `refused` (the wrapper's status for a refused call) or 130.
    `mark(environ, pip, argv)` is the environment the wrapper gives every pip it runs."""
    failed = ensure_venv(plan, environ, err)
    if failed is not None:
        return refused if failed != INTERRUPTED else failed
    status = run_pip(plan, pip_argv, mark(environ, plan.python, pip_argv), environ, cwd, err)
    err.write(f"guard: activate the venv in this shell with: {activation_command(user_shell(environ), plan.venv, cwd)}\n")
    return encode_for_snippet(status) if check_only else status


def encode_for_snippet(status: int) -> int:
    if status == INTERRUPTED:
        return INTERRUPTED
    if 0 <= status <= CHECK_ONLY_RAN_LAST - CHECK_ONLY_RAN:
        return CHECK_ONLY_RAN + status
    return CHECK_ONLY_RAN + FAILED  # a status the range cannot carry: pip failed


def ensure_venv(
    plan: VenvPlan, environ: Mapping[str, str], err: IO[str], who: str = "guard", after: str = "; pip was not run"
) -> Optional[int]:
    """None when the plan's venv is there (reused or just made), else the status to end with
    after one line saying why. A venv that fails half-way is removed: guard made it."""
    if plan.existing:
        err.write(f"{who}: using the project's venv {plan.venv}\n")
        return None
    creator = plan.creator
    assert creator is not None
    if os.path.lexists(plan.venv):  # made since the plan was: not guard's to fill, nor to remove
        err.write(f"{who}: {plan.venv} appeared meanwhile; not touching it{after}\n")
        return FAILED
    err.write(f"{who}: creating {plan.venv} with {creator.path} (Python {creator.version_string})\n")
    for note in plan.notes:
        err.write(f"{who}: note: {note}\n")
    err.flush()
    problem, status = _create(creator.path, plan.venv, environ)
    if problem is None:
        return None
    _remove_half_made(plan.venv)
    err.write(f"{who}: could not create {plan.venv} with {creator.path}: {problem}{after}\n")
    return status


def _create(python: str, venv: str, environ: Mapping[str, str]) -> tuple[Optional[str], int]:
    """(why `python -m venv` failed, or None; the status to end with)."""
    env = {key: value for key, value in environ.items() if key not in ("PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV")}
    try:
        with _sigint_to_child():
            done = subprocess.run(
                [python, "-m", "venv", venv],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                timeout=VENV_TIMEOUT,
                check=False,
            )
    except subprocess.TimeoutExpired:
        return f"`{python} -m venv` did not finish within {VENV_TIMEOUT:g} s", FAILED
    except OSError as exc:
        return exc.strerror or str(exc), FAILED
    if done.returncode < 0 or done.returncode == INTERRUPTED:
        return "interrupted", INTERRUPTED
    if done.returncode != 0:
        return venv_failure(done.stdout.decode("utf-8", errors="replace")), FAILED
    return None, 0


def venv_failure(output: str) -> str:
    """`python -m venv`'s failure in one line. Debian's python without python3-venv explains
    over ten lines that ensurepip is missing and which package brings it."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if any("ensurepip is not" in line for line in lines):
        package = next((line for line in lines if line.startswith("apt install ")), None)
        return "ensurepip is not available" + (f" (install it with `{package}`)" if package else "")
    errors = [line for line in lines if line.startswith("Error:")]
    return (errors or lines or ["`python -m venv` failed without a message"])[-1]


def _remove_half_made(venv: str) -> None:
    import shutil

    shutil.rmtree(venv, ignore_errors=True)


def run_pip(plan: VenvPlan, pip_argv: Sequence[str], marked: Dict[str, str], environ: Mapping[str, str], cwd: str, err: IO[str]) -> int:
    """`<venv python> -m pip` with the user's arguments, less those that would send the
    install outside the venv (the ones the suggestion drops); pip's status. `marked`: the
    environment for pip (the user's, with the wrapper's marks)."""
    from guard.wrapper.decide import venv_argv

    kept, removed = venv_argv(pip_argv)
    dropped = f"   # without {' '.join(removed)}" if removed else ""
    err.write(f"guard: running {plan.python} -m pip {' '.join(_shown(word) for word in kept)}{dropped}\n")
    err.flush()
    env = dict(marked)
    env.pop("VIRTUAL_ENV", None)
    if _configured_python(environ):
        env["PIP_PYTHON"] = plan.python  # pip.conf's `python` would send pip back to the system
    else:
        env.pop("PIP_PYTHON", None)
    try:
        with _sigint_to_child():
            process = subprocess.Popen([plan.python, "-m", "pip", *kept], env=env, cwd=cwd)
            status = process.wait()
    except OSError as exc:
        err.write(f"guard: cannot run {plan.python}: {exc.strerror or exc}\n")
        return 126
    return 128 - status if status < 0 else status


def _shown(word: str) -> str:
    import shlex

    return shlex.quote(word)


def _configured_python(environ: Mapping[str, str]) -> bool:
    """Whether pip's configuration names a `python` (a file; PIP_PYTHON is dropped anyway)."""
    from guard.environment.pipconfig import lookup, read_pip_config

    values, _ = read_pip_config({k: v for k, v in environ.items() if k != "PIP_PYTHON"}, site_prefix=None, isolated=False)
    return lookup(values, "python", "install") is not None


class _sigint_to_child:
    """Ctrl-C belongs to the child (it shares the terminal): guard waits for it, as a shell does.
    A Python handler, unlike SIG_IGN, is not inherited across exec."""

    def __enter__(self) -> None:
        import signal

        self.previous: Any = signal.signal(signal.SIGINT, lambda signum, frame: None)

    def __exit__(self, *exc_info: object) -> None:
        import signal

        signal.signal(signal.SIGINT, self.previous)


# --- the activation line ------------------------------------------------------------------


def user_shell(environ: Mapping[str, str], windows: bool = os.name == "nt") -> str:
    """The shell the user types in: `GUARD_SHELL` (the shell-init snippets set it), else
    the name in `SHELL`, else PowerShell on Windows and a POSIX shell elsewhere."""
    named = (environ.get("GUARD_SHELL") or "").strip().lower()
    if named in SHELLS:
        return named
    base = os.path.basename(environ.get("SHELL") or "").lower()
    base = base[:-4] if base.endswith(".exe") else base
    base = {"pwsh": "powershell", "pwsh-preview": "powershell"}.get(base, base)
    if base in SHELLS:
        return base
    return "powershell" if windows else "sh"


def activation_command(shell: str, venv: str, cwd: str, windows: bool = os.name == "nt") -> str:
    """The one command that activates `venv` in `shell`: `.venv/...` when the venv is in the
    current directory, else its absolute path (quoted for that shell when it must be)."""
    import ntpath
    import posixpath

    paths: Any = ntpath if windows else posixpath
    shown: str = paths.basename(venv) if paths.normcase(paths.dirname(venv)) == paths.normcase(cwd) else venv
    if shell == "cmd":
        return _cmd_quote(paths.join(shown, "Scripts", "activate.bat"))
    if shell == "powershell":
        script: str = paths.join(shown, "Scripts", "Activate.ps1") if windows else paths.join(shown, "bin", "Activate.ps1")
        if not paths.isabs(script) and not script.startswith("."):
            script = "." + paths.sep + script
        return script if _plain(script) else "& '" + script.replace("'", "''") + "'"
    # bash, zsh, fish and csh on Windows (Git Bash, MSYS2) take forward slashes too
    scripts = posixpath.join(shown.replace("\\", "/"), "Scripts" if windows else "bin")
    if shell == "fish":
        return "source " + _posix_quote(posixpath.join(scripts, "activate.fish"))
    if shell in ("csh", "tcsh"):
        return "source " + _posix_quote(posixpath.join(scripts, "activate.csh"))
    verb = "source" if shell in ("bash", "zsh") else "."
    return f"{verb} {_posix_quote(posixpath.join(scripts, 'activate'))}"


def _plain(text: str) -> bool:
    return all(char.isalnum() or char in "/\\._-:~+" for char in text)


def _posix_quote(text: str) -> str:
    return text if _plain(text) else "'" + text.replace("'", "'\\''") + "'"


def _cmd_quote(text: str) -> str:
    return text if _plain(text) else f'"{text}"'


# --- guard env --fix -----------------------------------------------------------------------


def env_fix(
    facts: Mapping[str, Any],
    classification: Any,
    *,
    environ: Mapping[str, str],
    cwd: str,
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """Make the venv `guard env` advises and print (alone on stdout) the line that activates
    it: 0 when there is one to use, 1 when the advice is something else or the venv failed."""
    from guard.environment.crosscheck import fix_commands

    commands = fix_commands(facts, classification)
    if not commands:
        stderr.write(f"guard env: {classification.description} is fine for a plain `pip install`: no venv to create\n")
        return 0
    interpreter = facts.get("interpreter") or {}
    kind = classification.kind
    if kind in _NOT_SYSTEM or classification.in_venv:
        stderr.write(f"guard env: the advice here is not a new venv; run it yourself: {commands[0]}\n")
        return FAILED
    plan = _env_plan(facts, str(interpreter.get("executable") or ""), environ, cwd)
    if not plan.possible:
        stderr.write(f"guard env: no venv to make: {plan.reason}\n")
        return FAILED
    failed = ensure_venv(plan, environ, stderr, who="guard env", after="")
    if failed is not None:
        return failed
    stdout.write(activation_command(user_shell(environ), plan.venv, cwd) + "\n")
    return 0


def _env_plan(facts: Mapping[str, Any], blocked: str, environ: Mapping[str, str], cwd: str) -> VenvPlan:
    """The plan, with the project venv the facts found (the one the advice names) reused."""
    project = facts.get("project_venv") or {}
    plan = make_plan(blocked, cwd, environ)
    if project.get("path") and project.get("python") and not plan.existing and plan.possible:
        return VenvPlan(plan.root, str(project["path"]), str(project["python"]), existing=True)
    return plan
