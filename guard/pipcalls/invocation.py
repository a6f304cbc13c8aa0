"""pip invocations written in files: shell words with positions, and the `PipCall` record.

`scan(text, ...)` splits shell text (a Dockerfile `RUN`, a script, a CI `run:` block, a
Makefile recipe) into simple commands: words with the file position of their first
character, the operator that chains each command to the one before (`&&`, `||`, `;`, `|`),
and the prefixes in front of the program (`sudo -H`, `env VAR=x`, `VAR=x`, `exec`,
`command`, `time`, `nohup`). It understands quotes, `\\` escapes and line continuations,
`$(...)`, backquotes, `${{ ... }}` expressions, comments, redirections and here-documents
(whose bodies are skipped). The commands inside `$(...)`, backquotes, `sh -c 'SCRIPT'`
and `eval 'SCRIPT'` are scanned too, at their place in the file. Unbalanced quotes become a `ScanError` at the opening quote,
and scanning resumes on the next line, so the rest of the file is still checked.

`pip_call(command, ...)` recognises the program forms of docs/pip-in-files.md: `pip`,
`pip3`, `pip3.12` (any directory), `python -m pip`, `python3.12 -m pip`, `py -3 -m pip`,
`uv pip`, `pipx install`, `$(PYTHON) -m pip` (a variable named like a Python), and returns
a `PipCall` whose `argv` is what follows the program form, as `parse_pip_argv` expects.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Sequence

# (offset in the scanned text, file line, file column): see guard.text.yamlish.Segment.
Segment = tuple[int, int, int]

CHAIN_OPERATORS = ("&&", "||", ";", "|", "&")


@dataclass(frozen=True)
class Word:
    """One shell word after quote removal; `line`/`column` locate its first character."""

    text: str
    line: int
    column: int
    raw: str = ""
    # the whole word is expansions (`"$@"`, `$PKG`, `"$(cmd)"`): what it holds is unknown
    dynamic: bool = False


@dataclass(frozen=True)
class Redirect:
    """A redirection: `operator` (`>`, `>=`'s `>`, `<`...) at `line`/`column`, the word it
    names, and `touches` the index of the word it is written against (`x>=1` is the word `x`
    and a redirect into `=1`), or None when a blank or a file descriptor comes between."""

    operator: str
    line: int
    column: int
    target: str
    touches: Optional[int]
    continues: bool = False  # written right after the previous redirection's target (`x>=1,<2`)


@dataclass(frozen=True)
class Command:
    """One simple command: `words` without redirections; `index` counts commands in the text."""

    words: tuple[Word, ...]
    chained_after: Optional[str]  # "&&", "||", ";", "|", "&" or None (first, or a new line)
    index: int
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True)
class ScanError:
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class PipCall:
    """One pip (or `uv pip`, `pipx install`) invocation at one place in a file.

    `argv` is the argument list after the program form (`("install", "-r", "req.txt")`),
    with `words` the matching positioned words. `program` is the form as written
    (`pip3.12`, `python3 -m pip`, `uv pip`, `pipx install`); `tool` is `pip`, `uv` or
    `pipx`; `program_path` is the program word itself (`/opt/venv/bin/pip`).
    `env` holds the `VAR=x` / `env VAR=x` assignments in front of it. `source` is the policy
    file kind (`dockerfile`, `shell`, `ci`, `makefile`).
    """

    path: str
    line: int
    column: int
    argv: tuple[str, ...]
    words: tuple[Word, ...]
    program: str
    tool: str
    program_path: str
    sudo: bool = False
    sudo_program: str = "sudo"  # `sudo` or `doas`: named as written in messages
    env: Mapping[str, str] = field(default_factory=dict)
    chained_after: Optional[str] = None
    command_index: int = 0
    source: str = "shell"
    assignments: tuple[Word, ...] = ()  # the `VAR=x` words in front of the program, for positions


@dataclass
class ScanResult:
    commands: list[Command] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    truncated: bool = False  # too many errors: the rest of the text was not read


# A reader of a shell language: (text, segments, variables, expressions) -> its commands
Scanner = Callable[[str, Sequence[Segment], Optional[Mapping[str, str]], Optional[Mapping[str, str]]], "ScanResult"]


def scan(
    text: str,
    segments: Sequence[Segment] = ((0, 1, 1),),
    variables: Optional[Mapping[str, str]] = None,
    expressions: Optional[Mapping[str, str]] = None,
) -> ScanResult:
    """Simple commands of shell `text`; `segments` map offsets to file positions.

    `variables` are substituted for `$NAME` / `${NAME}`; `expressions` for CI expressions
    `${{ KEY }}` (KEY as written between the braces, spaces stripped, e.g. `env.V`), which
    GitHub replaces in the text before the shell runs."""
    return _Scanner(text, segments, variables or {}, expressions or {}).run()


def find_pip_calls(
    text: str,
    path: str,
    source: str = "shell",
    segments: Sequence[Segment] = ((0, 1, 1),),
    variables: Optional[Mapping[str, str]] = None,
    expressions: Optional[Mapping[str, str]] = None,
    scanner: Optional[Scanner] = None,
) -> tuple[list[PipCall], list[ScanError], list[Command]]:
    """The pip calls in shell `text`, the scan errors, and every command (for other checks).
    `scanner` reads another language into commands (`scan_powershell`); `scan` by default."""
    result = (scanner or scan)(text, segments, variables, expressions)
    calls = []
    for command in result.commands:
        call = pip_call(command, path, source)
        if call is not None:
            calls.append(call)
    return calls, result.errors, result.commands


def position_finder(text: str, segments: Sequence[Segment] = ((0, 1, 1),)) -> Callable[[int], tuple[int, int]]:
    """`where(offset)`: the file (line, column) of an offset in `text`, as the scanner finds it."""
    return _Scanner(text, segments, {}, {}).where


# --- the scanner ---------------------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REDIRECT = re.compile(r"^(\d*|&)(>>|>&|<&|<<<|<<-|<<|<>|>\||>|<)")


class _Unbalanced(Exception):
    def __init__(self, offset: int, what: str) -> None:
        super().__init__(what)
        self.offset = offset
        self.what = what


# Command substitutions and `sh -c` strings nested deeper than this are not read.
_MAX_NESTING = 16
# Scan errors reported in one text before the rest of it is left unread.
_MAX_ERRORS = 8
_SHELLS = {"sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "yash"}


class _Scanner:
    def __init__(
        self,
        text: str,
        segments: Sequence[Segment],
        variables: Mapping[str, str],
        expressions: Mapping[str, str],
        parent: Optional[tuple[_Scanner, int]] = None,
    ) -> None:
        self.text = text
        self.variables = variables
        self.expressions = expressions
        self.pending_heredocs: list[tuple[str, bool]] = []  # (delimiter, strip tabs)
        # a nested text (`$(...)`, backquotes, `sh -c '...'`) is a stretch of its parent's
        # text starting at `base`: positions and command numbers are the parent's
        self.parent = parent
        self.depth: int = 0 if parent is None else parent[0].depth + 1
        self.skipper = _Skipper(text)
        self.literal = self.expanded = False  # what the word being read holds so far
        if parent is None:
            self.segments = sorted(segments) or [(0, 1, 1)]
            self.segment_offsets = [segment[0] for segment in self.segments]
            self.breaks = [match.start() for match in re.finditer("\n", text)]
            self.result = ScanResult()
            self.index = 0
        else:
            self.result = parent[0].result
            self.index = parent[0].index

    def nested(self, start: int, end: int) -> None:
        """Read `text[start:end]` (a command substitution or an `sh -c` string) as commands
        of their own, numbered before the command that holds them (they run first)."""
        if self.depth >= _MAX_NESTING or start >= end or self.result.truncated:
            return
        child = _Scanner(self.text[start:end], (), self.variables, self.expressions, (self, start))
        child.run()
        self.index = child.index

    def where(self, offset: int) -> tuple[int, int]:
        """A segment gives the position of its first character; text after it flows on,
        each line break starting a new line at column 1. O(log n): bisection over the
        segment offsets and the line-break offsets computed once."""
        if self.parent is not None:
            scanner, base = self.parent
            return scanner.where(base + offset)
        index = bisect_right(self.segment_offsets, offset) - 1
        best = self.segments[max(index, 0)]
        start = min(best[0], len(self.text))
        before = bisect_left(self.breaks, offset)  # line breaks before `offset`
        breaks = before - bisect_left(self.breaks, start) if offset > start else 0
        if breaks <= 0:
            return best[1], best[2] + max(0, offset - best[0])
        return best[1] + breaks, offset - self.breaks[before - 1]

    def run(self) -> ScanResult:
        pos = 0
        words: list[Word] = []
        starts: list[int] = []  # the offset in `text` where each of `words` starts
        word_end = -1  # where the last of `words` ends
        target_end = -1  # where the last redirection's target ends
        redirects: list[Redirect] = []
        chained: Optional[str] = None
        text = self.text
        redirect_at: Optional[tuple[str, int, Optional[int], bool]] = None  # awaiting its target word

        def finish(operator: Optional[str]) -> None:
            nonlocal words, starts, chained, redirects
            if words:
                self.result.commands.append(Command(tuple(words), chained, self.index, tuple(redirects)))
                self.index += 1
                chained = operator
                script = shell_script_index(words)
                if script is not None:
                    self._shell_string(words[script], starts[script])
            elif operator in ("&&", "||", "|") and chained is None:
                chained = operator
            words = []
            starts = []
            redirects = []

        while pos < len(text):
            char = text[pos]
            if char in " \t\r":
                pos += 1
                continue
            if char == "\\" and text.startswith("\n", pos + 1):
                pos += 2
                continue
            if char == "\n":
                finish(None)
                chained = None
                pos = self._skip_heredoc_bodies(pos + 1)
                continue
            if char == "#":
                while pos < len(text) and text[pos] != "\n":
                    pos += 1
                continue
            two = text[pos : pos + 2]
            if two in ("&&", "||", ";;"):
                finish(two if two != ";;" else ";")
                pos += 2
                continue
            if char in ";|&":
                if two in ("|&",):
                    pos += 1
                finish(char)
                pos += 1
                continue
            if char in "(){}" and not words:
                pos += 1  # subshells and groups: their commands are read like any others
                continue
            if char == ")":
                finish(None)
                pos += 1
                continue
            redirect = _REDIRECT.match(text[pos : pos + 8])
            if redirect and (redirect.group(1) or char in "<>"):
                operator = redirect.group(2)
                touches = len(words) - 1 if words and word_end == pos and not redirect.group(1) else None
                redirect_at = (operator, pos, touches, bool(redirects) and target_end == pos and not redirect.group(1))
                pos += redirect.end()
                if operator in ("<<", "<<-"):
                    start = pos
                    try:
                        delimiter, pos = self._word(pos, expand=False)
                    except _Unbalanced as error:
                        pos = self._error(error, start)
                        continue
                    self.pending_heredocs.append((delimiter.text, operator == "<<-"))
                    redirect_at = None
                elif operator in (">&", "<&") and (text[pos : pos + 1].isdigit() or text[pos : pos + 1] == "-"):
                    while pos < len(text) and (text[pos].isdigit() or text[pos] == "-"):
                        pos += 1
                    redirect_at = None
                continue
            start = pos
            try:
                word, pos = self._word(pos)
            except _Unbalanced as error:
                words = []
                starts = []
                redirects = []
                redirect_at = None
                pos = self._error(error, start)
                continue
            if redirect_at is not None:  # the target of a redirection, not an argument
                operator, offset, touches, continues = redirect_at
                line, column = self.where(offset)
                redirects.append(Redirect(operator, line, column, word.text, touches, continues))
                redirect_at = None
                target_end = pos
                continue
            words.append(word)
            starts.append(start)
            word_end = pos
        finish(None)
        return self.result

    def _shell_string(self, word: Word, start: int) -> None:
        """`sh -c 'SCRIPT'`: the script read as commands, when it is one quoted string (or
        unquoted), so every position in it is where it is written."""
        raw = word.raw
        if len(raw) >= 2 and raw[0] == "'" and raw[-1] == "'" and "'" not in raw[1:-1]:
            self.nested(start + 1, start + len(raw) - 1)
        elif len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"' and _DOUBLE_BODY.fullmatch(raw[1:-1]):
            self.nested(start + 1, start + len(raw) - 1)
        elif raw and raw == word.text:
            self.nested(start, start + len(raw))

    def _error(self, error: _Unbalanced, start: int) -> int:
        line, column = self.where(error.offset)
        errors = self.result.errors
        if len(errors) + 1 >= _MAX_ERRORS:
            # each such error may read on to the end of the text: a bound keeps the scan linear
            if not self.result.truncated:
                self.result.truncated = True
                errors.append(
                    ScanError(f"unbalanced {error.what}: the shell cannot read this command, nor guard the rest of this text", line, column)
                )
            return len(self.text)
        errors.append(ScanError(f"unbalanced {error.what}: the shell cannot read this command", line, column))
        # resume on the line after the one where the problem starts
        newline = self.text.find("\n", error.offset)
        return len(self.text) if newline < 0 else newline + 1

    def _skip_heredoc_bodies(self, pos: int) -> int:
        while self.pending_heredocs:
            delimiter, strip_tabs = self.pending_heredocs.pop(0)
            pos = skip_heredoc_body(self.text, pos, delimiter, strip_tabs)
        return pos

    def _word(self, pos: int, expand: bool = True) -> tuple[Word, int]:
        text = self.text
        start = pos
        out: list[str] = []
        self.literal = self.expanded = False
        while pos < len(text):
            char = text[pos]
            if char in " \t\r\n;&|<>)":
                break
            if char == "\\":
                if text.startswith("\n", pos + 1):
                    pos += 2
                    continue
                if pos + 1 < len(text):
                    out.append(text[pos + 1])
                    self.literal = True
                pos += 2
                continue
            if char == "'":
                end = single_quote_end(text, pos)
                out.append(text[pos + 1 : end - 1])
                self.literal = True
                pos = end
                continue
            if char == '"':
                pos = self._double(pos, out, expand)
                continue
            if char == "`":
                pos = self._backquote(pos, out, expand)
                continue
            if char == "$":
                pos = self._dollar(pos, out, expand, quoted=False)
                continue
            out.append(char)
            self.literal = True
            pos += 1
        line, column = self.where(start)
        dynamic = self.expanded and not self.literal
        return Word("".join(out), line, column, text[start:pos], dynamic), pos

    def _double(self, pos: int, out: list[str], expand: bool) -> int:
        text = self.text
        start = pos
        pos += 1
        while pos < len(text):
            char = text[pos]
            if char == '"':
                return pos + 1
            if char == "\\" and pos + 1 < len(text):
                following = text[pos + 1]
                if following == "\n":
                    pos += 2
                    continue
                self.literal = True
                if following in '"\\$`':
                    out.append(following)
                    pos += 2
                    continue
                out.append(char)
                pos += 1
                continue
            if char == "$":
                pos = self._dollar(pos, out, expand, quoted=True)
                continue
            if char == "`":
                pos = self._backquote(pos, out, expand)
                continue
            out.append(char)
            self.literal = True
            pos += 1
        raise _Unbalanced(start, 'double quote `"`')

    def _backquote(self, pos: int, out: list[str], expand: bool) -> int:
        """A `` `command` `` substitution (kept as written; its command scanned when expanding)."""
        end = backquote_end(self.text, pos)
        out.append(self.text[pos:end])
        self.expanded = True
        if expand:
            self.nested(pos + 1, end - 1)
        return end

    def _dollar(self, pos: int, out: list[str], expand: bool, quoted: bool) -> int:
        text = self.text
        following = text[pos + 1 : pos + 2]
        if text.startswith("${{", pos):  # a CI expression, substituted before the shell runs
            end, _arithmetic = self.skipper.end(pos)
            key = text[pos + 3 : end - 2].strip()
            if expand and key in self.expressions:
                return self._literal(out, self.expressions[key], end)
            return self._expansion(out, text[pos:end], end)
        if following == "'" and not quoted:
            end = ansi_c_end(text, pos)
            return self._literal(out, ansi_c_text(text[pos + 2 : end - 1]), end)
        if following == '"' and not quoted:
            return self._double(pos + 1, out, expand)  # `$"..."`: a translated string
        if following == "(":
            end, arithmetic = self.skipper.end(pos)
            if expand and not arithmetic:
                self.nested(pos + 2, end - 1)
            return self._expansion(out, text[pos:end], end)
        if following == "{":
            end, _arithmetic = self.skipper.end(pos)
            value = self._parameter(text[pos + 2 : end - 1], quoted) if expand else None
            if value is not None:
                return self._literal(out, value, end)
            return self._expansion(out, text[pos:end], end)
        name_match = _NAME.match(text, pos + 1)
        if name_match:
            name = name_match.group(0)
            if expand and name in self.variables:
                return self._literal(out, self.variables[name], name_match.end())
            return self._expansion(out, text[pos : name_match.end()], name_match.end())
        if following and following in _SPECIAL_PARAMETERS:
            return self._expansion(out, text[pos : pos + 2], pos + 2)
        return self._literal(out, "$", pos + 1)

    def _parameter(self, inner: str, quoted: bool) -> Optional[str]:
        """The value of `${inner}` when it is known: a variable given to the scan, or the
        literal default of `${NAME:-default}` / `${NAME-default}` for a name nobody set."""
        name_match = _NAME.match(inner)
        if not name_match:
            return None
        name = name_match.group(0)
        rest = inner[len(name) :]
        if name in self.variables and (not rest or rest.startswith((":-", "-", ":=", "="))):
            return self.variables[name]
        if rest.startswith((":-", "-")) and name not in self.variables:
            return _literal_default(rest[2:] if rest.startswith(":-") else rest[1:], quoted)
        return None

    def _literal(self, out: list[str], value: str, end: int) -> int:
        out.append(value)
        self.literal = True
        return end

    def _expansion(self, out: list[str], written: str, end: int) -> int:
        out.append(written)
        self.expanded = True
        return end


def _literal_default(default: str, in_double: bool) -> Optional[str]:
    """`1.0`, `'1.0'` or `"1.0"` as the characters the shell gives; None when it expands.
    Within double quotes, single quotes in the default are kept (`"${x:-'a'}"` is `'a'`)."""
    if in_double and not _SPECIAL_IN_DOUBLE.search(default):
        return default or None
    if len(default) >= 2 and default[0] == default[-1] == "'" and "'" not in default[1:-1]:
        return default[1:-1]
    if len(default) >= 2 and default[0] == default[-1] == '"' and not _SPECIAL_IN_DOUBLE.search(default[1:-1]):
        return default[1:-1]
    if default and not _SPECIAL_IN_DOUBLE.search(default) and "'" not in default:
        return default
    return None


_SPECIAL_IN_DOUBLE = re.compile(r'["\\$`]')
_SPECIAL_PARAMETERS = frozenset("@*#?$!-0123456789")


# --- where a quoted or expanded construct ends -----------------------------------------------
#
# bash reads `${...}`, `$(...)`, `$((...))`, `"..."`, `$"..."`, `$'...'` and backquotes as
# nested constructs: a quote inside `${B:-"}"}` or `"$(echo ")")"` does not end the outer
# one. `_Skipper` follows that nesting with an explicit stack (no recursion, so any depth is
# read in one pass) and says where a construct ends.

_BOUNDARY = frozenset(" \t\r\n;&|()<>")
_BARE_WORD = re.compile(r"[^\s;&|()<>'\"`$\\]+")
# After these words a new command starts: `case` and `esac` are keywords only there.
_RESERVED = frozenset({"then", "do", "else", "elif", "if", "while", "until", "!", "{", "}", "time"})
_HEREDOC_DELIMITER = re.compile(r"[ \t]*([^\s;&|()<>]+)")
_WHAT = {'"': 'double quote `"`', "{": "`${`", "(": "`$(`", "((": "`$((`"}


class _Frame:
    """One open construct: `kind` is `"` (a double quote), `{` (`${`), `(` (`$(`) or `((`
    (`$((`); `start` is the offset of its opening character."""

    __slots__ = ("kind", "start", "parens", "cases", "command_start", "word_start", "heredocs")

    def __init__(self, kind: str, start: int) -> None:
        self.kind = kind
        self.start = start
        self.parens = 0
        self.cases = 0
        self.command_start = True
        self.word_start = True
        self.heredocs: list[tuple[str, bool]] = []


class _Skipper:
    def __init__(self, text: str) -> None:
        self.text = text
        # `$((` openers that turned out to be `$( (`: read as commands when met again, so
        # nested ones are not retried over and over
        self.not_arithmetic: set[int] = set()

    def end(self, pos: int) -> tuple[int, bool]:
        """The offset after the construct opening at `pos` (at `'`, `"`, a backquote or `$`),
        and whether it is an arithmetic `$((...))`."""
        text = self.text
        stack: list[_Frame] = []
        i = self._open(pos, stack)
        arithmetic = False
        while stack:
            frame = stack[-1]
            if i >= len(text):
                raise _Unbalanced(frame.start, _WHAT[frame.kind])
            kind = frame.kind
            if kind == '"':
                i = self._in_double(i, stack)
            elif kind == "{":
                i = self._in_brace(i, stack)
            elif kind == "((":
                i = self._in_arithmetic(i, stack, frame)
                arithmetic = not stack
            else:
                i = self._in_command(i, stack, frame)
        return i, arithmetic

    def _open(self, pos: int, stack: list[_Frame]) -> int:
        """Enter the construct at `pos`: push a frame and return the offset after its opener,
        or skip a construct that holds no other (quotes, backquotes, `$NAME`) to its end."""
        text = self.text
        char = text[pos]
        if char == "'":
            return single_quote_end(text, pos)
        if char == "`":
            return backquote_end(text, pos)
        if char == '"':
            stack.append(_Frame('"', pos))
            return pos + 1
        following = text[pos + 1 : pos + 2]
        if following == "{":
            if text.startswith("${{", pos):  # a CI expression, replaced before the shell runs
                end = text.find("}}", pos + 3)
                if end < 0:
                    raise _Unbalanced(pos, "`${{`")
                return end + 2
            stack.append(_Frame("{", pos))
            return pos + 2
        if following == "(":
            if text.startswith("$((", pos) and pos not in self.not_arithmetic:
                stack.append(_Frame("((", pos))
                return pos + 3
            stack.append(_Frame("(", pos))
            return pos + 2
        if following == "'":
            return ansi_c_end(text, pos)
        if following == '"':
            stack.append(_Frame('"', pos + 1))
            return pos + 2
        return pos + 1  # `$NAME`, `$1`, `$@`, a lone `$`: plain characters here

    def _in_double(self, i: int, stack: list[_Frame]) -> int:
        char = self.text[i]
        if char == '"':
            stack.pop()
            return i + 1
        if char == "\\":
            return i + 2
        if char == "$" and self.text[i + 1 : i + 2] in ("'", '"'):
            return i + 1  # `$'` and `$"` quote nothing inside double quotes
        if char in "$`":
            return self._open(i, stack)
        return i + 1

    def _in_brace(self, i: int, stack: list[_Frame]) -> int:
        char = self.text[i]
        if char == "}":  # braces do not nest: `${x:-{a}b}` is `{a` then `b}`
            stack.pop()
            return i + 1
        if char == "\\":
            return i + 2
        if char in "'\"$`":  # quotes count inside `${...}` even within double quotes
            return self._open(i, stack)
        return i + 1

    def _in_arithmetic(self, i: int, stack: list[_Frame], frame: _Frame) -> int:
        text = self.text
        char = text[i]
        if char == "(":
            frame.parens += 1
            return i + 1
        if char == ")":
            if frame.parens:
                frame.parens -= 1
                return i + 1
            if text.startswith("))", i):
                stack.pop()
                return i + 2
            # `$((a) b)`: a command substitution that starts with a subshell, read again as one
            self.not_arithmetic.add(frame.start)
            frame.kind = "("
            return frame.start + 2
        if char == "\\":
            return i + 2
        if char in "'\"$`":
            return self._open(i, stack)
        return i + 1

    def _in_command(self, i: int, stack: list[_Frame], frame: _Frame) -> int:
        """One step through the commands of a `$(...)`: quotes, nested constructs, comments,
        here-documents, subshell parentheses and `case` patterns (the `)` of `a)` ends a
        pattern, not the substitution)."""
        text = self.text
        char = text[i]
        if char in " \t\r":
            frame.word_start = True
            return i + 1
        if char == "\n":
            frame.word_start = frame.command_start = True
            i += 1
            while frame.heredocs:
                delimiter, strip_tabs = frame.heredocs.pop(0)
                i = skip_heredoc_body(text, i, delimiter, strip_tabs)
            return i
        if char in ";&|":
            frame.word_start = frame.command_start = True
            return i + 1
        if char == "#" and frame.word_start:
            end = text.find("\n", i)
            return len(text) if end < 0 else end
        if char == "(":
            frame.parens += 1
            frame.word_start = frame.command_start = True
            return i + 1
        if char == ")":
            if frame.parens:
                frame.parens -= 1
            elif not frame.cases:
                stack.pop()
                return i + 1
            frame.word_start = frame.command_start = True  # after a `case` pattern: its commands
            return i + 1
        if text.startswith("<<<", i):  # a here-string: its word follows, no body
            frame.word_start = True
            return i + 3
        if text.startswith("<<", i):
            strip_tabs = text.startswith("<<-", i)
            i += 3 if strip_tabs else 2
            match = _HEREDOC_DELIMITER.match(text, i)
            if match:
                frame.heredocs.append((re.sub(r"[\"'\\]", "", match.group(1)), strip_tabs))
                i = match.end()
            frame.word_start = True
            return i
        if char in "<>":
            frame.word_start = True
            return i + 1
        if frame.word_start:
            frame.word_start = False
            bare = _BARE_WORD.match(text, i)
            if bare and (bare.end() >= len(text) or text[bare.end()] in _BOUNDARY):
                word = bare.group(0)
                if frame.command_start and word == "case":
                    frame.cases += 1
                elif frame.command_start and word == "esac" and frame.cases:
                    frame.cases -= 1
                frame.command_start = word in _RESERVED
                return bare.end()
            frame.command_start = False
        if char == "\\":
            return i + 2
        if char in "'\"$`":
            return self._open(i, stack)
        return i + 1


def single_quote_end(text: str, pos: int) -> int:
    end = text.find("'", pos + 1)
    if end < 0:
        raise _Unbalanced(pos, "single quote `'`")
    return end + 1


def ansi_c_end(text: str, pos: int) -> int:
    """`$'...'`: a backslash escapes the next character, a quote too (`$'it\\'s'`)."""
    return _escaped_end(text, pos, pos + 2, "'", "quote `$'`")


def backquote_end(text: str, pos: int) -> int:
    """A backquoted command ends at the first backquote no backslash escapes."""
    return _escaped_end(text, pos, pos + 1, "`", "backquote")


def _escaped_end(text: str, start: int, i: int, close: str, what: str) -> int:
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
        elif char == close:
            return i + 1
        else:
            i += 1
    raise _Unbalanced(start, what)


def skip_heredoc_body(text: str, pos: int, delimiter: str, strip_tabs: bool) -> int:
    """The offset after the here-document body starting at `pos` (after its delimiter line)."""
    while pos < len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        pos = len(text) if end < 0 else end + 1
        if (line.lstrip("\t") if strip_tabs else line).rstrip("\r") == delimiter:
            break
    return pos


_ANSI_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\a", "e": "\x1b", "E": "\x1b"}


def ansi_c_text(body: str) -> str:
    """The characters of `$'body'` (the common escapes; others kept as written)."""
    return re.sub(r"\\(.)", lambda match: _ANSI_ESCAPES.get(match.group(1), match.group(0)), body, flags=re.S)


_DOUBLE_BODY = re.compile(r'(?:[^"\\]|\\.)*', re.S)


def shell_script_index(words: Sequence[Word]) -> Optional[int]:
    """The index of SCRIPT in `[sudo|env|VAR=x ...] sh|bash [options] -c SCRIPT` or
    `eval SCRIPT` (one argument), else None."""
    i = _program_index(words)
    if i is not None and words[i].text == "eval" and len(words) == i + 2:
        return i + 1  # `eval 'STRING'`: one argument, read like `sh -c`
    if i is None or basename(words[i].text) not in _SHELLS:
        return None
    i += 1
    has_c = False
    while i < len(words):
        text = words[i].text
        if text in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
            i += 2
            continue
        if text == "--":
            i += 1
            break
        if text.startswith(("-", "+")) and len(text) > 1:
            if not text.startswith("--") and "c" in text[1:]:
                has_c = True
            i += 1
            continue
        break
    return i if has_c and i < len(words) else None


def _program_index(words: Sequence[Word]) -> Optional[int]:
    """The index of the program word, after `VAR=x`, `sudo -u U`, `env -u N`, `docker exec C`
    and the like."""
    i = 0
    while i < len(words):
        text = words[i].text
        if _ASSIGNMENT_RE.match(text):
            i += 1
            continue
        name = basename(text)
        if name in _PREFIX_COMMANDS:
            i += 1
            continue
        runner = run_through(words, i)
        if runner is not None:
            i = runner.index
            continue
        if name in ("sudo", "doas", "env"):
            i = _after_options(words, i + 1, _ENV_VALUE_OPTIONS if name == "env" else _SUDO_VALUE_OPTIONS)
            continue
        return i
    return None


def _after_options(words: Sequence[Word], i: int, value_options: set[str]) -> int:
    """The index after the options of `sudo`/`env` starting at `i` (and their values)."""
    while i < len(words) and words[i].text.startswith("-"):
        option = words[i].text
        i += 1
        if option == "--":
            break
        if option in value_options:
            i += 1
    return i


# --- recognising pip ---------------------------------------------------------------------

_PIP_RE = re.compile(r"^pip(?:\d+(?:\.\d+)*)?(?:\.exe)?$")
_PYTHON_RE = re.compile(r"^(?:python|pypy)(?:\d+(?:\.\d+)*)?[tmw]?(?:\.exe)?$|^py(?:\.exe)?$")
_VARIABLE_RE = re.compile(r"^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$")
_ASSIGNMENT_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)
_SUDO_VALUE_OPTIONS = {
    "-u",
    "-g",
    "-C",
    "-p",
    "-r",
    "-t",
    "-U",
    "-h",
    "-D",
    "-R",
    "-T",
    "--user",
    "--group",
    "--prompt",
    "--chdir",
    "--role",
    "--type",
    "--other-user",
    "--host",
    "--close-from",
    "--chroot",
    "--command-timeout",
}
_ENV_VALUE_OPTIONS = {"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}
_PYTHON_VALUE_OPTIONS = {"-W", "-X", "-c", "--check-hash-based-pycs"}
_PREFIX_COMMANDS = {"exec", "command", "time", "nohup", "builtin", "then", "do", "else", "elif", "if", "while", "until", "!", "{", "}"}
PREFIX_COMMANDS = frozenset(_PREFIX_COMMANDS)  # words before the program: keywords, `exec`, `time`
# uv pip options pip does not have and that take a value: dropped before parse_pip_argv.
_UV_VALUE_OPTIONS = {
    "--index-strategy",
    "--resolution",
    "--prerelease",
    "--index",
    "--default-index",
    "--link-mode",
    "--exclude-newer",
    "--python-platform",
    "--reinstall-package",
    "--upgrade-package",
    "-P",
    "--no-build-package",
    "--no-binary-package",
    "--refresh-package",
    "--config-setting",
    "--overrides",
    "--override",
    "--build-constraints",
    "--build-constraint",
    "-b",
    "--extra",
    "--torch-backend",
    "--color",
    "--directory",
    "--project",
    "--config-file",
    "--allow-insecure-host",
    "-p",
    "--python-version",
    "--cache-dir",
    "--keyring-provider",
    "--excludes",
}
_UV_FLAGS = {
    "--system",
    "--strict",
    "--compile-bytecode",
    "--no-build",
    "--all-extras",
    "--reinstall",
    "--refresh",
    "--no-sources",
    "--offline",
    "--native-tls",
    "--exact",
    "--no-config",
    "--preview",
    "--seed",
    "--verify-hashes",
    "--no-progress",
    "--quiet",
    "-q",
    "--verbose",
    "-v",
    "--no-cache",
    "-n",
    "--no-python-downloads",
    "--managed-python",
    "--no-managed-python",
}
# pipx options that take a value (pipx 1.0 to 1.8); `--global` is a flag.
_PIPX_VALUE_OPTIONS = {
    "--python",
    "--suffix",
    "--pip-args",
    "--index-url",
    "-i",
    "--spec",
    "--preinstall",
    "--with",
    "--backend",
    "--app",
    "--lock",
    "--include-resources-from",
    "--cooldown",
    "--upgrade-strategy",
    "--fetch-python",
    "--python-args",
    "--output",
    "--requirement",
    "-r",
}
_PIPX_PACKAGE_OPTIONS = {"--preinstall", "--with"}  # their values are installed too


def basename(word: str) -> str:
    return re.split(r"[\\/]", word)[-1]


def pip_call(command: Command, path: str, source: str) -> Optional[PipCall]:
    """The PipCall for `command`, or None when it does not run pip."""
    words = list(command.words)
    env: dict[str, str] = {}
    assignments: list[Word] = []
    sudo = False
    sudo_program = "sudo"
    in_container = False  # behind `docker exec`/`docker run`: not the host's Python
    i = 0
    while i < len(words):
        text = words[i].text
        assignment = _ASSIGNMENT_RE.match(text)
        if assignment:
            env[assignment.group(1)] = assignment.group(2)
            assignments.append(words[i])
            i += 1
            continue
        name = basename(text)
        if name in _PREFIX_COMMANDS:
            i += 1
            continue
        runner = run_through(words, i)
        if runner is not None:
            i = runner.index
            if runner.command is not None:
                words[i] = runner.command
            if runner.container:
                # the assignments and `sudo` in front were docker's; inside, whose Python
                # a `sudo` writes into is not clear
                in_container = True
                sudo = False
                env = dict(runner.environ)
                assignments = []
            continue
        if name in ("sudo", "doas"):
            sudo = not in_container
            sudo_program = name
            i = _after_options(words, i + 1, _SUDO_VALUE_OPTIONS)
            continue
        if name == "env":
            i = _after_options(words, i + 1, _ENV_VALUE_OPTIONS)
            continue
        break
    if i >= len(words):
        return None
    program_word = words[i]
    program_name = basename(program_word.text)
    rest = words[i + 1 :]
    variable = _VARIABLE_RE.match(program_word.text)
    if variable:
        upper = variable.group(1).upper()
        program_name = "python" if "PYTHON" in upper else "pip" if "PIP" in upper else program_name
        leading = [word.text for word in rest[:2]]
        if program_name == program_word.text and (leading == ["-m", "pip"] or leading[:1] == ["-mpip"]):
            program_name = "python"  # `$TOOL -m pip`: whatever the variable names, it runs pip

    def make(program: str, tool: str, argv_words: list[Word]) -> PipCall:
        return PipCall(
            path=path,
            line=program_word.line,
            column=program_word.column,
            argv=tuple(word.text for word in argv_words),
            words=tuple(argv_words),
            program=program,
            tool=tool,
            program_path=program_word.text,
            sudo=sudo,
            sudo_program=sudo_program,
            env=env,
            chained_after=command.chained_after,
            command_index=command.index,
            source=source,
            assignments=tuple(assignments),
        )

    if _PIP_RE.match(program_name):
        return make(program_name, "pip", rest)
    if _PYTHON_RE.match(program_name):
        j = 0
        while j < len(rest):
            text = rest[j].text
            if text == "-m" and j + 1 < len(rest):
                module = rest[j + 1].text
                after = rest[j + 2 :]
                break
            if text.startswith("-m") and len(text) > 2:
                module = text[2:]
                after = rest[j + 1 :]
                break
            if not text.startswith("-"):
                return None  # a script
            if text in _PYTHON_VALUE_OPTIONS:
                if text == "-c":
                    return None
                j += 1
            j += 1
        else:
            return None
        if module == "pip":
            return make(f"{program_name} -m pip", "pip", after)
        if module == "uv" and after and after[0].text == "pip":
            return make(f"{program_name} -m uv pip", "uv", _uv_argv(after[1:]))
        return None
    if program_name in ("uv", "uv.exe") and rest and rest[0].text == "pip":
        return make("uv pip", "uv", _uv_argv(rest[1:]))
    if program_name in ("pipx", "pipx.exe") and rest and rest[0].text in ("install", "inject", "run"):
        return make(f"pipx {rest[0].text}", "pipx", _pipx_argv(rest[0], rest[1:]))
    # uv's tools live in environments of their own, as pipx's do: judged as pipx's are
    if program_name in ("uvx", "uvx.exe") and rest:
        return make("uvx", "pipx", _uv_tool_argv(program_word, rest, run=True))
    if program_name in ("uv", "uv.exe") and len(rest) > 1 and rest[0].text == "tool" and rest[1].text in ("install", "run"):
        return make(f"uv tool {rest[1].text}", "pipx", _uv_tool_argv(rest[1], rest[2:], run=rest[1].text == "run"))
    return None


# Programs that run a command in some environment: (program, subcommand) -> the options of
# theirs that take a value, so the command that follows is found.
_RUNNERS: dict[tuple[str, str], frozenset[str]] = {
    ("pyenv", "exec"): frozenset(),
    ("poetry", "run"): frozenset({"-C", "--directory", "-P", "--project"}),
    ("pipenv", "run"): frozenset(),
    ("pdm", "run"): frozenset({"-p", "--project", "-v"}),
    ("hatch", "run"): frozenset(),
    ("uv", "run"): frozenset(
        {
            "--with",
            "--with-editable",
            "--with-requirements",
            "--python",
            "-p",
            "--package",
            "--extra",
            "--group",
            "--only-group",
            "--no-group",
            "--directory",
            "--project",
            "--env-file",
            "--index",
            "--default-index",
            "--index-url",
            "--extra-index-url",
            "-i",
            "--find-links",
            "-f",
            "--script",
            "-s",
            "--color",
            "--config-file",
            "--cache-dir",
            "--exclude-newer",
            "--python-platform",
        }
    ),
    ("conda", "run"): frozenset({"-n", "--name", "-p", "--prefix", "--cwd"}),
    ("mamba", "run"): frozenset({"-n", "--name", "-p", "--prefix", "--cwd"}),
    ("micromamba", "run"): frozenset({"-n", "--name", "-p", "--prefix", "--cwd"}),
    ("tox", "exec"): frozenset({"-e", "-c", "--conf", "--root", "--workdir", "-x", "--override"}),
}
_DOCKER_EXEC_VALUES = frozenset({"-e", "--env", "--env-file", "-u", "--user", "-w", "--workdir", "--detach-keys", "--index"})
_DOCKER_RUN_VALUES = _DOCKER_EXEC_VALUES | frozenset(
    {
        "-a",
        "--attach",
        "-c",
        "--cpu-shares",
        "-h",
        "--hostname",
        "-l",
        "--label",
        "-m",
        "--memory",
        "-p",
        "--publish",
        "-v",
        "--volume",
        "--add-host",
        "--cap-add",
        "--cap-drop",
        "--cgroup-parent",
        "--cgroupns",
        "--cidfile",
        "--cpus",
        "--cpuset-cpus",
        "--cpuset-mems",
        "--device",
        "--dns",
        "--dns-option",
        "--dns-search",
        "--entrypoint",
        "--expose",
        "--gpus",
        "--group-add",
        "--health-cmd",
        "--ip",
        "--ipc",
        "--label-file",
        "--link",
        "--log-driver",
        "--log-opt",
        "--mac-address",
        "--memory-swap",
        "--mount",
        "--name",
        "--network",
        "--net",
        "--network-alias",
        "--pid",
        "--platform",
        "--pull",
        "--restart",
        "--runtime",
        "--security-opt",
        "--shm-size",
        "--stop-signal",
        "--stop-timeout",
        "--storage-opt",
        "--sysctl",
        "--tmpfs",
        "--ulimit",
        "--userns",
        "--uts",
        "--volumes-from",
        "--service-ports",
        "--use-aliases",
    }
)
_COMPOSE_GLOBAL_VALUES = frozenset(
    {"-f", "--file", "-p", "--project-name", "--profile", "--env-file", "--project-directory", "--ansi", "--parallel", "--progress"}
)


@dataclass(frozen=True)
class RunThrough:
    """`poetry run CMD`, `docker exec C CMD`...: `index` is where CMD starts; `container`
    when it runs in a container (not the host), with the `-e NAME=value` given to it;
    `command` replaces the word at `index` when the runner wrote more into it (`hatch run
    ENV:CMD`)."""

    index: int
    container: bool = False
    environ: Mapping[str, str] = field(default_factory=dict)
    command: Optional[Word] = None


def run_through(words: Sequence[Word], i: int) -> Optional[RunThrough]:
    """When `words[i]` starts a command that runs another one (`poetry run CMD`, `conda run
    -n X CMD`, `docker exec -it C CMD`, `docker compose run SERVICE CMD`), where that one
    is; else None."""
    name = basename(words[i].text).removesuffix(".exe")
    subcommand = words[i + 1].text if i + 1 < len(words) else ""
    if (name, subcommand) in _RUNNERS:
        j = _skip_options(words, i + 2, _RUNNERS[(name, subcommand)], {})
        command = _hatch_command(words[j]) if name == "hatch" and j < len(words) else None
        return RunThrough(j, command=command)
    if name not in ("docker", "podman", "docker-compose"):
        return None
    j = i + 1
    if name == "docker-compose" or subcommand == "compose":
        j = _skip_options(words, j + (0 if name == "docker-compose" else 1), _COMPOSE_GLOBAL_VALUES, {})
        compose_command = words[j].text if j < len(words) else ""
        if compose_command not in ("exec", "run"):
            return None
        j += 1
    elif subcommand in ("exec", "run"):
        j += 1
    elif subcommand == "container" and i + 2 < len(words) and words[i + 2].text in ("exec", "run"):
        j += 2
    else:
        return None
    environ: dict[str, str] = {}
    j = _skip_options(words, j, _DOCKER_RUN_VALUES, environ)
    return RunThrough(j + 1, True, environ) if j + 1 < len(words) else None  # past the container, service or image


def _skip_options(words: Sequence[Word], j: int, value_options: frozenset[str], environ: dict[str, str]) -> int:
    """The index of the first word after the options at `j` (and a `--`); `-e NAME=value`
    and `--env NAME=value` are kept in `environ`."""
    while j < len(words):
        text = words[j].text
        if text == "--":
            return j + 1
        if not text.startswith("-") or text == "-":
            return j
        option, equals, value = text.partition("=")
        if option in value_options and not equals:
            value = words[j + 1].text if j + 1 < len(words) else ""
            j += 2
        elif option.startswith("-e") and not option.startswith("--") and len(option) > 2 and "-e" in value_options:
            value = text[2:]  # `-eNAME=value`
            option = "-e"
            j += 1
        else:
            j += 1
        if option in ("-e", "--env"):
            assignment = _ASSIGNMENT_RE.match(value)
            if assignment:
                environ[assignment.group(1)] = assignment.group(2)
    return j


def _hatch_command(word: Word) -> Optional[Word]:
    """`hatch run test:pip install x`: the command is `pip`, in hatch's `test` environment."""
    match = re.match(r"^[A-Za-z0-9_.+-]+:(?=.)", word.text)
    if match is None or word.dynamic:
        return None
    return Word(word.text[match.end() :], word.line, word.column + match.end(), word.raw)


def _uv_argv(words: list[Word]) -> list[Word]:
    """`uv pip` arguments with uv's own options removed, so pip's parser reads the rest."""
    out: list[Word] = []
    i = 0
    while i < len(words):
        text = words[i].text
        name = text.split("=", 1)[0]
        if name in _UV_VALUE_OPTIONS and not text.startswith("--python="):
            i += 1 if "=" in text else 2
            continue
        if text in _UV_FLAGS:
            i += 1
            continue
        out.append(words[i])
        i += 1
    return out


def _pipx_argv(command_word: Word, words: list[Word]) -> list[Word]:
    """`pipx install/inject/run` as the equivalent `pip install SPEC...` (pipx options dropped).

    `inject` names a venv first, and its `-r FILE` is pip's. `run` installs `--spec` when
    given, else its app (`tool` or `tool==1.2`); the words after the app are the app's own
    arguments, and an app that is a `.py` script (or `--path`) installs no package.
    `--preinstall` and `--with` values are installed as well; `install --lock` installs
    what the lock pins, so its packages are not version-judged here."""
    verb = command_word.text
    out: list[Word] = [Word("install", command_word.line, command_word.column, command_word.raw)]
    positionals: list[Word] = []
    spec: Optional[Word] = None
    locked = script_path = False
    i = 0
    while i < len(words) and not (verb == "run" and positionals):
        word = words[i]
        name, eq, value = word.text.partition("=")
        i += 1
        if word.text == "--" and verb == "run":
            positionals.extend(words[i : i + 1])
            break
        if not word.text.startswith("-") or word.text == "-":
            positionals.append(word)
            continue
        if name not in _PIPX_VALUE_OPTIONS:
            script_path = script_path or word.text == "--path"
            continue
        if eq:
            given: Optional[Word] = Word(value, word.line, word.column, word.raw)
        else:
            given = words[i] if i < len(words) else None
            i += 1
        if given is None:
            continue
        if name == "--spec":
            spec = given
        elif name in _PIPX_PACKAGE_OPTIONS:
            out.append(given)
        elif name in ("-r", "--requirement"):
            out.extend([Word("-r", word.line, word.column, word.raw), given])
        locked = locked or name == "--lock"
    if verb == "inject":
        positionals = positionals[1:]  # the venv's name
    elif verb == "run":
        app = positionals[:1]
        positionals = [spec] if spec is not None else [] if script_path or any(w.text.endswith(".py") for w in app) else app
    elif spec is not None:
        positionals = [spec] + positionals[1:]  # older pipx: `--spec` replaces the package name
    if not locked:
        out.extend(positionals)
    return out


# `uv tool install|run` / `uvx` options that take a value (uv 0.4 to 0.9); the rest are flags.
_UV_TOOL_VALUE_OPTIONS = {
    "--from", "--with", "--with-requirements", "--with-editable", "--python", "-p", "--index", "--default-index",
    "--index-url", "-i", "--extra-index-url", "--find-links", "-f", "--constraints", "-c", "--overrides",
    "--build-constraints", "-b", "--env-file", "--refresh-package", "--reinstall-package", "--upgrade-package", "-P",
    "--config-setting", "-C", "--exclude-newer", "--exclude-newer-package", "--prerelease", "--resolution",
    "--index-strategy", "--keyring-provider", "--link-mode", "--cache-dir", "--directory", "--project",
    "--config-file", "--color", "--allow-insecure-host", "--python-preference", "--python-platform",
    "--no-build-package", "--no-binary-package", "--no-sources-package",
}  # fmt: skip


def _uv_tool_argv(command_word: Word, words: list[Word], run: bool) -> list[Word]:
    """`uvx TOOL[@VERSION]` / `uv tool run|install SPEC` as the `pip install SPEC...` they make:
    `--from` names what `run` installs (else the tool), `tool@1.2` is `tool==1.2`
    (`@latest` pins nothing), `--with` values are installed too, `--with-requirements` is `-r`."""
    out: list[Word] = [Word("install", command_word.line, command_word.column, command_word.raw)]
    package: Optional[Word] = None
    source: Optional[Word] = None
    i = 0
    # `run`: the words after the tool are its own arguments; `install` reads on to the end
    while i < len(words) and not (run and package is not None):
        word = words[i]
        name, eq, value = word.text.partition("=")
        i += 1
        if not word.text.startswith("-") or word.text == "-":
            package = package or word
            continue
        if name not in _UV_TOOL_VALUE_OPTIONS:
            continue
        given = Word(value, word.line, word.column, word.raw) if eq else (words[i] if i < len(words) else None)
        if not eq:
            i += 1
        if given is None:
            continue
        if name == "--from":
            source = given
        elif name == "--with":
            out.append(given)
        elif name == "--with-requirements":
            out.extend([Word("-r", word.line, word.column, word.raw), given])
    chosen = source if (run and source is not None) else package
    if chosen is not None:
        tool, at, version = chosen.text.partition("@")
        if at and tool and version and "/" not in version and ":" not in version:
            text = tool if version == "latest" else f"{tool}=={version}"
            chosen = Word(text, chosen.line, chosen.column, chosen.raw)
        out.append(chosen)
    return out


def uv_system(call: PipCall) -> bool:
    """`uv pip --system`: uv writes into a system interpreter only when asked to."""
    return call.tool == "uv" and any(word.text == "--system" for word in _all_words(call))


def _all_words(call: PipCall) -> tuple[Word, ...]:
    return call.words


def word_position(call: PipCall, value: str, after: int = 0) -> tuple[int, int, int]:
    """(line, column, index) of the first word at or after `after` that is `value` or ends in it."""
    for index in range(after, len(call.words)):
        word = call.words[index]
        if word.text == value:
            return word.line, word.column, index
    for index in range(after, len(call.words)):
        word = call.words[index]
        if word.text.endswith(value) and value:
            return word.line, word.column, index
    return call.line, call.column, after


def is_venv_creation(command: Command) -> Optional[str]:
    """The directory a `python -m venv DIR` / `virtualenv DIR` / `uv venv DIR` creates, else None."""
    texts = [word.text for word in command.words]
    while texts and (_ASSIGNMENT_RE.match(texts[0]) or basename(texts[0]) in _PREFIX_COMMANDS | {"sudo", "env"}):
        texts.pop(0)
    if not texts:
        return None
    program = basename(texts[0])
    args: list[str] = []
    if _PYTHON_RE.match(program) and "-m" in texts:
        position = texts.index("-m")
        if position + 1 < len(texts) and texts[position + 1] in ("venv", "virtualenv"):
            args = texts[position + 2 :]
        else:
            return None
    elif program == "virtualenv":
        args = texts[1:]
    elif program == "uv" and len(texts) > 1 and texts[1] == "venv":
        args = texts[2:]
    else:
        return None
    positional = [arg for arg in args if not arg.startswith("-")]
    return positional[-1] if positional else (".venv" if program == "uv" else "venv")


def resolve_dir(directory: str, workdir: str) -> str:
    if directory.startswith("/"):
        return os.path.normpath(directory)
    return os.path.normpath(os.path.join(workdir or "/", directory))
