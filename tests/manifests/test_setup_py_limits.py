"""setup.py that Python's own parser cannot read: one GRD102, never a crash (fuzzer findings)."""

from __future__ import annotations

import ast

import pytest

from guard.config import load_settings
from guard.manifests.setup_py import setup_py_findings

MESSAGE = "`setup.py` holds an expression too long or too deeply nested for Python's parser, so guard cannot check it"


def _findings(text: str) -> list[tuple[str, str, int, int, str]]:
    settings = load_settings(cwd="/", environ={}, use_config_file=False)
    return [(f.code, f.path, f.line, f.column, f.message) for f in setup_py_findings(text, "/x/setup.py", "setup.py", settings)]


@pytest.mark.parametrize(
    "text",
    [
        "x=" + "1+" * 3000 + "1\n",  # RecursionError in ast.parse
        "x = " + "-" * 5000 + "1\n",
        "from setuptools import setup\nsetup(install_requires=[" + "not " * 100000 + "1])\n",
    ],
    ids=["long-sum", "unary-run", "run-in-install-requires"],
)
def test_too_deep_for_the_parser_is_one_grd102(text: str) -> None:
    assert _findings(text) == [("GRD102", "setup.py", 1, 1, MESSAGE)]


def test_memory_error_from_the_parser_is_one_grd102(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(*_args: object, **_kwargs: object) -> ast.Module:
        raise MemoryError()

    monkeypatch.setattr(ast, "parse", parse)
    assert _findings("from setuptools import setup\nsetup(install_requires=['a'])\n") == [("GRD102", "setup.py", 1, 1, MESSAGE)]


def test_memory_error_while_reading_the_tree_is_one_grd102(monkeypatch: pytest.MonkeyPatch) -> None:
    from guard.manifests import setup_py

    def imported(_tree: ast.Module) -> dict[str, str]:
        raise RecursionError()

    monkeypatch.setattr(setup_py, "_imported_names", imported)
    assert _findings("from setuptools import setup\nsetup(install_requires=['a'])\n") == [("GRD102", "setup.py", 1, 1, MESSAGE)]


def test_cli_exit_code_is_a_finding_not_a_crash(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from guard.cli import main

    monkeypatch.chdir(str(tmp_path))
    with open("setup.py", "w", encoding="utf-8") as handle:
        handle.write("x=" + "1+" * 3000 + "1\n")
    assert main(["check", "--isolated", "setup.py"]) == 1
