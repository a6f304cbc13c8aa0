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
