"""The pip wrapper's decision, as pure functions (R6, R7, R9 of ENVIRONMENTS.md).

Inputs: the parsed pip command line (`PipArgs`), the plain-install `Classification` of the
target interpreter, its facts, and the overrides found in flags, environment and pip.conf.
Output: a `Decision` saying how severe the call is, where the files would land and why.
Nothing here reads the disk, the environment or the clock, so every case is testable from
hand-made facts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from guard._frozen import Frozen, _set

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` and `dataclasses` stay out of the pip wrapper's start-up
    from typing import Any, List, Optional, Sequence, Tuple

    from guard.finding import Finding
    from guard.pipcalls.pipargs import PipArgs

# Verdict values, as guard.environment.classify.Verdict (an IntEnum) orders them.
OK, INFO, WARN, BLOCK = 0, 1, 2, 3
VERDICT_LABELS = ("ok", "info", "warn", "block")


class Override(Frozen):
    """Something that tells pip to break system packages: `source` is flag, env or pip.conf.

    A frozen record (guard._frozen: equality, hashing and repr of a frozen dataclass).
    """

    _fields = ("source", "detail")
    __slots__ = _fields

    def __init__(self, source: str, detail: str) -> None:
        _set(self, "source", source)
        _set(self, "detail", detail)

    source: str
    detail: str

    def describe(self) -> str:
        return f"{self.source} ({self.detail})"


class Decision(Frozen):
    """What guard thinks of one pip call.

    `verdict` is the final one (after `--target`/`--user`/overrides); `plain_verdict` the
    classification's verdict for a plain install into that interpreter.
    `destination` names where files would land: `purelib`/`scripts`, or `target`, `prefix`,
    `root`, `user_site`/`user_scripts`(+ `user_scripts_on_path`).
    A frozen record (guard._frozen: equality and repr of a frozen dataclass).
    """

    _fields = (
        "verdict",
        "plain_verdict",
        "kind",
        "description",
        "interpreter",
        "pip",
        "subcommand",
        "changes_environment",
        "destination",
        "reasons",
        "overrides",
        "overridden",
        "findings",
        "suggestions",
        "marker_message",
        "notes",
    )
    __slots__ = _fields

    def __init__(
        self,
        verdict: int,
        plain_verdict: int,
        kind: str,
        description: str,
        interpreter: str,
        pip: Optional[str],
        subcommand: Optional[str],
        changes_environment: bool,
        destination: Mapping[str, Any],
        reasons: Tuple[str, ...] = (),
        overrides: Tuple[Override, ...] = (),
        overridden: bool = False,
        findings: Tuple[Finding, ...] = (),
        suggestions: Tuple[str, ...] = (),
        marker_message: Optional[str] = None,
        notes: Tuple[str, ...] = (),
    ) -> None:
        _set(self, "verdict", verdict)
        _set(self, "plain_verdict", plain_verdict)
        _set(self, "kind", kind)
        _set(self, "description", description)
        _set(self, "interpreter", interpreter)
        _set(self, "pip", pip)
        _set(self, "subcommand", subcommand)
        _set(self, "changes_environment", changes_environment)
        _set(self, "destination", destination)
        _set(self, "reasons", reasons)
        _set(self, "overrides", overrides)
        _set(self, "overridden", overridden)
        _set(self, "findings", findings)
        _set(self, "suggestions", suggestions)
        _set(self, "marker_message", marker_message)
        _set(self, "notes", notes)

    verdict: int
    plain_verdict: int
    kind: str
    description: str
    interpreter: str
    pip: Optional[str]
    subcommand: Optional[str]
    changes_environment: bool
    destination: Mapping[str, Any]
    reasons: Tuple[str, ...]
    overrides: Tuple[Override, ...]
    overridden: bool
    findings: Tuple[Finding, ...]
    suggestions: Tuple[str, ...]
    marker_message: Optional[str]
    notes: Tuple[str, ...]

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def as_dict(self) -> dict[str, Any]:
        """The `guard pip --explain --format json` document."""
        from guard.report.json_report import finding_to_dict

        return {
            "verdict": self.label,
            "plain_verdict": VERDICT_LABELS[self.plain_verdict],
            "kind": self.kind,
            "description": self.description,
            "interpreter": self.interpreter,
            "pip": self.pip,
            "subcommand": self.subcommand,
            "changes_environment": self.changes_environment,
            "destination": dict(self.destination),
            "reasons": list(self.reasons),
            "overrides": [{"source": o.source, "detail": o.detail} for o in self.overrides],
            "overridden": self.overridden,
            "marker_message": self.marker_message,
            "suggestions": list(self.suggestions),
            "notes": list(self.notes),
            "findings": [finding_to_dict(f) for f in self.findings],
        }


def interpreter_facts(facts: Mapping[str, Any]) -> Mapping[str, Any]:
    """The interpreter section of facts (accepts a bare probe dict too)."""
    inner = facts.get("interpreter")
    return inner if isinstance(inner, Mapping) else facts


def _real(path: str) -> str:
    return os.path.normpath(path) if path else path


def _is_under(path: str, directory: str) -> bool:
    path, directory = _real(path), _real(directory)
    return bool(directory) and (path == directory or path.startswith(directory.rstrip("/") + "/"))


def _prefix_is_system(prefix: str, interp: Mapping[str, Any], cwd: str) -> bool:
    """R6: `--prefix P` is a system install when P is the base prefix, or the interpreter's
    own site directory lies under P (Debian's `/usr/local`)."""
    p = _real(os.path.join(cwd, prefix))
    for key in ("prefix", "base_prefix", "prefix_realpath", "base_prefix_realpath"):
        value = interp.get(key)
        if isinstance(value, str) and value and _real(value) == p:
            return True
    purelib = interp.get("purelib")
    return isinstance(purelib, str) and p not in ("", "/") and _is_under(purelib, p)


def decide(
    args: PipArgs,
    classification: Any,
    facts: Mapping[str, Any],
    *,
    overrides: Sequence[Override] = (),
    pip: Optional[str] = None,
    findings: Sequence[Finding] = (),
    cwd: str = ".",
    command_name: str = "pip",
    argv: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> Decision:
    """Combine the plain-install classification with what the arguments change.

    `classification` has the attributes of `guard.environment.classify.Classification`
    (kind, verdict, in_venv, externally_managed, marker_message, description, reasons).
    """
    interp = interpreter_facts(facts)
    plain = int(classification.verdict)
    reasons: List[str] = list(classification.reasons)
    notes = list(notes)  # what the caller found (a destination from pip's configuration)
    purelib = str(interp.get("purelib") or "")
    scripts = str(interp.get("scripts") or "")
    destination: dict[str, Any] = {"purelib": purelib, "scripts": scripts}
    interpreter = str(interp.get("executable") or "")

    if not args.changes_environment:
        what = f"`{args.subcommand}`" if args.subcommand else "this call"
        if args.help:
            what = "help"
        return Decision(
            verdict=INFO if plain > OK else OK,
            plain_verdict=plain,
            kind=classification.kind,
            description=classification.description,
            interpreter=interpreter,
            pip=pip,
            subcommand=args.subcommand,
            changes_environment=False,
            destination={},
            reasons=(f"{what} does not change an environment",),
            findings=tuple(findings),
            marker_message=classification.marker_message,
        )

    verdict = plain
    root_real = _real(os.path.join(cwd, args.root)) if args.root else None
    if args.subcommand == "install" and args.target:
        target = os.path.normpath(os.path.join(cwd, args.target))
        destination = {"target": target}
        verdict = INFO
        reasons = [f"`--target {args.target}` installs into a plain directory, not into an environment"]
    elif args.subcommand == "install" and args.dry_run and args.report:
        verdict = INFO
        destination = {}
        reasons = ["`--dry-run --report` installs nothing"]
    elif root_real and root_real != "/":
        destination = {"root": root_real}
        verdict = INFO
        reasons = [f"`--root {args.root}` stages the files under another root"]
    elif args.subcommand == "install" and args.prefix and not _prefix_is_system(args.prefix, interp, cwd):
        destination = {"prefix": os.path.normpath(os.path.join(cwd, args.prefix))}
        verdict = INFO
        reasons = [f"`--prefix {args.prefix}` installs under a separate prefix"]
    elif args.subcommand == "install" and args.prefix:
        destination = {"prefix": os.path.normpath(os.path.join(cwd, args.prefix))}
        reasons.append(f"`--prefix {args.prefix}` is this interpreter's own system prefix")
    else:
        user_reason = None
        if args.subcommand == "install" and args.user:
            if classification.in_venv and not interp.get("enable_user_site"):
                user_reason = "`--user` in a venv: pip refuses it (user site-packages are not visible here)"
            else:
                user_reason = "`--user` installs into the user site, shared by every project using this Python"
        elif (
            args.subcommand == "install"
            and not classification.in_venv
            and interp.get("purelib_writable") is False
            and interp.get("enable_user_site")
        ):
            user_reason = f"`{purelib}` is not writable, so pip falls back to the user site without saying so"
        if user_reason is not None:
            verdict = max(verdict, WARN)
            reasons.append(user_reason)
            user_scripts = interp.get("user_scripts")
            on_path = (facts.get("path_checks") or {}).get("user_scripts_on_path")
            destination = {
                "user_site": interp.get("user_site"),
                "user_scripts": user_scripts,
                "user_scripts_on_path": on_path,
            }
            if on_path is False and user_scripts:
                notes.append(f"its scripts go to `{user_scripts}`, which is not on PATH")

    overridden = False
    if verdict == BLOCK and overrides:
        verdict = WARN
        overridden = True
        reasons.append("overridden by " + ", ".join(o.describe() for o in overrides))

    suggestions = tuple(suggest(args, facts, command_name, argv)) if verdict >= WARN else ()
    return Decision(
        verdict=verdict,
        plain_verdict=plain,
        kind=classification.kind,
        description=classification.description,
        interpreter=interpreter,
        pip=pip,
        subcommand=args.subcommand,
        changes_environment=True,
        destination=destination,
        reasons=tuple(reasons),
        overrides=tuple(overrides),
        overridden=overridden,
        findings=tuple(findings),
        suggestions=suggestions,
        marker_message=classification.marker_message,
        notes=tuple(notes),
    )


def _quote(word: str, windows: bool = False) -> str:
    if windows:
        # PowerShell and cmd: double quotes around what has blanks or shell characters
        return word if word and not any(char in word for char in " \t\"&|<>^%;,()'`$") else '"' + word.replace('"', '\\"') + '"'
    import shlex

    return shlex.quote(word)


# What a suggestion to use a venv drops from the user's command: the target interpreter
# (the venv's python replaces it), and what points the install away from the venv or at a
# system Python (`--user` is refused in a venv; `--break-system-packages` has no use there).
_NOT_IN_A_VENV = ("--python", "--user", "--break-system-packages", "--prefix", "--root")


def venv_argv(argv: Sequence[str]) -> Tuple[List[str], List[str]]:
    """(the user's pip arguments as a venv's pip gets them, the words dropped)."""
    from guard.pipcalls.pipargs import without_options

    return without_options(argv, _NOT_IN_A_VENV)


def suggest(args: PipArgs, facts: Mapping[str, Any], command_name: str, argv: Sequence[str] = ()) -> List[str]:
    """The exact safer commands: the user's own command (every option and argument kept but
    those that send it outside a venv, which it names) run by the project's venv or a new
    one, or pipx for a tool."""
    interp = interpreter_facts(facts)
    windows = interp.get("os_name") == "nt" or str(interp.get("platform", "")).startswith("win")
    if argv:
        kept, removed = venv_argv(argv)
        rest = " ".join(_quote(word, windows) for word in kept)
    else:
        # no command line at hand (a recorded decision): what it installs, in pip's words
        removed = []
        words = [args.subcommand or "install", *args.requirements]
        for path in args.requirement_files:
            words += ["-r", path]
        for path in args.editables:
            words += ["-e", path]
        rest = " ".join(_quote(word, windows) for word in words)
    dropped = f"   # without {' '.join(removed)}" if removed else ""
    verb = args.subcommand or "install"
    out: List[str] = []
    project = facts.get("project_venv")
    if isinstance(project, Mapping) and project.get("python"):
        out.append(f"{_quote(str(project['python']), windows)} -m pip {rest}{dropped}")
    elif verb == "install":
        if windows:
            out.append(f"py -m venv .venv; .venv\\Scripts\\python.exe -m pip {rest}{dropped}")
        else:
            out.append(f"python3 -m venv .venv && .venv/bin/python -m pip {rest}{dropped}")
    if verb == "install" and len(args.requirements) == 1 and not args.requirement_files and not args.editables:
        out.append(f"pipx install {_quote(args.requirements[0], windows)}   # for a command-line tool")
    return out
