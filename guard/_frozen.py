"""`Frozen`: what `@dataclass(frozen=True)` gives a record, written out by hand.

The pip wrapper starts guard before every pip call, and `dataclasses` (with the `inspect`,
`ast`, `dis` and `tokenize` it imports) costs it ~13 ms, most of a Python start. The records
on that path (`Finding`, `Rule`, `Classification`, `Decision`, `Override`) derive from this
class instead: each lists its fields in `_fields` (and `__slots__`) and writes a plain
`__init__` that stores them with `object.__setattr__`. The rest behaves as a frozen
dataclass does: equality and hashing by the tuple of fields (same class only), the same
`repr`, assignment and deletion refused, pickling and copying through the
constructor; `replace(**changes)` stands in for `dataclasses.replace`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Tuple, TypeVar

    _R = TypeVar("_R", bound="Frozen")

_set = object.__setattr__


class FrozenInstanceError(AttributeError):
    """Raised on assignment to (or deletion of) a field, as dataclasses' error of that name."""


class Frozen:
    __slots__ = ()
    _fields: Tuple[str, ...] = ()

    def _astuple(self) -> Tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Frozen)
        return self._astuple() == other._astuple()

    def __hash__(self) -> int:
        return hash(self._astuple())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({fields})"

    def __reduce__(self) -> Tuple[Callable[..., Any], Tuple[Any, ...]]:
        return (self.__class__, self._astuple())

    def replace(self: _R, **changes: Any) -> _R:
        """A copy with some fields changed, as `dataclasses.replace(self, **changes)`."""
        unknown = [name for name in changes if name not in self._fields]
        if unknown:
            raise TypeError(f"{self.__class__.__name__}.__init__() got an unexpected keyword argument {unknown[0]!r}")
        new = self.__class__.__new__(self.__class__)
        for name in self._fields:
            _set(new, name, changes[name] if name in changes else getattr(self, name))
        return new
