"""The command line: argv -> keyword arguments -> one subcommand -> exit code.

Exit codes are a contract: 0 clean, 1 findings at or above `--fail-on` (or a blocked/refused
action), 2 usage or configuration error, 3 internal error (one line, full report in a file).
Subcommand modules are imported only when chosen, so `guard --version` and `guard pip`
stay cheap (startup is measured in benchmarks/).
"""

from __future__ import annotations

import os
import sys

# `typing` costs more to import than the rest of `guard --version` together (it pulls in
# re, enum, collections), and the pip wrapper starts guard before every pip call: the names
# are only needed by type checkers, which treat this constant as True.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Optional, Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        # Answered before argparse is imported: this is the start-up cost we measure.
        from guard import __version__

        sys.stdout.write(f"guard {__version__}\n")
        return EXIT_OK
    _tolerant_streams()
    try:
        os.getcwd()
    except OSError as error:
        sys.stderr.write(f"guard: the working directory cannot be read: {error.strerror or error}\n")
        return EXIT_USAGE
    try:
        if args[:1] == ["pip"]:
            # The shell wrapper's path, before every pip call: no argparse unless needed.
            from guard.cli.pip import main_argv

            return main_argv(args[1:])
        return _run(args)
    except KeyboardInterrupt:
        sys.stderr.write("guard: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`guard rules | head`); nothing left to say to it.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the last line of defence, by design
        return _internal_error(error)


def _tolerant_streams() -> None:
    """Text that cannot be encoded (a lone surrogate from a `\\ud800` escape in a file, a
    file name that is not UTF-8) is written escaped, never a crash half-way through a report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _internal_error(error: BaseException) -> int:
    import tempfile
    import time
    import traceback

    from guard import __version__

    directory = os.environ.get("GUARD_CRASH_DIR") or tempfile.gettempdir()
    path = os.path.join(directory, f"guard-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt")
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"guard {__version__} on Python {sys.version.split()[0]} ({sys.platform})\n")
            handle.write(f"argv: {sys.argv!r}\n\n")
            handle.write("".join(traceback.format_exception(type(error), error, error.__traceback__)))
        where = f"full report in {path}"
    except OSError:
        where = "no report could be written"
    sys.stderr.write(f"guard: internal error: {type(error).__name__}: {error} ({where})\n")
    return EXIT_INTERNAL


def _parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The whole parser, or (for `guard pip`, which runs before every pip call) only the
    subcommand `only`, so that no other subcommand module is imported."""
    import argparse

    from guard import __version__

    parser = argparse.ArgumentParser(
        prog="guard",
        description="Keeps pip out of system Pythons and your dependencies pinned.",
        epilog="Exit codes: 0 clean, 1 findings (or an install refused), 2 usage or configuration error, 3 internal error.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"guard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    if only in _EXTENSION_MODULES:
        _add_extension(sub, only)
        return parser

    check = sub.add_parser(
        "check",
        help="check dependency files for unpinned dependencies",
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error, 3 internal error. "
        "Suppress one line with `# guard: ignore[CODE or name] reason`. Rules: `guard rules`; one rule: `guard rule CODE`.",
        description="Check requirement files (and the other files guard knows) for dependencies that are not pinned. "
        "With no PATH, checks the current directory: the files git tracks (plus untracked, non-ignored ones) "
        "in a git work tree, else a walk that skips .git, virtual environments, node_modules and build output.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument("--format", dest="output_format", choices=["text", "json", "github", "sarif"], help="output format (default: text)")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="colour in text output (default: auto; honours NO_COLOR, FORCE_COLOR)")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--fail-on", choices=["info", "warning", "error"], help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--select", metavar="CODES", help="comma-separated codes or prefixes to report (e.g. PIN,GRD)")
    check.add_argument("--extend-select", metavar="CODES", help="codes or prefixes to add to the selection (e.g. opt-in rules)")
    check.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes not to report")
    check.add_argument(
        "--preset",
        choices=["default", "strict", "lenient"],
        help="pin policy: default (requirement files need exact pins), strict (hashes everywhere, as Scorecard), "
        "lenient (any version specifier passes, as hadolint)",
    )
    check.add_argument("--exclude", metavar="GLOBS", help="comma-separated globs of paths to skip during discovery")
    check.add_argument("--config", metavar="FILE", help="read [tool.guard] from this pyproject.toml instead of searching for one")
    check.add_argument("--isolated", action="store_true", help="ignore configuration files")
    check.add_argument("--show-settings", action="store_true", help="print the merged settings as JSON and exit")

    rules_parser = sub.add_parser("rules", help="list every rule", description="List every rule: code, name, default severity and summary.")
    rules_parser.add_argument("--format", dest="output_format", choices=["text", "json"], default="text")

    rule_parser = sub.add_parser("rule", help="explain one rule", description="Print one rule's documentation (by code or name).")
    rule_parser.add_argument("code", metavar="CODE", help="a rule code such as PIN101, or its name")

    for name, _, _ in _EXTENSIONS:
        _add_extension(sub, name)
    return parser


def _add_extension(sub: argparse._SubParsersAction, name: str) -> None:  # type: ignore[type-arg]
    module, help_text = _EXTENSION_MODULES[name]
    extension = _load_extension(module)
    if extension is not None:
        extension.add_arguments(sub.add_parser(name, help=help_text, description=help_text))


# Subcommands whose modules add their own arguments: (name, module, help).
_EXTENSIONS = (
    ("env", "guard.cli.env", "describe the Python environment pip would install into, and whether that is safe"),
    ("pip", "guard.cli.pip", "run pip after checking where it would install (the shell wrapper calls this)"),
    ("shell-init", "guard.cli.shell", "print the shell code that routes pip through guard"),
)


_EXTENSION_MODULES = {name: (module, help_text) for name, module, help_text in _EXTENSIONS}


def _load_extension(module: str):  # type: ignore[no-untyped-def]
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _run(args: list[str]) -> int:
    parser = _parser(args[0] if args else None)
    if not args:
        parser.print_help()
        return EXIT_USAGE
    namespace = parser.parse_args(args)  # exits 2 on usage errors, as argparse does
    command = namespace.command
    if command == "check":
        return _check(namespace)
    if command == "rules":
        return _rules(namespace.output_format)
    if command == "rule":
        return _rule(namespace.code)
    extension = _load_extension(_EXTENSION_MODULES[command][0])
    assert extension is not None
    return int(extension.main(namespace))


def _csv(value: Optional[str]) -> Optional[list[str]]:
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def _check(ns: argparse.Namespace) -> int:
    from guard.config import ConfigError, load_settings

    overrides = {
        "select": _csv(ns.select),
        "extend-select": _csv(ns.extend_select),
        "ignore": _csv(ns.ignore),
        "fail-on": ns.fail_on,
        "preset": ns.preset,
        "exclude": _csv(ns.exclude),
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
    )


def check_command(*, paths: Sequence[str], settings: object, output_format: str, color: str, output: Optional[str]) -> int:
    from guard.check.run import run_check
    from guard.config import Settings
    from guard.check.policy import exit_code
    from guard.report import FORMATS, write

    assert isinstance(settings, Settings)
    if output_format not in FORMATS:
        sys.stderr.write(f"guard: configuration error: GUARD_FORMAT: unknown format {output_format!r}\n")
        return EXIT_USAGE
    result = run_check(paths, settings, os.getcwd())
    if output:
        try:
            with open(output, "w", encoding="utf-8", errors="backslashreplace") as stream:
                write(result.findings, stream, output_format, color=False, checked=result.files_checked)
        except OSError as error:
            sys.stderr.write(f"guard: cannot write {output}: {error.strerror or error}\n")
            return EXIT_USAGE
    else:
        write(result.findings, sys.stdout, output_format, color=use_color(color, sys.stdout), checked=result.files_checked)
    return exit_code(result.findings, settings.fail_on)


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


def _rules(output_format: str) -> int:
    from guard import rules

    table = rules.all_rules()
    if output_format == "json":
        import json

        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.label, "summary": r.summary, "enabled_by_default": r.enabled_by_default}
            for r in table.values()
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    width = max(len(rule.name) for rule in table.values())
    for family, description in rules.FAMILIES.items():
        members = [r for r in table.values() if r.family == family]
        if not members:
            continue
        sys.stdout.write(f"{family}: {description}\n")
        for rule in members:
            opt_in = "" if rule.enabled_by_default else " (opt-in)"
            sys.stdout.write(f"  {rule.code}  {rule.name:<{width}} {rule.severity.label:<8}{opt_in} {rule.summary}\n")
    return EXIT_OK


def _rule(code: str) -> int:
    from guard import rules

    rule = rules.by_name_or_code(code)
    if rule is None:
        sys.stderr.write(f"guard: unknown rule {code!r} (see `guard rules`)\n")
        return EXIT_USAGE
    sys.stdout.write(rules.render_doc(rule))
    return EXIT_OK
