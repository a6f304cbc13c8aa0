"""The pip wrapper: resolve the real pip, judge the call, then run pip (or not).

Flow for `guard pip [--as NAME] -- ARGS`:

1. `GUARD_ALLOW=1` or a nested call (`GUARD_PIP_ACTIVE=1`): run pip unchecked (the first says so).
2. The real pip: the first `NAME` on PATH, skipping guard's own wrapper scripts. Its
   interpreter (R0): `--python X` before the subcommand, else `PIP_PYTHON`, else pip.conf's
   `python`, else the interpreter named by the pip script (pyenv/asdf shims resolved).
3. Facts of that interpreter (one subprocess, cached by path and mtime), with what pip reads
   (variables, configuration files, the script found, the working directory): `gather_facts`.
   From the facts alone (`judge`, the same for a recorded case): its plain-install
   classification (R7), the arguments' effect (R6) and the overrides (R9): a `Decision`.
4. Optionally the install checks (requirement files named by `-r`, unpinned bare specs).
5. The verdict picks a mode from settings: `ask` (y/N on a terminal, default No), `warn`
   (message, then pip), `block` (message, pip not run). `auto` is ask on a terminal, warn
   otherwise. An explicit `ask` with no terminal refuses, as the prompt's default would.
6. Run pip: `os.execve` of the real pip with the same argv (exec mode, exit status and
   signals are pip's), or, for the shell snippets (`check_only`), exit `GO` and let the shell
   run pip itself, so that a guard that cannot even start still lets pip run.

Fail open: any exception inside guard prints one line and pip runs. Exit statuses of guard
itself: `REFUSED` (1) in exec mode; `GO` (0) / `REFUSED_CHECK` (100) in check-only mode;
127 when the real pip does not exist (exec mode, with the shell's message).
"""

from __future__ import annotations

import os
import sys

# `typing` costs the wrapper several milliseconds on every pip call: the names are only
# needed by type checkers, which treat this constant as True.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

GO = 0
REFUSED = 1
REFUSED_CHECK = 100
NOT_FOUND = 127
MODES = ("auto", "ask", "warn", "block")


class PipNotFound(Exception):
    pass


def _truthy(value: Optional[str]) -> bool:
    return value is not None and value.strip().lower() not in ("0", "false", "no", "off", "")


def find_real_pip(name: str, environ: Mapping[str, str], avoid: Sequence[str] = ()) -> Optional[str]:
    """The first `name` on PATH that is neither guard's own wrapper nor one of `avoid`."""
    from guard.environment.resolve import find_on_path, is_guard_wrapper

    if not avoid:
        return find_on_path(name, environ, skip=is_guard_wrapper)
    return find_on_path(name, environ, skip=lambda path: os.path.realpath(path) in avoid or is_guard_wrapper(path))


# --- re-entry ------------------------------------------------------------------------------
# guard marks every pip it runs: `GUARD_PIP_ACTIVE=1`, and in `GUARD_PIP_SEEN` the argv's
# checksum and the pips already run for that argv. A `pip` that is not the real one but comes
# straight back into guard (a script doing `exec guard pip -- "$@"` without guard's mark, an
# alias, a second wrapper) arrives with the same argv: the pips already tried are skipped, so
# the chain ends at the real pip, or with "not found" when every pip leads back here. A pip
# that calls pip with other arguments starts a fresh list.


def _argv_digest(pip_argv: Sequence[str]) -> str:
    import zlib

    return f"{zlib.crc32(chr(0).join(pip_argv).encode('utf-8', 'surrogateescape')):08x}"


def seen_pips(environ: Mapping[str, str], pip_argv: Sequence[str]) -> List[str]:
    """The pips already run for this very argv by an enclosing guard (see above)."""
    digest, _, paths = environ.get("GUARD_PIP_SEEN", "").partition(":")
    if digest != _argv_digest(pip_argv):
        return []
    return [path for path in paths.split(os.pathsep) if path]


def _mark(environ: Mapping[str, str], pip: str, pip_argv: Sequence[str]) -> Dict[str, str]:
    env = dict(environ)
    env["GUARD_PIP_ACTIVE"] = "1"
    seen = [*seen_pips(environ, pip_argv), os.path.realpath(pip)]
    env["GUARD_PIP_SEEN"] = _argv_digest(pip_argv) + ":" + os.pathsep.join(seen)
    return env


# --- settings ----------------------------------------------------------------------------


def _has_guard_config(cwd: str) -> bool:
    """Whether `guard.config.find_config` would find a configuration file (same walk: up to
    the first directory with `.git`), without importing guard.config (~25 ms)."""
    directory = os.path.abspath(cwd)
    while True:
        if os.path.isfile(os.path.join(directory, ".guard.toml")) or os.path.isfile(os.path.join(directory, "guard.toml")):
            return True
        candidate = os.path.join(directory, "pyproject.toml")
        try:
            with open(candidate, encoding="utf-8", errors="replace") as handle:
                if "tool.guard" in handle.read():
                    return True
        except OSError:
            pass
        parent = os.path.dirname(directory)
        if os.path.exists(os.path.join(directory, ".git")) or parent == directory:
            return False
        directory = parent


_ENV_MODES = (("GUARD_PIP_ON_BLOCK", "auto"), ("GUARD_PIP_ON_WARN", "warn"))


def load_modes(environ: Mapping[str, str], cwd: str, warn: Callable[[str], None]) -> Tuple[str, str, bool]:
    """(on-block, on-warn, check-installs) from guard's settings; bad config never stops pip.
    `warn` gets one line per problem, without the `guard: ` prefix (the caller adds it).

    Without a `[tool.guard]` table in reach only the `GUARD_PIP_*` variables count, read here
    with the rules of guard.config; with one, guard.config merges both.
    """
    if _has_guard_config(cwd):
        try:
            from guard.config import load_settings

            settings = load_settings(cwd=cwd, environ=environ)
            return settings.pip_on_block, settings.pip_on_warn, settings.pip_check_installs
        except Exception as exc:  # noqa: BLE001 - a broken config must not stop pip
            warn(f"ignoring bad configuration ({_one_line(exc)}); using defaults")
            return "auto", "warn", True
    modes: List[str] = []
    for name, default in _ENV_MODES:
        value = environ.get(name)
        if value is None:
            modes.append(default)
        elif value.strip() in MODES:
            modes.append(value.strip())
        else:
            warn(f"ignoring bad configuration ({name}: expected one of {', '.join(MODES)}, got {value!r}); using defaults")
            return "auto", "warn", True
    check = environ.get("GUARD_PIP_CHECK_INSTALLS")
    check_installs = True
    if check is not None:
        lowered = check.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            check_installs = True
        elif lowered in ("0", "false", "no", "off", ""):
            check_installs = False
        else:
            warn(f"ignoring bad configuration (GUARD_PIP_CHECK_INSTALLS: expected 1 or 0, got {check!r}); using defaults")
            return "auto", "warn", True
    return modes[0], modes[1], check_installs


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --- evaluation --------------------------------------------------------------------------


def overrides_for(
    args: Any,
    argv: Sequence[str],
    environ: Mapping[str, str],
    site_prefix: Optional[str],
    problems: List[str],
    values: Optional[Mapping[str, Tuple[str, str]]] = None,
) -> List[Any]:
    """R9: what tells pip to break system packages, each named with its source. `values`:
    pip's configuration as `pip_configuration` read it (read here when not given)."""
    from guard.environment.pipconfig import lookup
    from guard.pipcalls.pipargs import strtobool
    from guard.wrapper.decide import Override

    out: List[Override] = []
    if args.break_system_packages:
        typed = next((a for a in argv if a.startswith("--br")), "--break-system-packages")
        out.append(Override("flag", typed.partition("=")[0]))
    if values is None:
        values = pip_configuration(argv, environ, site_prefix, problems)
    item = lookup(values, "break-system-packages", args.subcommand)
    if item is not None:
        value = strtobool(item[0])
        if value:
            source = "env" if item[1].startswith("PIP_") else "pip.conf"
            out.append(Override(source, item[1]))
        elif value is None:
            problems.append(f"pip rejects `{item[0]}` for break-system-packages ({item[1]})")
    return out


def pip_configuration(argv: Sequence[str], environ: Mapping[str, str], site_prefix: Optional[str], problems: List[str]) -> Any:
    """What pip reads from `PIP_*` variables and pip.conf files for this call, live."""
    from guard.environment.pipconfig import read_pip_config

    # pip's command parser is isolated only by the literal word (not a prefix) `--isolated`.
    values, found_problems = read_pip_config(environ, site_prefix=site_prefix, isolated="--isolated" in argv)
    problems.extend(found_problems)
    return values


# Where pip's configuration sends an install, as the flags would: `PIP_TARGET=/tmp/vendor`
# is `--target /tmp/vendor` to pip (it skips the PEP 668 check too), `PIP_USER=1` `--user`.
_CONFIGURED_DESTINATIONS = (("target", "target"), ("prefix", "prefix"), ("root", "root"))


def with_configured_destination(args: Any, values: Mapping[str, Tuple[str, str]], notes: List[str]) -> Any:
    """`args` with the destination pip's configuration gives when the command line gives
    none; `notes` says where each came from."""
    from guard.environment.pipconfig import lookup
    from guard.pipcalls.pipargs import PipArgs, strtobool

    if args.subcommand != "install":
        return args
    changes: Dict[str, Any] = {}
    for key, field in _CONFIGURED_DESTINATIONS:
        item = lookup(values, key, "install")
        if getattr(args, field) is None and item is not None and item[0].strip():
            changes[field] = item[0].strip()
            notes.append(f"{item[1]} sets `{key}`, as `--{key} {item[0].strip()}` would")
    item = lookup(values, "user", "install")
    if not args.user and not args.flag("--no-user") and item is not None and strtobool(item[0]):
        changes["user"] = True
        notes.append(f"{item[1]} sets `user`, as `--user` would")
    return PipArgs(**{**args.as_dict(), **changes}) if changes else args


def install_findings(
    args: Any,
    cwd: str,
    environ: Mapping[str, str],
    problems: List[str],
    bootstrap: Sequence[str] = ("pip", "setuptools", "wheel"),
    pip_version: Optional[str] = None,
) -> List[Any]:
    """The requirement files named by `-r`, the dependency groups named by `--group`, and
    bare specs that pin nothing."""
    findings: List[Any] = []
    if args.subcommand != "install":
        return findings
    groups = args.values("--group")
    if groups and not args.constraint_files and _has_group_option(pip_version):
        from guard.wrapper.groups import group_findings  # TOML only for `--group`

        try:
            findings.extend(group_findings(groups, cwd, problems, bootstrap))
        except Exception as exc:  # noqa: BLE001 - the group checks never stop pip
            problems.append(f"could not check --group {' '.join(groups)} ({_one_line(exc)})")
    if args.requirement_files:
        paths = [os.path.join(cwd, p) for p in args.requirement_files if "://" not in p]
        try:
            findings.extend(_check_requirement_files([p for p in paths if _is_regular(p)], cwd, environ, pip_version))
        except Exception as exc:  # noqa: BLE001 - the file checks never stop pip
            problems.append(f"could not check {', '.join(args.requirement_files)} ({_one_line(exc)})")
    if args.requirements and not args.constraint_files:
        from guard.pipcalls.specs import pins_without_packaging

        if pins_without_packaging(args.requirements):
            return findings  # `name==1.2.3` and paths: CMD101 has nothing to say
        from guard.finding import Severity
        from guard.pipcalls.specs import unpinned_install_args

        notes = unpinned_install_args(args.requirements, bootstrap=bootstrap)
        findings.extend(f.with_severity(Severity.INFO) for f in notes)
    return findings


def _has_group_option(pip_version: Optional[str]) -> bool:
    """`--group` is pip 25.1's: an older pip stops at it with its own error (unknown: yes)."""
    if not pip_version:
        return True
    parts = pip_version.split(".")
    try:
        return (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0) >= (25, 1)
    except ValueError:
        return True


def _is_regular(path: str) -> bool:
    """`-r /dev/stdin`, `-r <(cmd)`: a pipe or device is pip's to read, never guard's (a
    missing file is left to the checks, which report it)."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return not os.path.lexists(path)


def _check_requirement_files(paths: Sequence[str], cwd: str, environ: Mapping[str, str], pip_version: Optional[str] = None) -> List[Any]:
    """The requirement-file checks (`guard.check.run.check_paths`), when that module exists."""
    try:
        from guard.check.run import check_paths
        from guard.config import load_settings
    except ImportError:
        return []
    settings = load_settings(cwd=cwd, environ=environ)
    # the files are read as the pip that will run reads them (its options differ by version)
    return list(check_paths(list(paths), settings, cwd, pip_version))


def gather_facts(pip_argv: Sequence[str], *, command_name: str, environ: Mapping[str, str], cwd: str) -> Dict[str, Any]:
    """Live: the facts of the interpreter this call would install into, with everything pip
    itself reads (`pip`: its variables, its configuration files, the pip script found on
    PATH) and the working directory. Raises PipNotFound, ResolveError, FactsError."""
    from guard.environment.facts import probe_facts
    from guard.environment.pipconfig import add_site_file, python_choice, record_pip_config
    from guard.environment.resolve import resolve_target
    from guard.pipcalls.pipargs import parse_pip_argv

    pip = find_real_pip(command_name, environ)
    if pip is None:
        raise PipNotFound(command_name)
    pip_python = resolve_target(pip, environ, cwd=cwd)
    # pip's site file is `{sys.prefix}/pip.conf` of the python running the pip script
    site = os.path.dirname(os.path.dirname(pip_python))
    record = record_pip_config(environ, [site])
    record["script"] = {"name": command_name, "path": pip, "interpreter": pip_python}
    spec = python_choice(parse_pip_argv(pip_argv).python, record, site)
    if spec is not None:
        interpreter = resolve_target(spec[0], environ, cwd=cwd)
        target = {"how": "pip-python", "spec": spec[0], "source": spec[1], "pip": pip}
    else:
        interpreter = pip_python
        target = {"how": "pip", "spec": pip}
    facts = probe_facts(interpreter, environ, cwd=cwd, target=target, pip=record)
    # with `--python`, pip re-runs under the target, whose own site file counts for the call
    add_site_file(facts["pip"], (facts.get("interpreter") or {}).get("prefix"))
    return facts


def recorded_cwd(facts: Mapping[str, Any]) -> str:
    """The working directory the facts were recorded in (relative paths of the call); the
    filesystem root when a hand-written file gives none."""
    cwd = (facts.get("process") or {}).get("cwd")
    return cwd if isinstance(cwd, str) and cwd else os.sep


def recorded_pip(facts: Mapping[str, Any]) -> Mapping[str, Any]:
    """The facts' `pip` section; for older recordings, the `PIP_*` variables they kept."""
    from guard.environment.pipconfig import record_from_environ

    record = facts.get("pip")
    if isinstance(record, dict):
        return record
    return record_from_environ(facts.get("environ") or {})


def judge(
    facts: Mapping[str, Any],
    pip_argv: Sequence[str],
    *,
    command_name: str,
    environ: Mapping[str, str],
    check_installs: bool = True,
    problems: Optional[List[str]] = None,
) -> Any:
    """The `Decision` for one pip call from its facts alone: pip's variables, files, script
    and working directory come from the facts, live or recorded, never from this process
    (`environ` holds only guard's own settings, for the requirement-file checks)."""
    from guard.environment.classify import classify
    from guard.environment.pipconfig import values_from_record
    from guard.pipcalls.pipargs import parse_pip_argv
    from guard.wrapper.decide import decide

    problems = [] if problems is None else problems
    args = parse_pip_argv(pip_argv)
    cwd = recorded_cwd(facts)
    record = recorded_pip(facts)
    script = record.get("script")
    pip = script.get("path") if isinstance(script, dict) else None
    classification = classify(facts)
    interp = facts.get("interpreter") or {}
    # pip's command parser is isolated only by the literal word (not a prefix) `--isolated`.
    values, found = values_from_record(record, site_prefix=interp.get("prefix"), isolated="--isolated" in pip_argv)
    problems.extend(found)
    overrides = overrides_for(args, pip_argv, {}, interp.get("prefix"), problems, values)
    configured: List[str] = []
    args = with_configured_destination(args, values, configured)
    pip_version = interp.get("pip_version") if isinstance(interp.get("pip_version"), str) else None
    findings = (
        install_findings(args, cwd, environ, problems, pip_version=pip_version) if check_installs and args.changes_environment else []
    )
    return decide(
        args,
        classification,
        facts,
        overrides=overrides,
        pip=pip,
        findings=findings,
        cwd=cwd,
        command_name=command_name,
        argv=pip_argv,
        notes=configured,
    )


def evaluate(
    pip_argv: Sequence[str],
    *,
    command_name: str,
    environ: Mapping[str, str],
    cwd: str,
    facts_file: Optional[str] = None,
    check_installs: bool = True,
    problems: Optional[List[str]] = None,
) -> Any:
    """The `Decision` for one pip call, live or replayed from `facts_file` (then nothing of
    this machine counts but guard's own settings). Raises PipNotFound, ResolveError,
    FactsError."""
    from guard.environment.facts import load_facts

    if facts_file is not None:
        facts: Mapping[str, Any] = load_facts(facts_file)
    else:
        facts = gather_facts(pip_argv, command_name=command_name, environ=environ, cwd=cwd)
    return judge(facts, pip_argv, command_name=command_name, environ=environ, check_installs=check_installs, problems=problems)


# --- messages ----------------------------------------------------------------------------


def _scripts_part(scripts: object) -> str:
    # Recorded facts may lack the scripts directory (older recordings): say nothing then.
    return f", scripts in {scripts}" if scripts else ""


def render(decision: Any, command_name: str = "pip") -> str:
    """The message shown before a warn/ask/block (and by `--explain`)."""
    verb = decision.subcommand or "?"
    call = f"`{command_name} {verb}`" if decision.subcommand else f"`{command_name}`"
    if not decision.changes_environment:
        head = f"{call} does not change an environment ({decision.description})"
    elif decision.verdict <= 1 and decision.plain_verdict > decision.verdict:
        head = f"{call} runs under {decision.description} but leaves it unchanged"
    else:
        head = f"{call} would change {decision.description}"
    lines = [f"guard: {head} [{decision.label}]"]
    lines.append(f"  python:  {decision.interpreter} ({decision.kind})")
    dest = decision.destination
    if dest:
        if "target" in dest:
            where = f"{dest['target']} (a plain directory)"
        elif "root" in dest:
            where = f"under {dest['root']} (staging root)"
        elif "prefix" in dest:
            where = f"under {dest['prefix']}"
        elif "user_site" in dest:
            where = f"{dest.get('user_site') or 'the user site'} (user site)" + _scripts_part(dest.get("user_scripts"))
        else:
            where = f"{dest.get('purelib') or 'site-packages'}" + _scripts_part(dest.get("scripts"))
        lines.append(f"  files:   {where}")
    for i, reason in enumerate(decision.reasons):
        lines.append(("  why:     " if i == 0 else "           ") + reason)
    for note in decision.notes:
        lines.append(f"  note:    {note}")
    for i, suggestion in enumerate(decision.suggestions):
        lines.append(("  instead: " if i == 0 else "           ") + suggestion)
    return "\n".join(lines)


def render_findings(findings: Sequence[Any]) -> str:
    return "\n".join(
        f"guard: {f.path}:{f.line}:{f.column}: {f.code} {f.message}" if f.line else f"guard: {f.code} {f.message}" for f in findings
    )


# --- acting ------------------------------------------------------------------------------


def _answer_stream(stdin: Optional[IO[str]], stderr: IO[str]) -> Tuple[Optional[IO[str]], bool]:
    """(stream to read a y/N answer from, whether we opened it) or (None, False): no terminal."""
    try:
        if not stderr.isatty():
            return None, False
    except (AttributeError, ValueError):
        return None, False
    try:
        if stdin is not None and stdin.isatty():
            return stdin, False
    except (AttributeError, ValueError):
        pass
    try:
        return open("/dev/tty", encoding="utf-8", errors="replace"), True
    except OSError:
        return None, False


def ask(question: str, stdin: Optional[IO[str]], stderr: IO[str]) -> Optional[bool]:
    """y/N on the terminal: True for yes, False for anything else; None without a terminal."""
    stream, opened = _answer_stream(stdin, stderr)
    if stream is None:
        return None
    try:
        stderr.write(question)
        stderr.flush()
        answer = stream.readline()
        return answer.strip().lower() in ("y", "yes")
    except KeyboardInterrupt:
        stderr.write("\n")
        return False
    finally:
        if opened:
            stream.close()


def choose(verdict: int, on_block: str, on_warn: str) -> str:
    """The configured mode for a verdict: `run` for ok/info."""
    from guard.wrapper.decide import BLOCK, WARN

    if verdict >= BLOCK:
        return on_block
    if verdict == WARN:
        return on_warn
    return "run"


def exec_pip(pip: Optional[str], command_name: str, pip_argv: Sequence[str], environ: Mapping[str, str], stderr: IO[str]) -> int:
    """Replace this process with the real pip; returns only on failure (shell-like status)."""
    if pip is None:
        stderr.write(f"{command_name}: command not found\n")
        return NOT_FOUND
    env = _mark(environ, pip, pip_argv)
    stop_timers()  # interval timers survive execve: pip must not inherit guard's budget
    try:
        stderr.flush()
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        os.execve(pip, [command_name, *pip_argv], env)
    except FileNotFoundError:
        stderr.write(f"{command_name}: command not found\n")
        return NOT_FOUND
    except OSError as exc:
        stderr.write(f"{command_name}: {exc.strerror or exc}\n")
        return 126
    return 126  # pragma: no cover - execve does not return


def wrap(
    pip_argv: Sequence[str],
    *,
    command_name: str = "pip",
    environ: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
    stdin: Optional[IO[str]] = None,
    stderr: Optional[IO[str]] = None,
    check_only: bool = False,
    runner: Optional[Callable[[Optional[str], str, Sequence[str], Mapping[str, str], IO[str]], int]] = None,
) -> int:
    """Judge one pip call and run pip unless refused. See the module docstring for statuses."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    err: IO[str] = sys.stderr if stderr is None else stderr
    where = os.getcwd() if cwd is None else cwd
    run = exec_pip if runner is None else runner
    name = os.path.basename(command_name) or "pip"

    def go(pip: Optional[str]) -> int:
        if check_only:
            return GO
        return run(pip, name, pip_argv, env, err)

    def locate() -> Optional[str]:
        try:
            return find_real_pip(name, env)
        except Exception:  # noqa: BLE001
            return None

    if _truthy(env.get("GUARD_PIP_ACTIVE")):
        seen = seen_pips(env, pip_argv)
        if not seen:
            return go(locate())
        pip = find_real_pip(name, env, avoid=seen)
        if pip is None:
            err.write(f"guard: every `{name}` on PATH leads back to guard ({', '.join(seen)}); not running it\n")
            return NOT_FOUND
        return go(pip)
    if _truthy(env.get("GUARD_ALLOW")):
        err.write(f"guard: GUARD_ALLOW is set: `{name}` runs unchecked\n")
        return go(locate())

    budget = time_budget(env, err)
    try:
        with _deadline(budget):
            return _wrap(pip_argv, name, env, where, stdin, err, check_only, go)
    except OutOfTime:
        err.write(f"guard: no verdict within {budget:g} s (GUARD_PIP_TIMEOUT); running {name} unchecked\n")
        return go(locate())
    except Exception as exc:  # noqa: BLE001 - fail open
        if _truthy(env.get("GUARD_DEBUG")):
            import traceback

            traceback.print_exc(file=err)
        err.write(f"guard: internal error ({type(exc).__name__}: {_one_line(exc)}); running pip anyway\n")
        return go(locate())


# --- the time budget -------------------------------------------------------------------------
# A guard that hangs must not hang pip: a judged call gets `GUARD_PIP_TIMEOUT` seconds (0: no
# limit), then pip runs with one line saying so. A wall-clock timer interrupts waits and
# Python code; a CPU-time timer at the same budget, left at the default action, stops guard
# even inside one long C call (a regular expression), where no Python handler could run; the
# shell snippets then run pip as for any guard that failed. The y/N prompt is not timed.

DEFAULT_BUDGET = 5.0


def _signals() -> Any:
    # `signal` wraps `_signal` in enums (~0.5 ms on every judged call); the C module that
    # every CPython loads at start-up has the same functions and constants.
    try:
        import _signal  # type: ignore[import-not-found]  # no stubs: the C half of `signal`

        return _signal
    except ImportError:  # pragma: no cover - other implementations
        import signal

        return signal


class OutOfTime(BaseException):
    """Raised by the timer; a BaseException so that no fail-open `except Exception` eats it."""


def time_budget(environ: Mapping[str, str], err: IO[str]) -> float:
    value = environ.get("GUARD_PIP_TIMEOUT")
    if value is None:
        return DEFAULT_BUDGET
    try:
        budget = float(value)
    except ValueError:
        budget = -1.0
    if not budget >= 0:  # also rejects NaN
        err.write(f"guard: ignoring GUARD_PIP_TIMEOUT={value!r} (seconds expected); using {DEFAULT_BUDGET:g}\n")
        return DEFAULT_BUDGET
    return budget


class _deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds if hasattr(_signals(), "setitimer") else 0.0
        self.previous: Any = None

    def __enter__(self) -> None:
        if self.seconds > 0:
            signal = _signals()
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            signal.signal(signal.SIGPROF, signal.SIG_DFL)
            signal.setitimer(signal.ITIMER_PROF, self.seconds)

    def __exit__(self, *exc_info: object) -> None:
        if self.seconds > 0:
            stop_timers()
            signal = _signals()
            signal.signal(signal.SIGALRM, self.previous)

    @staticmethod
    def _expired(signum: int, frame: object) -> None:
        raise OutOfTime()


def stop_timers() -> None:
    """Before waiting for the user (the y/N prompt), and when the verdict is in."""
    signal = _signals()
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)


def _wrap(
    pip_argv: Sequence[str],
    name: str,
    env: Mapping[str, str],
    cwd: str,
    stdin: Optional[IO[str]],
    err: IO[str],
    check_only: bool,
    go: Callable[[Optional[str]], int],
) -> int:
    from guard.pipcalls.pipargs import parse_pip_argv

    args = parse_pip_argv(pip_argv)
    if not args.changes_environment:
        # read-only (R1): nothing to judge; the shell snippet needs not even the pip's path
        return GO if check_only else go(find_real_pip(name, env))

    from guard.environment.facts import FactsError
    from guard.environment.resolve import ResolveError

    def warn(line: str) -> None:
        err.write(line + "\n")

    on_block, on_warn, check_installs = load_modes(env, cwd, lambda line: warn(f"guard: {line}"))
    problems: List[str] = []
    try:
        decision = evaluate(pip_argv, command_name=name, environ=env, cwd=cwd, check_installs=check_installs, problems=problems)
    except PipNotFound:
        return go(None)
    except (ResolveError, FactsError) as exc:
        warn(f"guard: cannot tell which Python `{name}` would use ({_one_line(exc)}); running pip unchecked")
        return go(find_real_pip(name, env))

    for problem in problems:
        warn(f"guard: {problem}")
    if decision.findings:
        warn(render_findings(decision.findings))
    mode = choose(decision.verdict, on_block, on_warn)
    if mode == "run":
        return go(decision.pip)
    refuse = REFUSED_CHECK if check_only else REFUSED
    warn(render(decision, name))
    interactive_mode = mode in ("ask", "auto")
    if interactive_mode:
        stop_timers()
        answer = ask("Run pip anyway? [y/N] ", stdin, err)
        if answer is None:
            if mode == "ask":
                warn("guard: no terminal to ask on; not running pip (set GUARD_PIP_ON_BLOCK=warn to allow)")
                return refuse
            mode = "warn"
        elif answer:
            return go(decision.pip)
        else:
            warn("guard: not running pip")
            return refuse
    if mode == "warn":
        warn("guard: running pip anyway (warn mode)")
        return go(decision.pip)
    key = "GUARD_PIP_ON_BLOCK" if decision.verdict >= 3 else "GUARD_PIP_ON_WARN"
    warn(f"guard: blocked; pip was not run (GUARD_ALLOW=1 for one call, or {key}=warn)")
    return refuse
