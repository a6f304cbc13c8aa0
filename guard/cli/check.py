"""`guard check`: the linter's command line (argv -> Settings -> the run -> a report)."""

from __future__ import annotations

import os
import sys

from guard.cli import EXIT_OK, EXIT_USAGE

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Optional, Sequence

DESCRIPTION = (
    "Check requirement files (and the other files guard knows) for dependencies that are not pinned. "
    "With no PATH, checks the current directory: the files git tracks (plus untracked, non-ignored ones) "
    "in a git work tree, else a walk that skips .git, virtual environments, node_modules and build output."
)
EPILOG = (
    "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error, 3 internal error. "
    "Suppress one line with `# guard: ignore[CODE or name] reason`. Rules: `guard rules`; one rule: `guard rule CODE`."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    from guard.report import FORMATS

    parser.add_argument("--format", dest="output_format", choices=list(FORMATS), help="output format (default: text)")
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
    parser.add_argument("--config", metavar="FILE", help="read [tool.guard] from this pyproject.toml instead of searching for one")
    parser.add_argument("--isolated", action="store_true", help="ignore configuration files")
    parser.add_argument("--show-settings", action="store_true", help="print the merged settings as JSON and exit")
    # fixing (docs/fixing.md)
    parser.add_argument(
        "--fix",
        action="store_true",
        help="pin what can be pinned, with versions from the project's lock file, else its environment (never the network); "
        "report what is left",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes `--fix` would write as a unified diff and change nothing (exit 1 when there are any)",
    )
    parser.add_argument(
        "--fix-from",
        metavar="PYTHON",
        help="take versions from the environment of this interpreter where there is no lock file (default: the project's .venv or venv)",
    )


def _csv(value: Optional[str]) -> Optional[list[str]]:
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


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
    }
    try:
        settings = load_settings(cwd=os.getcwd(), overrides=overrides, config_path=ns.config, use_config_file=not ns.isolated)
    except ConfigError as error:
        sys.stderr.write(f"guard: configuration error: {error}\n")
        return EXIT_USAGE
    for warning in settings.warnings:
        sys.stderr.write(f"guard: warning: {warning}\n")
    if ns.show_settings:
        import json

        sys.stdout.write(json.dumps(settings.as_dict(), indent=2) + "\n")
        return EXIT_OK
    return check_command(
        paths=ns.paths,
        settings=settings,
        output_format=ns.output_format or os.environ.get("GUARD_FORMAT") or "text",
        color=ns.color,
        output=ns.output,
        fix_mode="diff" if ns.diff else "fix" if ns.fix else "mark",
        fix_from=ns.fix_from,
    )


def check_command(
    *,
    paths: Sequence[str],
    settings: object,
    output_format: str,
    color: str,
    output: Optional[str],
    fix_mode: str = "mark",
    fix_from: Optional[str] = None,
) -> int:
    from guard.check.policy import exit_code
    from guard.check.run import run_check
    from guard.config import Settings
    from guard.report import FORMATS, write

    assert isinstance(settings, Settings)
    if output_format not in FORMATS:
        sys.stderr.write(f"guard: configuration error: GUARD_FORMAT: unknown format {output_format!r}\n")
        return EXIT_USAGE
    result = run_check(paths, settings, os.getcwd())
    from guard.fix.cli import fix_run, print_diff_of, write_lines

    fixing = fix_run(
        result.findings,
        mode=fix_mode,
        cwd=os.getcwd(),
        paths=paths,
        fix_from=fix_from,
        rerun=lambda: run_check(paths, settings, os.getcwd()),
    )
    if fix_mode == "diff":
        print_diff_of(fixing, sys.stdout)
        write_lines(fixing.lines)
        return 1 if fixing.changed else EXIT_OK
    result = fixing.result or result
    findings = fixing.findings
    if output:
        try:
            with open(output, "w", encoding="utf-8", errors="backslashreplace") as stream:
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
    else:
        write(
            findings,
            sys.stdout,
            output_format,
            color=use_color(color, sys.stdout),
            checked=result.files_checked,
            skipped=result.fixtures_skipped,
            fixes=fixing.fixes,
        )
    write_lines(fixing.lines, sys.stdout if output_format == "text" and not output else sys.stderr)
    return exit_code(findings, settings.fail_on)


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
