"""guard's requirement-file reader against a real pip's parser, over generated trees.

    python benchmarks/bench_reader_vs_pip.py --cases 25000 [--seed 1] [--pip-python /tmp/pip26/bin/python] [--show 5]

The cases are the seeded trees of tests/requirements/reader_differential.py (the suite runs a
few thousand of them against the installed pip). Without --pip-python the pip importable here
reads them in-process; with it, that interpreter's pip does, in one subprocess fed the case
directories (its side needs only the standard library and pip). guard reads each tree as that
pip's version would (`RequirementReader(pip_version=...)`).

Prints, per category of line the cases hold, how many cases were compared, how many agree, and
how many a known deliberate difference skipped; then which part of the reading differed (the
file failing, the requirements, the refused lines) and the first --show mismatches.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
DIFFERENTIAL = os.path.join(HERE, os.pardir, "tests", "requirements")
sys.path.insert(0, os.path.join(HERE, os.pardir))
sys.path.insert(0, DIFFERENTIAL)

import reader_differential as differential  # noqa: E402


class PipSide:
    """pip readings, in-process or from another interpreter's pip."""

    def __init__(self, python: Optional[str]) -> None:
        self._process: Optional[subprocess.Popen[str]] = None
        if python is None:
            self.versions = differential.pip_versions()
            return
        script = os.path.join(DIFFERENTIAL, "reader_differential.py")
        self._process = subprocess.Popen(
            [python, script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tempfile.gettempdir()
        )
        first = self._read()
        pip_version, packaging_version = first["versions"]
        self.versions = (tuple(pip_version), tuple(packaging_version))

    def _read(self) -> Dict[str, Any]:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise SystemExit("the pip side stopped (is pip importable by --pip-python?)")
        result: Dict[str, Any] = json.loads(line)
        return result

    def reading(self, root: str) -> Dict[str, Any]:
        if self._process is None:
            return differential.pip_reading(root)
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"root": root}) + "\n")
        self._process.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait()


def _aspects(pip: Tuple[Any, ...], guard: Tuple[Any, ...]) -> Iterator[str]:
    names = ("file fails", "requirements", "refused lines")
    for name, left, right in zip(names, pip, guard):
        if left != right:
            yield name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pip-python", metavar="PYTHON", help="read with this interpreter's pip (default: the pip importable here)")
    parser.add_argument("--show", type=int, default=3, help="print the first N mismatches")
    args = parser.parse_args()
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    side = PipSide(args.pip_python)
    pip_version, packaging_version = side.versions
    per_category: Dict[str, List[int]] = collections.defaultdict(lambda: [0, 0, 0])  # compared, agree, skipped
    aspects: collections.Counter[str] = collections.Counter()
    skipped: collections.Counter[str] = collections.Counter()
    shown = 0
    compared = agreed = 0
    start = time.perf_counter()
    work = tempfile.mkdtemp(prefix="guard-reader-vs-pip-")
    try:
        for index, (files, categories) in enumerate(differential.generate(args.seed, args.cases)):
            why = differential.known_difference(files, pip_version, packaging_version)
            if why is not None:
                skipped[why] += 1
                for category in categories:
                    per_category[category][2] += 1
                continue
            root = os.path.join(work, str(index))
            differential.write_case(root, files)
            pip = differential.normalised(side.reading(root))
            guard = differential.normalised(differential.guard_reading(root, pip_version))
            shutil.rmtree(root)
            compared += 1
            same = pip == guard
            agreed += same
            for category in categories:
                per_category[category][0] += 1
                per_category[category][1] += same
            if not same:
                aspects.update(_aspects(pip, guard))
                if shown < args.show:
                    shown += 1
                    print(f"mismatch, case {index} {categories}: {files!r}\n  pip:   {pip}\n  guard: {guard}")
    finally:
        side.close()
        shutil.rmtree(work, ignore_errors=True)
    took = time.perf_counter() - start
    version = ".".join(map(str, pip_version))
    print(
        f"pip {version} (vendored packaging {'.'.join(map(str, packaging_version))}), seed {args.seed}: {args.cases} cases in {took:.1f} s"
    )
    print(f"{'category':<24}{'compared':>10}{'agree':>10}{'skipped':>10}")
    for category in sorted(per_category):
        done, same, skip = per_category[category]
        print(f"{category:<24}{done:>10}{same:>10}{skip:>10}")
    print(f"{'all cases':<24}{compared:>10}{agreed:>10}{sum(skipped.values()):>10}")
    for aspect, count in sorted(aspects.items()):
        print(f"differs in {aspect}: {count} cases")
    for why, count in sorted(skipped.items()):
        print(f"skipped ({count} cases): {why}")
    return 0 if compared == agreed else 1


if __name__ == "__main__":
    raise SystemExit(main())
