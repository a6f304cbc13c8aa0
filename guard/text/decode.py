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


def read_text(path: str, max_bytes: int = MAX_BYTES) -> str:
    """The decoded text of `path`, BOM removed; line endings are left as they are."""
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
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except UnreadableFile:
        raise
    except FileNotFoundError:
        raise UnreadableFile("no such file") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    return decode(data)


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableFile(f"is not valid {encoding} ({_where(data, error)})") from None
    if b"\x00" in data[:8192]:
        raise UnreadableFile("is a binary file")
    encoding = _declared_encoding(data) or "utf-8"
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
