"""`json.dumps(value, indent=2, ensure_ascii=False)`, byte for byte, with the C encoder doing the work.

Before Python 3.13 an `indent` makes the json module fall back to its pure-Python encoder, which
dominated a run with tens of thousands of findings. The C encoder takes no indent there but any
separators: a container whose values are all scalars is encoded in one call with `",\\n"` plus the
indentation as its item separator, and only the nesting above such containers is assembled here.
The C encoder escapes every control character inside strings, so the only raw newlines in its
output are those separators and the splice is exact. From 3.13 on the C encoder indents by itself.
"""

from __future__ import annotations

import json
import sys
from json.encoder import encode_basestring
from typing import Any, Callable

_INDENT = "  "
_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_LITERALS = {True: "true", False: "false", None: "null"}
_encode_string: Callable[[str], str] = encode_basestring  # the C function when the accelerator is there
_flat_encoders: dict[int, Callable[[Any], str]] = {}


def dumps(value: Any) -> str:
    """The text `json.dumps(value, indent=2, ensure_ascii=False)` gives."""
    if sys.version_info >= (3, 13):
        return json.dumps(value, indent=2, ensure_ascii=False)
    return spliced(value)


def spliced(value: Any) -> str:
    """What `dumps` does before Python 3.13 (public so the tests compare it on every version)."""
    parts: list[str] = []
    _write(value, 0, parts)
    return "".join(parts)


def _flat_encoder(depth: int) -> Callable[[Any], str]:
    """Encodes a value whose items, if it has any, sit at `depth` levels of indentation."""
    found = _flat_encoders.get(depth)
    if found is None:
        found = _make_flat_encoder(",\n" + _INDENT * depth)
        _flat_encoders[depth] = found
    return found


def _make_flat_encoder(item_separator: str) -> Callable[[Any], str]:
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no accelerator: the pure-Python encoder, still exact
        return json.JSONEncoder(ensure_ascii=False, separators=(item_separator, ": ")).encode
    # The arguments `JSONEncoder.iterencode` passes (3.9-3.12), without the circular-reference
    # markers: reports are trees built here.
    encode = make(None, json.JSONEncoder().default, encode_basestring, None, ": ", item_separator, False, False, True)

    def flat(value: Any) -> str:
        return "".join(encode(value, 0))

    return flat


def _write(value: Any, depth: int, parts: list[str]) -> None:
    kind = type(value)
    if kind is dict or isinstance(value, dict):
        items: Any = value.values()
        opening, closing = "{", "}"
    elif kind is list or kind is tuple or isinstance(value, (list, tuple)):
        items = value
        opening, closing = "[", "]"
    else:
        parts.append(_scalar(value, depth))
        return
    if not value:
        parts.append(opening + closing)
        return
    inner = "\n" + _INDENT * (depth + 1)
    if _SCALAR_TYPES.issuperset(map(type, items)):
        text = _flat_encoder(depth + 1)(value)
        parts.append(opening + inner + text[1:-1] + "\n" + _INDENT * depth + closing)
        return
    parts.append(opening)
    separator = inner
    next_separator = "," + inner
    if closing == "}":
        for key, item in value.items():
            parts.append(separator + (_encode_string(key) if type(key) is str else _key(key)) + ": ")
            parts.append(_encode_string(item)) if type(item) is str else _write(item, depth + 1, parts)
            separator = next_separator
    else:
        for item in value:
            parts.append(separator)
            parts.append(_encode_string(item)) if type(item) is str else _write(item, depth + 1, parts)
            separator = next_separator
    parts.append("\n" + _INDENT * depth + closing)


def _key(key: Any) -> str:
    """A key that is not a string, as json writes it (`1` -> `"1"`), or its TypeError."""
    return _flat_encoder(1)({key: None})[1 : -len(": null}")]


def _scalar(value: Any, depth: int) -> str:
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if value is None or kind is bool:
        return _LITERALS[value]
    if kind is int:
        return int.__repr__(value)
    # floats, subclasses, anything else: the encoder decides (and refuses what json refuses)
    return _flat_encoder(depth + 1)(value)
