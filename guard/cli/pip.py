"""`guard pip [--explain] [--format text|json] [--facts FILE] [--dump-facts] [--as NAME] -- <pip arguments>`.

Without `--explain`: judge the call, then replace this process with the real pip (or refuse).
With `--check-only` (what the shell snippets use): judge and prompt, but leave running pip to
the caller: exit 0 means "run it", 100 "refused"; any other status means guard itself failed
and the snippet runs pip anyway.
With `--explain`: print the decision and never run pip; with `--facts FILE`, the decision for
a recorded case, from that file alone. With `--dump-facts`: print the facts the call would be
judged by (what `--facts` reads back) and never run pip.

Kept light on purpose: this module is imported while guard's argument parser is built.
"""

from __future__ import annotations

import os
import sys

# `typing` costs the wrapper several milliseconds on every pip call: the names are only
# needed by type checkers, which treat this constant as True.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import IO, Any, List, Mapping, Optional, Sequence


def add_arguments(parser: argparse.ArgumentParser) -> None:
    import argparse

    parser.add_argument("--explain", action="store_true", help="print the decision (verdict, interpreter, destination) and do not run pip")
    parser.add_argument("--format", dest="output_format", choices=["text", "json"], default="text", help="format of --explain")
    parser.add_argument(
        "--facts", dest="facts_file", metavar="FILE", help="judge a recorded facts file instead of probing (with --explain)"
    )
    parser.add_argument(
        "--dump-facts",
        action="store_true",
        help="print the facts this call would be judged by (JSON, for --facts elsewhere) and do not run pip",
    )
    parser.add_argument(
        "--as", dest="command_name", metavar="NAME", default="pip", help="the command the user typed: pip, pip3, pip3.12 (default: pip)"
    )
    parser.add_argument("--check-only", action="store_true", help="decide (and ask) but do not run pip: exit 0 = go ahead, 100 = refused")
    parser.add_argument("pip_argv", nargs=argparse.REMAINDER, metavar="-- PIP_ARGS", help="the arguments for pip, after `--`")


def _pip_argv(parsed: Sequence[str], raw: Sequence[str]) -> List[str]:
    """pip's arguments: what follows guard's own `--`, whatever argparse did with that `--`."""
    parsed = list(parsed)
    if "--" in raw:
        after = list(raw[list(raw).index("--") + 1 :])
        if parsed in (after, ["--", *after]):
            return after
    return parsed[1:] if parsed[:1] == ["--"] else parsed


_VALUE_OPTIONS = {"--format": "output_format", "--facts": "facts_file", "--as": "command_name"}
_FLAG_OPTIONS = {"--explain": "explain", "--check-only": "check_only", "--dump-facts": "dump_facts"}


def main_argv(argv: Sequence[str]) -> int:
    """`guard pip ARGV` without argparse: the shell snippet's path, on every pip call.

    guard's CLI may call this for `guard pip ...` before building its full parser. Anything
    unusual (`-h`, a bad `--format`, an abbreviation) goes to argparse for its usual message.
    """
    values: dict[str, Any] = {"output_format": "text", "facts_file": None, "command_name": "pip"}
    values.update(explain=False, check_only=False, dump_facts=False)
    rest: Optional[List[str]] = None
    i = 0
    while i < len(argv):
        word = argv[i]
        name, eq, value = word.partition("=")
        if word == "--":
            rest = list(argv[i + 1 :])
            break
        if word in _FLAG_OPTIONS:
            values[_FLAG_OPTIONS[word]] = True
        elif name in _VALUE_OPTIONS and (eq or i + 1 < len(argv)):
            if not eq:
                i += 1
                value = argv[i]
            values[_VALUE_OPTIONS[name]] = value
        elif word.startswith("-"):
            return _argparse_main(argv)
        else:
            rest = list(argv[i:])
            break
        i += 1
    if values["output_format"] not in ("text", "json"):
        return _argparse_main(argv)
    return run(
        pip_argv=[] if rest is None else rest,
        environ=os.environ,
        stdout=sys.stdout,
        stderr=sys.stderr,
        stdin=sys.stdin,
        **values,
    )


def _argparse_main(argv: Sequence[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="guard pip",
        description="Run pip after checking where it would install (the shell wrapper calls this).",
    )
    add_arguments(parser)
    return _run_namespace(parser.parse_args(list(argv)), argv)


def main(namespace: argparse.Namespace) -> int:
    return _run_namespace(namespace, sys.argv[2:])


def _run_namespace(namespace: argparse.Namespace, raw: Sequence[str]) -> int:
    """`run` with what argparse parsed; `raw` is guard pip's own argv (for pip's `--`)."""
    return run(
        pip_argv=_pip_argv(namespace.pip_argv, raw),
        explain=namespace.explain,
        output_format=namespace.output_format,
        facts_file=namespace.facts_file,
        command_name=namespace.command_name,
        check_only=namespace.check_only,
        dump_facts=namespace.dump_facts,
        environ=os.environ,
        stdout=sys.stdout,
        stderr=sys.stderr,
        stdin=sys.stdin,
    )


def run(
    *,
    pip_argv: List[str],
    explain: bool = False,
    output_format: str = "text",
    facts_file: Optional[str] = None,
    command_name: str = "pip",
    environ: Optional[Mapping[str, str]] = None,
    stdout: Optional[IO[str]] = None,
    stderr: Optional[IO[str]] = None,
    stdin: Optional[IO[str]] = None,
    check_only: bool = False,
    cwd: Optional[str] = None,
    dump_facts: bool = False,
) -> int:
    env: Mapping[str, str] = os.environ if environ is None else environ
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    if dump_facts:
        if facts_file is not None:
            err.write("guard pip: error: --dump-facts records this machine's facts; it cannot read --facts\n")
            return 2
        return dump_call(pip_argv, command_name=command_name, environ=env, cwd=os.getcwd() if cwd is None else cwd, stdout=out, stderr=err)
    if explain:
        return explain_call(
            pip_argv,
            command_name=command_name,
            output_format=output_format,
            facts_file=facts_file,
            environ=env,
            cwd=os.getcwd() if cwd is None else cwd,
            stdout=out,
            stderr=err,
        )
    from guard.wrapper.wrap import wrap

    return wrap(pip_argv, command_name=command_name, environ=env, cwd=cwd, stdin=stdin, stderr=err, check_only=check_only)


def explain_call(
    pip_argv: Sequence[str],
    *,
    command_name: str,
    output_format: str,
    facts_file: Optional[str],
    environ: Mapping[str, str],
    cwd: str,
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """Print what `guard pip` would decide. 0 when explained, 2 on bad input, 127 without pip.

    A replay (`facts_file`) reads pip's variables, files, script and working directory from
    the file only; guard's own settings are looked up from the recorded working directory.
    """
    from guard.environment.facts import FactsError, load_facts
    from guard.environment.resolve import ResolveError
    from guard.wrapper.wrap import PipNotFound, choose, gather_facts, judge, load_modes, recorded_cwd, render, render_findings

    name = os.path.basename(command_name) or "pip"
    try:
        if facts_file is not None:
            facts = load_facts(facts_file)
            cwd = recorded_cwd(facts)
        else:
            facts = gather_facts(pip_argv, command_name=name, environ=environ, cwd=cwd)
    except PipNotFound:
        stderr.write(f"guard: `{name}`: command not found\n")
        return 127
    except (ResolveError, FactsError) as exc:
        stderr.write(f"guard: {exc}\n")
        return 2
    notes: List[str] = []
    on_block, on_warn, check_installs = load_modes(environ, cwd, notes.append)
    problems: List[str] = []
    decision = judge(facts, pip_argv, command_name=name, environ=environ, check_installs=check_installs, problems=problems)
    mode = choose(decision.verdict, on_block, on_warn) if decision.changes_environment else "run"
    action = _action(mode, stderr)
    if output_format == "json":
        import json

        document: dict[str, Any] = decision.as_dict()
        document.update(
            mode=mode,
            action=action,
            command=[decision.pip or name, *pip_argv],
            problems=[*notes, *problems],
        )
        stdout.write(json.dumps(document, indent=2) + "\n")
        return 0
    lines = [*(f"guard: {n}" for n in notes), *(f"guard: {p}" for p in problems)]
    lines.append(render(decision, name))
    if decision.findings:
        lines.append(render_findings(decision.findings))
    lines.append(f"  action:  {action} (mode {mode})")
    stdout.write("\n".join(lines) + "\n")
    return 0


def dump_call(pip_argv: Sequence[str], *, command_name: str, environ: Mapping[str, str], cwd: str, stdout: IO[str], stderr: IO[str]) -> int:
    """Print the facts this call would be judged by. 0, 2 on bad input, 127 without pip."""
    import json

    from guard.environment.facts import FactsError
    from guard.environment.resolve import ResolveError
    from guard.wrapper.wrap import PipNotFound, gather_facts

    name = os.path.basename(command_name) or "pip"
    try:
        facts = gather_facts(pip_argv, command_name=name, environ=environ, cwd=cwd)
    except PipNotFound:
        stderr.write(f"guard: `{name}`: command not found\n")
        return 127
    except (ResolveError, FactsError) as exc:
        stderr.write(f"guard: {exc}\n")
        return 2
    stdout.write(json.dumps(facts, indent=2, sort_keys=True) + "\n")
    return 0


def _action(mode: str, stderr: IO[str]) -> str:
    if mode == "run":
        return "run pip"
    if mode == "warn":
        return "warn, then run pip"
    if mode == "block":
        return "refuse; pip not run"
    if mode == "ask":
        return "ask y/N on the terminal (refuse without one)"
    return "ask y/N on a terminal, else warn and run pip"
