from __future__ import annotations

import pytest

from guard.pipcalls.invocation import find_pip_calls, is_venv_creation, scan


def calls(text: str) -> list[tuple[str, tuple[str, ...], bool, dict[str, str], object, int, int]]:
    found, _errors, _commands = find_pip_calls(text, "f.sh")
    return [(c.program, c.argv, c.sudo, dict(c.env), c.chained_after, c.line, c.column) for c in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("pip install x", [("pip", ("install", "x"), False, {}, None, 1, 1)], id="pip"),
        pytest.param("pip3.12 install x", [("pip3.12", ("install", "x"), False, {}, None, 1, 1)], id="pip3.12"),
        pytest.param("/opt/venv/bin/pip install x", [("pip", ("install", "x"), False, {}, None, 1, 1)], id="path"),
        pytest.param("python -m pip install x", [("python -m pip", ("install", "x"), False, {}, None, 1, 1)], id="python-m"),
        pytest.param(
            "python3.12 -u -m pip install x", [("python3.12 -m pip", ("install", "x"), False, {}, None, 1, 1)], id="python-options"
        ),
        pytest.param("py -3 -m pip install x", [("py -m pip", ("install", "x"), False, {}, None, 1, 1)], id="py"),
        pytest.param("uv pip install --system x", [("uv pip", ("install", "x"), False, {}, None, 1, 1)], id="uv"),
        pytest.param("pipx install black==24.1.0", [("pipx install", ("install", "black==24.1.0"), False, {}, None, 1, 1)], id="pipx"),
        pytest.param("sudo -H pip install x", [("pip", ("install", "x"), True, {}, None, 1, 9)], id="sudo-H"),
        pytest.param("sudo -u bob pip install x", [("pip", ("install", "x"), True, {}, None, 1, 13)], id="sudo-u"),
        pytest.param("env A=1 B=2 pip install x", [("pip", ("install", "x"), False, {"A": "1", "B": "2"}, None, 1, 13)], id="env"),
        pytest.param("PIP_USER=1 pip install x", [("pip", ("install", "x"), False, {"PIP_USER": "1"}, None, 1, 12)], id="assignment"),
        pytest.param(
            "a && pip install x || pip install y; pip install z",
            [
                ("pip", ("install", "x"), False, {}, "&&", 1, 6),
                ("pip", ("install", "y"), False, {}, "||", 1, 23),
                ("pip", ("install", "z"), False, {}, ";", 1, 38),
            ],
            id="chains",
        ),
        pytest.param(
            "pip install 'a==1' \"b==2\" c\\ d", [("pip", ("install", "a==1", "b==2", "c d"), False, {}, None, 1, 1)], id="quotes"
        ),
        pytest.param("pip install \\\n  x==1", [("pip", ("install", "x==1"), False, {}, None, 1, 1)], id="continuation"),
        pytest.param("pip install x 2>&1 > log.txt", [("pip", ("install", "x"), False, {}, None, 1, 1)], id="redirections"),
        pytest.param("if true; then pip install x; fi", [("pip", ("install", "x"), False, {}, ";", 1, 15)], id="keywords"),
        pytest.param(
            "cat <<EOF\npip install no\nEOF\npip install yes", [("pip", ("install", "yes"), False, {}, None, 4, 1)], id="heredoc-skipped"
        ),
        pytest.param("echo pip install x  # pip install y", [], id="not-pip"),
        pytest.param("python script.py -m pip", [], id="python-script"),
    ],
)
def test_find_pip_calls(text: str, expected: list[object]) -> None:
    assert calls(text) == expected


def test_unbalanced_quote_is_an_error_and_the_rest_is_read() -> None:
    found, errors, _ = find_pip_calls('echo "oops\npip install x', "f.sh")
    assert [(e.line, e.column) for e in errors] == [(1, 6)]
    assert [(c.argv, c.line, c.column) for c in found] == [(("install", "x"), 2, 1)]


def test_variables_are_substituted_when_known() -> None:
    found, _, _ = find_pip_calls("pip install x==$V y==${W:-2} z==${U}", "f", variables={"V": "1"})
    assert found[0].argv == ("install", "x==1", "y==2", "z==${U}")


def test_word_positions_follow_segments() -> None:
    result = scan("pip install \\\nx", [(0, 5, 10), (14, 6, 3)])
    assert [(w.text, w.line, w.column) for w in result.commands[0].words] == [("pip", 5, 10), ("install", 5, 14), ("x", 6, 3)]


@pytest.mark.parametrize(
    "text, directory",
    [
        pytest.param("python3 -m venv /opt/venv", "/opt/venv", id="venv"),
        pytest.param("virtualenv -p python3 env", "env", id="virtualenv"),
        pytest.param("uv venv", ".venv", id="uv-default"),
        pytest.param("pip install venv", None, id="not-venv"),
    ],
)
def test_is_venv_creation(text: str, directory: object) -> None:
    assert is_venv_creation(scan(text).commands[0]) == directory
