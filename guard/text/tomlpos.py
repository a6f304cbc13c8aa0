"""Where each key and value of a TOML document is written: line and column.

TOML parsers return values without positions, so this module scans the text once and
records, for every key path, where its key and its value start. A path is a tuple of keys
and array indices, as the parsed document would be indexed: `("project", "dependencies", 0)`.
Array-of-tables entries (`[[tool.x]]`) get their index too.

The scanner assumes a document the real parser has accepted; on anything it does not
understand it stops, and lookups fall back to the nearest known ancestor. `dotted` and
`type_name` say, in messages, where a value sits and what type it has.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional, Union

Key = Union[str, int]
Path = tuple[Key, ...]
Position = tuple[int, int]  # 1-based line and column

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"', "\\": "\\"}
_SCALAR_END = re.compile(r"[,\]}\n#]")


class _Stop(Exception):
    pass


class TomlPositions:
    """Positions of keys and values in one TOML text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0]
        for index, char in enumerate(text):
            if char == "\n":
                self._line_starts.append(index + 1)
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self._aot: dict[tuple[str, ...], int] = {}
        self._i = 0
        try:
            self._document()
        except (_Stop, IndexError, ValueError):
            pass  # positions found so far stay; lookups fall back to ancestors

    # --- lookups -----------------------------------------------------------------------

    def value(self, *path: Key) -> Optional[Position]:
        return self.values.get(tuple(path))

    def key(self, *path: Key) -> Optional[Position]:
        return self.keys.get(tuple(path))

    def locate(self, *path: Key) -> Position:
        """The value's position, else its key's, else the nearest ancestor's; (1, 1) at worst."""
        current: Path = tuple(path)
        while current:
            found = self.values.get(current) or self.keys.get(current)
            if found is not None:
                return found
            current = current[:-1]
        return (1, 1)

    def locate_key(self, *path: Key) -> Position:
        """The key's position (for table entries), else as `locate`."""
        found = self.keys.get(tuple(path))
        return found if found is not None else self.locate(*path)

    # --- scanning ------------------------------------------------------------------------

    def _position(self, index: int) -> Position:
        import bisect

        line = bisect.bisect_right(self._line_starts, index)
        return line, index - self._line_starts[line - 1] + 1

    def _peek(self, count: int = 1) -> str:
        return self._text[self._i : self._i + count]

    def _skip_blank(self, newlines: bool) -> None:
        text = self._text
        while self._i < len(text):
            char = text[self._i]
            if char in " \t" or (newlines and char in "\r\n"):
                self._i += 1
            elif char == "#":
                end = text.find("\n", self._i)
                self._i = len(text) if end < 0 else end
            else:
                return

    def _document(self) -> None:
        current: Path = ()
        text = self._text
        while True:
            self._skip_blank(newlines=True)
            if self._i >= len(text):
                return
            if text.startswith("[[", self._i):
                start = self._i
                self._i += 2
                raw = self._dotted_key(stop="]")
                if not text.startswith("]]", self._i):
                    raise _Stop
                self._i += 2
                key = tuple(raw)
                index = self._aot.get(key, -1) + 1
                self._aot[key] = index
                # sub-tables of an earlier entry are forgotten when a new entry starts
                for other in [k for k in self._aot if len(k) > len(key) and k[: len(key)] == key]:
                    del self._aot[other]
                current = self._resolve(raw, array_of_tables=True) + (index,)
                self.keys.setdefault(current, self._position(start))
                self.values.setdefault(current, self._position(start))
            elif text.startswith("[", self._i):
                start = self._i
                self._i += 1
                raw = self._dotted_key(stop="]")
                if not text.startswith("]", self._i):
                    raise _Stop
                self._i += 1
                current = self._resolve(raw, array_of_tables=False)
                self.keys.setdefault(current, self._position(start))
                self.values.setdefault(current, self._position(start))
            else:
                self._key_value(current)
            self._skip_blank(newlines=False)
            if self._i < len(text) and text[self._i] not in "\r\n":
                raise _Stop

    def _resolve(self, raw: list[str], array_of_tables: bool) -> Path:
        resolved: list[Key] = []
        for depth in range(len(raw)):
            resolved.append(raw[depth])
            prefix = tuple(raw[: depth + 1])
            last = depth == len(raw) - 1
            if prefix in self._aot and not (last and array_of_tables):
                resolved.append(self._aot[prefix])
        return tuple(resolved)

    def _dotted_key(self, stop: str) -> list[str]:
        parts: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            parts.append(self._key_part())
            self._skip_blank(newlines=False)
            if self._peek() == ".":
                self._i += 1
                continue
            return parts

    def _key_part(self) -> str:
        char = self._peek()
        if char == '"':
            return self._basic_string()
        if char == "'":
            return self._literal_string()
        match = _BARE_KEY.match(self._text, self._i)
        if not match:
            raise _Stop
        self._i = match.end()
        return match.group(0)

    def _key_value(self, table: Path) -> None:
        start = self._i
        key_positions: list[int] = []
        parts: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            key_positions.append(self._i)
            parts.append(self._key_part())
            self._skip_blank(newlines=False)
            if self._peek() == ".":
                self._i += 1
                continue
            break
        if self._peek() != "=":
            raise _Stop
        self._i += 1
        self._skip_blank(newlines=False)
        path = table
        for part, position in zip(parts, key_positions):
            path = path + (part,)
            self.keys.setdefault(path, self._position(position if len(parts) > 1 else start))
        self._value(path)

    def _value(self, path: Path) -> None:
        text = self._text
        self.values[path] = self._position(self._i)
        char = self._peek()
        if text.startswith('"""', self._i):
            self._multiline('"""')
        elif text.startswith("'''", self._i):
            self._multiline("'''")
        elif char == '"':
            self._basic_string()
        elif char == "'":
            self._literal_string()
        elif char == "[":
            self._array(path)
        elif char == "{":
            self._inline_table(path)
        else:
            match = _SCALAR_END.search(text, self._i)
            end = len(text) if match is None else match.start()
            if end == self._i:
                raise _Stop
            self._i = end

    def _array(self, path: Path) -> None:
        self._i += 1
        index = 0
        while True:
            self._skip_blank(newlines=True)
            if self._peek() == "]":
                self._i += 1
                return
            self._value(path + (index,))
            index += 1
            self._skip_blank(newlines=True)
            if self._peek() == ",":
                self._i += 1
            elif self._peek() == "]":
                self._i += 1
                return
            else:
                raise _Stop

    def _inline_table(self, path: Path) -> None:
        self._i += 1
        while True:
            self._skip_blank(newlines=True)
            if self._peek() == "}":
                self._i += 1
                return
            self._key_value(path)
            self._skip_blank(newlines=True)
            if self._peek() == ",":
                self._i += 1
            elif self._peek() == "}":
                self._i += 1
                return
            else:
                raise _Stop

    def _basic_string(self) -> str:
        text = self._text
        self._i += 1
        out: list[str] = []
        while True:
            char = text[self._i]
            if char == '"':
                self._i += 1
                return "".join(out)
            if char == "\n":
                raise _Stop
            if char == "\\":
                code = text[self._i + 1]
                if code in _ESCAPES:
                    out.append(_ESCAPES[code])
                    self._i += 2
                elif code in "uU":
                    width = 4 if code == "u" else 8
                    out.append(chr(int(text[self._i + 2 : self._i + 2 + width], 16)))
                    self._i += 2 + width
                elif code == "x":
                    out.append(chr(int(text[self._i + 2 : self._i + 4], 16)))
                    self._i += 4
                else:
                    raise _Stop
                continue
            out.append(char)
            self._i += 1

    def _literal_string(self) -> str:
        end = self._text.find("'", self._i + 1)
        newline = self._text.find("\n", self._i + 1)
        if end < 0 or (0 <= newline < end):
            raise _Stop
        value = self._text[self._i + 1 : end]
        self._i = end + 1
        return value

    def _multiline(self, quote: str) -> None:
        text = self._text
        self._i += 3
        while True:
            end = text.find(quote, self._i)
            if end < 0:
                raise _Stop
            if quote == '"""':
                # a quote preceded by an odd number of backslashes is escaped
                slashes = 0
                back = end - 1
                while back >= self._i and text[back] == "\\":
                    slashes += 1
                    back -= 1
                if slashes % 2:
                    self._i = end + 1
                    continue
            # up to two extra quotes may close the string (`""""` ends with one quote inside)
            close = end + 3
            while close < len(text) and text[close] == quote[0] and close - end < 5:
                close += 1
            self._i = close
            return


def decode_error_position(error: Exception, text: str = "") -> Position:
    """Line and column of a `TOMLDecodeError` (attributes on 3.14, the message before)."""
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    if match:
        return int(match.group(1)), int(match.group(2))
    if "end of document" in str(error) and text:
        return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1
    return 1, 1


def decode_error_message(error: Exception) -> str:
    message = getattr(error, "msg", None)
    if isinstance(message, str) and message:
        return message
    return re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(error))


def dotted(path: tuple[Any, ...]) -> str:
    """`tool.poetry.dependencies."my pkg"[0]`: where a value sits, as TOML users write it."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += ("." if out else "") + (key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"')
    return out


def type_name(value: Any) -> str:
    """How TOML (or YAML) calls the type of a parsed value, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "empty"
    return "a date or time"
