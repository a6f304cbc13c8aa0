"""The one record every rule produces and every reporter consumes."""

from __future__ import annotations

import enum

from guard._frozen import Frozen

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
    `end_line`/`end_column` say where the finding's text ends (1-based, the column just past
    its last character, as SARIF's `endColumn`); None until the reader that made it knows.

    A frozen record (guard._frozen: equality, hashing and repr of a frozen dataclass);
    `finding.replace(fix=...)` makes a changed copy.
    """

    _fields = ("path", "line", "column", "code", "name", "severity", "message", "package", "fix", "end_line", "end_column")
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
        end_line: Optional[int] = None,
        end_column: Optional[int] = None,
    ) -> None:
        # The slots' own setters (bound below the class): a direct call each, where
        # `object.__setattr__(self, "path", ...)` first looks the name up on the type.
        _set_path(self, path)
        _set_line(self, line)
        _set_column(self, column)
        _set_code(self, code)
        _set_name(self, name)
        _set_severity(self, severity)
        _set_message(self, message)
        _set_package(self, package)
        _set_fix(self, fix)
        _set_end_line(self, end_line)
        _set_end_column(self, end_column)

    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    package: Optional[str]
    fix: Optional[str]
    end_line: Optional[int]
    end_column: Optional[int]

    @property
    def end(self) -> tuple[int, int]:
        """Where the finding ends; its start when no reader said (a point, never before the start)."""
        if self.end_line is None or self.end_column is None:
            return (self.line, self.column)
        return (self.end_line, self.end_column)

    def with_severity(self, severity: Severity) -> Finding:
        return self.replace(severity=severity)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


# The slot descriptors' `__set__`, bound once: what `Finding.__init__` and `make_finding` store
# each field with (assignment through the instance is refused by `Frozen.__setattr__`).
(
    _set_path,
    _set_line,
    _set_column,
    _set_code,
    _set_name,
    _set_severity,
    _set_message,
    _set_package,
    _set_fix,
    _set_end_line,
    _set_end_column,
) = [Finding.__dict__[name].__set__ for name in Finding._fields]
_new = object.__new__


def make_finding(
    path: str,
    line: int,
    column: int,
    code: str,
    name: str,
    severity: Severity,
    message: str,
    package: Optional[str] = None,
    fix: Optional[str] = None,
    end_line: Optional[int] = None,
    end_column: Optional[int] = None,
) -> Finding:
    """`Finding(path, line, ...)` without the constructor call: for hot loops (one per finding)."""
    finding: Finding = _new(Finding)
    _set_path(finding, path)
    _set_line(finding, line)
    _set_column(finding, column)
    _set_code(finding, code)
    _set_name(finding, name)
    _set_severity(finding, severity)
    _set_message(finding, message)
    _set_package(finding, package)
    _set_fix(finding, fix)
    _set_end_line(finding, end_line)
    _set_end_column(finding, end_column)
    return finding
