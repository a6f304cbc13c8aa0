"""Each pin rule on requirement files: cases it flags and cases it leaves alone."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from guard.check.run import check_paths
from guard.config import load_settings

SHA = "sha256:" + "a" * 64
SHA_B = "sha256:" + "b" * 64
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _packaging_error(text: str) -> str:
    """packaging's own words for an invalid requirement (they vary between its versions)."""
    from packaging.requirements import InvalidRequirement, Requirement

    with pytest.raises(InvalidRequirement) as raised:
        Requirement(text)
    return str(raised.value).splitlines()[0]


def run(
    tmp_path: Path, files: dict[str, str], paths: Optional[list[str]] = None, **overrides: object
) -> list[tuple[str, str, int, int, str]]:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    settings = load_settings(cwd=tmp_path, environ={}, overrides=overrides or None)
    findings = check_paths(paths if paths is not None else ["requirements.txt"], settings, str(tmp_path))
    return [(f.code, f.path, f.line, f.column, f.message) for f in findings]


# (id, requirements.txt content, expected findings as (code, line, column, message))
FLAGGED = [
    ("bare-name", "requests\n", [("PIN101", 1, 1, "`requests` is not pinned (any version); requirement files require exact")]),
    ("floor", "numpy>=1.20\n", [("PIN101", 1, 1, "`numpy` is not pinned (only a lower bound); requirement files require exact")]),
    (
        "upper-only",
        "requests<3\n",
        [("PIN101", 1, 1, "`requests` is not pinned (only an upper bound or exclusions); requirement files require exact")],
    ),
    (
        "compatible-release",
        "requests~=2.32.0\n",
        [("PIN101", 1, 1, "`requests` is pinned to a range, not one version; requirement files require exact")],
    ),
    (
        "range",
        "  requests>=2,<3\n",
        [("PIN101", 1, 3, "`requests` is pinned to a range, not one version; requirement files require exact")],
    ),
    ("wildcard", "urllib3==2.*\n", [("PIN104", 1, 1, "`urllib3==2.*` is a range, not a pin")]),
    (
        "vcs-branch",
        "x @ git+https://github.com/o/r@main\n",
        [("PIN102", 1, 1, "`x @ git+https://github.com/o/r@main` names `@main`, not a full commit hash")],
    ),
    (
        "vcs-no-ref",
        "-e git+https://github.com/o/r#egg=r\n",
        [("PIN102", 1, 4, "`git+https://github.com/o/r#egg=r` names no revision, not a full commit hash")],
    ),
    (
        "vcs-short-sha",
        "git+https://github.com/o/r@abc1234#egg=r\n",
        [("PIN102", 1, 1, "`git+https://github.com/o/r@abc1234#egg=r` names `@abc1234`, not a full commit hash")],
    ),
    (
        "url-without-hash",
        "pkg @ https://example.org/pkg-1.0.tar.gz\n",
        [("PIN103", 1, 1, "`pkg @ https://example.org/pkg-1.0.tar.gz` is a URL without a hash")],
    ),
    (
        "partial-hashing",
        f"requests==2.32.3 --hash={SHA}\nidna==3.7\n",
        [("PIN105", 2, 1, "`idna==3.7` has no `--hash`, but other requirements have hashes: pip will refuse the install")],
    ),
    (
        "require-hashes-option",
        "--require-hashes\nidna==3.7\n",
        [("PIN105", 2, 1, "`idna==3.7` has no `--hash`, but `--require-hashes` is on: pip will refuse the install")],
    ),
    (
        "md5-only-in-hash-mode",
        f"idna==3.7 --hash=md5:0123456789abcdef0123456789abcdef\nsix==1.16.0 --hash={SHA}\n",
        [
            ("PIN105", 1, 1, "`idna==3.7` has no sha256/384/512 `--hash`, but other requirements have hashes: pip will refuse the install"),
            ("PIN106", 1, 1, "`idna==3.7` has a weak hash `md5`; pip accepts only sha256, sha384 and sha512"),
        ],
    ),
    (
        "hashed-exact-with-exclusion",
        f"idna==3.7,!=3.6 --hash={SHA}\n",
        [("PIN105", 1, 1, "`idna==3.7,!=3.6` is hashed but not pinned with `==`: pip will refuse the install")],
    ),
    ("hashed-wildcard-is-accepted-by-pip", f"idna==3.* --hash={SHA}\n", [("PIN104", 1, 1, "`idna==3.*` is a range, not a pin")]),
    (
        "continuation-blanks-not-quoted",
        f"idna>=3 \\\n    --hash={SHA}\n",
        [
            ("PIN101", 1, 1, "`idna` is not pinned (only a lower bound); requirement files require exact"),
            ("PIN105", 1, 1, "`idna>=3` is hashed but not pinned with `==`: pip will refuse the install"),
        ],
    ),
    (
        "variable-include",
        "-r ${REQS_DIR}/base.txt\n",
        [("PIN107", 1, 1, "`-r ${REQS_DIR}/base.txt` depends on a variable, so the file it names is not checked")],
    ),
    (
        "hashed-range",
        f"idna>=3 --hash={SHA}\n",
        [
            ("PIN101", 1, 1, "`idna` is not pinned (only a lower bound); requirement files require exact"),
            ("PIN105", 1, 1, "`idna>=3` is hashed but not pinned with `==`: pip will refuse the install"),
        ],
    ),
    (
        "editable-in-hash-mode",
        f"-e .\nidna==3.7 --hash={SHA}\n",
        [("PIN105", 1, 4, "`.` cannot be hashed, but other requirements have hashes: pip will refuse the install")],
    ),
    (
        "weak-hash",
        "idna==3.7 --hash=md5:0123456789abcdef0123456789abcdef\n",
        [("PIN106", 1, 1, "`idna==3.7` has a weak hash `md5`; pip accepts only sha256, sha384 and sha512")],
    ),
    (
        "malformed-hash",
        "idna==3.7 --hash=0123\n",
        [("PIN108", 1, 1, "`idna==3.7` has an invalid `--hash=0123`; pip expects `--hash=sha256:<hex>`")],
    ),
    (
        "dynamic",
        "requests==${REQUESTS_VERSION}\n",
        [("PIN107", 1, 1, "`requests==${REQUESTS_VERSION}` depends on a variable, so its pin cannot be checked")],
    ),
    ("single-equals", "flask=2.3.3\n", [("PIN108", 1, 1, "`flask=2.3.3` uses a single `=`; pip needs `==` (`flask==2.3.3`)")]),
    ("garbage", "requests[==2\n", [("PIN108", 1, 1, f"`requests[...` is not a valid requirement: {_packaging_error('requests[==2')}")]),
    (
        "bootstrap",
        "pip\nsetuptools>=68\n",
        [
            ("PIN109", 1, 1, "installer package `pip` is not pinned (any version)"),
            ("PIN109", 2, 1, "installer package `setuptools` is not pinned (only a lower bound)"),
        ],
    ),
    (
        "continuation-reported-at-first-line",
        "requests \\\n  >=2\n",
        [("PIN101", 1, 1, "`requests` is not pinned (only a lower bound); requirement files require exact")],
    ),
    (
        "crlf-and-bom",
        "\ufeffrequests\r\nidna==3.7\r\n",
        [("PIN101", 1, 1, "`requests` is not pinned (any version); requirement files require exact")],
    ),
    (
        "variable-credentials-and-a-tag",
        "git+https://${TOKEN}@github.com/o/r.git@9.5.30\n",
        [("PIN102", 1, 1, "`git+https://${TOKEN}@github.com/o/r.git@9.5.30` names `@9.5.30`, not a full commit hash")],
    ),
    (
        "variable-password-and-no-ref",
        "r @ git+https://oauth2:$X@github.com/o/r.git\n",
        [("PIN102", 1, 1, "`r @ git+https://oauth2:$X@github.com/o/r.git` names no revision, not a full commit hash")],
    ),
    (
        "variable-ref-beside-credentials",
        "git+https://${TOKEN}@github.com/o/r.git@${REF}\n",
        [("PIN107", 1, 1, "`git+https://${TOKEN}@github.com/o/r.git@${REF}` depends on a variable, so its pin cannot be checked")],
    ),
    (
        "blank-after-trailing-backslash",
        f"idna==3.7 \\ \n    --hash={SHA}\n",
        [("PIN108", 1, 1, "`idna==3.7 \\` is not a valid requirement: a `\\` followed by blanks does not continue the line")],
    ),
    (
        "backslash-alone-after-blanks",
        "idna==3.7\n  \\\t\n",
        [("PIN108", 2, 3, "`\\` is not a valid requirement: a `\\` followed by blanks does not continue the line")],
    ),
    (
        "unknown-feature",
        "--use-feature=resolvelib\nidna==3.7\n",
        [
            (
                "GRD102",
                1,
                1,
                "pip cannot parse `--use-feature=resolvelib`: option --use-feature: invalid choice: 'resolvelib' (choose from "
                "'fast-deps', 'inprocess-build-deps', 'venv-isolation', 'truststore', 'no-binary-enable-wheel-cache', 'build-constraint')",
            )
        ],
    ),
    (
        "editable-bare-name-no-directory",
        "-e notadir\n",
        [
            (
                "PIN108",
                1,
                4,
                "`notadir` is neither a local directory nor a VCS URL: pip refuses it after `-e` (a package from an index takes no `-e`)",
            )
        ],
    ),
    (
        "git-scheme-without-editable",
        f"git://host/r.git@{COMMIT}#egg=r\n",
        [
            (
                "PIN108",
                1,
                1,
                f"`git://host/r.git@{COMMIT}#egg=r` is not a valid requirement: pip reads a `git:` URL only after `-e`; "
                f"write `git+git://host/r.git@{COMMIT}#egg=r`",
            )
        ],
    ),
    (
        "editable-name-at-vcs-url-quoted",
        '-e "pkg[x] @ git+https://github.com/o/r"\n',
        [("PIN102", 1, 5, "`pkg[x] @ git+https://github.com/o/r` names no revision, not a full commit hash")],
    ),
    (
        "editable-name-at-archive-url",
        "-e 'pkg @ https://example.org/pkg-1.0.tar.gz'\n",
        [
            (
                "PIN108",
                1,
                5,
                "`pkg @ https://example.org/pkg-1.0.tar.gz` is not a valid editable requirement: `-e` takes a local directory or a VCS URL",
            )
        ],
    ),
    (
        "editable-vcs-without-egg",
        f"-e git+https://github.com/o/r@{COMMIT}\n",
        [
            (
                "PIN108",
                1,
                4,
                f"`git+https://github.com/o/r@{COMMIT}` names no project: pip refuses an editable VCS URL without `#egg=<name>` "
                f"(or write `<name> @ git+https://github.com/o/r@{COMMIT}`)",
            )
        ],
    ),
    (
        "refused-editable-in-hash-mode-is-not-also-unhashed",
        f"-e git+https://github.com/o/r@{COMMIT}\nidna==3.7 --hash={SHA}\n",
        [
            (
                "PIN108",
                1,
                4,
                f"`git+https://github.com/o/r@{COMMIT}` names no project: pip refuses an editable VCS URL without `#egg=<name>` "
                f"(or write `<name> @ git+https://github.com/o/r@{COMMIT}`)",
            )
        ],
    ),
    # pip 25 and later refuse it (InvalidEggFragment); 23.x and 24.x only warned
    (
        "egg-fragment-with-extras",
        "-e git+https://github.com/o/r@main#egg=pkg[x]\n",
        [
            (
                "PIN108",
                1,
                4,
                "`git+https://github.com/o/r@main#egg=pkg[x]` is not a valid URL for pip: its `#egg=` must be a project name alone (it is `pkg[x]`)",
            )
        ],
    ),
    (
        "marker-does-not-pin",
        'tomli; python_version < "3.11"\n',
        [("PIN101", 1, 1, "`tomli` is not pinned (any version); requirement files require exact")],
    ),
]

LEFT_ALONE = [
    ("exact", "requests==2.32.3\n"),
    ("arbitrary-equality", "requests===2.32.3\n"),
    ("local-version", "torch==2.3.0+cpu\n"),
    ("exact-with-extras-and-marker", 'requests[socks]==2.32.3 ; python_version >= "3.9"\n'),
    ("hashed", f"requests==2.32.3 \\\n    --hash={SHA} \\\n    --hash={SHA_B}\n"),
    ("vcs-full-commit", f"x @ git+https://github.com/o/r@{COMMIT}\n"),
    ("url-with-hash", "pkg @ https://example.org/pkg-1.0.tar.gz#sha256=" + "c" * 64 + "\n"),
    ("url-with-hash-option", f"https://example.org/pkg-1.0.tar.gz --hash={SHA}\n"),
    # a `#sha256=` on a URL is checked by pip but does not switch on hash-checking mode
    ("url-hash-does-not-start-hash-mode", "pkg @ https://example.org/pkg-2.0.tar.gz#sha256=" + "c" * 64 + "\nrequests==2.32.3\n"),
    ("project-itself", ".\n-e .\n./subdir\n.[dev]\n-e ./sub[extra]\n"),
    ("local-wheel", "./wheels/pkg-1.0-py3-none-any.whl\n"),
    ("options-only", "--index-url https://example.org/simple\n--pre\n"),
    ("comments", "# requests\n   # numpy>=1\n"),
    ("comment-line-with-backslash", "# note \\\nrequests==2.32.3\n"),
    ("pinned-bootstrap", "pip==24.0\nsetuptools==70.0.0\nwheel==0.43.0\n"),
    ("variable-credentials-and-full-commit", f"git+https://${{TOKEN}}@github.com/o/r.git@{COMMIT}\n"),
    ("user-and-password-and-full-commit", f"git+https://user:pa$$word@github.com/o/r.git@{COMMIT}#egg=r\n"),
    ("editable-git-scheme-at-full-commit", f"-e git://host/r.git@{COMMIT}#egg=r\n-e SVN://host/r@1234#egg=s\n"),
    ("features-of-the-newest-pip", "--use-feature=fast-deps\n--use-feature=build-constraint\n--use-feature truststore\n"),
    # pip 26.x: `--no-require-hashes` keeps a `--hash` from switching hash-checking mode on
    ("no-require-hashes-partial-hashing", f"--no-require-hashes\nrequests==2.32.3 --hash={SHA}\nidna==3.7\n"),
    ("release-control-options-of-the-newest-pip", "--all-releases :all:\n--only-final=idna\nidna==3.7\n"),
    ("editable-name-at-vcs-url-at-full-commit", f"-e 'pkg[x] @ git+https://github.com/o/r@{COMMIT}'\n"),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in FLAGGED])
def test_flagged(tmp_path: Path, text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert run(tmp_path, {"requirements.txt": text}) == [(c, "requirements.txt", ln, col, m) for c, ln, col, m in expected]


@pytest.mark.parametrize("text", [pytest.param(t, id=i) for i, t in LEFT_ALONE])
def test_left_alone(tmp_path: Path, text: str) -> None:
    assert run(tmp_path, {"requirements.txt": text}) == []


def test_constraints_file_included_by_the_same_file_pins(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-c constraints.txt\nrequests\nflask\n",
        "constraints.txt": "requests==2.32.3\nflask>=2\n",
    }
    assert run(tmp_path, files) == [
        ("PIN101", "constraints.txt", 2, 1, "`flask` is not pinned (only a lower bound); constraints files require exact"),
        ("PIN101", "requirements.txt", 3, 1, "`flask` is not pinned (only a lower bound); requirement files require exact"),
    ]


def test_include_followed_relative_to_including_file_and_reported_once(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-r requirements/base.txt\n",
        "requirements/dev.txt": "-r base.txt\npytest\n",
        "requirements/base.txt": "requests\n",
    }
    findings = run(tmp_path, files, paths=["requirements.txt", "requirements/dev.txt", "requirements/base.txt"])
    assert findings == [
        ("PIN101", "requirements/base.txt", 1, 1, "`requests` is not pinned (any version); requirement files require exact"),
        ("PIN101", "requirements/dev.txt", 2, 1, "`pytest` is not pinned (any version); requirement files require exact"),
    ]


def test_missing_include_and_cycle_are_findings(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-r a.txt\n--constraint=gone.txt\nidna==3.7\n",
        "a.txt": "six==1.16.0\n-r requirements.txt\n",
    }
    assert run(tmp_path, files) == [
        ("GRD104", "a.txt", 2, 1, "include cycle: requirements.txt -> a.txt -> requirements.txt"),
        ("GRD103", "requirements.txt", 2, 1, "included file `gone.txt` does not exist"),
    ]


def test_requirements_in_demands_nothing(tmp_path: Path) -> None:
    assert run(tmp_path, {"requirements.in": "requests\nnumpy>=1\n"}, paths=["requirements.in"]) == []


def test_allow_list_and_package_overrides(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": '[tool.guard]\nallow = ["Requests"]\n[tool.guard.packages]\n"torch*" = "bounded"\n"internal-*" = "ignore"\n',
        "requirements.txt": "requests\ntorch>=2,<3\ntorchvision>=0.1\ninternal-lib\nnumpy\n",
    }
    assert run(tmp_path, files) == [
        ("PIN101", "requirements.txt", 3, 1, "`torchvision` is not pinned (only a lower bound); requirement files require bounded"),
        ("PIN101", "requirements.txt", 5, 1, "`numpy` is not pinned (any version); requirement files require exact"),
    ]


@pytest.mark.parametrize(
    ("preset", "expected_codes"),
    [
        ("default", [("PIN101", 2), ("PIN101", 3)]),
        ("strict", [("PIN101", 1), ("PIN101", 2), ("PIN101", 3)]),
        ("lenient", [("PIN101", 3)]),
    ],
)
def test_presets(tmp_path: Path, preset: str, expected_codes: list[tuple[str, int]]) -> None:
    findings = run(tmp_path, {"requirements.txt": "requests==2.32.3\nidna<4\nsix\n"}, preset=preset)
    assert [(code, line) for code, _, line, _, _ in findings] == expected_codes


def test_fully_hashed_file_is_locked(tmp_path: Path) -> None:
    text = f"requests==2.32.3 --hash={SHA}\nidna==3.7 --hash={SHA_B}\n"
    assert run(tmp_path, {"requirements.txt": text}, preset="strict") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("requests  # guard: ignore[PIN101]\n", []),
        ("requests  # guard: ignore[unpinned-requirement] reviewed by security\n", []),
        ("requests  # guard: ignore[Requests]\n", []),
        ("requests  # guard: ignore\n", []),
        ("requests==2.32.3  # guard: ignore[PIN101]\n", [("GRD105", 1, 19, "suppression of `PIN101` suppresses nothing")]),
        ("requests==2.32.3  # guard: ignore[XYZ999]\n", [("GRD105", 1, 19, "suppression names unknown code `XYZ999`")]),
        (
            "requests  # guard: ignore[PIN102]\n",
            [
                ("PIN101", 1, 1, "`requests` is not pinned (any version); requirement files require exact"),
                ("GRD105", 1, 11, "suppression of `PIN102` suppresses nothing"),
            ],
        ),
        ("requests \\\n  >=2  # guard: ignore[PIN101]\n", []),
    ],
    ids=["code", "name-with-reason", "package", "bare", "unused", "unknown-code", "other-code", "continuation"],
)
def test_suppressions(tmp_path: Path, line: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert run(tmp_path, {"requirements.txt": line}) == [(c, "requirements.txt", ln, col, m) for c, ln, col, m in expected]


def test_suppression_of_an_ignored_code_is_not_reported(tmp_path: Path) -> None:
    assert run(tmp_path, {"requirements.txt": "requests  # guard: ignore[PIN101]\n"}, ignore=["PIN101"]) == []


def test_suppression_naming_a_switched_off_rule_by_name_is_not_reported(tmp_path: Path) -> None:
    assert run(tmp_path, {"requirements.txt": "requests  # guard: ignore[unpinned-requirement]\n"}, ignore=["PIN101"]) == []


def test_wildcard_is_reported_as_unpinned_when_pin104_is_off(tmp_path: Path) -> None:
    assert run(tmp_path, {"requirements.txt": "urllib3==2.*\n"}, ignore=["PIN104"]) == [
        ("PIN101", "requirements.txt", 1, 1, "`urllib3` is pinned to a range, not one version; requirement files require exact"),
    ]


def test_partial_hashing_in_an_included_file_names_the_install(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "flask==3.0.3\n",
        "requirements-dev.txt": f"-r requirements.txt\npytest==8.3.3 --hash={SHA}\n",
    }
    assert run(tmp_path, files, paths=["requirements.txt", "requirements-dev.txt"]) == [
        (
            "PIN105",
            "requirements.txt",
            1,
            1,
            "`flask==3.0.3` has no `--hash`, but other requirements of `requirements-dev.txt` have hashes: pip will refuse `pip install -r requirements-dev.txt`",
        ),
    ]


def test_variable_credentials_name_the_project_not_the_scheme(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "git+https://${TOKEN}@github.com/o/Repo.Name.git@v1\ngit+https://$U:$P@github.com/o/r@v1#egg=Proj_A\nx @ git+https://${T}@h/o/r@v1\n"
    )
    findings = check_paths(["requirements.txt"], load_settings(cwd=tmp_path, environ={}), str(tmp_path))
    assert [(f.code, f.line, f.package) for f in findings] == [("PIN102", 1, "repo-name"), ("PIN102", 2, "proj-a"), ("PIN102", 3, "x")]


def test_editable_bare_name_of_a_directory_is_the_project(tmp_path: Path) -> None:
    # pip takes `-e name` as a path when `name` is a directory of the working directory: one
    # beside the file, or beside a directory above it (`pip install -r sub/req.txt` from the top).
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "sub" / "lib").mkdir(parents=True)
    files = {"sub/requirements.txt": "-e mypkg\n-e lib[extra]\n-e gone\n"}
    assert run(tmp_path, files, paths=["sub/requirements.txt"]) == [
        (
            "PIN108",
            "sub/requirements.txt",
            3,
            4,
            "`gone` is neither a local directory nor a VCS URL: pip refuses it after `-e` (a package from an index takes no `-e`)",
        ),
    ]


def test_editables_in_constraints_files_are_refused(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-c pins.txt\nidna\n",
        "pins.txt": f"idna==3.7\n-e git+https://github.com/o/r@{COMMIT}#egg=r\n",
        "constraints.txt": "-e .\n",
    }
    assert run(tmp_path, files, paths=["requirements.txt", "constraints.txt"]) == [
        (
            "PIN108",
            "constraints.txt",
            1,
            4,
            "`-e .` is an editable in a constraints file: pip refuses it (a constraint is a name and versions)",
        ),
        (
            "PIN108",
            "pins.txt",
            2,
            4,
            f"`-e git+https://github.com/o/r@{COMMIT}#egg=r` is an editable in a constraints file: pip refuses it (a constraint is a name and versions)",
        ),
    ]


def test_constraints_with_extras_are_refused(tmp_path: Path) -> None:
    files = {
        "requirements.txt": "-c constraints.txt\nalpha\nbeta\n",
        "constraints.txt": "alpha[x]==1.0\nbeta[]==1.0\n",
    }
    assert run(tmp_path, files) == [
        ("PIN108", "constraints.txt", 1, 1, "`alpha[x]==1.0` is a constraint with extras: pip refuses it (constraints cannot have extras)"),
        ("PIN101", "requirements.txt", 2, 1, "`alpha` is not pinned (any version); requirement files require exact"),
    ]


def test_unnamed_constraints_are_refused(tmp_path: Path) -> None:
    # pip learns no project name from a directory, an sdist or a VCS URL without `#egg=`; a
    # wheel's file name and `name @` name one.
    files = {
        "constraints.txt": (
            f"./proj\ngit+https://github.com/o/r@{COMMIT}\n./dist/x-1.0.tar.gz\n"
            f"git+https://github.com/o/r@{COMMIT}#egg=r\nr @ git+https://github.com/o/r@{COMMIT}\n"
            "./dist/y-1.0-py3-none-any.whl\n"
        ),
    }
    why = "names no project: pip refuses an unnamed constraint (a constraint is a project name and versions)"
    assert run(tmp_path, files, paths=["constraints.txt"]) == [
        ("PIN108", "constraints.txt", 1, 1, f"`./proj` {why}"),
        ("PIN108", "constraints.txt", 2, 1, f"`git+https://github.com/o/r@{COMMIT}` {why}"),
        ("PIN108", "constraints.txt", 3, 1, f"`./dist/x-1.0.tar.gz` {why}"),
    ]


def test_an_include_with_a_nul_byte_is_a_missing_file(tmp_path: Path) -> None:
    text = "-r " + "a" * 9000 + "\0b.txt\nrequests==2.0\n"
    assert run(tmp_path, {"requirements.txt": text}) == [
        ("GRD103", "requirements.txt", 1, 1, "`-r` names a path with a NUL byte: no such file")
    ]
