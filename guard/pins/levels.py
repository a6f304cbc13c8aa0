"""Pin levels, weakest to strongest (see docs/pinning.md).

Kept free of `packaging` so that settings can name levels without paying for that import.
"""

from __future__ import annotations

import enum


class PinLevel(enum.IntEnum):
    ANY = 0  # no specifier at all
    CONSTRAINED = 1  # only an upper bound or exclusions: `requests<3`, `idna!=3.5`
    FLOOR = 2  # a lower bound and no upper: `requests>=2.31`
    BOUNDED = 3  # both bounds: `>=2,<3`, `~=2.32.0`, `==2.*`
    EXACT = 4  # one version: `==2.32.3`, `===2.32.3`, a VCS commit, a local file
    HASHED = 5  # exact plus a strong hash
    LOCKED = 6  # the whole closure fixed (hash mode or a lock file)

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> PinLevel:
        value = text.strip().lower()
        for member in cls:
            if member.label == value:
                return member
        names = ", ".join(member.label for member in cls)
        raise ValueError(f"unknown pin level {text!r} (expected one of {names})")


# What "the level is too low" sounds like in a message.
LEVEL_WORDS = {
    PinLevel.ANY: "is not pinned (any version)",
    PinLevel.CONSTRAINED: "is not pinned (only an upper bound or exclusions)",
    PinLevel.FLOOR: "is not pinned (only a lower bound)",
    PinLevel.BOUNDED: "is pinned to a range, not one version",
    PinLevel.EXACT: "is pinned but not hashed",
    PinLevel.HASHED: "is hashed but not installed in hash-checking mode",
    PinLevel.LOCKED: "is locked",
}
