"""Seeded requirement trees, read by pip's own parser and by guard, and the two readings compared.

Used by test_reader_differential.py (a few thousand cases against the installed pip) and by
benchmarks/bench_reader_vs_pip.py (as many as asked, against any pip). `generate` and
`pip_reading` need only the standard library and pip, so that the benchmark can run the pip side
in another interpreter (`python reader_differential.py --pip-side < cases.json`).

A reading is what an install learns from a tree: whether pip fails the whole file (guard: a
GRD101-GRD104 finding), and otherwise the requirements (text, file, line, editable, constraint,
hashes) and the lines pip refuses to make a requirement of (guard: PIN108).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import sys
from typing import Any, Dict, Iterator, List, Optional, Tuple

H1 = "sha256:" + "a" * 64
H2 = "sha256:" + "b" * 64
SHA = "c" * 40

# (category, line) pairs: each generated line is tagged, and a case's categories are its lines'.
NAMES = ["requests", "idna", "Django", "zope.interface", "my_pkg", "a1"]
EXTRAS = ["", "", "", "[socks]", "[a,b]", "[ x ]"]
SPECIFIERS = ["", "==1.0", "==2.32.3", ">=1.0,<2", "~=1.4", "==1.*", "!=1.5", "===1.0", " == 1.0", "==4.0rc1.*", "=1.0"]
MARKERS = ["", "", "; python_version < '3.11'", ";sys_platform=='win32'", ";", " ; ", "; foo == 'x'"]
URLS = [
    "https://example.org/pkg-1.0.tar.gz#sha256=" + "d" * 64,
    "https://example.org/pkg-1.0-py3-none-any.whl",
    "https://example.org/pkg.whl",
    "https://example.org/pkg-1.0.whl",
    f"git+https://github.com/o/r@{SHA}#egg=r",
    "git+https://github.com/o/r@main#egg=r",
    "bzr+lp:proj#egg=proj",
    "./pkgdir",
    ".",
    "./dist/pkg-1.0-py3-none-any.whl",
    "./dist/pkg.whl",
]
AT_URLS = [
    "pkg @ https://example.org/pkg-1.0.tar.gz",
    "pkg @ https://example.org/pkg-1.0.tar.gz;python_version>'3'",
    "pkg @ https://example.org/pkg-1.0.tar.gz ; python_version>'3'",
    f"r @ git+https://github.com/o/r@{SHA}",
    "pkg @ https://example.org/pkg.whl",
]
EDITABLES = [
    ".",
    "./pkgdir",
    "pkgdir",
    "pkgdir[extra]",
    "notadir",
    "requests==1.0",
    f"git+https://github.com/o/r@{SHA}#egg=r",
    f"git+https://github.com/o/r@{SHA}",
    "git+https://github.com/o/r@main#egg=r[x]",
]
VALUES = {
    "--index-url": ["https://example.org/simple"],
    "-i": ["https://example.org/simple"],
    "--extra-index-url": ["https://x.org/simple"],
    "-f": ["./wheels"],
    "--find-links": ["./wheels"],
    "--no-binary": [":all:", ":none:", "requests,idna", "--pre"],
    "--only-binary": [":all:", "idna", "--prefer-binary"],
    "--trusted-host": ["example.org"],
    "--use-feature": ["fast-deps", "truststore", "venv-isolation", "bogus"],
    "--all-releases": [":all:", "idna"],
    "--only-final": [":all:"],
    "--o": ["idna"],
    "--only": ["idna"],
}
FLAGS = ["--pre", "--prefer-binary", "--no-index", "--require-hashes", "--no-require-hashes", "--frobnicate", "--pr"]
LINE_OPTIONS = [
    f"--hash={H1}",
    f"--hash {H2}",
    f"--ha={H1}",
    "--global-option=--quiet",
    "-C key=value",
    "--config-settings=key=value",
    "--config-settings novalue",
    "-e ./pkgdir",
]
BLANKS = [" ", " ", " ", "  ", "\t", "\xa0"]
INCLUDED = ["base.txt", "sub/more.txt", "constraints.txt"]


def _requirement(rng: random.Random) -> Tuple[str, str]:
    roll = rng.random()
    if roll < 0.6:
        name = rng.choice(NAMES) + rng.choice(EXTRAS)
        spec = rng.choice(SPECIFIERS)
        if rng.random() < 0.05:
            spec = "\xa0" + spec.strip()
        return "requirement", name + spec + rng.choice(MARKERS)
    if roll < 0.8:
        return "url", rng.choice(URLS) + (rng.choice(["", " ; python_version<'4'"]) if rng.random() < 0.2 else "")
    return "name-at-url", rng.choice(AT_URLS)


def _option(rng: random.Random) -> Tuple[str, str]:
    roll = rng.random()
    if roll < 0.55:
        option = rng.choice(sorted(VALUES))
        value = rng.choice(VALUES[option])
        joint = rng.choice(["=", " ", rng.choice(BLANKS)]) if option.startswith("--") else rng.choice(["", " "])
        return "option", option + joint + value
    return "option", rng.choice(FLAGS)


def _line(rng: random.Random, others: List[str]) -> Tuple[str, str]:
    roll = rng.random()
    if roll < 0.45:
        category, text = _requirement(rng)
        if rng.random() < 0.25:
            options = " ".join(rng.choice(LINE_OPTIONS) for _ in range(rng.randint(1, 2)))
            return "requirement-options", text + " " + options
        return category, text
    if roll < 0.6:
        return "editable", rng.choice(["-e ", "--editable ", "--editable=", "-e"]) + rng.choice(EDITABLES)
    if roll < 0.78:
        return _option(rng)
    if roll < 0.88 and others:
        # `-c` names the constraints file only: a file read both ways would have the same
        # line once accepted and once refused, which the comparison by line cannot tell apart.
        target = rng.choice(others)
        if target == "constraints.txt":
            option = rng.choice(["-c ", "--constraint ", "-c", "--constraint="])
        else:
            option = rng.choice(["-r ", "-r", "--requirement=", "--requirement "])
        return "include", option + target
    if roll < 0.94:
        return "comment", rng.choice(["# a comment", "   # indented", "#", "# ends in \\"])
    return "blank", rng.choice(["", "   ", "\t", "\xa0"])


def _file(rng: random.Random, others: List[str], categories: set[str]) -> str:
    lines: List[str] = []
    for _ in range(rng.randint(1, 7)):
        category, text = _line(rng, others)
        categories.add(category)
        roll = rng.random()
        if roll < 0.08 and " " in text:
            # a continuation: the line broken at a blank, with or without a comment after it
            cut = text.index(" ")
            text = text[:cut] + " \\\n   " + text[cut:]
            categories.add("continuation")
        elif roll < 0.12:
            # `#` glued to a path makes a path that does not exist (guard cannot know pip's
            # working directory, so it leaves paths alone): glued to requirements only.
            text += rng.choice(["  # trailing comment", " #x"] + (["#not-a-comment"] if category == "requirement" else []))
            categories.add("comment")
        lines.append(text)
    newline = "\n"
    if rng.random() < 0.08:
        newline = "\r\n"
        categories.add("crlf")
    content = newline.join(lines) + (newline if rng.random() < 0.9 else "")
    if rng.random() < 0.05:
        content = "\ufeff" + content
        categories.add("bom")
    return content


def generate(seed: int, count: int) -> Iterator[Tuple[Dict[str, str], List[str]]]:
    """`count` cases: ({file name: content}, categories); `requirements.txt` is the entry."""
    rng = random.Random(seed)
    for _ in range(count):
        categories: set[str] = set()
        files: Dict[str, str] = {}
        # Includes only go down the list (no cycles: pip 26 fails a cycle where 23 recurses).
        files["requirements.txt"] = _file(rng, INCLUDED, categories)
        files["base.txt"] = _file(rng, INCLUDED[1:], categories) if rng.random() < 0.5 else "idna==3.7\n"
        files["sub/more.txt"] = _file(rng, [], categories) if rng.random() < 0.3 else "six==1.16.0\n"
        # A constraints file: names and versions, one with extras (refused), and a `-r`, whose
        # file pip reads as requirements.
        constraints = ["requests==2.32.3"]
        if rng.random() < 0.3:
            constraints.append("idna[x]==3.7")
        if rng.random() < 0.3:
            constraints.append("-r sub/more.txt")
            categories.add("include-in-constraints")
        files["constraints.txt"] = "\n".join(constraints) + "\n"
        yield files, sorted(categories)


def write_case(root: str, files: Dict[str, str]) -> None:
    # Projects `.` and `./pkgdir` name (pip refuses a directory with no pyproject.toml or setup.py).
    os.makedirs(os.path.join(root, "pkgdir"), exist_ok=True)
    for project in (root, os.path.join(root, "pkgdir")):
        with open(os.path.join(project, "pyproject.toml"), "w", encoding="utf-8") as handle:
            handle.write('[project]\nname = "p"\nversion = "1.0"\n')
    for name, content in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content.encode("utf-8"))


Row = Tuple[str, str, int, bool, bool, Tuple[str, ...]]


_SESSIONS: List[Any] = []


def _session(factory: Any) -> Any:
    """One pip session for every case: making one costs more than reading a small tree."""
    if not _SESSIONS:
        _SESSIONS.append(factory())
    return _SESSIONS[0]


def pip_reading(root: str) -> Dict[str, Any]:
    """What the importable pip reads from `root/requirements.txt`, run in `root` (pip finds
    `-e` directories in the working directory)."""
    from pip._internal.network.session import PipSession
    from pip._internal.req.constructors import install_req_from_parsed_requirement
    from pip._internal.req.req_file import parse_requirements

    try:
        from pip._internal.req.req_install import check_invalid_constraint_type
    except ImportError:  # pragma: no cover - a pip without it refuses such constraints when reading
        check_invalid_constraint_type = None
    here = os.getcwd()
    os.chdir(root)
    rows: List[Row] = []
    refused: List[Tuple[str, int]] = []
    try:
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # optparse prints its usage there
                parsed_lines = list(parse_requirements("requirements.txt", session=_session(PipSession)))
        except Exception as error:  # the whole file fails: RequirementsFileParseError, CommandError...
            return {"error": type(error).__name__, "rows": [], "refused": []}
        for parsed in parsed_lines:
            source, _, line = parsed.comes_from.partition(" ")[2].rpartition(" (line ")
            where = (os.path.relpath(os.path.join(root, source), root), int(line.rstrip(")")))
            try:
                requirement = install_req_from_parsed_requirement(parsed)
            except Exception:
                refused.append(where)
                continue
            if requirement.constraint and check_invalid_constraint_type is not None and check_invalid_constraint_type(requirement):
                refused.append(where)
                continue
            hashes = (parsed.options or {}).get("hashes", {}) or {}
            flat = tuple(sorted(f"{algo}:{digest}" for algo, digests in hashes.items() for digest in digests))
            rows.append((parsed.requirement, where[0], where[1], parsed.is_editable, parsed.constraint, flat))
    finally:
        os.chdir(here)
    return {"error": None, "rows": sorted(rows), "refused": sorted(set(refused))}


_FILE_ERRORS = ("GRD101", "GRD102", "GRD103", "GRD104")


def guard_reading(root: str, pip_version: Optional[Tuple[int, int]]) -> Dict[str, Any]:
    """guard's reading of the same tree, as the pip of `pip_version` would read it."""
    from guard.check.context import PathDisplay
    from guard.config import Settings
    from guard.requirements.check import RequirementReader, check_tree

    reader = RequirementReader(PathDisplay(root), pip_version=pip_version)
    tree = reader.tree(os.path.join(root, "requirements.txt"), "requirements")
    findings = check_tree(tree, Settings())
    errors = [f for f in findings if f.code in _FILE_ERRORS]
    if errors:
        return {"error": errors[0].code, "rows": [], "refused": []}
    refused = sorted({(f.path, f.line) for f in findings if f.code == "PIN108"})
    rows = sorted(
        (dep.text, dep.path, dep.line, dep.editable, dep.constraint, tuple(sorted(dep.hashes)))
        for dep in tree.deps
        if (dep.path, dep.line) not in refused
    )
    return {"error": None, "rows": rows, "refused": refused}


def normalised(reading: Dict[str, Any]) -> Tuple[bool, List[Tuple[Any, ...]], List[Tuple[Any, ...]]]:
    """A reading as compared: whether the file fails, the rows, the refused lines (JSON-safe)."""
    rows = sorted(tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in reading["rows"])
    refused = sorted(tuple(where) for where in reading["refused"])
    return reading["error"] is not None, rows, refused


# Where guard and a pip deliberately differ: (why, applies(pip version, vendored packaging
# version), line pattern). A case holding such a line is not compared against that pip.
_PRERELEASE_WILDCARD = re.compile(r"==\s*\d+(?:\.\d+)*(?:a|b|rc)\d*\.\*")
KNOWN_DIFFERENCES = [
    (
        "`<2#x`: pip with packaging < 22 reads a legacy version; guard refuses it as newer pips do",
        lambda version, packaging: packaging < (22, 0),
        re.compile(r"[0-9*]#not-a-comment"),
    ),
    (
        "`#egg=r[x]`: pip < 26 warns and reads it; guard refuses it as pip 26 does",
        lambda version, packaging: version < (26, 0),
        re.compile(r"#egg=[^&\s]*[^A-Za-z0-9._&\s-]"),
    ),
    (
        "`URL#egg=r ; marker -e X`, `URL#egg=r \\` + `-e X`: pip 25 makes the editable `URL#egg=r ; marker` (or"
        " `r` and blanks), whose `#egg=` it only warns about before 26; guard refuses it as pip 26 does",
        lambda version, packaging: (25, 0) <= version < (26, 0),
        re.compile(r"#egg=[\w.-]+[ \t]+(?:\\\r?\n)?[^\n]*-e "),
    ),
    (
        "`==4.0rc1.*`: pip with packaging < 22 reads it as a range; guard refuses it as PEP 440 and newer pips do",
        lambda version, packaging: packaging < (22, 0),
        _PRERELEASE_WILDCARD,
    ),
]


def known_difference(files: Dict[str, str], pip_version: Tuple[int, int], packaging_version: Tuple[int, int]) -> Optional[str]:
    for why, applies, pattern in KNOWN_DIFFERENCES:
        if applies(pip_version, packaging_version) and any(pattern.search(content) for content in files.values()):
            return why
    return None


def pip_versions() -> Tuple[Tuple[int, int], Tuple[int, int]]:
    """(pip, vendored packaging) versions of the importable pip, as (major, minor)."""
    import pip
    from pip._vendor import packaging

    def two(text: str) -> Tuple[int, int]:
        match = re.match(r"(\d+)\.(\d+)", text)
        assert match is not None
        return int(match.group(1)), int(match.group(2))

    return two(pip.__version__), two(packaging.__version__)


def _pip_side() -> None:
    """Read cases (JSON lines of {root}) from stdin, print each pip reading as a JSON line."""
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    print(json.dumps({"versions": pip_versions()}), flush=True)
    for line in sys.stdin:
        root = json.loads(line)["root"]
        print(json.dumps(pip_reading(root)), flush=True)


if __name__ == "__main__":
    _pip_side()
