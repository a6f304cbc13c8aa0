"""Requirement files, read exactly as pip reads them.

Mirrors `pip/_internal/req/req_file.py` (pip 23.x–26.x; where they differ, the target pip's
when the caller knows its version (`pip_version`), else the newest, as for `--use-feature`
names, pip 26's new options, `--global-option` and `REQ -e X`): `str.splitlines`, the
continuation rule (a comment line ending in `\\` does not continue), comment stripping,
`break_args_options`, and an optparse parser with pip's own file options, so that option
abbreviations (`--req`), attached values (`-rbase.txt`) and errors match pip's.
Two deliberate differences: `${VAR}` is left unexpanded (a linter cannot know the value;
rule PIN107 reports it), and a weak or malformed `--hash` is kept for rule PIN106/PIN108
instead of failing the whole file. `tests/requirements/test_requirements_vs_pip.py` compares the
two readings over a corpus of tricky files.
"""

from __future__ import annotations

import optparse
import os
import re
import shlex
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Iterator, Optional

from guard.pins.dep import Dep

COMMENT_RE = re.compile(r"(^|\s+)#.*$")
SCHEME_RE = re.compile(r"^(http|https|file):", re.I)


@dataclass(frozen=True)
class LogicalLine:
    """One line as pip sees it after joining continuations and dropping the comment."""

    line: int  # the first physical line (what pip reports)
    last_line: int
    text: str


def logical_lines(content: str) -> Iterator[LogicalLine]:
    """pip's `join_lines` + `ignore_comments`, keeping the physical span of each line."""
    for first, last, text in _logical_spans(content.splitlines()):
        yield LogicalLine(first, last, text)


def _logical_spans(physical: list[str]) -> list[tuple[int, int, str]]:
    """`logical_lines` over lines already split, as (first line, last line, text) tuples.

    One pass and plain tuples: this runs for every physical line of every file, so the
    generators and frozen dataclasses of a more literal transcription of pip cost more than
    the rest of the parse.
    """
    spans: list[tuple[int, int, str]] = []
    add = spans.append
    comment_match = COMMENT_RE.match
    parts: list[str] = []
    primary = 0
    number = 0
    for number, line in enumerate(physical, 1):
        if "#" not in line:
            # No `#`: no comment (COMMENT_RE.match needs one), so the line continues exactly
            # when it ends in `\`. The most common lines, taken with the fewest operations.
            if line[-1:] == "\\":
                if not parts:
                    primary = number
                parts.append(line.strip("\\"))
                continue
            if not parts:
                text = line.strip()
                if text:
                    add((number, number, text))
                continue
            parts.append(line)
            first, text = primary, "".join(parts)
            parts = []
        else:
            # COMMENT_RE.match(line) needs a `#`: the `in` test above spares the regex on most
            # lines (the `--hash=...` continuation lines of pip-compile output have none).
            comment = comment_match(line) is not None
            if comment or not line.endswith("\\"):
                if parts:
                    # pip prefixes a comment with a space so that it is stripped below
                    parts.append(" " + line if comment else line)
                    first, text = primary, "".join(parts)
                    parts = []
                elif comment:
                    continue  # a whole-line comment leaves nothing once stripped
                else:
                    first, text = number, line
            else:
                if not parts:
                    primary = number
                parts.append(line.strip("\\"))
                continue
        if "#" in text:
            text = COMMENT_RE.sub("", text)
        text = text.strip()
        if text:
            add((first, number, text))
    if parts:
        text = "".join(parts)
        if "#" in text:
            text = COMMENT_RE.sub("", text)
        text = text.strip()
        if text:
            add((primary, primary + len(parts) - 1, text))
    return spans


class OptionError(Exception):
    pass


class _Parser(optparse.OptionParser):
    def error(self, msg: str) -> Any:  # optparse would print and exit
        raise OptionError(msg)

    def exit(self, status: int = 0, msg: Optional[str] = None) -> Any:
        raise OptionError(msg or "invalid option")


def _append_hash(option: optparse.Option, opt_str: str, value: str, parser: optparse.OptionParser) -> None:
    assert parser.values is not None
    parser.values.hashes.append(value)  # validated by the pin rules, not here


def _refuse_dash_value(option: optparse.Option, opt_str: str, value: str, parser: optparse.OptionParser) -> None:
    # pip's `FormatControl` / `ReleaseControl`: a value starting with `-` is the next option
    # (`--no-binary --pre`), which pip refuses rather than read as a project name.
    if value.startswith("-"):
        pair = "--no-binary / --only-binary" if "binary" in str(option.dest) else "--all-releases / --only-final"
        raise OptionError(f"{pair} option requires 1 argument.")
    assert parser.values is not None
    getattr(parser.values, str(option.dest)).append(value)


def _append_setting(option: optparse.Option, opt_str: str, value: str, parser: optparse.OptionParser) -> None:
    key, sep, _ = value.partition("=")
    if sep != "=":
        parser.error(f"Arguments to {opt_str} must be of the form KEY=VAL")
    assert parser.values is not None
    parser.values.config_settings.append(value)


# The features `--use-feature` takes, as the newest pip (26.3) lists them; older pips know
# fewer (23.2: fast-deps, truststore, no-binary-enable-wheel-cache), and each refuses any
# other name, so a file naming one fails the whole install.
USE_FEATURE_CHOICES = [
    "fast-deps",
    "inprocess-build-deps",
    "venv-isolation",
    "truststore",
    "no-binary-enable-wheel-cache",
    "build-constraint",
]


# The features older pips know (checked on 23.2.1, 24.3.1 and 25.3): 23.x and 24.x the same
# three; 25.x adds `build-constraint` (given to every 25.x: a feature refused wrongly would be
# a false finding), 26 `inprocess-build-deps` and `venv-isolation`.
USE_FEATURE_CHOICES_24 = ["fast-deps", "truststore", "no-binary-enable-wheel-cache"]
USE_FEATURE_CHOICES_25 = [*USE_FEATURE_CHOICES_24, "build-constraint"]

PipVersion = tuple[int, int]
# The pip guard reads files as when it does not know the target's: the newest it knows.
NEWEST_PIP: PipVersion = (26, 3)


@dataclass(frozen=True)
class PipDialect:
    """What the target pip's requirement-file parser does differently from the newest."""

    # Each checked on pip 23.2.1, 24.3.1, 25.3 and 26.3:
    global_option: bool  # `--global-option` on a requirement line: pip < 25 (later ones refuse it)
    release_options: bool  # `--no-require-hashes`, `--all-releases`, `--only-final`: pip >= 26
    editable_after_requirement: bool  # `REQ ... -e X` is the editable `REQ`: pip >= 25
    use_features: tuple[str, ...]

    @classmethod
    def of(cls, version: Optional[PipVersion]) -> PipDialect:
        version = version or NEWEST_PIP
        return cls(
            global_option=version < (25, 0),
            release_options=version >= (26, 0),
            editable_after_requirement=version >= (25, 0),
            use_features=tuple(
                USE_FEATURE_CHOICES_24 if version < (25, 0) else USE_FEATURE_CHOICES_25 if version < (26, 0) else USE_FEATURE_CHOICES
            ),
        )


NEWEST = PipDialect.of(None)


def pip_version_of(version: str) -> Optional[PipVersion]:
    """(major, minor) of a pip version string (`26.3`, `24.0.1`, `25.1.dev0`), or None."""
    match = re.match(r"(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _build_parser(dialect: PipDialect) -> _Parser:
    # The options of pip's SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ, with pip's arity.
    parser = _Parser(add_help_option=False)
    add = parser.add_option
    add("-i", "--index-url", "--pypi-url", dest="index_url")
    add("--extra-index-url", dest="extra_index_urls", action="append")
    add("--no-index", action="store_true")
    add("-c", "--constraint", dest="constraints", action="append")
    add("-r", "--requirement", dest="requirements", action="append")
    add("-e", "--editable", dest="editables", action="append")
    add("-f", "--find-links", dest="find_links", action="append")
    add("--no-binary", dest="no_binary", action="callback", callback=_refuse_dash_value, type="string")
    add("--only-binary", dest="only_binary", action="callback", callback=_refuse_dash_value, type="string")
    add("--prefer-binary", action="store_true")
    add("--require-hashes", action="store_true")
    if dialect.release_options:
        # pip 26's; older ones refuse them (and then `--o` abbreviates `--only-binary` alone).
        add("--no-require-hashes", action="store_true")
        add("--all-releases", dest="all_releases", action="callback", callback=_refuse_dash_value, type="string")
        add("--only-final", dest="only_final", action="callback", callback=_refuse_dash_value, type="string")
    add("--pre", action="store_true")
    add("--trusted-host", dest="trusted_hosts", action="append")
    add("--use-feature", dest="features_enabled", action="append", type="choice", choices=list(dialect.use_features))
    if dialect.global_option:
        add("--global-option", dest="global_options", action="append")
    add("--hash", dest="hashes", action="callback", callback=_append_hash, type="string")
    add("-C", "--config-settings", dest="config_settings", action="callback", callback=_append_setting, type="string")
    return parser


_PARSERS: dict[PipDialect, _Parser] = {}


def _tokens(options_text: str) -> list[str]:
    """pip's `shlex.split` of a line's options. `str.split` gives the same tokens (faster) only
    without quotes, backslashes and blanks other than shlex's space, tab, CR and LF: a
    no-break space joins an option to its value for pip."""
    if '"' in options_text or "'" in options_text or "\\" in options_text or not _shlex_blanks_only(options_text):
        return shlex.split(options_text)
    return options_text.split()


def _shlex_blanks_only(text: str) -> bool:
    return text.isascii() and "\x1f" not in text and "\x0b" not in text and "\x0c" not in text


def _parse_options(options_text: str, dialect: PipDialect = NEWEST) -> dict[str, Any]:
    """Options of one line, as pip's line parser would set them (only the ones set)."""
    tokens = _tokens(options_text)
    # Fast path: the bulk of real files is `--hash=algo:digest` tokens, which optparse would
    # parse to exactly this (the option name is complete, so no abbreviation is involved).
    # `map` over `str.startswith` keeps the test in C: a generator costs a frame resume a token.
    if all(map(str.startswith, tokens, repeat("--hash="))):
        return {"hashes": [token[7:] for token in tokens]}
    parser = _PARSERS.get(dialect)
    if parser is None:
        parser = _PARSERS[dialect] = _build_parser(dialect)
    values = optparse.Values(
        {"hashes": [], "config_settings": [], "no_binary": [], "only_binary": [], "all_releases": [], "only_final": []}
    )
    parser.parse_args(tokens, values)
    return {key: value for key, value in vars(values).items() if value not in (None, [], False)}


def break_args_options(line: str) -> tuple[str, str]:
    """pip's split: the requirement is every token up to the first one starting with `-`."""
    # Tokens are split on single spaces, so the first token starting with `-` begins the line
    # or follows the first " -"; the two halves are the text around that space.
    if line.startswith("-"):
        return "", line
    cut = line.find(" -")
    if cut < 0:
        return line, ""
    return line[:cut], line[cut + 1 :]


@dataclass(frozen=True)
class Include:
    line: int
    column: int
    target: str  # as written
    constraint: bool


@dataclass(frozen=True)
class LineError:
    line: int
    column: int
    message: str


@dataclass
class RequirementFile:
    """What one file says, before its includes are followed."""

    path: str
    deps: list[Dep] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    require_hashes: bool = False
    no_require_hashes: bool = False  # `--hash` options do not switch hash-checking mode on
    # indexes in `deps` of the `-e` lines: those are judged against the file's place
    editable_indexes: list[int] = field(default_factory=list)
    # physical line -> first line of its logical line, for continuation lines only
    line_alias: dict[int, int] = field(default_factory=dict)


def parse_requirement_text(
    path: str, content: str, file_kind: str, constraint: bool = False, pip_version: Optional[PipVersion] = None
) -> RequirementFile:
    """One file as the pip of `pip_version` reads it (the newest when None)."""
    dialect = NEWEST if pip_version is None else PipDialect.of(pip_version)
    result = RequirementFile(path)
    physical = content.splitlines()  # once: the logical lines and the columns both need it
    line_alias = result.line_alias
    deps = result.deps
    for first, last, text in _logical_spans(physical):
        if last != first:
            line_alias.update(dict.fromkeys(range(first + 1, last + 1), first))  # one C call
        raw_line = physical[first - 1]
        # Column of the first non-blank character; most lines start with it.
        column = len(raw_line) - len(raw_line.lstrip()) + 1 if raw_line[:1].isspace() else 1
        # `break_args_options`, inlined (one call a line).
        cut = -1 if text[0] == "-" else text.find(" -")
        if cut < 0:
            if text[0] != "-":
                # A requirement without options, the usual hand-written line.
                deps.append(Dep(path, first, column, text, file_kind, False, (), {}, constraint))
                continue
            args, options_text = "", text
        else:
            args, options_text = text[:cut], text[cut + 1 :]
            # `name==1.0 --hash=... --hash=...` (pip-compile output): what `_parse_options`
            # would return for it, without the dict it builds and the caller takes apart.
            if not ('"' in options_text or "'" in options_text or "\\" in options_text) and _shlex_blanks_only(options_text):
                tokens = options_text.split()
                if all(map(str.startswith, tokens, repeat("--hash="))):
                    deps.append(Dep(path, first, column, args, file_kind, False, tuple([token[7:] for token in tokens]), {}, constraint))
                    continue
        options: dict[str, Any] = {}
        if options_text:
            try:
                options = _parse_options(options_text, dialect)
            except (OptionError, ValueError) as error:
                message = str(error).replace("\n", " ")
                result.errors.append(LineError(first, column, f"pip cannot parse `{text}`: {message}"))
                continue
        if args and options.get("editables") and dialect.editable_after_requirement:
            # pip >= 25 reads `REQ ... -e X` as the editable `REQ` (the `-e` value unused),
            # which takes no `--hash`.
            result.editable_indexes.append(len(deps))
            deps.append(Dep(path, first, column, args, file_kind, True, (), {}, constraint))
        elif args:
            hashes = options.pop("hashes", ())  # the dict is ours: a fresh one per line
            deps.append(Dep(path, first, column, args, file_kind, False, tuple(hashes), options, constraint))
        elif options.get("editables"):
            value = options["editables"][0]  # pip ignores a second -e on one line
            found = raw_line.find(value)
            result.editable_indexes.append(len(deps))
            deps.append(Dep(path, first, found + 1 if found >= 0 else column, value, file_kind, True, (), {}, constraint))
        elif options.get("requirements") or options.get("constraints"):
            is_constraint = not options.get("requirements")
            target = (options.get("requirements") or options["constraints"])[0]
            result.includes.append(Include(first, column, target, is_constraint))
        elif options.get("require_hashes"):
            result.require_hashes = True
        elif options.get("no_require_hashes"):
            result.no_require_hashes = True
    return result


def include_path(including_file: str, target: str) -> Optional[str]:
    """Where pip looks for `-r target` written in `including_file`; None for remote files.

    A `file:` URL names a local file, which pip reads as it is (so does guard)."""
    if target[:5].lower() == "file:":
        from urllib.parse import unquote, urlsplit
        from urllib.request import url2pathname

        # pip opens the URL as it is, not joined to the including file: `file:base.txt` is
        # `/base.txt`, from the root.
        return os.path.join("/", url2pathname(unquote(urlsplit(target).path)))
    if SCHEME_RE.search(including_file) or SCHEME_RE.search(target):
        return None
    return os.path.join(os.path.dirname(including_file), target)
