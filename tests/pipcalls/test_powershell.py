from __future__ import annotations

import pytest

from guard.pipcalls.invocation import find_pip_calls
from guard.pipcalls.powershell import scan_powershell


def calls(text: str, **known: str) -> list[tuple[str, tuple[str, ...], object, int, int]]:
    found, errors, _commands = find_pip_calls(text, "ci.yml", "ci", variables=known, expressions={"env.E": "e==3"}, scanner=scan_powershell)
    assert errors == []  # PowerShell text never gets the sh reader's quoting errors
    return [(c.program, c.argv, c.chained_after, c.line, c.column) for c in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("pip install x", [("pip", ("install", "x"), None, 1, 1)], id="pip"),
        pytest.param("Write-Host 'it''s'; pip install x", [("pip", ("install", "x"), ";", 1, 21)], id="doubled-single-quote"),
        pytest.param(
            'Write-Host "say `"hi`""\npip install "x==1" \'y\'', [("pip", ("install", "x==1", "y"), None, 2, 1)], id="backquote-escapes"
        ),
        pytest.param("python -m pip install `\n  x `\n  y", [("python -m pip", ("install", "x", "y"), None, 1, 1)], id="continuation"),
        pytest.param(
            '& "C:\\Python312\\python.exe" -m pip install x', [("python.exe -m pip", ("install", "x"), None, 1, 3)], id="call-operator"
        ),
        pytest.param("pip install x > log.txt 2>&1", [("pip", ("install", "x"), None, 1, 1)], id="redirections"),
        pytest.param("if ($IsWindows) { pip install x }", [("pip", ("install", "x"), None, 1, 19)], id="script-block"),
        pytest.param(
            "a && pip install x || pip install y",
            [
                ("pip", ("install", "x"), "&&", 1, 6),
                ("pip", ("install", "y"), "||", 1, 23),
            ],
            id="chains",
        ),
        pytest.param('pip install "x==$env:V" y==${env:V}', [("pip", ("install", "x==1", "y==1"), None, 1, 1)], id="env-known"),
        pytest.param("$env:V = '2'\npip install x==$env:V", [("pip", ("install", "x==$env:V"), None, 2, 1)], id="env-assigned-here"),
        pytest.param("pip install ${{ env.E }}", [("pip", ("install", "e==3"), None, 1, 1)], id="expression"),
        pytest.param("<# pip install no\n#> pip install x  # pip install no", [("pip", ("install", "x"), None, 2, 4)], id="comments"),
        pytest.param('$s = @"\npip install no\n"@\npip install x', [("pip", ("install", "x"), None, 4, 1)], id="here-string"),
        pytest.param('echo "unclosed\npip install x', [("pip", ("install", "x"), None, 2, 1)], id="unreadable-line-dropped"),
        pytest.param('dash -c "which git; python -m pip install x"', [("python -m pip", ("install", "x"), ";", 1, 21)], id="sh-c-string"),
    ],
)
def test_powershell_pip_calls(text: str, expected: list[object]) -> None:
    assert calls(text, V="1") == expected


def test_expansions_are_dynamic_words() -> None:
    found, _errors, _commands = find_pip_calls('pip install "$(Get-Spec)" $pkg x==$v', "ci.yml", scanner=scan_powershell)
    assert [(word.text, word.dynamic) for word in found[0].words] == [
        ("install", False),
        ("$(Get-Spec)", True),
        ("$pkg", True),
        ("x==$v", False),
    ]


def test_unreadable_statements_are_bounded() -> None:
    # each `$(` here is read on to the end of the text before it is given up: past the
    # eighth, the rest of the text is left unread, so the reading stays linear
    assert calls("$(echo 'a\n" * 7 + "pip install x") == [("pip", ("install", "x"), None, 8, 1)]
    assert calls("$(echo 'a\n" * 8 + "pip install x") == []
