from __future__ import annotations

import os
from typing import Callable

import pytest

from guard.check.context import RunContext
from guard.config import load_settings
from guard.pipcalls.shellscript import check_files

Check = Callable[..., "list[tuple[str, int, int, str]]"]
Full = Callable[..., "list[tuple[str, str, int, int, str]]"]


def test_script_by_extension(check: Check) -> None:
    script = "#!/bin/sh\nset -e\npip install flask==3.0.3 requests\npython3 -m pip install -r requirements.txt\n"
    files = {"scripts/setup.sh": script, "scripts/requirements.txt": "idna==3.7\n"}
    assert check(files) == [("scripts/setup.sh", 3, 26, "PIN101")]


def test_missing_include_is_reported_at_the_option(check_full: Full) -> None:
    # at the `-r` word, as GRD103 is in a requirements file: the option and its path read as one
    assert check_full({"setup.sh": "pip install -r nowhere.txt\npip install --constraint=gone.txt -rmissing.txt\n"}) == [
        ("GRD103", "setup.sh", 1, 13, "`-r nowhere.txt` names a file that does not exist (looked for `nowhere.txt`)"),
        ("GRD103", "setup.sh", 2, 13, "`-c gone.txt` names a file that does not exist (looked for `gone.txt`)"),
        ("GRD103", "setup.sh", 2, 35, "`-r missing.txt` names a file that does not exist (looked for `missing.txt`)"),
    ]


def test_exported_require_hashes_applies_to_later_calls(check: Check) -> None:
    files = {"setup.sh": "export PIP_REQUIRE_HASHES=1\npip install -r r.txt\n", "r.txt": "idna==3.7\n"}
    assert check(files) == [("r.txt", 1, 1, "PIN105")]


def test_unbalanced_quotes_then_the_rest(check: Check) -> None:
    assert check({"setup.sh": "echo 'oops\nsudo pip install x==1\n"}) == [("setup.sh", 1, 6, "GRD102"), ("setup.sh", 2, 6, "CMD201")]


def test_suppression_comment(check: Check) -> None:
    assert check({"setup.sh": "pip install flask  # guard: ignore[PIN101]\n"}) == []


def test_shebang_script_without_extension(check: Check) -> None:
    assert check({"bin/bootstrap": "#!/usr/bin/env bash\nsudo pip3 install flask==3.0.3\n"}) == [("bin/bootstrap", 2, 6, "CMD201")]


def test_check_files_takes_any_path(tmp_path: os.PathLike[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Discovery may hand over extensionless scripts found by their shebang, absolute paths,
    the same file under several names, and paths that are no text file at all."""
    root = str(tmp_path)
    monkeypatch.chdir(root)
    os.makedirs(os.path.join(root, "bin", "dir"))
    files = {"bin/tool": "#!/bin/sh\r\nsudo pip install -r req.txt\r\n", "bin/req.txt": "x==1\n"}
    for name, text in files.items():
        with open(os.path.join(root, name), "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    with open(os.path.join(root, "bin", "blob"), "wb") as handle:
        handle.write(b"\x00\x01pip install x\n")
    context = RunContext(cwd=root, settings=load_settings(cwd="/", environ={}, use_config_file=False))
    check_files(["bin/tool", os.path.join(root, "bin", "tool"), "./bin/../bin/tool", "bin/dir", "bin/gone", "bin/blob"], context)
    assert [(f.code, f.path, f.line, f.column, f.message) for f in context.findings] == [
        ("CMD201", "bin/tool", 2, 6, "`sudo pip install` writes into the system Python as root"),
        ("GRD101", "bin/dir", 0, 0, "cannot read `bin/dir`: is a directory"),
        ("GRD101", "bin/gone", 0, 0, "cannot read `bin/gone`: no such file"),
        ("GRD101", "bin/blob", 0, 0, "cannot read `bin/blob`: is a binary file"),
    ]


def _redirected(line: int, column: int, written: str, name: str, operator: str, effect: str) -> tuple[str, str, int, int, str]:
    message = f"`{written}` is not quoted: the shell reads `{operator}` as {effect}, and pip installs `{name}` with no version"
    return ("CMD208", "s.sh", line, column, message)


def _unpinned(line: int, column: int, name: str) -> tuple[str, str, int, int, str]:
    return ("PIN101", "s.sh", line, column, f"`{name}` is not pinned (any version); pip installs in shell scripts require exact")


def test_unquoted_comparison_is_a_shell_redirect(check_full: Full) -> None:
    script = "pip install --upgrade pip>=26.1.1\npip install x>1.0 z<2\nuv pip install w>=1,<2\npipx install tool>=1\n"
    assert check_full({"s.sh": script}) == [
        _redirected(1, 23, "pip>=26.1.1", "pip", ">", "a redirect into the file `=26.1.1`"),
        ("PIN109", "s.sh", 1, 23, "installer package `pip` is not pinned (any version)"),
        _redirected(2, 13, "x>1.0", "x", ">", "a redirect into the file `1.0`"),
        _unpinned(2, 13, "x"),
        _redirected(2, 19, "z<2", "z", "<", "input from the file `2` (the command fails when there is none)"),
        _unpinned(2, 19, "z"),
        _redirected(3, 16, "w>=1,<2", "w", ">", "a redirect into the file `=1,`"),
        _unpinned(3, 16, "w"),
        _redirected(4, 14, "tool>=1", "tool", ">", "a redirect into the file `=1`"),
        _unpinned(4, 14, "tool"),
    ]


@pytest.mark.parametrize(
    "script",
    [
        pytest.param("pip install \"x>=1,<2\"==1 'y<2'==1\n", id="quoted"),
        pytest.param("pip install x==1 >log.txt 2>&1\n", id="redirect-after-a-blank"),
        pytest.param("pip install x==1 2>=1\n", id="file-descriptor"),
        pytest.param("echo x>=1\n", id="not-pip"),
        pytest.param("pip show x>=1\n", id="not-an-install"),
        pytest.param("pip install x==1 -r r.txt>=out\n", id="option-value"),
        pytest.param("pip install x==1>log\n", id="not-a-version"),
    ],
)
def test_redirects_left_alone(check_full: Full, script: str) -> None:
    files = {"s.sh": script, "r.txt": "idna==3.7\n"}
    assert [finding for finding in check_full(files) if finding[0] == "CMD208"] == []


def test_a_word_that_is_wholly_an_expansion_is_dynamic_not_invalid(check_full: Full) -> None:
    script = 'pip install "$@" "$(grep \'^pre-commit==\' r.txt)" `cat x` $1 $PKG ok==1\n'
    dynamic = "depends on a variable, so its pin cannot be checked"
    # `"$@"` and `$1` pass on the script's own arguments: whoever calls it decides, nothing here
    assert check_full({"s.sh": script}) == [
        ("PIN107", "s.sh", 1, 18, f"`$(grep '^pre-commit==' r.txt)` {dynamic}"),
        ("PIN107", "s.sh", 1, 50, f"``cat x`` {dynamic}"),
        ("PIN107", "s.sh", 1, 61, f"`$PKG` {dynamic}"),
    ]


def test_a_variable_naming_pip_may_hold_its_subcommand(check_full: Full) -> None:
    script = 'PIP_CALL="${PIP_CALL:-${PYTHON} -m pip install --user}"\n${PIP_CALL} --upgrade pip setuptools\n'
    assert check_full({"s.sh": script}) == []


def test_quoting_bash_accepts_is_no_error_and_hides_nothing(check_full: Full) -> None:
    script = 'A=${B:-"${D}"}\nA="${B:-"${D}"}"\nA=${B:-"a}"}\nA=${B:-\'}\'}\necho $\'it\\\'s\'\npip install x\n'
    assert check_full({"s.sh": script}) == [_unpinned(6, 13, "x")]


def test_pip_in_a_container_is_judged_for_pins_not_for_the_hosts_python(check_full: Full) -> None:
    script = "sudo docker exec c sudo pip install a\npoetry run sudo pip install b==1\n"
    assert check_full({"s.sh": script}) == [
        _unpinned(1, 37, "a"),
        ("CMD201", "s.sh", 2, 17, "`sudo pip install` writes into the system Python as root"),
    ]


def test_uv_tools_are_judged_as_pipx_apps(check_full: Full) -> None:
    script = (
        "uvx maturin build\n"
        "uvx ruff@0.6.0 check\n"
        'uvx --from "black==24.1.0" black .\n'
        "uv tool install tox --with tox-uv\n"
        'uv tool install "tox==4.2" --with "tox-uv==1.0"\n'
        "uvx pre-commit@latest run --all-files\n"
        "uv tool run --python 3.12 nox -s tests\n"
    )
    unpinned = "`{}` is not pinned (any version); pip installs in shell scripts require exact"
    assert check_full({"s.sh": script}) == [
        ("PIN101", "s.sh", 1, 5, unpinned.format("maturin")),
        ("PIN101", "s.sh", 4, 17, unpinned.format("tox")),
        ("PIN101", "s.sh", 4, 28, unpinned.format("tox-uv")),
        ("PIN101", "s.sh", 6, 5, unpinned.format("pre-commit")),
        ("PIN101", "s.sh", 7, 27, unpinned.format("nox")),
    ]


def test_an_expansion_that_adds_an_option_is_no_package(check_full: Full) -> None:
    script = 'pipx install ${PYTHON_PATH:+--python "$PYTHON_PATH"} "poetry==1.8.3"\n'
    assert check_full({"s.sh": script}) == []


def test_a_wheel_glob_is_expanded_by_the_shell_not_refused_by_pip(check_full: Full) -> None:
    script = "pip install dist/*.whl\npip install /wheels/*.whl ./dist/pkg-?.whl\n"
    assert check_full({"s.sh": script}) == []


def test_a_variable_program_running_pip_as_a_module(check_full: Full) -> None:
    script = "docker exec $CID $TOOL -m pip install -U virtualenv==$VERSION\n$PY -mpip install flask\n$RUNNER -m pytest\n"
    assert check_full({"setup.sh": script}) == [
        ("PIN107", "setup.sh", 1, 42, "`virtualenv==$VERSION` depends on a variable, so its pin cannot be checked"),
        ("PIN101", "setup.sh", 2, 19, "`flask` is not pinned (any version); pip installs in shell scripts require exact"),
    ]


@pytest.mark.parametrize(
    "spec",
    [
        '"$GITHUB_ACTION_PATH"',
        '"${GITHUB_WORKSPACE}[extra]"',
        "$GITHUB_WORKSPACE/dist/x-1.0-py3-none-any.whl",
        "$CI_PROJECT_DIR",
        "$PWD",
        '"$HOME/src/tool"',
        "-e $PWD/sub",
    ],
)
def test_a_path_under_a_directory_variable_is_a_local_install(check_full: Full, spec: str) -> None:
    assert check_full({"setup.sh": f"pip install {spec}\n"}) == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("$PWD2", "`$PWD2` depends on a variable, so its pin cannot be checked"),
        ('"$HOME/$PKG"', "this line (not shown: it does not start like a requirement) depends on a variable, so its pin cannot be checked"),
    ],
)
def test_other_variables_stay_dynamic(check_full: Full, spec: str, message: str) -> None:
    assert check_full({"setup.sh": f"pip install {spec}\n"}) == [("PIN107", "setup.sh", 1, 13, message)]
