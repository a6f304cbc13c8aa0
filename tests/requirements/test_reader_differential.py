"""guard reads generated requirement trees as the installed pip's real parser does.

Seeded cases from `reader_differential.generate` (names, extras, specifiers, markers, URLs,
editables, options with and without values, `=`/blank forms, continuations, comments, `-r`/`-c`
includes, odd blanks including no-break spaces, CRLF, BOM), each read by
`pip._internal.req.req_file.parse_requirements` plus `install_req_from_parsed_requirement` and by
guard told the installed pip's version. Where guard deliberately differs from that pip (it
follows the newest), `reader_differential.KNOWN_DIFFERENCES` says why and the case is skipped.
A larger run, against any pip: benchmarks/bench_reader_vs_pip.py.
"""

from __future__ import annotations

import logging
import shutil
import warnings
from pathlib import Path

import pytest
import reader_differential as differential

pytest.importorskip("pip._internal.req.req_file")

CASES = 3000
SEED = 20261201


def test_generated_trees_read_as_pip_reads_them(tmp_path: Path) -> None:
    pip_version, packaging_version = differential.pip_versions()
    mismatches: list[str] = []
    compared = 0
    logging.disable(logging.CRITICAL)  # pip logs a warning for some lines; not under test
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for index, (files, categories) in enumerate(differential.generate(SEED, CASES)):
                if differential.known_difference(files, pip_version, packaging_version):
                    continue
                root = tmp_path / str(index)
                differential.write_case(str(root), files)
                expected = differential.normalised(differential.pip_reading(str(root)))
                actual = differential.normalised(differential.guard_reading(str(root), pip_version))
                compared += 1
                if expected != actual:
                    mismatches.append(f"case {index} {categories}: {files!r}\n  pip:   {expected}\n  guard: {actual}")
                shutil.rmtree(root)
    finally:
        logging.disable(logging.NOTSET)
    assert mismatches == [], "\n".join(mismatches)
    assert compared > CASES // 2  # the known differences leave most cases compared


def test_known_differences_are_said(tmp_path: Path) -> None:
    # A case a known difference skips is named with the reason, for pips it applies to only.
    files = {"requirements.txt": "django==4.0rc1.*\n"}
    assert differential.known_difference(files, (23, 2), (21, 3)) is not None
    assert differential.known_difference(files, (26, 3), (25, 0)) is None
