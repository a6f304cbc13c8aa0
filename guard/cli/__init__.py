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
    import traceback

    from guard import __version__

    report = f"guard {__version__} on Python {sys.version.split()[0]} ({sys.platform})\nargv: {sys.argv!r}\n\n" + "".join(
        traceback.format_exception(type(error), error, error.__traceback__)
    )
    path = write_crash_report(report)
    where = f"full report in {path}" if path else "no report could be written"
    sys.stderr.write(f"guard: internal error: {type(error).__name__}: {error} ({where})\n")
    return EXIT_INTERNAL


KEEP_CRASH_REPORTS = 5


def crash_directory() -> Optional[str]:
    """`$GUARD_CRASH_DIR`, else a directory of this user's own in the temporary directory.

    A shared /tmp is anyone's: the directory is created private (0700) and used only when it
    is a real directory owned by this user, so a planted symlink or another user's directory
    is never written through.
    """
    import stat
    import tempfile

    chosen = os.environ.get("GUARD_CRASH_DIR")
    if chosen:
        return chosen
    uid = os.getuid() if hasattr(os, "getuid") else None
    directory = os.path.join(tempfile.gettempdir(), f"guard-crash-{uid}" if uid is not None else "guard-crash")
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        info = os.lstat(directory)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or (uid is not None and (info.st_uid != uid or info.st_mode & 0o077)):
        return None
    return directory


def write_crash_report(text: str) -> Optional[str]:
    """Write one report (exclusive create, no symlink followed); keep the newest few."""
    import time

    directory = crash_directory()
    if directory is None:
        return None
    path = os.path.join(directory, f"guard-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError:
        return None
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
        handle.write(text)
    _prune_crash_reports(directory)
    return path


def _prune_crash_reports(directory: str) -> None:
    try:
        names = sorted(name for name in os.listdir(directory) if name.startswith("guard-crash-") and name.endswith(".txt"))
    except OSError:
        return
    for name in names[:-KEEP_CRASH_REPORTS]:
        try:
            os.unlink(os.path.join(directory, name))
        except OSError:
            pass


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

    for name, _, _ in _EXTENSIONS:
        _add_extension(sub, name)
    return parser


def _add_extension(sub: argparse._SubParsersAction, name: str) -> None:  # type: ignore[type-arg]
    module, help_text = _EXTENSION_MODULES[name]
    extension = _load_extension(module)
    if extension is not None:
        description = getattr(extension, "DESCRIPTION", help_text)
        epilog = getattr(extension, "EPILOG", None)
        extension.add_arguments(sub.add_parser(name, help=help_text, description=description, epilog=epilog))


# One module per subcommand, each with `add_arguments(parser)` and `main(namespace)`
# (pre-commit's `commands/`): (name, module, help). Only the chosen one is imported to run it.
_EXTENSIONS = (
    ("check", "guard.cli.check", "check dependency files for unpinned dependencies"),
    ("rules", "guard.cli.rules", "list every rule"),
    ("rule", "guard.cli.rule", "explain one rule"),
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
    extension = _load_extension(_EXTENSION_MODULES[namespace.command][0])
    assert extension is not None
    return int(extension.main(namespace))
