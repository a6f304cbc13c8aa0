"""Lock files on their own: hashes, VCS commits, format versions; and what they cover."""

from __future__ import annotations

from pathlib import Path

import pytest
from manifest_helpers import COMMIT, at, findings, run
from manifest_locks import hashed, pdm_lock, pipfile_lock, poetry_lock, pylock, uv_lock

from guard.manifests.lockfiles import locked_names

UV_NO_HASH = 'version = 1\n\n[[package]]\nname = "requests"\nversion = "2.32.3"\nsource = { registry = "https://pypi.org/simple" }\n'
UV_GIT_BRANCH = (
    'version = 1\n\n[[package]]\nname = "mylib"\nversion = "0.1.0"\nsource = { git = "https://github.com/o/mylib?branch=main" }\n'
)
POETRY_NO_FILES = '[[package]]\nname = "requests"\nversion = "2.32.3"\nfiles = []\n\n[metadata]\nlock-version = "2.0"\n'
POETRY_GIT = (
    '[[package]]\nname = "mylib"\nversion = "0.1.0"\nfiles = []\n\n[package.source]\ntype = "git"\n'
    'url = "https://github.com/o/mylib.git"\nreference = "main"\n\n[metadata]\nlock-version = "2.1"\n'
)
PDM_NO_FILES = '[metadata]\nlock_version = "4.5.0"\n\n[[package]]\nname = "requests"\nversion = "2.32.3"\n'
PDM_GIT = '[metadata]\nlock_version = "4.5.0"\n\n[[package]]\nname = "mylib"\nversion = "0.1.0"\ngit = "https://github.com/o/mylib.git"\nref = "main"\n'
PYLOCK_NO_HASH = 'lock-version = "1.0"\ncreated-by = "x"\n\n[[packages]]\nname = "requests"\nversion = "2.32.3"\nwheels = [{ url = "https://f/requests-2.32.3-py3-none-any.whl" }]\n'
PYLOCK_VCS = 'lock-version = "1.0"\ncreated-by = "x"\n\n[[packages]]\nname = "mylib"\nvcs = { type = "git", url = "https://g/mylib", requested-revision = "main" }\n'
PIPFILE_NO_HASH = pipfile_lock({"requests": {"version": "==2.32.3"}, "idna": hashed()}, {"pytest": {"version": "==8.0.0", "hashes": []}})

# (id, file name, text, expected (code, needle, severity))
FLAGGED = [
    ("uv-entry-without-hash", "uv.lock", UV_NO_HASH, [("PIN203", '"requests"', "warning")]),
    ("uv-git-without-commit", "uv.lock", UV_GIT_BRANCH, [("PIN204", '"mylib"', "warning")]),
    ("uv-newer-format", "uv.lock", uv_lock("requests", version=2), [("GRD102", "2", "error")]),
    ("poetry-no-files", "poetry.lock", POETRY_NO_FILES, [("PIN203", '"requests"', "warning")]),
    ("poetry-git-without-resolved-reference", "poetry.lock", POETRY_GIT, [("PIN204", '"mylib"', "warning")]),
    ("poetry-newer-format", "poetry.lock", poetry_lock("requests", lock_version="3.0"), [("GRD102", '"3.0"', "error")]),
    ("pdm-no-files", "pdm.lock", PDM_NO_FILES, [("PIN203", '"requests"', "warning")]),
    ("pdm-git-without-revision", "pdm.lock", PDM_GIT, [("PIN204", '"mylib"', "warning")]),
    ("pylock-wheel-without-hash", "pylock.toml", PYLOCK_NO_HASH, [("PIN203", '"requests"', "warning")]),
    ("pylock-named-without-hash", "pylock.dev.toml", PYLOCK_NO_HASH, [("PIN203", '"requests"', "warning")]),
    ("pylock-vcs-without-commit", "pylock.toml", PYLOCK_VCS, [("PIN204", '"mylib"', "warning")]),
    ("pylock-newer-format", "pylock.toml", 'lock-version = "2.0"\n', [("GRD102", '"2.0"', "error")]),
    (
        "pipfile-lock-without-hashes",
        "Pipfile.lock",
        PIPFILE_NO_HASH,
        [("PIN203", '"requests"', "warning"), ("PIN203", '"pytest"', "warning")],
    ),
    ("pipfile-lock-newer-spec", "Pipfile.lock", '{"_meta": {"pipfile-spec": 7}, "default": {}}\n', [("GRD102", '"pipfile-spec"', "error")]),
    ("invalid-toml", "uv.lock", "version = 1\n[[package]\n", [("GRD102", "]\n", "error")]),
    ("invalid-json", "Pipfile.lock", '{"default": {,}}\n', [("GRD102", ",", "error")]),
]

LEFT_ALONE = [
    (
        "uv-hashed-and-local",
        "uv.lock",
        uv_lock("requests") + '\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        '\n[[package]]\nname = "tool"\nversion = "0.1.0"\nsource = { virtual = "tools" }\n'
        f'\n[[package]]\nname = "mylib"\nversion = "0.1.0"\nsource = {{ git = "https://g/mylib?branch=main#{COMMIT}" }}\n',
    ),
    (
        "poetry-hashed-and-directory",
        "poetry.lock",
        poetry_lock("requests").replace(
            "[metadata]",
            '[[package]]\nname = "sub"\nversion = "0.1.0"\nfiles = []\ndevelop = true\n\n[package.source]\ntype = "directory"\nurl = "sub"\n\n'
            f'[[package]]\nname = "mylib"\nversion = "0.1.0"\nfiles = []\n\n[package.source]\ntype = "git"\nurl = "https://g/mylib.git"\nreference = "main"\nresolved_reference = "{COMMIT}"\n\n[metadata]',
        ),
    ),
    (
        "poetry-legacy-metadata-files",
        "poetry.lock",
        '[[package]]\nname = "requests"\nversion = "2.32.3"\n\n[metadata]\nlock-version = "1.1"\n\n[metadata.files]\nrequests = [\n  {file = "requests-2.32.3.tar.gz", hash = "sha256:aa"},\n]\n',
    ),
    (
        "pdm-hashed-and-editable",
        "pdm.lock",
        pdm_lock("requests") + '\n[[package]]\nname = "sub"\nversion = "0.1.0"\npath = "./sub"\neditable = true\n',
    ),
    (
        "pylock-hashed-and-directory",
        "pylock.toml",
        pylock("requests") + '\n[[packages]]\nname = "sub"\ndirectory = { path = "sub", editable = true }\n',
    ),
    (
        "pipfile-lock-hashed-and-path",
        "Pipfile.lock",
        pipfile_lock(
            {"requests": hashed(), "app": {"path": ".", "editable": True}}, {"mylib": {"git": "https://g/mylib.git", "ref": COMMIT}}
        ),
    ),
    ("allowed-package", "uv.lock", UV_NO_HASH.replace("requests", "pip")),
]


@pytest.mark.parametrize(("name", "text", "expected"), [pytest.param(*case[1:], id=case[0]) for case in FLAGGED])
def test_flagged(tmp_path: Path, name: str, text: str, expected: list[tuple[str, str, str]]) -> None:
    rows = [(code, name, *at(text, needle), severity) for code, needle, severity in expected]
    assert run(tmp_path, {name: text}, allow=["pip"]) == rows


@pytest.mark.parametrize(("name", "text"), [pytest.param(*case[1:], id=case[0]) for case in LEFT_ALONE])
def test_left_alone(tmp_path: Path, name: str, text: str) -> None:
    assert run(tmp_path, {name: text}, allow=["pip"]) == []


def test_newer_format_message(tmp_path: Path) -> None:
    from manifest_helpers import findings

    found = findings(tmp_path, {"uv.lock": uv_lock("requests", version=2)})
    assert [f.message for f in found] == [
        "`uv.lock` uses lock format version 2, newer than guard reads (up to 1.x); its entries were not checked"
    ]


def test_locked_names_union_of_locks(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text(uv_lock("Requests"), encoding="utf-8")
    (tmp_path / "pylock.toml").write_text(pylock("idna"), encoding="utf-8")
    names = locked_names(str(tmp_path))
    assert names is not None and sorted(names) == ["idna", "requests"]


def test_no_lock_means_none(tmp_path: Path) -> None:
    assert locked_names(str(tmp_path)) is None


def test_uv_workspace_member_is_covered_by_the_root_lock(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.uv.workspace]\nmembers = ["packages/*"]\n', encoding="utf-8")
    (tmp_path / "uv.lock").write_text(uv_lock("requests"), encoding="utf-8")
    member = tmp_path / "packages" / "a"
    member.mkdir(parents=True)
    names = locked_names(str(member))
    assert names is not None and list(names) == ["requests"]


# A member that needs `requests`; the lock beside it has it, the workspace root's does not.
MEMBER = '[project]\nname = "member"\ndependencies = ["requests"]\n[tool.guard]\nproject-kind = "application"\n'
ROOT_LOCK = uv_lock("member")
STRAY_LOCK = uv_lock("requests")
VIRTUAL_ROOT = '[tool.uv.workspace]\nmembers = ["packages/*"]\n'
DRIFT = ("PIN202", "packages/m/pyproject.toml", 3, 17, "`requests` is declared but missing from `../../uv.lock`")
UNLOCKED = (
    "PIN101",
    "packages/m/pyproject.toml",
    3,
    17,
    "`requests` is not pinned (any version); an application's dependencies require exact",
)

# (id, root pyproject.toml, member pyproject.toml, expected findings on the member)
LOCK_CHOICE = [
    ("member-uses-the-root-lock", VIRTUAL_ROOT, MEMBER, [DRIFT]),
    (
        "root-project-with-workspace",
        '[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["packages/m"]\n',
        MEMBER,
        [DRIFT],
    ),
    ("excluded-member-uses-its-own", VIRTUAL_ROOT + 'exclude = ["packages/m"]\n', MEMBER, []),
    ("not-a-member-uses-its-own", '[tool.uv.workspace]\nmembers = ["libs/*"]\n', MEMBER, []),
    ("parent-without-workspace", '[project]\nname = "root"\n', MEMBER, []),
    ("member-declaring-its-own-workspace", VIRTUAL_ROOT, MEMBER + '[tool.uv.workspace]\nmembers = ["sub/*"]\n', []),
    ("member-not-managed-by-uv", VIRTUAL_ROOT, MEMBER + "[tool.uv]\nmanaged = false\n", []),
    ("root-pyproject-does-not-parse", "[tool.uv.workspace\n", MEMBER, []),
]


@pytest.mark.parametrize(("root", "member", "expected"), [pytest.param(*case[1:], id=case[0]) for case in LOCK_CHOICE])
def test_which_uv_lock_a_project_uses(tmp_path: Path, root: str, member: str, expected: list[tuple[str, str, int, int, str]]) -> None:
    from manifest_helpers import findings

    files = {"pyproject.toml": root, "uv.lock": ROOT_LOCK, "packages/m/pyproject.toml": member, "packages/m/uv.lock": STRAY_LOCK}
    found = findings(tmp_path, files, ["packages/m/pyproject.toml"])
    assert [(f.code, f.path, f.line, f.column, f.message) for f in found] == expected


def test_member_without_a_root_lock_is_unlocked(tmp_path: Path) -> None:
    from manifest_helpers import findings

    files = {"pyproject.toml": VIRTUAL_ROOT, "packages/m/pyproject.toml": MEMBER, "packages/m/uv.lock": STRAY_LOCK}
    found = findings(tmp_path, files, ["packages/m/pyproject.toml"])
    assert [(f.code, f.path, f.line, f.column, f.message) for f in found] == [UNLOCKED]


def test_other_tools_locks_stay_beside_the_member(tmp_path: Path) -> None:
    from manifest_helpers import findings

    files = {
        "pyproject.toml": VIRTUAL_ROOT,
        "uv.lock": ROOT_LOCK,
        "packages/m/pyproject.toml": MEMBER,
        "packages/m/poetry.lock": poetry_lock("member"),
    }
    found = findings(tmp_path, files, ["packages/m/pyproject.toml"])
    assert [(f.code, f.path, f.line, f.column, f.message) for f in found] == [
        ("PIN202", "packages/m/pyproject.toml", 3, 17, "`requests` is declared but missing from `../../uv.lock` and `poetry.lock`")
    ]


def test_pipfile_lock_positions_follow_the_written_order() -> None:
    from guard.manifests.lockfiles import _JsonPositions

    text = '{\n  "default": {\n    "b": {"version": "==1"},\n    "a": {"version": "==2"}\n  },\n  "develop": {\n    "a": {}\n  }\n}\n'
    positions = _JsonPositions(text)
    located = [
        positions.locate("default", "b"),
        positions.locate("default", "a"),
        positions.locate("develop", "a"),
        positions.locate("nope"),
    ]
    assert located == [(3, 5), (4, 5), (7, 5), (1, 1)]


APP_WITH_EXTRAS = (
    '[project]\nname = "app"\nversion = "1"\ndependencies = ["requests==1.0.0"]\n[project.optional-dependencies]\ncli = ["rich==13.0.0"]\n'
)


@pytest.mark.parametrize(
    ("lock_head", "expected"),
    [
        pytest.param("extras = []\n", [], id="a lock of no extras is no drift for them"),
        pytest.param(
            'extras = ["cli"]\n',
            [("PIN202", "pyproject.toml", 6, 8, "`rich` is declared but missing from `pylock.toml`")],
            id="a lock of that extra",
        ),
        pytest.param(
            "", [("PIN202", "pyproject.toml", 6, 8, "`rich` is declared but missing from `pylock.toml`")], id="a lock that does not say"
        ),
    ],
)
def test_pylock_extras_say_which_extras_it_covers(tmp_path: Path, lock_head: str, expected: list[tuple[str, str, int, int, str]]) -> None:
    files = {"pyproject.toml": APP_WITH_EXTRAS, "pylock.toml": lock_head + pylock("requests")}
    found = [(f.code, f.path, f.line, f.column, f.message) for f in findings(tmp_path, files) if f.code == "PIN202"]
    assert found == expected
