"""The one record every rule produces and every reporter consumes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class Finding:
    """One problem at one place.

    `line` and `column` are 1-based; 0 means "the whole file" (e.g. a file that cannot be read).
    `package` is the PEP 503 normalised name when the finding is about one dependency.
    `fix` is a one-line hint shown after the message.
    """

    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    package: Optional[str] = None
    fix: Optional[str] = None

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)
