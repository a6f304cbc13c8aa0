"""`guard.pins.analysis.analyse` must agree with the frozen pre-optimisation copy, field by field.

`reference_pinning.py` beside this file is a verbatim copy of guard/pins/analysis.py from before the
fast paths were added (every requirement with extras, markers, ranges or `~=` then went through
`packaging.requirements.Requirement`). The generated texts below cover names, extras, every
operator, wildcards, local versions, pre/post/dev releases, markers (valid and invalid), URLs,
VCS refs, paths, archives, variables, garbage and whitespace variants, so that any text a fast
path accepts but packaging would read differently shows up here.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import random
import re
import sys
from types import ModuleType
from typing import Any, Iterator

import pytest

from guard.pins import analysis as pinning

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_reference() -> ModuleType:
    # Loaded from its path: tests/ is no package, and the name must not clash with anything.
    spec = importlib.util.spec_from_file_location("_guard_reference_pinning", os.path.join(HERE, "reference_pinning.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses looks its module up there
    spec.loader.exec_module(module)
    return module


reference = _load_reference()

NAMES = [
    "requests",
    "Foo.Bar",
    "a",
    "A1",
    "x_y-z",
    "zope.interface",
    "py",
    "Django",
    "foo--bar",
    "n0",
    # not valid PEP 508 names, or not as the whole name
    "-foo",
    "foo-",
    "foo_",
    "foo.",
    ".foo",
    "_foo",
    "fo o",
    "föo",
    "",
    "1",
    "a__b",
]
EXTRAS = ["", "[a]", "[a,b]", "[ a , b ]", "[]", "[ ]", "[a b]", "[a,]", "[a_]", "[", "[a]]", "[A.B-c]", "[a,,b]", "[-a]", "[é]"]
OPERATORS = ["==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "=>", "<>", "~", "=<", "!", "== ="]
VERSIONS = [
    "1",
    "1.0",
    "1.0.0",
    "10.20.30.40",
    "v1.0",
    "V2",
    "1!2.0",
    "0!0",
    "1.0a1",
    "1.0.a1",
    "1.0-alpha2",
    "1.0beta",
    "1.0rc",
    "1.0RC1",
    "1.0c1",
    "1.0pre1",
    "1.0preview2",
    "1.0.post1",
    "1.0post",
    "1.0-1",
    "1.0.r1",
    "1.0rev2",
    "1.0-dev",
    "1.0.dev3",
    "1.0dev",
    "1.0a1.post2.dev3",
    "1.0+local.1",
    "1.0+LOCAL",
    "1.0+a_b-c",
    "1.0+",
    "1.*",
    "1.0.*",
    "1.0a1.*",
    "1.0+abc.*",
    "*",
    "abc",
    "1.0..1",
    "1.0.",
    "1.0a.1",
    "1.0_post_1",
    "1.0 0",
    "١.٠",
    "1.0-",
    "1.0+ab..c",
    "01.02",
    "1.0a-1",
    "1.0.post-1",
    "1.0-r",
    "1.0_dev_1",
    "1.0.DEV1",
    "1.0ſ",
    "1.0+K",
    "1!",
    "!1",
    "1.0,",
    ".1",
    "1e3",
    "1.0.rc1.dev2+x",
    "2024.1.15",
    "1.0)",
]
MARKERS = [
    'python_version < "3.11"',
    "python_version>='3.9'",
    'sys_platform == "win32"',
    'os_name == "posix"',
    'platform_machine == "x86_64" and python_version < "3.12"',
    '(python_version < "3" or os_name == "nt")',
    'extra == "Test"',
    'implementation_name == "cpython"',
    'python_version ~= "3.1"',
    "platform_release == 'x'",
    'dependency_groups == "x"',
    '"3.8" <= python_version',
    # invalid
    "python_version <",
    'foo == "1"',
    "python_version < 3.11",
    'os_name == "posix" and',
    "",
    " ",
    'python_version < "3.11" extra',
    "(python_version < '3'",
    'python_version in "3.8 3.9"',
    "and",
    'python_version < "3.11";',
    'python_version < "3.11" # c',
    "python_version == '3' or or x",
]
MARKER_SEPARATORS = [";", "; ", " ;", " ; ", "  ;  ", "\t;"]
SPACES = ["", "", "", " ", "  ", "\t"]
SHA40 = "0123456789abcdef0123456789abcdef01234567"
URLS = [
    "https://files.example.org/p/pkg-1.0-py3-none-any.whl",
    "https://example.org/pkg-1.0.tar.gz#sha256=" + "ab" * 32,
    "https://example.org/pkg.zip#md5=00ff",
    f"git+https://github.com/a/b.git@{SHA40}#egg=b",
    "git+https://github.com/a/b.git@main",
    "git+https://github.com/a/b.git",
    "hg+https://hg.example.org/r@" + SHA40,
    "svn+https://svn.example.org/r@r123",
    "svn+https://svn.example.org/r@trunk",
    "bzr+https://bzr.example.org/r@1",
    "file:///tmp/pkg-1.0.tar.gz",
    "file:./local/dir",
    "FILE:///x/y",
    "http://x/y.whl?x=1#egg=z&sha512=" + "cd" * 64,
    "git+ssh://git@github.com/a/b@v1.0#egg=b[x]",
]
PATHS = [
    ".",
    "./dir",
    "../x",
    "~/x",
    "dir/sub",
    "C:\\x",
    "pkg-1.0.whl",
    "pkg-1.0.tar.gz",
    "./pkg-1.0.whl[extra]",
    "./x ; python_version < '3'",
    "dist/My_Pkg-2.0-py3-none-any.whl",
    "Pkg-1.0.TGZ",
    "x@./y",
    "./a@b",
    "pkg.tar",
]
DYNAMIC = ["${VAR}", "name==${V}", "$HOME/x", "pkg==${{ v }}", "name$x"]
HASHES: list[tuple[str, ...]] = [
    (),
    (),
    (),
    ("sha256:" + "ab" * 32,),
    ("md5:00ff",),
    ("sha1:",),
    ("bogus",),
    ("sha512:ff", "md5:aa"),
    ("sha256:ab", "sha384:cd"),
    ("sha224:ee", "x:y"),
]
GARBAGE_CHARS = "abcAB01.-_=<>!~*,;[]() \t@/#$\"'+:"


def _spec(rng: random.Random) -> str:
    return rng.choice(OPERATORS) + rng.choice(SPACES) + rng.choice(VERSIONS)


def _specs(rng: random.Random) -> str:
    count = rng.choice((0, 1, 1, 1, 2, 2, 3))
    separators = [",", ",", ", ", " , ", ",,", "\t,"]
    text = rng.choice(separators).join(_spec(rng) for _ in range(count))
    if count and rng.random() < 0.05:
        text += ","
    if count and rng.random() < 0.05:
        text = "(" + text + ")"
    return text


def _requirement(rng: random.Random) -> str:
    text = rng.choice(NAMES) + rng.choice(SPACES) + rng.choice(EXTRAS) + rng.choice(SPACES) + _specs(rng)
    if rng.random() < 0.4:
        text += rng.choice(MARKER_SEPARATORS) + rng.choice(MARKERS)
    return text + rng.choice(SPACES)


def _url_requirement(rng: random.Random) -> str:
    url = rng.choice(URLS)
    roll = rng.random()
    if roll < 0.5:
        text = rng.choice(NAMES) + rng.choice(EXTRAS) + rng.choice(["@", " @ ", " @", "@ "]) + url
    else:
        text = url
    if rng.random() < 0.3:
        text += rng.choice([" ; ", ";", " ;"]) + rng.choice(MARKERS)
    return text + rng.choice(SPACES)


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        position = rng.randint(0, len(chars))
        if roll < 0.4 or not chars:
            chars.insert(position, rng.choice(GARBAGE_CHARS))
        elif roll < 0.8:
            del chars[min(position, len(chars) - 1)]
        else:
            chars[min(position, len(chars) - 1)] = rng.choice(GARBAGE_CHARS)
    return "".join(chars)


def generate(seed: int, count: int) -> Iterator[tuple[str, tuple[str, ...], bool]]:
    rng = random.Random(seed)
    for _ in range(count):
        roll = rng.random()
        if roll < 0.55:
            text = _requirement(rng)
        elif roll < 0.65:
            text = _url_requirement(rng)
        elif roll < 0.72:
            text = rng.choice(PATHS) + rng.choice(SPACES)
        elif roll < 0.75:
            text = rng.choice(DYNAMIC)
        elif roll < 0.92:
            text = _mutate(rng, _requirement(rng) if rng.random() < 0.8 else _url_requirement(rng))
        else:
            text = "".join(rng.choice(GARBAGE_CHARS) for _ in range(rng.randint(0, 20)))
        yield text, rng.choice(HASHES), rng.random() < 0.05


_INVALID_SUFFIX = " is not a valid requirement: "


def _fields(info: Any) -> dict[str, Any]:
    fields = {field.name: getattr(info, field.name) for field in dataclasses.fields(info)}
    # The third deliberate difference: how much of an invalid line the message quotes (now
    # only up to where it stops being a requirement). The reading itself must agree.
    invalid = fields["invalid"]
    if isinstance(invalid, str) and _INVALID_SUFFIX in invalid:
        fields["invalid"] = invalid[invalid.index(_INVALID_SUFFIX) :]
    return fields


def _archive_blank_bug(text: str, editable: bool) -> bool:
    """The one deliberate difference: `pkg-1.0.whl ` (trailing blanks, left by a `\\`
    continuation) took the reference's `name` fast path and became package `pkg-1-0-whl`;
    it is now read as the archive it names. Such inputs are compared in their own test."""
    suffixes = reference.ARCHIVE_SUFFIXES
    return (
        not editable
        and not reference._DYNAMIC_RE.search(text)
        and bool(reference._SIMPLE_RE.match(text))
        and not text.lower().endswith(suffixes)
        and text.rstrip(" \t").lower().endswith(suffixes)
    )


_PRERELEASE_WILDCARD = re.compile(r"==\s*\d+(?:\.\d+)*(?:a|b|rc|\.post|\.dev|\+)[^,;]*\.\*")


def _prerelease_wildcard_bug(text: str) -> bool:
    """The second deliberate difference: `==1.0a1.*` (`.*` after a pre-, post- or dev release
    or a local label) is invalid by PEP 440, and pip refuses it; the reference's fast path read
    it as a wildcard range. Checked on its own in `test_prerelease_wildcards_are_invalid`."""
    return bool(_PRERELEASE_WILDCARD.search(text))


def test_prerelease_wildcards_are_invalid() -> None:
    for text in ("py==1.0a1.*", "django==4.0rc1.*", "x == 2.0.post1.*", "x==1.0.dev2.*", "y==1.0+cu121.*"):
        info = pinning.analyse(text)
        assert info.invalid is not None and ".* suffix cannot be used" in info.invalid, text
        assert _prerelease_wildcard_bug(text)
    assert pinning.analyse("x==1.0.*").wildcard and not _prerelease_wildcard_bug("x==1.0.*")


def _wheel_name_fix(actual: dict[str, Any]) -> bool:
    """The fourth deliberate difference: a bare wheel URL or path whose file name pip cannot
    read (`pkg-1.0.whl`, `http://x/y.whl`) is refused by pip, and now PIN108; the reference read
    it as an exact local file or URL. Checked on its own in `test_invalid_wheel_names_are_invalid`."""
    return isinstance(actual["invalid"], str) and "pip refuses the wheel file name" in actual["invalid"]


def _marker_split_fix(text: str, hashes: tuple[str, ...], editable: bool, actual: dict[str, Any]) -> bool:
    """The fifth: pip cuts a requirement's marker off at the first `;` and parses the halves
    apart, so `name;` (an empty marker) and `name @ URL;marker` read as the name (or URL)
    before the `;`, where packaging refused the whole text or took `URL;marker` for one URL.
    Such a reading must be the reference's reading of the text before the `;`."""
    if ";" not in text or editable:
        return False
    return actual == _fields(reference.analyse(text.split(";", 1)[0].strip(), hashes, editable))


def _words_then_path_fix(text: str, expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    """The sixth: a name-like first word, blanks, then a `/` (`see https://x`) is no directory
    pip could find nor an archive, so pip parses it as a requirement and refuses it; the
    reference took it for the project's own path. Checked in tests/requirements."""
    return bool(expected["first_party"]) and actual["invalid"] is not None and pinning._words_then_path(text)


def test_invalid_wheel_names_are_invalid() -> None:
    for text in ("pkg-1.0.whl", "./dist/pkg.whl", "http://x/y.whl?x=1", "https://x/p-1.x-py3-none-any.whl"):
        info = pinning.analyse(text)
        assert info.invalid is not None and "pip refuses the wheel file name" in info.invalid, text
    assert pinning.analyse("https://x/p-1.0-py3-none-any.whl").invalid is None
    assert pinning.analyse("p @ https://x/p.whl").invalid is None  # the name is given: pip reads no file name


def _check(cases: Iterator[tuple[str, tuple[str, ...], bool]]) -> int:
    compared = 0
    mismatches: list[str] = []
    for text, hashes, editable in cases:
        if _archive_blank_bug(text, editable) or _prerelease_wildcard_bug(text):
            continue
        expected = _fields(reference.analyse(text, hashes, editable))
        actual = _fields(pinning.analyse(text, hashes, editable))
        if expected != actual and (
            _wheel_name_fix(actual) or _marker_split_fix(text, hashes, editable, actual) or _words_then_path_fix(text, expected, actual)
        ):
            continue
        compared += 1
        if expected != actual:
            diff = {key: (expected[key], actual[key]) for key in expected if expected[key] != actual[key]}
            mismatches.append(f"{text!r} hashes={hashes} editable={editable}: {diff}")
    assert not mismatches, f"{len(mismatches)} mismatches, first ones:\n" + "\n".join(mismatches[:20])
    return compared


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_generated_texts_agree(seed: int) -> None:
    assert _check(generate(seed, 12000)) > 11000


def test_exhaustive_small_grammar_agrees() -> None:
    # Every extras x operator x version, with and without blanks around the operator, with
    # and without a marker: the cross product the fast paths are most likely to get wrong.
    # Names and tails rotate instead of multiplying, to keep the run short.
    names = ("requests", "Foo.Bar", "foo-", "a", "foo_")
    tails = ("", " ", ' ; python_version < "3.11"', ";os_name=='nt'", " ;python_version <", "\t")
    cases = []
    index = 0
    for extras in EXTRAS:
        for operator in OPERATORS:
            for version in VERSIONS:
                index += 1
                name, tail = names[index % len(names)], tails[index % len(tails)]
                cases.append((f"{name}{extras}{operator}{version}{tail}", (), False))
                cases.append((f"{name}{extras} {operator} {version}{tail}", ("sha256:ab",), False))
    assert _check(iter(cases)) == len([case for case in cases if not _prerelease_wildcard_bug(case[0])])


def test_pairs_of_specifiers_agree() -> None:
    # Two specifiers, same or different operators: str(SpecifierSet) sorts and de-duplicates.
    cases = []
    for first in OPERATORS[:8]:
        for second in OPERATORS[:8]:
            for version in ("1", "1.0", "1.0.0", "2.0", "1.0.*", "1.0+x", "1.0a1"):
                cases.append((f"pkg{first}1.0,{second}{version}", (), False))
                cases.append((f"pkg {first} 1.0 , {second} {version} ; os_name == 'nt'", (), False))
    assert _check(iter(cases)) == len(cases)


# (Wheels with a full file name: pip refuses `pkg-1.0.whl`, see `_wheel_name_fix`.)
@pytest.mark.parametrize("text", ["pkg-1.0-py3-none-any.whl ", "pkg-1.0-py3-none-any.whl\t", "Pkg-2.0.tar.gz  ", "pkg-1.0.ZIP \t"])
def test_archive_name_with_trailing_blanks_is_the_archive(text: str) -> None:
    # The fixed bug: same reading as without the blanks (a local file, named from its filename).
    assert _archive_blank_bug(text, False)
    for hashes in ((), ("sha256:" + "ab" * 32,)):
        fixed = pinning.analyse(text, hashes)
        assert _fields(fixed) == _fields(pinning.analyse(text.rstrip(" \t"), hashes))
        assert fixed.local_file and fixed.name == text.split("-")[0].lower()
