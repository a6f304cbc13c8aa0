"""PowerShell text (a CI step that runs in `pwsh` or `powershell`) as simple commands.

A Windows runner's steps run in PowerShell unless they name another shell, and PowerShell
quotes differently from sh: a backquote escapes the next character (and continues a line
at its end), `'it''s'` doubles a quote, and `"..."` expands `$name`, `$env:NAME`, `${name}`
and `$(...)`. Reading such a step as sh reports quotes that are not unbalanced and misses
the commands after them, so `scan_powershell` reads it the PowerShell way, into the same
`Command`s and `Word`s the sh scanner gives: `pip_call` then finds `pip install ...`,
`python -m pip ...` and `& python.exe -m pip ...` in it.

It reads statements, not the whole language: `;`, `|`, `&&`, `||`, line ends and braces
separate commands; comments (`#`, `<# ... #>`), here-strings (`@"..."@`), redirections
and their targets are skipped. Text it cannot read (an unclosed quote) ends the statement
quietly: the sh rules about quoting (GRD102) are not PowerShell's, so no finding is made.
"""

from __future__ import annotations

import re
from typing import Mapping, Optional, Sequence

from guard.pipcalls.invocation import Command, ScanResult, Segment, Word, position_finder, scan, shell_script_index

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "v": "\v"}
_WORD_END = frozenset(" \t\r\n;|&{}()>")
_REDIRECT = re.compile(r"(?:[1-6*]?>>?(?:&[12])?)")
_ENV_NAME = re.compile(r"env:([A-Za-z_][A-Za-z0-9_]*)", re.I)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)?")
_ENV_ASSIGNMENT = re.compile(r"\$env:([A-Za-z_][A-Za-z0-9_]*)\s*=", re.I)


# Statements dropped as unreadable in one text before the rest of it is left unread.
_MAX_UNREADABLE = 8


class _Unreadable(Exception):
    """Text this reader does not follow: the statement is dropped, without a finding."""


def scan_powershell(
    text: str,
    segments: Sequence[Segment] = ((0, 1, 1),),
    variables: Optional[Mapping[str, str]] = None,
    expressions: Optional[Mapping[str, str]] = None,
) -> ScanResult:
    """The simple commands of PowerShell `text`; `variables` are substituted for
    `$env:NAME` (unless the text assigns that name), `expressions` for `${{ KEY }}`."""
    assigned = {match.group(1) for match in _ENV_ASSIGNMENT.finditer(text)}
    known = {name: value for name, value in (variables or {}).items() if name not in assigned}
    return _PowerShellScanner(text, segments, known, expressions or {}).run()


class _PowerShellScanner:
    def __init__(self, text: str, segments: Sequence[Segment], variables: Mapping[str, str], expressions: Mapping[str, str]) -> None:
        self.text = text
        self.where = position_finder(text, segments)
        self.variables = variables
        self.expressions = expressions
        self.result = ScanResult()
        self.literal = self.expanded = False

    def run(self) -> ScanResult:
        text = self.text
        pos = 0
        words: list[Word] = []
        chained: Optional[str] = None
        skip_target = False
        unreadable = 0

        def finish(operator: Optional[str]) -> None:
            nonlocal words, chained
            if words:
                script = shell_script_index(words)
                if script is not None:
                    self._shell_string(words[script])
                self.result.commands.append(Command(tuple(words), chained, len(self.result.commands)))
                chained = operator
            words = []

        while pos < len(text):
            char = text[pos]
            if char in " \t\r":
                pos += 1
                continue
            if char == "`" and text[pos + 1 : pos + 2] in ("\n", "\r"):
                pos = text.find("\n", pos) + 1 or len(text)  # a line continuation
                continue
            if char == "\n":
                finish(None)
                chained = None
                pos += 1
                continue
            if text.startswith("<#", pos):
                end = text.find("#>", pos + 2)
                pos = len(text) if end < 0 else end + 2
                continue
            if char == "#":
                end = text.find("\n", pos)
                pos = len(text) if end < 0 else end
                continue
            two = text[pos : pos + 2]
            if two in ("&&", "||"):
                finish(two)
                pos += 2
                continue
            if char in ";|":
                finish(char)
                pos += 1
                continue
            if char in "{}()":
                finish(None)
                pos += 1
                continue
            if char == "&":
                if words:
                    finish("&")  # a background job
                pos += 1  # else the call operator: `& python -m pip` runs `python`
                continue
            redirect = _REDIRECT.match(text, pos)
            if redirect and (char == ">" or text[pos + 1 : pos + 2] == ">"):
                pos = redirect.end()
                skip_target = "&" not in redirect.group(0)
                continue
            start = pos
            try:
                word, pos = self._word(pos)
            except _Unreadable:
                words = []
                unreadable += 1
                # each such statement may have been read on to the end: a bound keeps it linear
                end = text.find("\n", start) if unreadable < _MAX_UNREADABLE else -1
                pos = len(text) if end < 0 else end
                continue
            if pos == start:
                pos += 1  # nothing this reader takes for a word: step over it
                continue
            if skip_target:
                skip_target = False
                continue
            words.append(word)
        finish(None)
        return self.result

    def _shell_string(self, word: Word) -> None:
        """`bash -c "SCRIPT"` (or `dash`, `sh`...): SCRIPT as the shell reads it, its
        commands before the one that holds them. Quoting errors in it are not reported:
        how PowerShell hands quotes inside an argument to a program varies by version."""
        quoted = len(word.raw) >= 2 and word.raw[0] in "'\"" and word.raw[1:-1] == word.text
        nested = scan(word.text, ((0, word.line, word.column + (1 if quoted else 0)),), self.variables, self.expressions)
        for command in nested.commands:
            self.result.commands.append(Command(command.words, command.chained_after, len(self.result.commands), command.redirects))

    def _word(self, pos: int) -> tuple[Word, int]:
        text = self.text
        start = pos
        out: list[str] = []
        self.literal = self.expanded = False
        if text.startswith(("@'", '@"'), pos) and text[pos + 2 : pos + 3] in ("\n", "\r"):
            return self._here_string(pos)
        while pos < len(text):
            char = text[pos]
            if char in _WORD_END:
                break
            if char == "`":
                if pos + 1 >= len(text):
                    pos += 1  # a backquote that ends the text escapes nothing
                    break
                if text[pos + 1] in "\r\n":
                    break  # a line continuation, for `run` to skip
                out.append(_ESCAPES.get(text[pos + 1], text[pos + 1]))
                self.literal = True
                pos += 2
                continue
            if char in "'\u2018\u2019":
                pos = self._single(pos, out)
                continue
            if char in '"\u201c\u201d':
                pos = self._double(pos, out)
                continue
            if char == "$":
                pos = self._dollar(pos, out)
                continue
            out.append(char)
            self.literal = True
            pos += 1
        line, column = self.where(start)
        return Word("".join(out), line, column, text[start:pos], self.expanded and not self.literal), pos

    def _here_string(self, pos: int) -> tuple[Word, int]:
        quote = self.text[pos + 1]
        body_start = self.text.find("\n", pos) + 1
        end = self.text.find(f"\n{quote}@", body_start - 1)
        if end < 0:
            raise _Unreadable()
        line, column = self.where(pos)
        return Word(self.text[body_start:end], line, column, self.text[pos : end + 3]), end + 3

    def _single(self, pos: int, out: list[str]) -> int:
        """`'...'`: literal, `''` stands for one quote."""
        text = self.text
        i = pos + 1
        while i < len(text):
            if text[i] in "'\u2018\u2019":
                if text[i + 1 : i + 2] in ("'", "\u2018", "\u2019"):
                    out.append("'")
                    i += 2
                    continue
                self.literal = True
                return i + 1
            out.append(text[i])
            i += 1
        raise _Unreadable()

    def _double(self, pos: int, out: list[str]) -> int:
        """`"..."`: a backquote escapes, `""` stands for one quote, `$` expands."""
        text = self.text
        i = pos + 1
        while i < len(text):
            char = text[i]
            if char in '"\u201c\u201d':
                if text[i + 1 : i + 2] in ('"', "\u201c", "\u201d"):
                    out.append('"')
                    self.literal = True
                    i += 2
                    continue
                return i + 1
            if char == "`" and i + 1 < len(text):
                out.append(_ESCAPES.get(text[i + 1], text[i + 1]))
                self.literal = True
                i += 2
                continue
            if char == "$":
                i = self._dollar(i, out)
                continue
            out.append(char)
            self.literal = True
            i += 1
        raise _Unreadable()

    def _dollar(self, pos: int, out: list[str]) -> int:
        text = self.text
        if text.startswith("${{", pos):  # a CI expression, replaced before PowerShell runs
            end = text.find("}}", pos + 3)
            if end < 0:
                raise _Unreadable()
            key = text[pos + 3 : end].strip()
            return self._piece(out, self.expressions.get(key), text[pos : end + 2], end + 2)
        if text.startswith("$(", pos):
            end = self._subexpression_end(pos + 1)
            return self._piece(out, None, text[pos:end], end)
        if text.startswith("${", pos):
            end = text.find("}", pos + 2)
            if end < 0:
                raise _Unreadable()
            return self._piece(out, self._env(text[pos + 2 : end]), text[pos : end + 1], end + 1)
        name = _NAME.match(text, pos + 1)
        if name:
            return self._piece(out, self._env(name.group(0)), text[pos : name.end()], name.end())
        if text[pos + 1 : pos + 2] in ("_", "?", "^", "$"):
            return self._piece(out, None, text[pos : pos + 2], pos + 2)
        return self._piece(out, "$", "$", pos + 1)

    def _env(self, name: str) -> Optional[str]:
        match = _ENV_NAME.fullmatch(name)
        return self.variables.get(match.group(1)) if match else None

    def _piece(self, out: list[str], value: Optional[str], written: str, end: int) -> int:
        """Append a known `value` (literal characters) or else the expansion as written."""
        if value is not None:
            out.append(value)
            self.literal = True
        else:
            out.append(written)
            self.expanded = True
        return end

    def _subexpression_end(self, pos: int) -> int:
        """The offset after the `)` closing the `(` at `pos`, past quotes and nested ones."""
        text = self.text
        depth = 0
        i = pos
        while i < len(text):
            char = text[i]
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            elif char == "`":
                i += 1
            elif char in "'\"":
                close = text.find(char, i + 1)
                if close < 0:
                    raise _Unreadable()
                i = close
            i += 1
        raise _Unreadable()
