"""yamlish against PyYAML on generated CI-like documents (seeded, so every run reads the same ones).

The generator writes what CI files are made of: nested block mappings and sequences, plain,
quoted (with escapes, over several lines) and block scalars (with empty and more-indented
lines), flow collections over several lines with comment lines, anchors, aliases and `<<`
merges, comments. Scalars YAML 1.1 and 1.2 type differently (`yes`, `0o7`) are left out.
"""

from __future__ import annotations

import random

import pytest

from guard.text import yamlish

yaml = pytest.importorskip("yaml")  # PyYAML comes with pre-commit, a test dependency

KEYS = ["name", "run", "image", "script", "steps", "with", "env", "python-version", "stage", "needs", "variables", "if"]
PLAIN = ["ubuntu-latest", "pip install requests==2.31.0", "python -m pytest -q", "3.11", "12", "true", "null", "a b c", "x:y", "echo $HOME"]
FLOW_WORDS = ["a", "b-c", "3.12", "pip install x", "'q r'", '"s\\tt"', "*ANCHOR"]
DOUBLE_PIECES = ["pip", " ", "\\n", "\\t", "\\\\", '\\"', "a", "é"]


class _Writer:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.anchors: list[str] = []
        self.mapping_anchors: list[str] = []
        self.count = 0

    def choice(self, options: list[str]) -> str:
        return self.random.choice(options)

    def scalar(self, indent: int, anchored: bool = False) -> str:
        """A scalar written after `key: ` or `- ` at `indent`; may take more lines. An
        anchored one is no alias (an alias cannot have an anchor)."""
        roll = self.random.random()
        if roll < 0.3:
            return self.choice(PLAIN) + (" # comment" if self.random.random() < 0.2 else "")
        if roll < 0.4:
            return "'" + self.choice(PLAIN).replace("'", "''") + "'"
        if roll < 0.55:
            parts = [self.choice(DOUBLE_PIECES) for _ in range(self.random.randint(1, 6))]
            if self.random.random() < 0.4:  # over several lines, maybe with an empty one
                parts.insert(self.random.randint(0, len(parts)), "\n" + ("\n" if self.random.random() < 0.3 else "") + " " * (indent + 2))
            return '"' + "".join(parts) + '"'
        if roll < 0.75:
            return self.block_scalar(indent)
        if roll < 0.9:
            return self.flow_sequence(indent)
        if self.anchors and not anchored:
            return "*" + self.choice(self.anchors)
        return "{a: 1, b: [x, y]}"

    def block_scalar(self, indent: int) -> str:
        header = self.choice(["|", ">", "|-", ">-", "|+", ">+"])
        pad = " " * (indent + 2)
        lines = [self.choice(PLAIN)]
        for _ in range(self.random.randint(0, 4)):
            kind = self.random.random()
            lines.append("" if kind < 0.3 else ("  " + self.choice(PLAIN)) if kind < 0.5 else self.choice(PLAIN))
        body = "".join(pad + line + "\n" if line else "\n" for line in lines)
        return header + "\n" + body.rstrip("\n")

    def flow_sequence(self, indent: int) -> str:
        words = [self.word() for _ in range(self.random.randint(0, 4))]
        if self.random.random() < 0.5:
            return "[" + ", ".join(words) + "]"
        pad = " " * (indent + 2)
        lines = []
        for number, word in enumerate(words):
            lines.append(pad + word + ("," if number < len(words) - 1 or self.random.random() < 0.5 else ""))
            if self.random.random() < 0.3:
                lines.append(pad + "# - commented out")
        return "[\n" + "\n".join(lines) + ("\n" if lines else "") + " " * indent + "]"

    def word(self) -> str:
        word = self.choice(FLOW_WORDS)
        if word == "*ANCHOR":
            return "*" + self.choice(self.anchors) if self.anchors else "z"
        return word

    def anchor(self) -> str:
        self.count += 1
        return f"a{self.count}"

    def mapping(self, indent: int, depth: int, first_inline: bool = False) -> str:
        """A block mapping at `indent`, every line indented; with `first_inline` the first
        line without its indentation (it follows a `- `)."""
        pad = " " * indent
        lines: list[str] = []
        if self.mapping_anchors and self.random.random() < 0.3:
            lines.append(pad + "<<: *" + self.choice(self.mapping_anchors))
        for key in self.random.sample(KEYS, self.random.randint(1, 4)):
            if self.random.random() < 0.15:
                lines.append(pad + "# " + self.choice(PLAIN))
            roll = self.random.random()
            if depth < 3 and roll < 0.25:
                name = self.anchor() if self.random.random() < 0.4 else ""
                lines.append(f"{pad}{key}:{' &' + name if name else ''}\n" + self.mapping(indent + 2, depth + 1))
                if name:
                    self.mapping_anchors.append(name)
                    self.anchors.append(name)
            elif depth < 3 and roll < 0.45:
                compact = self.random.random() < 0.5
                lines.append(f"{pad}{key}:\n" + self.sequence(indent if compact else indent + 2, depth + 1))
            else:
                name = self.anchor() if self.random.random() < 0.15 else ""
                lines.append(f"{pad}{key}: {'&' + name + ' ' if name else ''}" + self.scalar(indent, anchored=bool(name)))
                if name:
                    self.anchors.append(name)
        text = "\n".join(lines)
        return text[indent:] if first_inline else text

    def sequence(self, indent: int, depth: int) -> str:
        pad = " " * indent
        items = []
        for _ in range(self.random.randint(1, 3)):
            if depth < 3 and self.random.random() < 0.4:
                items.append(pad + "- " + self.mapping(indent + 2, depth + 1, first_inline=True))
            else:
                items.append(pad + "- " + self.scalar(indent + 2))
        return "\n".join(items)


def _documents(count: int) -> list[str]:
    return [_Writer(seed).mapping(0, 0) + "\n" for seed in range(count)]


@pytest.mark.parametrize("start", range(0, 300, 50))
def test_generated_ci_documents_read_as_pyyaml_reads_them(start: int) -> None:
    for text in _documents(start + 50)[start:]:
        assert yamlish.to_python(yamlish.load(text)) == yaml.safe_load(text), text
