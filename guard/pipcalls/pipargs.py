"""Parse a pip command line the way pip's optparse parser does (rules R1 and R6).

`parse_pip_argv(argv)` takes the arguments after the program name (`pip`, `pip3.12`,
`python -m pip`) and returns a `PipArgs`: the subcommand, the general options given before
it, the command's options under their canonical long names, the positional requirement
specs, and the facts the environment rules need (`--target`, `--user`, `--isolated`, ...).

The option table below is pip's own: the union of the parsers of every pip from 23.0 to 26.3
(`pip._internal.commands`), each option with its arity, so option values are never taken for
package names; tests/pipcalls/test_pipargs.py compares it with the latest patch release of
every minor version on the registry. An option one pip version has and another lacks is
known (a file may be run by either), with the versions that have it. As in optparse:

- a long option may be abbreviated to any unambiguous prefix (`--brea`, `--targ=dir`);
  a prefix shared by several long names is an error even when they are aliases, unless
  some pip version has only one of them (`--requirem` before `--requirements-from-script`);
- short options cluster (`-qqU`), and a short option that takes a value takes the rest of
  its word (`-rreq.txt`) or the next word;
- the first error (an unknown or ambiguous option, a missing value) ends the parse, as pip
  stops there: the words after it are never guessed into packages;
- `--` ends the options; general options may appear before the subcommand (only those
  there are seen by pip's main parser, so only a `--python` given there re-runs pip under
  another interpreter) and again after it.

The module is pure (no I/O, no environment access) and imports nothing beyond the standard
library, so the pip wrapper and the file linters can both use it on their fast paths.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and dataclasses stay out of the wrapper's start-up (see below)
    from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

    OptionValues = Dict[str, Union[List[str], bool]]

# One option per string: its names separated by `|`, the canonical long name first;
# a trailing `=` means it takes a value; then, after a space, the pip versions that have it
# when not all do (`25.3-`: since 25.3, `-25.2`: up to 25.2; minor versions).
_GENERAL_SPEC = (
    "--help|-h",
    "--debug",
    "--isolated",
    "--require-virtualenv|--require-venv",
    "--python=",
    "--verbose|-v",
    "--version|-V",
    "--quiet|-q",
    "--log|--log-file|--local-log=",
    "--no-input",
    "--keyring-provider= 23.1-",
    "--proxy=",
    "--no-proxy-env 26.2-",
    "--retries=",
    "--resume-retries= 25.1-",
    "--timeout|--default-timeout=",
    "--exists-action=",
    "--trusted-host=",
    "--cert=",
    "--client-cert=",
    "--cache-dir=",
    "--no-cache-dir",
    "--disable-pip-version-check",
    "--no-color",
    "--no-python-version-warning",
    "--use-feature=",
    "--use-deprecated=",
)

_INDEX = ("--index-url|--pypi-url|-i=", "--extra-index-url=", "--no-index", "--find-links|-f=")
_TARGET_PYTHON = ("--platform=", "--python-version=", "--implementation=", "--abi=")
_BUILD = (
    "--no-build-isolation",
    "--use-pep517",
    "--no-use-pep517 -25.2",
    "--check-build-dependencies",
    "--no-binary=",
    "--only-binary=",
    "--prefer-binary",
    "--src|--source|--source-dir|--source-directory=",
    "--pre",
    "--require-hashes",
    "--no-require-hashes 26.2-",
    "--progress-bar=",
    "--no-clean",
    "--ignore-requires-python",
    "--no-deps|--no-dependencies",
    "--only-deps|--only-dependencies 26.2-",
    "--all-releases= 26.0-",
    "--only-final= 26.0-",
    "--refresh-package= 26.2-",
    "--uploaded-prior-to= 26.0-",
)
_REQS = (
    "--requirement|-r=",
    "--constraint|-c=",
    "--build-constraint= 25.3-",
    "--group= 25.1-",
    "--requirements-from-script= 26.0-",
)
# Newer pips read the finder's release filters for `index` and `list --outdated` too.
_RELEASES = (
    "--all-releases= 26.0-",
    "--only-final= 26.0-",
    "--refresh-package= 26.2-",
    "--uploaded-prior-to= 26.0-",
    "--prefer-binary 26.0-",
)
_CONFIG_SETTINGS = "--config-settings|-C="
_GLOBAL_OPTION = "--global-option= -25.2"

_COMMAND_SPEC: dict[str, tuple[str, ...]] = {
    "install": _REQS
    + _INDEX
    + _TARGET_PYTHON
    + _BUILD
    + (
        "--editable|-e=",
        "--dry-run",
        "--target|-t=",
        "--user",
        "--no-user",
        "--root=",
        "--prefix=",
        "--upgrade|-U",
        "--upgrade-strategy=",
        "--force-reinstall",
        "--ignore-installed|-I",
        "--break-system-packages",
        _CONFIG_SETTINGS,
        _GLOBAL_OPTION,
        "--install-option= -23.0",
        "--compile",
        "--no-compile",
        "--no-warn-script-location",
        "--no-warn-conflicts",
        "--root-user-action=",
        "--report=",
    ),
    "download": _REQS + _INDEX + _TARGET_PYTHON + _BUILD + (_GLOBAL_OPTION, "--dest|--destination-dir|--destination-directory|-d="),
    "wheel": _REQS
    + _INDEX
    + _BUILD
    + (
        _CONFIG_SETTINGS,
        _GLOBAL_OPTION,
        "--editable|-e=",
        "--wheel-dir|-w=",
        "--no-verify",
        "--build-option= -25.2",
    ),
    "lock": _REQS + _INDEX + _BUILD + (_CONFIG_SETTINGS, "--editable|-e=", "--output|-o="),
    "uninstall": (
        "--requirement|-r=",
        "--yes|-y",
        "--root-user-action=",
        "--break-system-packages",
    ),
    "freeze": (
        "--requirement|-r=",
        "--local|-l",
        "--user",
        "--path=",
        "--all",
        "--exclude-editable",
        "--exclude=",
    ),
    "inspect": ("--local", "--user", "--path="),
    "list": _INDEX
    + _RELEASES
    + (
        "--outdated|-o",
        "--uptodate|-u",
        "--editable|-e",
        "--local|-l",
        "--user",
        "--path=",
        "--pre",
        "--format=",
        "--not-required",
        "--exclude-editable",
        "--include-editable",
        "--exclude=",
        "--no-binary= 26.0-",
        "--only-binary= 26.0-",
    ),
    "show": ("--files|-f",),
    "check": (),
    "config": ("--editor=", "--global", "--user", "--site"),
    "search": ("--index|-i=",),
    "cache": ("--format=",),
    "index": _INDEX + _TARGET_PYTHON + _RELEASES + ("--ignore-requires-python", "--pre", "--no-binary=", "--only-binary=", "--json 25.1-"),
    "hash": ("--algorithm|-a=",),
    "completion": ("--bash|-b", "--zsh|-z", "--fish|-f", "--powershell|-p"),
    "debug": _TARGET_PYTHON,
    "help": (),
}

SUBCOMMANDS: tuple[str, ...] = tuple(_COMMAND_SPEC)
"""Every pip subcommand guard knows (pip 23.0 to 26.3)."""

CHANGING_SUBCOMMANDS: tuple[str, ...] = ("install", "uninstall")
"""Subcommands that change an environment (R1); every other one is read-only."""


_FIRST, _LAST = (23, 0), (99, 99)


def _minor(text: str, default: Tuple[int, int]) -> Tuple[int, int]:
    if not text:
        return default
    major, _, minor = text.partition(".")
    return int(major), int(minor)


class _Option:
    __slots__ = ("canonical", "takes_value", "since", "until")

    def __init__(self, canonical: str, takes_value: bool, since: Tuple[int, int] = _FIRST, until: Tuple[int, int] = _LAST) -> None:
        self.canonical = canonical
        self.takes_value = takes_value
        self.since = since  # the first and last pip minor versions that have it
        self.until = until


class _Table:
    def __init__(self, specs: Sequence[str]) -> None:
        self.long: Dict[str, _Option] = {}
        self.short: Dict[str, _Option] = {}
        for spec in specs:
            body, _, span = spec.partition(" ")
            since, _, until = span.partition("-")
            takes_value = body.endswith("=")
            names = body.rstrip("=").split("|")
            option = _Option(names[0], takes_value, _minor(since, _FIRST), _minor(until, _LAST))
            for name in names:
                (self.long if name.startswith("--") else self.short)[name] = option

    def match_long(self, name: str) -> Union[_Option, str]:
        """The option, or an error message (optparse's `_match_abbrev`)."""
        if name in self.long:
            return self.long[name]
        hits = sorted(n for n in self.long if n.startswith(name))
        if len(hits) == 1:
            return self.long[hits[0]]
        alone = self._alone_in_some_pip(hits)
        if alone is not None:
            return self.long[alone]
        if not hits:
            if name == "--hash":
                return "`--hash` is not a pip option on the command line (only inside a requirements file)"
            return f"no such option: `{name}`"
        return f"ambiguous option: `{name}` could be " + ", ".join(f"`{h}`" for h in hits)

    def _alone_in_some_pip(self, hits: List[str]) -> Optional[str]:
        """The one name of `hits` some pip version has without the others, if any: that pip
        takes the abbreviation for it (`--requirem` is `--requirement` before pip 26.0 has
        `--requirements-from-script`), so guard does too rather than call it ambiguous."""
        if len(hits) < 2:
            return None
        options = [self.long[hit] for hit in hits]
        starts = {option.since for option in options} | {(o.until[0], o.until[1] + 1) for o in options}
        for version in sorted(starts):
            alive = [hit for hit, option in zip(hits, options) if option.since <= version <= option.until]
            if len(alive) == 1:
                return alive[0]
        return None


_GENERAL_TABLE = _Table(_GENERAL_SPEC)
_COMMAND_TABLES: dict[str, _Table] = {}


# After the subcommand, pip 26.3 no longer has `--version` (before it, every pip has).
_GENERAL_AFTER_SUBCOMMAND = tuple(spec + " -26.2" if spec == "--version|-V" else spec for spec in _GENERAL_SPEC)


def _command_table(name: str) -> _Table:
    table = _COMMAND_TABLES.get(name)
    if table is None:
        table = _COMMAND_TABLES[name] = _Table(_GENERAL_AFTER_SUBCOMMAND + _COMMAND_SPEC[name])
    return table


def known_options(subcommand: Optional[str] = None) -> Dict[str, Tuple[str, bool, Tuple[int, int], Tuple[int, int]]]:
    """Every option name some pip accepts for `subcommand` (None: before the subcommand),
    general options included: name -> (canonical long name, takes a value, the first and
    the last pip minor version that has it)."""
    table = _GENERAL_TABLE if subcommand is None else _command_table(subcommand)
    return {name: (o.canonical, o.takes_value, o.since, o.until) for name, o in {**table.long, **table.short}.items()}


_FIELDS = (
    "subcommand", "general", "options", "requirements", "requirement_files", "constraint_files",
    "editables", "target", "prefix", "root", "user", "break_system_packages", "isolated", "python",
    "dry_run", "report", "require_hashes", "no_deps", "upgrade", "help", "errors", "error_at",
    "changes_environment",
)  # fmt: skip


class PipArgs:
    """One pip command line, as pip would understand it.

    `general` holds the general options given before the subcommand (value options keep their
    last value, flags are `True`); `options` holds every option after it, general ones
    included, under canonical long names (`--requirement`, `--target`, ...): value options
    map to the list of values in order, flags to `True`. `requirements` are the positional
    arguments after the subcommand (requirement specs for install/download/wheel, names for
    uninstall). The convenience fields apply pip's semantics (the last of `--user`/`--no-user`
    wins; `--isolated` counts anywhere; `--python` only before the subcommand).
    `errors` holds what pip itself would reject (an unknown or ambiguous option, a missing
    value, `--hash`, an unknown subcommand): the first such error, where pip stops, so
    nothing after it is read; `error_at` is the index in argv of the word it is about.
    """

    __slots__ = _FIELDS

    # A frozen, dataclass-like record written out by hand: importing `dataclasses` (and the
    # `inspect` it pulls in) costs the pip wrapper ~10 ms on every pip call.
    def __init__(
        self,
        subcommand: Optional[str],
        general: Optional[Dict[str, Union[str, bool]]] = None,
        options: Optional[OptionValues] = None,
        requirements: Tuple[str, ...] = (),
        requirement_files: Tuple[str, ...] = (),
        constraint_files: Tuple[str, ...] = (),
        editables: Tuple[str, ...] = (),
        target: Optional[str] = None,
        prefix: Optional[str] = None,
        root: Optional[str] = None,
        user: bool = False,
        break_system_packages: bool = False,
        isolated: bool = False,
        python: Optional[str] = None,
        dry_run: bool = False,
        report: Optional[str] = None,
        require_hashes: bool = False,
        no_deps: bool = False,
        upgrade: bool = False,
        help: bool = False,
        errors: Tuple[str, ...] = (),
        error_at: Optional[int] = None,
        changes_environment: bool = False,
    ) -> None:
        values = dict(locals())
        values["general"] = {} if general is None else general
        values["options"] = {} if options is None else options
        for name in _FIELDS:
            object.__setattr__(self, name, values[name])

    subcommand: Optional[str]
    general: Dict[str, Union[str, bool]]
    options: OptionValues
    requirements: Tuple[str, ...]
    requirement_files: Tuple[str, ...]
    constraint_files: Tuple[str, ...]
    editables: Tuple[str, ...]
    target: Optional[str]
    prefix: Optional[str]
    root: Optional[str]
    user: bool
    break_system_packages: bool
    isolated: bool
    python: Optional[str]
    dry_run: bool
    report: Optional[str]
    require_hashes: bool
    no_deps: bool
    upgrade: bool
    help: bool
    errors: Tuple[str, ...]
    error_at: Optional[int]
    changes_environment: bool

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"PipArgs is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"PipArgs is immutable (cannot delete {name!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PipArgs):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in _FIELDS)

    __hash__ = None  # type: ignore[assignment]  # holds dicts, like an unhashable dataclass

    def __repr__(self) -> str:
        return "PipArgs(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in _FIELDS) + ")"

    def as_dict(self) -> Dict[str, Any]:
        return {n: getattr(self, n) for n in _FIELDS}

    def values(self, canonical: str) -> List[str]:
        """All values given for a value option (e.g. `--find-links`), in order."""
        value = self.options.get(canonical)
        return list(value) if isinstance(value, list) else []

    def flag(self, canonical: str) -> bool:
        return self.options.get(canonical) is True


class _Parser:
    def __init__(self, argv: Sequence[str]) -> None:
        self.args = list(argv)
        self.pos = 0
        self.errors: List[str] = []
        self.help = False
        self.error_at: Optional[int] = None
        # (canonical, value or None) in order, split at the subcommand
        self.seen: List[Tuple[str, Optional[str]]] = []
        # (canonicals, first index, index after) of each option word and its value in argv
        self.spans: List[Tuple[Tuple[str, ...], int, int]] = []

    def _take(self, table: _Table, arg: str) -> None:
        """Consume one option word `arg` (already popped) and its value if any."""
        if arg.startswith("--"):
            name, eq, explicit = arg.partition("=")
            found = table.match_long(name)
            if isinstance(found, str):
                self.errors.append(found)
                return
            if found.takes_value:
                if eq:
                    self._record(found.canonical, explicit)
                elif self.pos < len(self.args):
                    self._record(found.canonical, self.args[self.pos])
                    self.pos += 1
                else:
                    self.errors.append(f"`{name}` option requires an argument")
            elif eq:
                self.errors.append(f"`{found.canonical}` option does not take a value")
            else:
                self._record(found.canonical, None)
            return
        for i, char in enumerate(arg[1:], start=1):
            option = table.short.get("-" + char)
            if option is None:
                self.errors.append(f"no such option: `-{char}`")
                return
            if option.takes_value:
                rest = arg[i + 1 :]
                if rest:
                    self._record(option.canonical, rest)
                elif self.pos < len(self.args):
                    self._record(option.canonical, self.args[self.pos])
                    self.pos += 1
                else:
                    self.errors.append(f"`-{char}` option requires an argument")
                return
            self._record(option.canonical, None)

    def _take_or_stop(self, table: _Table, arg: str) -> bool:
        """`_take`, and whether parsing goes on: pip stops at the first error, so the words
        after it mean nothing (an unknown option's value would otherwise pass for a package)."""
        start, errors, recorded = self.pos - 1, len(self.errors), len(self.seen)
        self._take(table, arg)
        if len(self.errors) == errors:
            self.spans.append((tuple(name for name, _ in self.seen[recorded:]), start, self.pos))
            return True
        self.error_at = start
        return False

    def _record(self, canonical: str, value: Optional[str]) -> None:
        if canonical == "--help":
            self.help = True
        self.seen.append((canonical, value))

    def parse(self) -> PipArgs:
        # The main parser: general options up to the first positional (the subcommand).
        subcommand: Optional[str] = None
        only_positionals = False
        while self.pos < len(self.args) and not self.help:
            arg = self.args[self.pos]
            self.pos += 1
            if arg == "--":
                # pip hands the `--` on to the command parser (`pip -- install --user x`
                # installs a package named `--user`)
                only_positionals = True
                break
            if arg.startswith("-") and arg != "-":
                if not self._take_or_stop(_GENERAL_TABLE, arg):
                    break
                continue
            subcommand = arg
            break
        if subcommand is None and not self.help and self.error_at is None and self.pos < len(self.args):
            subcommand = self.args[self.pos]
            self.pos += 1
        general_seen = self.seen
        self.seen = []
        positionals: List[str] = []
        if self.error_at is not None:
            subcommand = None
        elif subcommand is not None and subcommand not in _COMMAND_SPEC:
            self.errors.append(f"unknown command `{subcommand}`")
            self.error_at = self.pos - 1
        elif subcommand is not None:
            table = _command_table(subcommand)
            while self.pos < len(self.args) and not self.help:
                arg = self.args[self.pos]
                self.pos += 1
                if only_positionals or arg == "-" or not arg.startswith("-"):
                    positionals.append(arg)
                elif arg == "--":
                    only_positionals = True
                elif not self._take_or_stop(table, arg):
                    break
        return self._result(subcommand, general_seen, self.seen, positionals)

    def _result(
        self,
        subcommand: Optional[str],
        general_seen: List[Tuple[str, Optional[str]]],
        command_seen: List[Tuple[str, Optional[str]]],
        positionals: List[str],
    ) -> PipArgs:
        general: Dict[str, Union[str, bool]] = {}
        for name, value in general_seen:
            general[name] = True if value is None else value
        options: OptionValues = {}
        user = False
        for name, value in command_seen:
            if value is None:
                options[name] = True
            else:
                current = options.get(name)
                if isinstance(current, list):
                    current.append(value)
                else:
                    options[name] = [value]
            if name in ("--user", "--no-user"):
                user = name == "--user"

        def last(name: str) -> Optional[str]:
            value = options.get(name)
            return value[-1] if isinstance(value, list) else None

        def values(name: str) -> Tuple[str, ...]:
            value = options.get(name)
            return tuple(value) if isinstance(value, list) else ()

        def flag(name: str) -> bool:
            return options.get(name) is True

        python = general.get("--python")
        helped = self.help or subcommand == "help" or general.get("--version") is True
        changes = subcommand in CHANGING_SUBCOMMANDS and not helped and not any(e.startswith("unknown command") for e in self.errors)
        return PipArgs(
            subcommand=subcommand,
            general=general,
            options=options,
            requirements=tuple(positionals),
            requirement_files=values("--requirement"),
            constraint_files=values("--constraint"),
            editables=values("--editable") if subcommand != "list" else (),
            target=last("--target"),
            prefix=last("--prefix"),
            root=last("--root"),
            user=user,
            break_system_packages=flag("--break-system-packages"),
            isolated=general.get("--isolated") is True or flag("--isolated"),
            python=python if isinstance(python, str) else None,
            dry_run=flag("--dry-run"),
            report=last("--report"),
            require_hashes=flag("--require-hashes"),
            no_deps=flag("--no-deps"),
            upgrade=flag("--upgrade"),
            help=helped,
            errors=tuple(self.errors),
            error_at=self.error_at,
            changes_environment=changes,
        )


def without_options(argv: Sequence[str], canonicals: Sequence[str]) -> Tuple[List[str], List[str]]:
    """`argv` less every option (and its value) pip reads as one of `canonicals`, whether
    written whole, abbreviated, `--opt=value` or attached (`-t/x`), and the words removed.
    A word of several short flags (`-qU`) is removed only when all of them are in
    `canonicals`: everything else is kept word for word."""
    parser = _Parser(argv)
    parser.parse()
    drop: set[int] = set()
    removed: List[str] = []
    for names, start, end in parser.spans:
        if names and all(name in canonicals for name in names):
            drop.update(range(start, end))
            removed.extend(argv[start:end])
    return [word for index, word in enumerate(argv) if index not in drop], removed


def parse_pip_argv(argv: Sequence[str]) -> PipArgs:
    """Parse the arguments that follow `pip` (or `python -m pip`) on a command line.

    Never raises on bad input: what pip would reject is listed in `PipArgs.errors`.
    """
    return _Parser(argv).parse()


def pip_environ_flag(environ: Mapping[str, str], name: str) -> Optional[bool]:
    """The boolean value pip reads from `PIP_<NAME>` (pip's `strtobool`), or None if unset/invalid."""
    raw = environ.get("PIP_" + name.upper().replace("-", "_"))
    return strtobool(raw) if raw is not None else None


def strtobool(value: str) -> Optional[bool]:
    """pip's `strtobool`: None for a value pip would reject."""
    text = value.strip().lower()
    if text in ("y", "yes", "t", "true", "on", "1"):
        return True
    if text in ("n", "no", "f", "false", "off", "0"):
        return False
    return None
