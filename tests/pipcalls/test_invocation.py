from __future__ import annotations

import os
import random
import shutil
import subprocess

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


# --- quoting and expansions bash reads as nested constructs -------------------------------

# Each is one line `bash -n` accepts; a `pip install x` follows it on line 2.
NESTED_CONSTRUCTS = [
    pytest.param('A=${B:-"${D}"}', ['A=${B:-"${D}"}'], id="default-with-quoted-expansion"),
    pytest.param('A="${B:-"${D}"}"', ['A=${B:-"${D}"}'], id="quoted-default-with-quoted-expansion"),
    pytest.param('A=${B:-"a}"}', ["A=a}"], id="brace-in-quoted-default"),
    pytest.param("A=${B:-'}'}", ["A=}"], id="brace-in-single-quoted-default"),
    pytest.param("A=\"${B:-'}'}\"", ["A='}'"], id="single-quotes-kept-in-double-quoted-default"),
    pytest.param("echo $'it\\'s'", ["echo", "it's"], id="ansi-c-escaped-quote"),
    pytest.param('echo $"hello"', ["echo", "hello"], id="translated-string"),
    pytest.param('echo "a$"', ["echo", "a$"], id="dollar-before-closing-quote"),
    pytest.param('echo "$(echo ")")"', ["echo", ")"], id="command-substitution-in-double-quotes"),
    pytest.param("echo $(( (1 + 2) * 3 ))", ["echo", "$(( (1 + 2) * 3 ))"], id="arithmetic-with-parentheses"),
    pytest.param("x=$(case $y in a) echo a;; (b) echo b;; esac)", ["case", "$y", "in", "a"], id="case-patterns-in-substitution"),
    pytest.param("echo `echo \\`date\\``", ["echo", "`date`"], id="escaped-backquotes"),
    pytest.param("echo ${x:-{a}b}", ["echo", "{ab}"], id="braces-do-not-nest"),
    pytest.param('x="$(sed <<<" $y " -e s/a/b/)"', ["sed", "-e", "s/a/b/"], id="here-string-in-substitution"),
]


@pytest.mark.parametrize("line, first_words", NESTED_CONSTRUCTS)
def test_nested_constructs_are_read_and_the_next_command_too(line: str, first_words: list[str]) -> None:
    found, errors, commands = find_pip_calls(line + "\npip install x\n", "f.sh")
    assert errors == []
    assert [word.text for word in commands[0].words] == first_words
    assert [(c.argv, c.line, c.column) for c in found] == [(("install", "x"), 2, 1)]


@pytest.mark.parametrize(
    "text, first_words, line",
    [
        pytest.param("x=$(cat <<EOF\n)\nEOF\n)\n", ["cat"], 5, id="here-document-in-substitution"),
        pytest.param("x=$(echo # a comment )\n)\n", ["echo"], 3, id="comment-in-substitution"),
    ],
)
def test_substitutions_over_several_lines(text: str, first_words: list[str], line: int) -> None:
    found, errors, commands = find_pip_calls(text + "pip install x\n", "f.sh")
    assert errors == []
    assert [word.text for word in commands[0].words] == first_words
    assert [(c.argv, c.line, c.column) for c in found] == [(("install", "x"), line, 1)]


def test_a_real_error_does_not_hide_the_next_commands() -> None:
    found, errors, _ = find_pip_calls('x=$(echo "\npip install a\necho ok)\npip install b\n', "f.sh")
    assert [(e.message, e.line, e.column) for e in errors] == [('unbalanced double quote `"`: the shell cannot read this command', 1, 10)]
    assert [(c.argv, c.line, c.column) for c in found] == [(("install", "a"), 2, 1), (("install", "b"), 4, 1)]


def test_errors_stop_the_scan_after_a_bound() -> None:
    # a backquote opened in double quotes ends on the next line, inside the quote of another
    # command: each line is an error that reads on to the end, so reading on past the eighth
    # would make the scan quadratic
    result = scan("echo \"`'\n" * 12 + "pip install x\n")
    single = "unbalanced single quote `'`: the shell cannot read this command"
    double = 'unbalanced double quote `"`: the shell cannot read this command'
    assert [(e.message, e.line, e.column) for e in result.errors] == [
        (single, 1, 8),
        (double, 2, 6),
        (single, 3, 8),
        (double, 4, 6),
        (single, 6, 8),
        (double, 7, 6),
        (single, 8, 8),
        ('unbalanced double quote `"`: the shell cannot read this command, nor guard the rest of this text', 9, 6),
    ]


_PIECES = [
    "a",
    '"a b"',
    "'a}'",
    "$x",
    "${x}",
    '${x:-"${y}"}',
    '"${x:-"${y}"}"',
    '${x:-"a}"}',
    "${x:-'}'}",
    "\"${x:-'}'}\"",
    "$'it\\'s'",
    '$"t"',
    "$(echo a)",
    '"$(echo ")")"',
    "$((1 + 2))",
    "$(( (1 + 2) ))",
    "`echo a`",
    '"`echo a`"',
    "$(case a in a) echo;; esac)",
    "$(case a in (a) echo;; esac)",
    "${x#*/}",
    "${x//a/b}",
    '"$@"',
    "${#x}",
    "$(echo $(echo a))",
    '"${x:+"$y"}"',
    "$(echo ')')",
    '$(echo "#")',
    "${x:-$(echo })}",
    '"$(echo "$(echo "}")")"',
    '\\"',
    '"\\""',
    "$(echo a # )\n)",
    '$(cat <<<"$x")',
    "{",
    "}",
    "(",
    ")",
    "'",
    '"',
    "$(",
    "${",
    "`",
]
_TEMPLATES = ["echo {}", "A={}", 'echo "{}"', "echo $({})", "x=$(echo {})", "f {} {}", "[ {} = {} ] && echo"]


def _snippets(count: int) -> list[str]:
    # a fixed seed: the same few hundred snippets on every run
    chooser = random.Random(20261201)
    snippets = []
    for _ in range(count):
        template = chooser.choice(_TEMPLATES)
        words = ["".join(chooser.choice(_PIECES) for _ in range(chooser.randint(1, 3))) for _ in range(template.count("{}"))]
        snippets.append(template.format(*words))
    return snippets


def _bash_accepts(snippet: str, directory: str) -> bool:
    path = os.path.join(directory, "snippet.sh")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(snippet + "\n")
    return subprocess.run(["bash", "-n", path], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_what_bash_accepts_scans_without_errors(tmp_path: os.PathLike[str]) -> None:
    accepted = [snippet for snippet in _snippets(400) if _bash_accepts(snippet, str(tmp_path))]
    assert len(accepted) > 100  # the generator still makes a useful share of valid shell
    wrong = []
    for snippet in accepted:
        found, errors, _ = find_pip_calls(snippet + "\npip install x\n", "f.sh")
        line = snippet.count("\n") + 2
        if errors or [(c.argv, c.line, c.column) for c in found][-1:] != [(("install", "x"), line, 1)]:
            wrong.append(snippet)
    assert wrong == []


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            "pyenv exec python3.13 -m pip install a", [("python3.13 -m pip", ("install", "a"), False, {}, None, 1, 12)], id="pyenv-exec"
        ),
        pytest.param("poetry run pip install a", [("pip", ("install", "a"), False, {}, None, 1, 12)], id="poetry-run"),
        pytest.param("uv run --with x pip install a", [("pip", ("install", "a"), False, {}, None, 1, 17)], id="uv-run"),
        pytest.param("pipenv run python -m pip install a", [("python -m pip", ("install", "a"), False, {}, None, 1, 12)], id="pipenv-run"),
        pytest.param("conda run -n base pip install a", [("pip", ("install", "a"), False, {}, None, 1, 19)], id="conda-run"),
        pytest.param("micromamba run -p /env pip install a", [("pip", ("install", "a"), False, {}, None, 1, 24)], id="micromamba-run"),
        pytest.param("hatch run test:pip install a", [("pip", ("install", "a"), False, {}, None, 1, 16)], id="hatch-run-env"),
        pytest.param("pdm run pip install a", [("pip", ("install", "a"), False, {}, None, 1, 9)], id="pdm-run"),
        pytest.param("tox exec -e py312 -- pip install a", [("pip", ("install", "a"), False, {}, None, 1, 22)], id="tox-exec"),
        pytest.param(
            "docker exec c python -m pip install a", [("python -m pip", ("install", "a"), False, {}, None, 1, 15)], id="docker-exec"
        ),
        pytest.param(
            "sudo docker exec -it -e PIP_NO_CACHE_DIR=1 -u root c sudo pip install a",
            [("pip", ("install", "a"), False, {"PIP_NO_CACHE_DIR": "1"}, None, 1, 59)],
            id="docker-exec-options-env-and-no-host-sudo",
        ),
        pytest.param("docker compose exec -T web pip install a", [("pip", ("install", "a"), False, {}, None, 1, 28)], id="compose-exec"),
        pytest.param(
            "docker-compose -f ci.yml run --rm web pip install a", [("pip", ("install", "a"), False, {}, None, 1, 39)], id="compose-run"
        ),
        pytest.param(
            "docker run --rm -v $PWD:/src -w /src python:3.12 sh -c 'pip install a'",
            [("pip", ("install", "a"), False, {}, None, 1, 57)],
            id="docker-run-shell-string",
        ),
        pytest.param("docker compose ps pip", [], id="compose-other-command"),
        pytest.param("docker run -d nginx", [], id="docker-run-without-command"),
        pytest.param("poetry run pytest", [], id="runner-of-something-else"),
    ],
)
def test_pip_run_through_other_programs(text: str, expected: list[object]) -> None:
    assert calls(text) == expected
