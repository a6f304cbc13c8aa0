"""`guard env`: which interpreter `pip install` would write into, what kind it is, and whether
that is safe (rules in docs/environment.md). argparse stays in this module."""

from __future__ import annotations

import json
import os
from typing import IO, TYPE_CHECKING, Any, Callable, Mapping, Optional

from guard.finding import Finding, Severity

if TYPE_CHECKING:  # argparse costs ~15 ms to import; `run` does not need it
    import argparse

REQUIRE_VENV_KINDS = ("venv", "conda-env", "pixi-env")

Postprocess = Callable[[list[Finding]], list[Finding]]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="judge this interpreter: a python, a venv directory, a pip script or a pyenv/asdf shim",
    )
    parser.add_argument("--dump-facts", action="store_true", help="print the gathered facts as JSON and exit")
    parser.add_argument("--facts", metavar="FILE", dest="facts_file", help="classify recorded facts instead of live ones")
    parser.add_argument("--format", dest="output_format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument(
        "--require-venv",
        action="store_true",
        help="exit 1 unless the target is a venv or a conda/pixi child environment",
    )


def _usage(stderr: IO[str], message: str) -> int:
    stderr.write(f"guard env: error: {message}\n")
    return 2


def run(
    *,
    python: Optional[str],
    dump_facts: bool,
    facts_file: Optional[str],
    output_format: str,
    require_venv: bool,
    cwd: str,
    environ: Mapping[str, str],
    stdout: IO[str],
    stderr: IO[str],
    postprocess: Optional[Postprocess] = None,
    fail_on: Optional[Severity] = None,
) -> int:
    """Exit codes: 0 ok, 1 `--require-venv` failed or findings at/above `fail_on`, 2 usage
    error. Without `postprocess`, settings are loaded from `cwd`/`environ` and applied with
    guard.check.policy (select/ignore/severity, `fail-on`). An unexpected exception propagates to
    guard's CLI, which turns it into exit 3 with a report file."""
    from guard.environment.facts import FactsError, current_facts, load_facts, probe_facts
    from guard.environment.resolve import ResolveError

    if output_format not in ("text", "json"):
        return _usage(stderr, f"unknown format `{output_format}` (expected text or json)")
    if facts_file and python:
        return _usage(stderr, "--facts and --python cannot be used together")
    try:
        if facts_file:
            facts = load_facts(facts_file)
        else:
            from guard.environment.pipconfig import add_site_file
            from guard.environment.target import choose_target_with_pip

            interpreter, target, pip = choose_target_with_pip(python, environ, cwd)
            if interpreter is None:
                facts = current_facts(environ, cwd=cwd, target=target, pip=pip)
            else:
                facts = probe_facts(interpreter, environ, cwd=cwd, target=target, pip=pip)
            # the target's own site file, as pip run by that interpreter reads it
            add_site_file(facts["pip"], (facts.get("interpreter") or {}).get("prefix"))
    except (FactsError, ResolveError) as exc:
        return _usage(stderr, str(exc))

    if dump_facts:
        _emit(stdout, json.dumps(facts, indent=2, sort_keys=True) + "\n")
        return 0

    from guard.environment.classify import classify
    from guard.environment.crosscheck import environment_findings
    from guard.environment.describe import render_text, to_json

    classification = classify(facts)
    findings = environment_findings(facts, classification)
    if postprocess is not None:
        findings = postprocess(findings)
        threshold = fail_on or Severity.WARNING
    else:
        try:
            findings, threshold = _apply_settings(findings, cwd, environ)
        except ValueError as exc:  # guard.config.ConfigError is a ValueError or Exception
            return _usage(stderr, str(exc))
        threshold = fail_on or threshold

    if output_format == "json":
        _emit(stdout, json.dumps(to_json(facts, classification, findings), indent=2) + "\n")
    else:
        _emit(stdout, render_text(facts, classification, findings))

    if require_venv:
        if classification.kind in REQUIRE_VENV_KINDS:
            return 0
        executable = (facts.get("interpreter") or {}).get("executable")
        stderr.write(
            f"guard env: `{executable}` is not a virtual environment: it is {classification.description} ({classification.kind}).\n"
        )
        return 1
    return 1 if any(f.severity >= threshold for f in findings) else 0


def _emit(stdout: IO[str], text: str) -> None:
    """Write the report; a reader that went away (`guard env | head`) only loses the rest of
    it, as in guard/cli.py: the exit code stays the one the verdict gives."""
    try:
        stdout.write(text)
        stdout.flush()
    except BrokenPipeError:
        _silence(stdout)


def _silence(stdout: IO[str]) -> None:
    import sys

    if stdout is sys.stdout:
        try:  # the interpreter's final flush would raise again
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass


def _apply_settings(findings: list[Finding], cwd: str, environ: Mapping[str, str]) -> tuple[list[Finding], Severity]:
    try:
        from guard.check.policy import apply_settings
        from guard.config import ConfigError, load_settings
    except ImportError:  # settings are optional while the CLI is being assembled
        return findings, Severity.WARNING
    try:
        settings = load_settings(cwd=cwd, environ=environ)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    return apply_settings(findings, settings), settings.fail_on


def main(namespace: argparse.Namespace) -> int:
    """Entry from guard/cli.py: the parsed `guard env` arguments, as keyword arguments."""
    import sys

    code = run(
        python=getattr(namespace, "python", None),
        dump_facts=bool(getattr(namespace, "dump_facts", False)),
        facts_file=getattr(namespace, "facts_file", None),
        output_format=getattr(namespace, "output_format", None) or "text",
        require_venv=bool(getattr(namespace, "require_venv", False)),
        cwd=os.getcwd(),
        environ=os.environ,
        stdout=sys.stdout,
        stderr=sys.stderr,
    )
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence(sys.stdout)
    return code


def main_for_tests(argv: list[str], **kwargs: Any) -> int:
    """Parse `argv` as `guard env` would and call `run` (used by tests and benchmarks)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="guard env")
    add_arguments(parser)
    args = parser.parse_args(argv)
    options: dict[str, Any] = {
        "cwd": os.getcwd(),
        "environ": os.environ,
        "stdout": sys.stdout,
        "stderr": sys.stderr,
    }
    options.update(kwargs)
    return run(
        python=args.python,
        dump_facts=args.dump_facts,
        facts_file=args.facts_file,
        output_format=args.output_format,
        require_venv=args.require_venv,
        **options,
    )
