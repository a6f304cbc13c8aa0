"""`guard check`: the linter's command line (argv -> Settings -> the run -> a report)."""

from __future__ import annotations

import os
import sys

from guard.cli import EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, Callable, Mapping, Optional, Sequence, TextIO

    from guard.check.run import CheckResult, StdinFile
    from guard.config import Settings
    from guard.finding import Finding

DESCRIPTION = (
    "Check requirement files (and the other files guard knows) for dependencies that are not pinned. "
    "With no PATH, checks the current directory: the files git tracks (plus untracked, non-ignored ones) "
    "in a git work tree, else a walk that skips .git, virtual environments, node_modules and build output."
)
EPILOG = (
    "Exit codes: 0 clean, 1 findings at or above --fail-on (0 with --exit-zero), 2 usage or configuration error, 3 internal error. "
    "Suppress one line with `# guard: ignore[CODE or name] reason` at its end, or what comes next (an instruction, "
    "a YAML value, a command) with that comment on a line of its own. Rules: `guard rules`; one rule: `guard rule CODE`."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories (default: .); `-` reads one file from standard input"
    )
    from guard.report import FORMATS

    parser.add_argument("--format", "--output-format", dest="output_format", choices=list(FORMATS), help="output format (default: text)")
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour in text output (default: auto; honours NO_COLOR, FORCE_COLOR)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument(
        "--fail-on", choices=["info", "warning", "error"], help="lowest severity that makes the exit code 1 (default: warning)"
    )
    parser.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to report (e.g. PIN,GRD)")
    parser.add_argument("--extend-select", metavar="CODES", help="codes or prefixes to add to the selection (e.g. opt-in rules)")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes not to report")
    parser.add_argument(
        "--preset",
        choices=["default", "strict", "lenient"],
        help="pin policy: default (requirement files need exact pins), strict (hashes everywhere, as Scorecard), "
        "lenient (any version specifier passes, as hadolint)",
    )
    parser.add_argument("--exclude", metavar="GLOBS", help="comma-separated globs of paths to skip during discovery")
    parser.add_argument(
        "--include-fixtures",
        action="store_true",
        default=None,
        help="also check files in test fixture folders (tests/fixtures/, tests/data/, ...), skipped by default",
    )
    parser.add_argument(
        "--read-outside",
        action="store_true",
        default=None,
        help="follow symlinks and includes (`-r ../x.txt`) to files outside the checked tree (not read by default)",
    )
    parser.add_argument(
        "--file-kind",
        dest="file_kinds",
        action="append",
        metavar="GLOB=KIND",
        help="read files matching GLOB as KIND (e.g. 'docker/dev=dockerfile'); repeatable; an unknown KIND is an error "
        "that lists the kinds",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="read this configuration file instead of searching for one: a guard.toml or .guard.toml (top-level keys), "
        "or a pyproject.toml ([tool.guard])",
    )
    parser.add_argument(
        "--per-file-ignores",
        action="append",
        metavar="GLOB:CODES",
        help="comma-separated GLOB:CODE pairs not to report in the files GLOB matches (as ruff's); repeatable; "
        "replaces the configured per-file-ignores",
    )
    parser.add_argument(
        "--extend-per-file-ignores",
        action="append",
        metavar="GLOB:CODES",
        help="like --per-file-ignores, added to the configured ones",
    )
    parser.add_argument("--isolated", action="store_true", help="ignore configuration files")
    parser.add_argument("--show-settings", action="store_true", help="print the merged settings as JSON and exit")
    add_run_arguments(parser)
    add_fix_arguments(parser)


def add_fix_arguments(parser: argparse.ArgumentParser) -> None:
    """`--fix`, `--diff`, `--fix-from` (docs/fixing.md)."""
    fixing = parser.add_mutually_exclusive_group()
    fixing.add_argument(
        "--fix",
        action="store_true",
        help="pin what can be pinned, with versions from the project's lock file, else its environment (never the network); "
        "report what is left",
    )
    fixing.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes `--fix` would write as a unified diff and change nothing (exit 1 when there are any)",
    )
    parser.add_argument(
        "--fix-from",
        metavar="PYTHON",
        help="take versions from the environment of this interpreter where there is no lock file (default: the project's .venv or venv)",
    )


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Standard input, exit status and how much is said (the flags ruff users reach for)."""
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="read the file to check from standard input, as if it were at PATH: the name decides its kind and is "
        "the path in findings; relative includes resolve from its folder (`guard check -` without it: a requirement "
        "file named '-')",
    )
    parser.add_argument("-e", "--exit-zero", action="store_true", help="exit 0 even when there are findings (errors still exit 2 or 3)")
    parser.add_argument(
        "--statistics", action="store_true", help="print how many findings of each code instead of the findings (text or json)"
    )
    parser.add_argument(
        "--show-files", action="store_true", help="print the files that would be checked and their kinds, and exit 0 without checking"
    )
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="count", default=0, help="print the findings only, no summary (-qq: as --silent)")
    loudness.add_argument(
        "-s", "--silent", action="store_true", help="print nothing, not even findings or warnings; the exit code still says"
    )
    loudness.add_argument(
        "-v", "--verbose", action="store_true", help="say on stderr which configuration file was used, each file and its kind, and timings"
    )


def _csv(value: Optional[str]) -> Optional[list[str]]:
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def _pairs(values: Optional[list[str]]) -> Optional[list[str]]:
    """Repeated flags of comma-separated `GLOB:CODE` pairs, as one list."""
    if values is None:
        return None
    return [pair for value in values for pair in _csv(value) or []]


def main(ns: argparse.Namespace) -> int:
    from guard.config import ConfigError, load_settings

    overrides = {
        "select": _csv(ns.select),
        "extend-select": _csv(ns.extend_select),
        "ignore": _csv(ns.ignore),
        "fail-on": ns.fail_on,
        "preset": ns.preset,
        "exclude": _csv(ns.exclude),
        "include-fixtures": ns.include_fixtures,
        "read-outside": ns.read_outside,
        "file-kinds": ns.file_kinds,
        "per-file-ignores": _pairs(ns.per_file_ignores),
        "extend-per-file-ignores": _pairs(ns.extend_per_file_ignores),
    }
    try:
        settings = load_settings(cwd=os.getcwd(), overrides=overrides, config_path=ns.config, use_config_file=not ns.isolated)
    except ConfigError as error:
        sys.stderr.write(f"guard: configuration error: {error}\n")
        return EXIT_USAGE
    for warning in settings.warnings if not is_silent(ns) else ():
        sys.stderr.write(f"guard: warning: {warning}\n")
    if ns.show_settings:
        import json

        sys.stdout.write(json.dumps(settings.as_dict(), indent=2) + "\n")
        return EXIT_OK
    run = run_options(ns, settings)
    if isinstance(run, int):
        return run
    if ns.show_files:
        return show_files(ns.paths, settings, run)
    return check_command(
        paths=ns.paths,
        settings=settings,
        output_format=ns.output_format or os.environ.get("GUARD_FORMAT") or "text",
        color=ns.color,
        output=ns.output,
        run=run,
    )


class RunOptions:
    """What the flags of `add_run_arguments` ask of one run."""

    def __init__(self, ns: argparse.Namespace, stdin: Optional[StdinFile]) -> None:
        self.stdin = stdin
        self.exit_zero: bool = ns.exit_zero
        self.statistics: bool = ns.statistics
        self.silent = is_silent(ns)
        self.summary = not (ns.quiet or self.silent)
        self.log: Optional[Callable[[str], None]] = _log if ns.verbose else None
        self.fix_mode = "diff" if ns.diff else "fix" if ns.fix else "mark"  # "mark": fixable findings marked `[*]`
        self.fix_from: Optional[str] = ns.fix_from


def is_silent(ns: argparse.Namespace) -> bool:
    """`-s/--silent`, or `-qq`: nothing on standard output, no warnings."""
    return bool(ns.silent or ns.quiet > 1)


def _log(line: str) -> None:
    sys.stderr.write(f"guard: {line}\n")


def run_options(ns: argparse.Namespace, settings: Settings) -> RunOptions | int:
    """The run's options (standard input read), or the exit code of a usage error."""
    reads_stdin = ns.stdin_filename is not None or ns.paths == ["-"]
    if not reads_stdin and "-" in ns.paths:
        sys.stderr.write("guard: `-` (standard input) cannot be checked together with other paths\n")
        return EXIT_USAGE
    stdin = None
    if reads_stdin:
        for path in ns.paths if not is_silent(ns) else ():
            if path != "-":
                sys.stderr.write(f"guard: warning: ignoring {path}: --stdin-filename checks standard input\n")
        try:
            stdin = read_stdin(ns.stdin_filename)
        except OSError as error:
            sys.stderr.write(f"guard: cannot read standard input: {error.strerror or error}\n")
            return EXIT_USAGE
    if stdin is not None and (ns.fix or ns.diff):
        sys.stderr.write("guard: --fix and --diff rewrite files on disk; they cannot check standard input\n")
        return EXIT_USAGE
    from guard.fix.cli import fix_from_error

    wrong = fix_from_error(ns.fix_from, os.getcwd())
    if wrong is not None:
        sys.stderr.write(f"guard: {wrong}\n")
        return EXIT_USAGE
    options = RunOptions(ns, stdin)
    if options.log is not None:
        options.log(f"configuration: {describe_config(settings, ns.isolated)}")
    return options


def read_stdin(name: Optional[str]) -> StdinFile:
    """Standard input, at most one byte more than a file reader takes (so that a huge input
    is refused as a huge file is, in bounded memory)."""
    from guard.check.run import StdinFile
    from guard.text.decode import MAX_BYTES

    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(MAX_BYTES + 1) if stream is not None else b""
    return StdinFile(name, data)


def describe_config(settings: Settings, isolated: bool) -> str:
    if settings.config_file:
        return settings.config_file
    return "none (--isolated)" if isolated else "none found (defaults, environment and flags)"


def show_files(paths: Sequence[str], settings: Settings, run: RunOptions) -> int:
    """`--show-files`: `path<TAB>kind` per file, in the order they would be checked."""
    from guard.check.run import planned_files

    files, skipped = planned_files(paths, settings, os.getcwd(), run.stdin)
    for path, kind in files:
        sys.stdout.write(f"{path}\t{kind}\n")
    if skipped and not run.silent:
        sys.stderr.write(f"guard: {skipped} file{'s' if skipped != 1 else ''} in test fixtures skipped (`--include-fixtures` shows them)\n")
    return EXIT_OK


def check_command(
    *, paths: Sequence[str], settings: object, output_format: str, color: str, output: Optional[str], run: Optional[RunOptions] = None
) -> int:
    from guard.check.policy import exit_code
    from guard.check.run import run_check
    from guard.config import Settings
    from guard.report import FORMATS, write
    from guard.report.statistics import FORMATS as STATISTICS_FORMATS

    assert isinstance(settings, Settings)
    if output_format not in FORMATS:
        sys.stderr.write(f"guard: configuration error: GUARD_FORMAT: unknown format {output_format!r}\n")
        return EXIT_USAGE
    if run is not None and run.statistics and output_format not in STATISTICS_FORMATS:
        sys.stderr.write(f"guard: --statistics is written as text or json, not {output_format}\n")
        return EXIT_USAGE
    result = run_check(paths, settings, os.getcwd(), stdin=run.stdin if run else None, log=run.log if run else None)
    from guard.fix.cli import fix_run, print_diff_of, write_lines

    fix_mode = run.fix_mode if run is not None else "mark"
    fixing = fix_run(
        result.findings if run is None or run.stdin is None else [],
        mode=fix_mode,
        cwd=os.getcwd(),
        paths=paths,
        fix_from=run.fix_from if run is not None else None,
        rerun=lambda: run_check(paths, settings, os.getcwd()),
    )
    if fix_mode == "diff":
        if output:
            try:
                with open(output, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
                    print_diff_of(fixing, stream)
            except OSError as error:
                sys.stderr.write(f"guard: cannot write {output}: {error.strerror or error}\n")
                return EXIT_USAGE
        else:
            print_diff_of(fixing, sys.stdout)
        if run is None or (run.summary and not run.silent):
            write_lines(fixing.lines)
        return 1 if fixing.changed and not (run is not None and run.exit_zero) else EXIT_OK
    if fixing.result is not None:
        result = fixing.result
    findings = fixing.findings if run is None or run.stdin is None else result.findings
    if output:
        try:
            with open(output, "w", encoding="utf-8", errors="backslashreplace") as stream:
                if run is not None and run.statistics:
                    write_statistics(result, stream, output_format, run, fixing.fixes)
                else:
                    write(
                        findings,
                        stream,
                        output_format,
                        color=False,
                        checked=result.files_checked,
                        skipped=result.fixtures_skipped,
                        fixes=fixing.fixes,
                    )
        except OSError as error:
            sys.stderr.write(f"guard: cannot write {output}: {error.strerror or error}\n")
            return EXIT_USAGE
    elif run is not None and run.silent:
        pass  # the exit code says it all
    elif run is not None and run.statistics:
        write_statistics(result, sys.stdout, output_format, run, fixing.fixes)
    else:
        write(
            findings,
            sys.stdout,
            output_format,
            color=use_color(color, sys.stdout),
            checked=result.files_checked,
            skipped=result.fixtures_skipped,
            summary=run.summary if run is not None else True,
            fixes=fixing.fixes,
        )
    if run is None or (run.summary and not run.silent):
        write_lines(fixing.lines, sys.stdout if output_format == "text" and not output and not run_statistics(run) else sys.stderr)
    if run is not None and run.exit_zero:
        return EXIT_OK
    return exit_code(findings, settings.fail_on)


def run_statistics(run: Optional[RunOptions]) -> bool:
    return run is not None and run.statistics


def write_statistics(result: CheckResult, stream: TextIO, output_format: str, run: RunOptions, fixes: Mapping[Finding, Any]) -> None:
    from guard.report.statistics import report

    report(
        result.findings,
        stream,
        output_format,
        checked=result.files_checked,
        skipped=result.fixtures_skipped,
        summary=run.summary,
        fixes=fixes,
    )


def use_color(choice: str, stream: object) -> bool:
    """`--color` wins; then NO_COLOR, FORCE_COLOR, TERM=dumb and whether it is a terminal."""
    if choice == "always":
        enabled = True
    elif choice == "never":
        enabled = False
    elif os.environ.get("NO_COLOR"):
        enabled = False
    elif os.environ.get("FORCE_COLOR"):
        enabled = True
    elif os.environ.get("TERM") == "dumb":
        enabled = False
    else:
        isatty = getattr(stream, "isatty", None)
        enabled = bool(isatty and isatty())
    if enabled and sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            import colorama

            colorama.just_fix_windows_console()
        except (ImportError, AttributeError):
            pass
    return enabled
