"""The whole requirement-file check gives the same findings as before the speed work.

Two corpora: the benchmark's generated one (benchmarks/bench_requirements.py, default seed and
size) and a file of odd lines built from the analyse-equivalence generator (continuations,
hashes, options, comments around them). The expected digests were taken with the code from
before the optimisation (commit 7eaa69e plus nothing else); a deliberate change of any finding
(message wording, a new rule) changes them too: then re-take them, after checking the diff
against the old code.
"""

from __future__ import annotations

import collections
import hashlib
import importlib.util
import os
import random
import sys
from types import ModuleType

from guard.check.run import check_paths
from guard.config import Settings
from guard.finding import Finding

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def _load(name: str, path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _digest(findings: list[Finding]) -> tuple[str, int, dict[str, int]]:
    rows = sorted(repr((f.path, f.line, f.column, f.code, f.name, int(f.severity), f.message, f.package, f.fix)) for f in findings)
    digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digest, len(rows), dict(sorted(collections.Counter(f.code for f in findings).items()))


def test_benchmark_corpus_findings_unchanged(tmp_path: object) -> None:
    bench = _load("_guard_bench_requirements", os.path.join(REPO, "benchmarks", "bench_requirements.py"))
    root = str(tmp_path)
    bench.generate(root, 20240611, 40000)
    digest = _digest(check_paths([root], Settings(), root))
    assert digest == BENCH_EXPECTED


def _odd_file(seed: int) -> str:
    equivalence = _load("_guard_analyse_equivalence", os.path.join(HERE, "test_analyse_equivalence.py"))
    rng = random.Random(seed)
    lines: list[str] = []
    for text, hashes, editable in equivalence.generate(seed, 3000):
        if "\n" in text or "\r" in text or text.lstrip().startswith("#"):
            continue
        head = ("-e " if editable else "") + text
        roll = rng.random()
        if hashes and roll < 0.5:
            lines.append(head + " \\")
            lines.extend(f"    --hash={value}" + (" \\" if index < len(hashes) - 1 else "") for index, value in enumerate(hashes))
        elif hashes:
            lines.append(head + " " + " ".join(f"--hash={value}" for value in hashes))
        elif roll < 0.05:
            lines.append(head + "  # comment")
        elif roll < 0.08:
            lines.append(head + " \\")
            lines.append("")
        else:
            lines.append(head)
        if rng.random() < 0.02:
            lines.append(rng.choice(["--require-hashes", "# a comment \\", "--index-url https://x/simple", "", "-c constraints.txt"]))
    return "\n".join(lines) + "\n"


def test_odd_lines_findings_unchanged(tmp_path: object) -> None:
    root = str(tmp_path)
    for seed in (1, 2):
        with open(os.path.join(root, f"requirements-{seed}.txt"), "w", encoding="utf-8") as handle:
            handle.write(_odd_file(seed))
    with open(os.path.join(root, "constraints.txt"), "w", encoding="utf-8") as handle:
        handle.write("requests==2.0\nfoo>=1\nbar[x]~=1.0 ; os_name == 'nt'\n")
    digest = _digest(check_paths([root], Settings(), root))
    assert digest == ODD_EXPECTED


BENCH_EXPECTED = (
    "00c8da653880816394de0e1201076db80cb843c888dca3553d8e73f9da8ccfb9",
    12597,
    {"PIN101": 2691, "PIN102": 253, "PIN105": 9653},
)
# Before the speed work this was ('15a2cf9dd8ea17e048b537f8e24ef0ec5a359fa06d232d6c5f45d371229654c8', 9406, ...):
# the only difference is the archive-name fix (`pkg-1.0.whl ` with trailing blanks, left by a
# `\\` continuation, was read as a package `pkg-1-0-whl`; now it is the archive, package `pkg`).
# Every one of the 226 changed findings was checked to be on such a line.
# Re-taken after two deliberate changes, each checked line by line against the old output: a
# `==X.*` is reported once (PIN104, no longer also PIN101: 3 findings gone), and a line hashed
# only with a weak algorithm says it has no sha256/384/512 hash (168 PIN105 messages reworded).
# Then two more, likewise checked: messages quote the requirement without the blanks a `\`
# continuation leaves, and PIN105's "hashed but not pinned" follows pip's `is_pinned` (one
# `==`/`===` specifier): 4 lines such as `x==1.0,!=2` gained it.
# Re-taken once more, every changed finding checked against the old output: a VCS URL without
# `#egg=` names its repository as the package (262 findings gained a package, 3 PIN107 on URLs
# no longer say `git`/`https`); `-e <bare name>` with no such directory is PIN108, not PIN105
# (96 lines); an editable VCS URL without `#egg=` is PIN108, not PIN102 (3 lines); and `-e
# x@./y` is PIN108 (3 lines), `-e A1@git+...@main` PIN102 (1 line), as pip 26 reads them; a
# line pip refuses gets no PIN105 besides (6 findings gone); the constraint `bar[x]~=1.0` is
# PIN108 (pip refuses constraints with extras), not PIN101; a URL whose `#egg=` is no bare
# project name (`#egg=b[x]`, or a marker glued to it) is PIN108 as pip 25+ refuses it (31
# lines, whose PIN102/PIN105 findings it replaces).
# And once more: `==1.0a1.*` (a `.*` after a pre-release) is PIN108, as PEP 440 and pip
# refuse it, where the fast path read it as a wildcard range (1 line: PIN104 and PIN105 gone).
# And once more, messages only (every position and code the same): an invalid or dynamic
# line is quoted only up to where it stops being a requirement, at most 60 characters, and
# not at all when it does not start like one (3,650 PIN108 and 110 PIN107 messages, 1,566 of
# them now "not shown"), so that a file of secrets named by mistake is not repeated in logs.
# And once more, every changed line checked against the old output and pip 23.2.1/26.3 (206
# lines): `-e` of a text that is neither a directory nor a URL (`-e foo_[a_]`, `-e x=>1.0`) is
# PIN108, as pip refuses it, not PIN105 (122 lines); a bare wheel URL or path whose file name
# pip cannot read (`pkg-1.0.whl`, `http://x/y.whl`) is PIN108 (67 lines, their PIN103/PIN105
# gone); pip cuts a marker off at the first `;`, so `name;` and `name @ URL;marker` are valid
# requirements, no longer PIN108 (17 lines, now PIN101/PIN102/PIN105 as their pins say).
# Then, likewise checked (23 lines): `-e` of an archive path or a non-VCS URL (`-e pkg-1.0.tar.gz`,
# `-e https://x/p.whl`) and `-e` of a text with a marker or trailing blanks are PIN108, as pip
# takes no such editable (12 lines had PIN105/PIN103; 11 PIN108 messages reworded).
# And (21 lines, checked likewise): a name-like word, blanks and then a `/` (`fo o[a]/ 0`) is
# PIN108, as pip parses it as a requirement (no such directory, no archive), no longer the
# project's own path with PIN105; the package of those lines is the leading name.
ODD_EXPECTED = (
    "dda976cbc405324191198ed2e3b8f1159e83345ba491b6a4a0ec41969924bfd4",
    9338,
    {"GRD102": 33, "PIN101": 239, "PIN102": 136, "PIN103": 65, "PIN104": 3, "PIN105": 1272, "PIN106": 1668, "PIN107": 245, "PIN108": 5677},
)
