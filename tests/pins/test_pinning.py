"""Pin levels of single requirements, and the fast path agreeing with packaging's parse."""

from __future__ import annotations

from pathlib import Path

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


COMMIT = "0123456789abcdef0123456789abcdef01234567"

# (id, text, editable, expected (name, level, mutable_ref, dynamic, invalid))
URL_READINGS = [
    ("variable-token-and-tag", "git+https://${TOKEN}@github.com/o/r.git@9.5.30", False, ("r", PinLevel.ANY, "9.5.30", False, None)),
    ("variable-token-and-commit", f"git+https://${{TOKEN}}@github.com/o/r.git@{COMMIT}", False, ("r", PinLevel.EXACT, None, False, None)),
    ("user-and-password", "git+https://user:pass@github.com/o/r.git@v1#egg=Proj", False, ("proj", PinLevel.ANY, "v1", False, None)),
    ("oauth2-variable-no-ref", "r @ git+https://oauth2:$X@github.com/o/r.git", False, ("r", PinLevel.ANY, "", False, None)),
    (
        "ci-expression-credentials",
        "git+https://x-access-token:${{ secrets.T }}@github.com/o/r@v1",
        False,
        ("r", PinLevel.ANY, "v1", False, None),
    ),
    ("variable-ref-stays-dynamic", "git+https://${T}@github.com/o/r.git@${REF}", False, ("r", PinLevel.ANY, None, True, None)),
    ("variable-host-stays-dynamic", "git+https://${HOST}/o/lib.git@v1#egg=lib", False, ("lib", PinLevel.ANY, None, True, None)),
    ("repository-name-without-egg", "hg+https://h/o/My_Lib@" + "b" * 40, False, ("my-lib", PinLevel.EXACT, None, False, None)),
    ("editable-git-scheme", f"git://host/r.git@{COMMIT}#egg=r", True, ("r", PinLevel.EXACT, None, False, None)),
    ("editable-git-scheme-branch", "GIT://host/r.git@main#egg=r", True, ("r", PinLevel.ANY, "main", False, None)),
    ("editable-name-at-vcs-url", "pkg[x] @ git+https://github.com/o/r", True, ("pkg", PinLevel.ANY, "", False, None)),
    (
        "git-scheme-without-editable",
        "git://host/r.git@main#egg=r",
        False,
        (
            "git",
            PinLevel.ANY,
            None,
            False,
            "`git://host/r.git@main#egg=r` is not a valid requirement: pip reads a `git:` URL only after `-e`; "
            "write `git+git://host/r.git@main#egg=r`",
        ),
    ),
    (
        "editable-vcs-without-egg",
        "git+https://h/o/r@main",
        True,
        (
            "r",
            PinLevel.ANY,
            None,
            False,
            "`git+https://h/o/r@main` names no project: pip refuses an editable VCS URL without `#egg=<name>` "
            "(or write `<name> @ git+https://h/o/r@main`)",
        ),
    ),
    (
        "empty-egg-fragment",
        "x @ https://h/x-1.0.tar.gz#egg=",
        False,
        (
            "x",
            PinLevel.ANY,
            None,
            False,
            "`https://h/x-1.0.tar.gz#egg=` is not a valid URL for pip: its `#egg=` must be a project name alone (it is empty)",
        ),
    ),
    ("egg-fragment-with-subdirectory", "git+https://h/o/r@v1#egg=Proj&subdirectory=s", False, ("proj", PinLevel.ANY, "v1", False, None)),
    (
        "blank-before-trailing-backslash",
        "idna==3.7 \\",
        False,
        (
            "idna",
            PinLevel.ANY,
            None,
            False,
            "`idna==3.7 \\` is not a valid requirement: a `\\` followed by blanks does not continue the line",
        ),
    ),
]


@pytest.mark.parametrize(("text", "editable", "expected"), [pytest.param(t, e, x, id=i) for i, t, e, x in URL_READINGS])
def test_url_readings(text: str, editable: bool, expected: tuple[object, ...]) -> None:
    info = analyse(text, (), editable)
    assert (info.name, info.level, info.mutable_ref, info.dynamic, info.invalid) == expected


@pytest.mark.parametrize("text", ["C:\\src\\pkg\\", ".\\sub\\"])
def test_backslash_ending_a_windows_path_is_not_a_refused_continuation(text: str) -> None:
    # Only a `\` after blanks is what a `\` + blanks line ending leaves; a Windows path may end in one.
    info = analyse(text)
    assert (info.first_party, info.invalid) == (True, None)


def test_pip_calls_in_files_read_credentials_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # pip calls in files go through the same analysis as requirement files.
    from guard.check.run import check_paths
    from guard.config import load_settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12\nARG TOKEN\n"
        f'RUN pip install "git+https://${{TOKEN}}@github.com/o/r.git@9.5.30" "git+https://${{TOKEN}}@github.com/o/lib.git@{COMMIT}"\n'
    )
    findings = check_paths(["Dockerfile"], load_settings(cwd=tmp_path, environ={}, use_config_file=False), str(tmp_path))
    assert [(f.code, f.path, f.line, f.column, f.message, f.package) for f in findings] == [
        ("PIN102", "Dockerfile", 3, 17, "`git+https://${TOKEN}@github.com/o/r.git@9.5.30` names `@9.5.30`, not a full commit hash", "r"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "pdm[locked] @ file://$(ls ${GITHUB_WORKSPACE}/dist/*.whl)",
        "pkg @ file:///$DIST/pkg-1.0-py3-none-any.whl",
        "Pkg @ FILE:./dist/$WHEEL",
    ],
)
def test_a_local_file_with_a_variable_path_is_the_artifact_not_a_dynamic_version(text: str) -> None:
    info = analyse(text)
    assert (info.level, info.local_file, info.dynamic, info.invalid) == (PinLevel.EXACT, True, False, None)


def test_a_remote_url_with_a_variable_stays_dynamic() -> None:
    info = analyse("pkg @ https://example.org/${V}/pkg.whl")
    assert (info.dynamic, info.local_file) == (True, False)
