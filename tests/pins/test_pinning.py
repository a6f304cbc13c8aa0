"""Pin levels of single requirements, and the fast path agreeing with packaging's parse."""

from __future__ import annotations

import pytest

from guard.pins.analysis import _requirement_info, analyse
from guard.pins.levels import PinLevel

LEVELS = [
    ("requests", PinLevel.ANY),
    ("requests[socks]", PinLevel.ANY),
    ("requests<3", PinLevel.CONSTRAINED),
    ("idna!=3.5", PinLevel.CONSTRAINED),
    ("requests>=2.31", PinLevel.FLOOR),
    ("requests>2", PinLevel.FLOOR),
    ("requests>=2,<3", PinLevel.BOUNDED),
    ("requests~=2.32.0", PinLevel.BOUNDED),
    ("urllib3==2.*", PinLevel.BOUNDED),
    ("requests==2.32.3", PinLevel.EXACT),
    ("requests===2.32.3", PinLevel.EXACT),
    ("requests==2.32.3,!=2.32.2", PinLevel.EXACT),
    ("torch==2.3.0+cu121", PinLevel.EXACT),
    ('requests==2.32.3; python_version < "3.11"', PinLevel.EXACT),
    ("x @ git+https://github.com/o/r@" + "a" * 40, PinLevel.EXACT),
    ("x @ git+https://github.com/o/r@" + "a" * 64, PinLevel.EXACT),
    ("x @ git+https://github.com/o/r@v1.0", PinLevel.ANY),
    ("hg+https://h/r@" + "b" * 40 + "#egg=r", PinLevel.EXACT),
    ("svn+https://h/r@1234#egg=r", PinLevel.EXACT),
    ("pkg @ https://h/pkg-1.0.tar.gz#sha256=" + "c" * 64, PinLevel.HASHED),
    ("pkg @ https://h/pkg-1.0.tar.gz", PinLevel.EXACT),
    ("./dist/pkg-1.0-py3-none-any.whl", PinLevel.EXACT),
    ("pkg-1.0.tar.gz", PinLevel.EXACT),
    ("pkg @ file:///srv/wheels/pkg-1.0-py3-none-any.whl", PinLevel.EXACT),
]


@pytest.mark.parametrize(("text", "level"), LEVELS, ids=[t for t, _ in LEVELS])
def test_levels(text: str, level: PinLevel) -> None:
    assert analyse(text).level == level


def test_hash_raises_exact_to_hashed_only() -> None:
    sha = "sha256:" + "d" * 64
    assert analyse("requests==2.32.3", (sha,)).level == PinLevel.HASHED
    assert analyse("requests>=2", (sha,)).level == PinLevel.FLOOR


@pytest.mark.parametrize("text", [".", "./sub", ".[dev]", "../lib", "/abs/path", "~/src/pkg"])
def test_first_party_paths(text: str) -> None:
    info = analyse(text)
    assert (info.first_party, info.level) == (True, PinLevel.EXACT)


@pytest.mark.parametrize("text", [".", "./sub[extra]", "git+https://h/o/r@main#egg=r"])
def test_editables(text: str) -> None:
    info = analyse(text, editable=True)
    assert info.first_party == text.startswith(".")


# The fast path (a regular expression for `name` and `name==version`) must agree with the
# full parse through packaging on every text it accepts.
FAST = [
    "requests",
    "Requests",
    "zope.interface",
    "a",
    "a1",
    "my_pkg",
    "my-pkg",
    "requests==2.32.3",
    "requests == 2.32.3",
    "x==1",
    "x==1.0a1",
    "x==1.0rc2",
    "x==1.0.post1",
    "x==1.0.dev3",
    "x==1.0+local.7",
    "x==1.*",
    "x==1.2.*",
    "x==0",
    "A.B-C_D==10.20.30",
]


@pytest.mark.parametrize("text", FAST)
def test_fast_path_agrees_with_packaging(text: str) -> None:
    fast = analyse(text)
    slow = _requirement_info(text)
    assert (fast.name, fast.level, fast.wildcard, fast.invalid) == (slow.name, slow.level, slow.wildcard, slow.invalid)


@pytest.mark.parametrize("text", ["requests==abc", "x==1.0+", "-x", "x.==1", "requests=1.0"])
def test_texts_the_fast_path_refuses_still_get_judged(text: str) -> None:
    assert analyse(text).invalid is not None
