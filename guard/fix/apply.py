"""Reading a file for fixing and writing it back atomically, byte for byte outside the edits.

A file is read as bytes and decoded as guard reads it (BOM, PEP 263 cookie, else UTF-8); it
is only fixed when encoding the decoded text gives back the very same bytes, so nothing
outside the edits can change in the round trip. It is written to a temporary file in the
same folder with the original's mode, then renamed over it, and only when its bytes are
still what was read.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class FileText:
    """One file as read for fixing."""

    path: str  # the real path (a symlink is fixed where it points)
    data: bytes
    bom: bytes
    encoding: str
    text: str

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.encoding)


def read_for_fix(path: str) -> Union[FileText, str]:
    """The file's text, or why it cannot be rewritten."""
    from guard.text.decode import MAX_BYTES, read_regular

    real = os.path.realpath(path)
    try:
        data = read_regular(real, MAX_BYTES + 1)
    except OSError as error:
        return f"cannot read it again ({error.strerror or error})"
    if data is None:
        return "it is not a regular file"
    if len(data) > MAX_BYTES:
        return "it is larger than guard reads"
    bom, encoding = _encoding(data)
    try:
        text = data[len(bom) :].decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return f"it is not valid {encoding}"
    try:
        same = bom + text.encode(encoding) == data
    except UnicodeEncodeError:
        same = False
    if not same:
        return f"its {encoding} text would not be written back byte for byte"
    return FileText(real, data, bom, encoding, text)


def _encoding(data: bytes) -> tuple[bytes, str]:
    from guard.text.decode import encoding_of

    bom, encoding = encoding_of(data)
    return bom, encoding or "utf-8"


def write_fixed(original: FileText, text: str) -> Union[None, str]:
    """Write `text` over the file atomically; None when written, else why not."""
    from guard.text.decode import MAX_BYTES, read_regular

    new = original.encode(text)
    path = original.path
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as error:
        return f"cannot read it again ({error.strerror or error})"
    folder = os.path.dirname(path)
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".guard-fix-", suffix=".tmp")
    except OSError as error:
        return f"cannot write in its folder ({error.strerror or error})"
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        # compared last, just before the rename: an editor's save in between is never lost
        if read_regular(path, MAX_BYTES + 1) != original.data:
            os.unlink(temporary)
            return "it changed since guard read it; not rewritten"
        os.replace(temporary, path)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return f"cannot write it ({error.strerror or error})"
    return None
