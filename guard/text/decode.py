"""Reading a file as text without ever raising a traceback at the user.

Every problem becomes `UnreadableFile` with a one-line reason; callers turn it into a
`GRD101` finding and go on with the other files.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from typing import Optional

MAX_BYTES = 10 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# PEP 263 cookie, which pip's `auto_decode` also honours in the first two lines.
_CODING_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


class UnreadableFile(Exception):
    """The file cannot be read as text; `str(error)` is the one-line reason."""


# Files whose content is given rather than on disk (standard input under `--stdin-filename`):
# absolute path -> at most MAX_BYTES + 1 bytes. Every reader goes through `read_text` or
# `read_regular`, so each sees the given text in place of the disk's, under the same limits.
_IN_MEMORY: dict[str, bytes] = {}


def set_in_memory(path: str, data: bytes) -> None:
    for key in {os.path.abspath(path), os.path.realpath(path)}:
        _IN_MEMORY[key] = data


def clear_in_memory() -> None:
    _IN_MEMORY.clear()


def in_memory(path: str) -> Optional[bytes]:
    """The given content of `path`, or None when it is read from disk."""
    return _IN_MEMORY.get(os.path.abspath(path)) if _IN_MEMORY else None


def read_text(path: str, max_bytes: int = MAX_BYTES) -> str:
    """The decoded text of `path`, BOM removed; line endings are left as they are."""
    given = in_memory(path)
    if given is not None:
        if len(given) > max_bytes:
            raise UnreadableFile(f"is larger than the {max_bytes / (1024 * 1024):.0f} MB guard reads")
        return decode(given)
    try:
        if os.path.isdir(path):
            raise UnreadableFile("is a directory")
        if os.path.islink(path) and not os.path.exists(path):
            raise UnreadableFile("is a broken symbolic link")
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            # A FIFO or device would block or never end: only regular files are read.
            raise UnreadableFile("is not a regular file")
        size = os.path.getsize(path)
        if size > max_bytes:
            raise UnreadableFile(f"is {size / (1024 * 1024):.1f} MB, larger than the {max_bytes / (1024 * 1024):.0f} MB guard reads")
        data = read_regular(path, max_bytes + 1)
        if data is None:
            # swapped for a FIFO or device after the check above
            raise UnreadableFile("is not a regular file")
    except UnreadableFile:
        raise
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    return decode(data)


def read_regular(path: str, limit: int) -> Optional[bytes]:
    """Up to `limit` bytes of `path` when it is a regular file, else None; never blocks.

    Opened without blocking and checked on the open descriptor: a FIFO, a terminal or
    `/dev/stdin` (which pip may be about to read: `pip install -r /dev/stdin`) is never read.
    """
    given = in_memory(path)
    if given is not None:
        return given[:limit]
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        remaining = limit
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def encoding_of(data: bytes) -> tuple[bytes, Optional[str]]:
    """(byte order mark, its encoding) when `data` starts with one, else (b"", the PEP 263
    cookie's encoding or None): how guard reads a file, and how `--fix` writes it back."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return b"", _declared_encoding(data)


def decode(data: bytes) -> str:
    bom, declared = encoding_of(data)
    if bom:
        try:
            return data[len(bom) :].decode(declared or "utf-8")
        except UnicodeDecodeError as error:
            raise UnreadableFile(f"is not valid {declared} ({_where(data, error)})") from None
    if b"\x00" in data[:8192]:
        raise UnreadableFile("is a binary file")
    encoding = declared or "utf-8"
    try:
        return data.decode(encoding)
    except LookupError:
        raise UnreadableFile(f"declares unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"is not valid {encoding} ({_where(data, error)})") from None


def _declared_encoding(data: bytes) -> Optional[str]:
    for line in data.split(b"\n", 2)[:2]:
        match = _CODING_RE.match(line)
        if match:
            return match.group(1).decode("ascii")
    return None


def _where(data: bytes, error: UnicodeDecodeError) -> str:
    line = data.count(b"\n", 0, error.start) + 1
    return f"byte 0x{data[error.start]:02x} on line {line}"
