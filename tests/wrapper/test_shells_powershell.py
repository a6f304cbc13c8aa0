"""PowerShell: pwsh is not installable here (no Debian package; the npm `pwsh` package
downloads a binary from outside the registries), so the snippet is syntax-checked with the
tree-sitter PowerShell grammar from PyPI (`tree-sitter`, `tree-sitter-powershell`)."""

from __future__ import annotations

from guard.cli.shell import snippet, uninstall_text

NAMES = ["pip", "pip3", "pip3.11", "pip3.14"]


def _errors(source: str) -> list[str]:
    import tree_sitter  # in the `test` extra
    import tree_sitter_powershell as grammar

    parser = tree_sitter.Parser(tree_sitter.Language(grammar.language()))
    data = source.encode()
    tree = parser.parse(data)
    found: list[str] = []

    def walk(node: "tree_sitter.Node") -> None:
        if node.type == "ERROR" or node.is_missing:
            found.append(f"{node.start_point}: {data[node.start_byte : node.end_byte][:60]!r}")
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    return found


def test_snippet_parses() -> None:
    assert _errors(snippet("powershell", NAMES)) == []


def test_uninstall_text_parses() -> None:
    assert _errors(uninstall_text("powershell", NAMES)) == []


def test_grammar_rejects_broken_code() -> None:
    assert _errors("function x { if ($a { }") != []


def test_snippet_defines_every_name() -> None:
    text = snippet("powershell", NAMES)
    assert [line for line in text.splitlines() if line.startswith("function global:pip")] == [
        "function global:pip { __guard_pip pip @args }",
        "function global:pip3 { __guard_pip pip3 @args }",
        "function global:pip3.11 { __guard_pip pip3.11 @args }",
        "function global:pip3.14 { __guard_pip pip3.14 @args }",
    ]
