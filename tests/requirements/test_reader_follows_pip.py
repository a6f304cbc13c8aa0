"""Requirement lines guard used to read differently from pip: each from a minimal input.

Facts checked against pip 23.2.1 and 26.3 (`parse_requirements` then
`install_req_from_parsed_requirement`); where the two differ, guard follows the newest unless
told the target pip's version (`RequirementReader(pip_version=...)`, `parse_requirement_text`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from guard.check.context import PathDisplay
from guard.check.run import check_paths
from guard.config import load_settings
from guard.requirements.check import RequirementReader
from guard.requirements.reader import PipVersion, include_path, parse_requirement_text, pip_version_of

SHA = "sha256:" + "a" * 64


def run(tmp_path: Path, files: dict[str, str], paths: Optional[list[str]] = None) -> list[tuple[str, str, int, int, str]]:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    findings = check_paths(paths or ["requirements.txt"], load_settings(cwd=tmp_path, environ={}), str(tmp_path))
    return [(f.code, f.path, f.line, f.column, f.message) for f in findings]


def _packaging_error(text: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    with pytest.raises(InvalidRequirement) as raised:
        Requirement(text)
    return str(raised.value).splitlines()[0]


NOT_EDITABLE = "is neither a local directory nor a VCS URL: pip refuses it after `-e`"

# (id, requirements.txt, expected (code, line, column, message)) with the newest pip's reading.
FLAGGED = [
    (
        "no-break-space-inside-requirement",
        "requests\xa0==2.32.3\n",
        [("PIN108", 1, 1, f"`requests...` is not a valid requirement: {_packaging_error('requests' + chr(0xA0) + '==2.32.3')}")],
    ),
    (
        "wheel-name-without-version",
        "https://example.org/pkg.whl\n",
        [
            (
                "PIN108",
                1,
                1,
                "`https://example.org/pkg.whl` is not a valid requirement: pip refuses the wheel file name"
                " (Invalid wheel filename (wrong number of parts): 'pkg')",
            )
        ],
    ),
    (
        "wheel-name-with-invalid-version",
        "./dist/pkg-1.x-py3-none-any.whl\n",
        [
            (
                "PIN108",
                1,
                1,
                "`./dist/pkg-1.x-py3-none-any.whl` is not a valid requirement: pip refuses the wheel file name"
                " (Invalid wheel filename (invalid version): 'pkg-1.x-py3-none-any')",
            )
        ],
    ),
    (
        "editable-of-a-pin",
        "-e requests==1.0\n",
        [("PIN108", 1, 4, f"`requests==1.0` {NOT_EDITABLE} (a package from an index takes no `-e`)")],
    ),
    (
        "editable-of-an-archive-url",
        "-e https://example.org/p-1.0.tar.gz\n",
        [("PIN108", 1, 4, f"`https://example.org/p-1.0.tar.gz` {NOT_EDITABLE}")],
    ),
    ("editable-of-an-archive-path", "-e ./dist/p-1.0.tar.gz\n", [("PIN108", 1, 4, f"`./dist/p-1.0.tar.gz` {NOT_EDITABLE}")]),
    (
        "editable-with-a-marker",
        ". ; python_version>'3' -e ./x\n",
        [
            (
                "PIN108",
                1,
                1,
                "`. ; python_version>'3'` is neither a local directory nor a VCS URL as written (a marker or trailing"
                " blanks): pip refuses it after `-e`",
            )
        ],
    ),
    (
        "requirement-then-editable-is-the-editable-requirement",
        "idna==3.7 -e ./x\n",
        [("PIN108", 1, 1, f"`idna==3.7` {NOT_EDITABLE} (a package from an index takes no `-e`)")],
    ),
    (
        "words-then-a-url-is-no-path",
        "see https://example.org/x\n",
        [("PIN108", 1, 1, f"`see...` is not a valid requirement: {_packaging_error('see https://example.org/x')}")],
    ),
    (
        "no-break-space-between-option-and-value",
        "--index-url\xa0https://example.org/simple\n",
        [
            (
                "GRD102",
                1,
                1,
                "pip cannot parse `--index-url\xa0https://example.org/simple`: no such option: --index-url\xa0https://example.org/simple",
            )
        ],
    ),
    (
        "global-option-newest-pip",
        "six==1.0 --global-option=x\n",
        [("GRD102", 1, 1, "pip cannot parse `six==1.0 --global-option=x`: no such option: --global-option")],
    ),
    (
        "no-binary-takes-the-next-option-as-its-value",
        "--no-binary --pre\n",
        [("GRD102", 1, 1, "pip cannot parse `--no-binary --pre`: --no-binary / --only-binary option requires 1 argument.")],
    ),
    (
        "only-final-takes-the-next-option-as-its-value",
        "--only-final --pre\n",
        [("GRD102", 1, 1, "pip cannot parse `--only-final --pre`: --all-releases / --only-final option requires 1 argument.")],
    ),
]

# requirements.txt contents pip (23.2.1 and 26.3) accepts, on which guard has nothing to say.
LEFT_ALONE = [
    ("empty-marker", "requests==2.32.3;\n"),
    ("empty-marker-after-blanks", "requests==2.32.3 ; \n"),
    ("marker-glued-to-url", f"pkg @ https://example.org/pkg-1.0.tar.gz#sha256={'b' * 64};python_version>'3'\n"),
    ("empty-marker-after-url", f"pkg @ https://example.org/pkg-1.0.tar.gz#sha256={'b' * 64};\n"),
    ("config-settings-short-option", "pkg==1.0 -C key=value\n"),
    ("no-break-space-before-option", f"requests==2.32.3\xa0 --hash={SHA}\n"),
    ("valid-wheel-url", f"https://example.org/pkg-1.0-py3-none-any.whl#sha256={'c' * 64}\n"),
    ("named-wheel-url", f"pkg @ https://example.org/pkg.whl#sha256={'c' * 64}\n"),
]


@pytest.mark.parametrize("text, expected", [pytest.param(t, e, id=i) for i, t, e in FLAGGED])
def test_flagged(tmp_path: Path, text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert run(tmp_path, {"requirements.txt": text}) == [
        (code, "requirements.txt", line, column, message) for code, line, column, message in expected
    ]


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in LEFT_ALONE])
def test_left_alone(tmp_path: Path, text: str) -> None:
    assert run(tmp_path, {"requirements.txt": text}) == []


def test_launchpad_branch_is_a_vcs_url(tmp_path: Path) -> None:
    # `bzr+lp:` is a URL to pip (no `//`): a VCS requirement without a revision, not invalid.
    assert run(tmp_path, {"requirements.txt": "bzr+lp:proj#egg=proj\n"}) == [
        ("PIN102", "requirements.txt", 1, 1, "`bzr+lp:proj#egg=proj` names no revision, not a full commit hash")
    ]


def test_requirement_file_included_by_a_constraints_file_installs(tmp_path: Path) -> None:
    # pip reads `-r` as requirements wherever it stands, a `-c` file included: `six` installs.
    files = {"requirements.txt": "-c constraints.txt\n", "constraints.txt": "-r more.txt\n", "more.txt": "six\n"}
    assert run(tmp_path, files) == [
        ("PIN101", "more.txt", 1, 1, "`six` is not pinned (any version); requirement files require exact"),
    ]


def test_file_url_include_is_read_from_the_root() -> None:
    # pip opens `-r file:base.txt` as the URL says, not beside the including file.
    assert include_path("/project/sub/requirements.txt", "file:base.txt") == "/base.txt"
    assert include_path("/project/sub/requirements.txt", "file:///srv/base.txt") == "/srv/base.txt"


def _deps(text: str, pip_version: Optional[PipVersion]) -> list[tuple[str, bool, tuple[str, ...]]]:
    parsed = parse_requirement_text("requirements.txt", text, "requirements", pip_version=pip_version)
    return [(dep.text, dep.editable, dep.hashes) for dep in parsed.deps]


def _errors(text: str, pip_version: Optional[PipVersion]) -> list[str]:
    return [error.message for error in parse_requirement_text("requirements.txt", text, "requirements", pip_version=pip_version).errors]


def test_requirement_then_editable_follows_the_target_pip() -> None:
    # pip >= 25 makes `REQ ... -e X` the editable REQ (no hashes); 23.x the requirement REQ.
    text = f"idna==3.7 --hash={SHA} -e ./x\n"
    assert _deps(text, (23, 2)) == [("idna==3.7", False, (SHA,))]
    assert _deps(text, (26, 3)) == [("idna==3.7", True, ())]
    assert _deps(text, None) == [("idna==3.7", True, ())]


def test_global_option_follows_the_target_pip() -> None:
    assert _errors("six==1.0 --global-option=x\n", (23, 2)) == []
    assert _errors("six==1.0 --global-option=x\n", (25, 0)) == [
        "pip cannot parse `six==1.0 --global-option=x`: no such option: --global-option"
    ]


def test_pip_26_options_follow_the_target_pip() -> None:
    assert _errors("--no-require-hashes\n--only-final=:all:\n", None) == []
    assert _errors("--no-require-hashes\n", (23, 2)) == ["pip cannot parse `--no-require-hashes`: no such option: --no-require-hashes"]
    # Without pip 26's `--only-final`, `--o` abbreviates `--only-binary` alone.
    assert _errors("--o=idna\n", (23, 2)) == []
    assert _errors("--o=idna\n", None) == ["pip cannot parse `--o=idna`: ambiguous option: --o (--only-binary, --only-final?)"]


def test_use_feature_names_follow_the_target_pip() -> None:
    assert _errors("--use-feature=venv-isolation\n", None) == []
    assert _errors("--use-feature=build-constraint\n", (25, 3)) == []
    assert _errors("--use-feature=build-constraint\n", (24, 3)) == [
        "pip cannot parse `--use-feature=build-constraint`: option --use-feature: invalid choice: 'build-constraint'"
        " (choose from 'fast-deps', 'truststore', 'no-binary-enable-wheel-cache')"
    ]
    assert _errors("--use-feature=venv-isolation\n", (23, 2)) == [
        "pip cannot parse `--use-feature=venv-isolation`: option --use-feature: invalid choice: 'venv-isolation'"
        " (choose from 'fast-deps', 'truststore', 'no-binary-enable-wheel-cache')"
    ]


def test_reader_passes_the_target_pip_on(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("six==1.0 --global-option=x\n", encoding="utf-8")
    old = RequirementReader(PathDisplay(str(tmp_path)), pip_version=(24, 3)).tree(str(tmp_path / "requirements.txt"))
    new = RequirementReader(PathDisplay(str(tmp_path))).tree(str(tmp_path / "requirements.txt"))
    assert [(dep.text, dep.options) for dep in old.deps] == [("six==1.0", {"global_options": ["x"]})]
    assert [(f.code, f.line) for f in new.findings] == [("GRD102", 1)]


@pytest.mark.parametrize("text, expected", [("26.3", (26, 3)), ("24.0.1", (24, 0)), ("25.1.dev0", (25, 1)), ("unknown", None)])
def test_pip_version_of(text: str, expected: Optional[PipVersion]) -> None:
    assert pip_version_of(text) == expected


# (id, file bytes, expected findings): pip 26's `_decode_req_file` honours a PEP 263 cookie only
# on a line starting with `#` among the first two, with any `\s` after `coding:`; else utf-8.
COOKIES = [
    ("cookie-at-line-start", b"#coding=latin-1\nidna==3.7 # caf\xe9\n", []),
    (
        "indented-cookie-is-no-cookie",
        b"idna==3.7\n  # coding: latin-1\nsix==1.0 # caf\xe9\n",
        [("GRD101", "requirements.txt", 0, 0, "cannot read `requirements.txt`: is not valid utf-8 (byte 0xe9 on line 3)")],
    ),
    (
        "cookie-after-a-form-feed",
        b"#coding:\x0clatin-1\nidna==3.7 # caf\xe9\n",
        [("PIN101", "requirements.txt", 2, 1, "`latin-1` is not pinned (any version); requirement files require exact")],
    ),
    ("cookie-on-the-third-line-is-no-cookie", b"idna==3.7\n\n# coding: latin-1\n", []),
]


@pytest.mark.parametrize("content, expected", [pytest.param(c, e, id=i) for i, c, e in COOKIES])
def test_encoding_cookie_as_pip_reads_it(tmp_path: Path, content: bytes, expected: list[tuple[str, str, int, int, str]]) -> None:
    (tmp_path / "requirements.txt").write_bytes(content)
    assert run(tmp_path, {}) == expected
