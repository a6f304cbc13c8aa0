"""The one record every rule produces and every reporter consumes."""

from __future__ import annotations

import enum

from guard._frozen import Frozen, _set

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` and `dataclasses` stay out of the pip wrapper's start-up
    from typing import Optional


class Severity(enum.IntEnum):
    """Ordered so that `severity >= settings.fail_on` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Accepts `info`, `warning` (or `warn`), `error`; raises ValueError otherwise."""
        value = text.strip().lower()
        if value == "warn":
            value = "warning"
        for member in cls:
            if member.label == value:
                return member
        raise ValueError(f"unknown severity {text!r} (expected info, warning or error)")


class Finding(Frozen):
    """One problem at one place.

    `line` and `column` are 1-based; 0 means "the whole file" (e.g. a file that cannot be read).
    `package` is the PEP 503 normalised name when the finding is about one dependency.
    `fix` is a one-line hint shown after the message.

    A frozen record (guard._frozen: equality, hashing and repr of a frozen dataclass);
    `finding.replace(fix=...)` makes a changed copy.
    """

    _fields = ("path", "line", "column", "code", "name", "severity", "message", "package", "fix")
    __slots__ = _fields

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        code: str,
        name: str,
        severity: Severity,
        message: str,
        package: Optional[str] = None,
        fix: Optional[str] = None,
    ) -> None:
        _set(self, "path", path)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "severity", severity)
        _set(self, "message", message)
        _set(self, "package", package)
        _set(self, "fix", fix)

    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    package: Optional[str]
    fix: Optional[str]

    def with_severity(self, severity: Severity) -> Finding:
        return self.replace(severity=severity)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)
