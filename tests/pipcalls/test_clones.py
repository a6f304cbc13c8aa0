"""`git clone URL` and then installing the clone's directory: the default branch, that day."""

from __future__ import annotations

from typing import Callable

import pytest

Full = Callable[..., "list[tuple[str, str, int, int, str]]"]


def _pin102(line: int, column: int, spec: str, url: str, clone_line: int) -> tuple[str, str, int, int, str]:
    return (
        "PIN102",
        "setup.sh",
        line,
        column,
        f"`{spec}` is the `git clone` of `{url}` (line {clone_line}) with no ref: it installs whatever the default branch holds that day",
    )


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        pytest.param(
            "git clone --depth 1 https://github.com/o/theme ; pip install -e theme\n",
            [_pin102(1, 65, "theme", "https://github.com/o/theme", 1)],
            id="editable-of-the-clone",
        ),
        pytest.param(
            "git clone https://github.com/o/theme.git src/theme\npip install ./src/theme/\n",
            [_pin102(2, 13, "./src/theme/", "https://github.com/o/theme.git", 1)],
            id="named-directory-on-a-later-line",
        ),
        pytest.param(
            "if true; then\n  git -C /tmp clone git@github.com:o/lib.git\nfi\npip install -e lib\n",
            [_pin102(4, 16, "lib", "git@github.com:o/lib.git", 2)],
            id="scp-url-after-a-keyword",
        ),
        pytest.param(
            "git clone https://tok:secret@example.org/o/priv.git\npip install -e priv\n",
            [_pin102(2, 16, "priv", "https://****@example.org/o/priv.git", 1)],
            id="credentials-masked",
        ),
    ],
)
def test_flags(check_full: Full, script: str, expected: list[tuple[str, str, int, int, str]]) -> None:
    assert check_full({"setup.sh": script}, select=["PIN102"]) == expected


@pytest.mark.parametrize(
    "script",
    [
        pytest.param("git clone --branch v1.2 https://github.com/o/theme\npip install -e theme\n", id="a-branch-or-tag"),
        pytest.param("git clone -bv1.2 https://github.com/o/theme\npip install -e theme\n", id="attached-branch"),
        pytest.param("git clone --revision=0a1b2c3 https://github.com/o/theme\npip install -e theme\n", id="a-revision"),
        pytest.param(
            "git clone https://github.com/o/theme\ncd theme && git checkout 0a1b2c3 && cd ..\npip install -e theme\n",
            id="checked-out-after",
        ),
        pytest.param("pip install -e theme\ngit clone https://github.com/o/theme\n", id="install-before-clone"),
        pytest.param("git clone https://github.com/o/theme\npip install -e other\n", id="another-directory"),
        pytest.param("git clone https://github.com/o/theme $DEST\npip install -e theme\n", id="directory-from-a-variable"),
        pytest.param("git clone https://github.com/o/theme\npip install theme==1.0\n", id="a-name-from-the-index"),
    ],
)
def test_leaves_alone(check_full: Full, script: str) -> None:
    assert check_full({"setup.sh": script}, select=["PIN102"]) == []


def test_a_dockerfile_run(check_full: Full) -> None:
    dockerfile = (
        "FROM python:3.12\nRUN git clone --depth 1 https://github.com/o/ext-theme ; \\\n    pip install --no-cache-dir -e ext-theme\n"
    )
    assert check_full({"Dockerfile": dockerfile}, select=["PIN102"]) == [
        (
            "PIN102",
            "Dockerfile",
            3,
            35,
            "`ext-theme` is the `git clone` of `https://github.com/o/ext-theme` (line 2) with no ref: it installs whatever the default "
            "branch holds that day",
        )
    ]
