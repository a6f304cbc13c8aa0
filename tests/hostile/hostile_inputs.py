"""Small inputs that used to make guard hang or explode, one generator per case.

Shared by tests/hostile/test_hostile_inputs.py (each must finish, with findings and no
traceback, under a generous limit that only catches hangs) and benchmarks/hostile.py (time
and memory of each, as a user would measure them).
"""

from __future__ import annotations

from typing import Callable, Dict, Tuple

# name -> (file name, content)
Generator = Callable[[], Tuple[str, str]]


def gitlab_merge_chain() -> Tuple[str, str]:
    # each level merges the previous one twice: the expansion doubles per level
    lines = ["a0: &a0 {script: [pip install x]}"]
    for level in range(1, 25):
        lines.append(f"a{level}: &a{level}\n  <<: [*a{level - 1}, *a{level - 1}]\n  k{level}: v")
    lines.append("job:\n  <<: *a24\n  script: [pip install y]")
    return ".gitlab-ci.yml", "\n".join(lines) + "\n"


def requirement_blanks() -> Tuple[str, str]:
    return "requirements.txt", "a" + " " * 32000 + "x\n"


def makefile_nested_shell() -> Tuple[str, str]:
    depth = 2000
    return "Makefile", "X := " + "$(shell " * depth + "echo pip install x" + ")" * depth + "\nall:\n\tpip install $(X)\n"


def pipfile_lock_big() -> Tuple[str, str]:
    entries = ",\n".join(f'"pkg{i}": {{"hashes": ["sha256:{"0" * 64}"], "version": "==1.{i}"}}' for i in range(12000))
    return "Pipfile.lock", '{"_meta": {"hash": {"sha256": "x"}}, "default": {' + entries + '}, "develop": {}}\n'


def tox_duplicate_sections() -> Tuple[str, str]:
    return "tox.ini", "[testenv]\ndeps =\n    requests\n    flask==2.0\n" * 8000


def environment_unclosed_bracket() -> Tuple[str, str]:
    return "environment.yml", "name: x\ndependencies:\n  - [" + "numpy, " * 10000 + "\n"


def pep723_unclosed_blocks() -> Tuple[str, str]:
    return "script.py", "# /// script\n" * 16000


def pyproject_long_dotted_key() -> Tuple[str, str]:
    return "pyproject.toml", "[project]\nname = 'x'\n" + ".".join(["k"] * 25000) + " = 1\n"


def requirement_huge_line() -> Tuple[str, str]:
    return "requirements.txt", "x" * 6_500_000 + "\n"


def requirement_include_with_nul() -> Tuple[str, str]:
    return "requirements.txt", "-r " + "a" * 9000 + "\0b.txt\nrequests==2.0\n"


CASES: Dict[str, Generator] = {
    "gitlab-merge-chain": gitlab_merge_chain,
    "requirement-blanks": requirement_blanks,
    "makefile-nested-shell": makefile_nested_shell,
    "pipfile-lock-big": pipfile_lock_big,
    "tox-duplicate-sections": tox_duplicate_sections,
    "environment-unclosed-bracket": environment_unclosed_bracket,
    "pep723-unclosed-blocks": pep723_unclosed_blocks,
    "pyproject-long-dotted-key": pyproject_long_dotted_key,
    "requirement-huge-line": requirement_huge_line,
    "requirement-include-with-nul": requirement_include_with_nul,
}
