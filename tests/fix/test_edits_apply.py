"""Edits, the atomic write and its refusals, in-process (the parts a subprocess cannot time)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guard.finding import Finding, Severity
from guard.fix.apply import read_for_fix, write_fixed
from guard.fix.diff import unified_diff
from guard.fix.edits import Edit, EditError, LineIndex, apply_edits
from guard.fix.session import plan_fixes, write_plan
from tests.fix.fix_helpers import uv_lock


def test_edits_keep_every_byte_around_them() -> None:
    text = "a\r\nbb\rccc\n\u2028d"
    edits = [Edit("f", 2, 2, 3, 2, "X"), Edit("f", 1, 1, 1, 1, ">"), Edit("f", 5, 2, 5, 2, "!")]  # `\u2028` ends line 4, as for pip
    assert apply_edits(text, edits) == ">a\r\nbXcc\n\u2028d!"
    assert apply_edits(text, edits + [edits[0]]) == ">a\r\nbXcc\n\u2028d!"  # the same edit twice counts once


def test_overlapping_or_misplaced_edits_are_refused() -> None:
    with pytest.raises(EditError, match="two edits overlap"):
        apply_edits("abcdef\n", [Edit("f", 1, 1, 1, 4, "x"), Edit("f", 1, 3, 1, 5, "y")])
    with pytest.raises(EditError, match="line 1, column 9 is outside the file"):
        apply_edits("abc\n", [Edit("f", 1, 9, 1, 9, "x")])


def test_line_index_places_and_line_endings() -> None:
    index = LineIndex("ab\r\ncd\n")
    assert [index.place(offset) for offset in (0, 1, 4, 5)] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert (index.line(1), index.line_ending(1), index.line_ending(2)) == ("ab", "\r\n", "\n")


def test_diff_marks_a_last_line_without_ending() -> None:
    assert unified_diff("r.txt", "a\nb", "a\nc") == (
        "--- a/r.txt\n+++ b/r.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xff\xfer\x00e\x00q\x00\n\x00", id="utf-16-bom"),
        pytest.param("# -*- coding: latin-1 -*-\ncaf\xe9\n".encode("latin-1"), id="pep263-latin-1"),
    ],
)
def test_encodings_are_written_back_as_they_were(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(data)
    original = read_for_fix(str(path))
    assert not isinstance(original, str)
    assert write_fixed(original, original.text + "x\n") is None
    assert path.read_bytes() == data + original.encode("x\n")[len(original.bom) :]


def test_a_file_that_does_not_round_trip_is_not_fixed(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"caf\xc3\xa9 \xed\xa0\x80\n")  # a lone surrogate: not valid UTF-8
    assert read_for_fix(str(path)) == "it is not valid utf-8"


def test_a_file_changed_between_read_and_write_is_not_overwritten(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_bytes(b"alpha\n")
    (tmp_path / "uv.lock").write_text(uv_lock(("alpha", "1.2.0", "sha256:" + "a" * 64)))
    finding = Finding(
        "requirements.txt",
        1,
        1,
        "PIN101",
        "unpinned-requirement",
        Severity.WARNING,
        "`alpha` is not pinned (any version); requirement files require exact",
        package="alpha",
        fix="pin one version: `alpha==<version>`",
    )
    plan = plan_fixes([finding], str(tmp_path), str(tmp_path))
    assert plan.files["requirements.txt"].text == "alpha==1.2.0\n"
    requirements.write_bytes(b"alpha\nbeta\n")  # an editor saves in between
    assert write_plan(plan) == {"requirements.txt": "it changed since guard read it; not rewritten"}
    assert requirements.read_bytes() == b"alpha\nbeta\n"
    assert sorted(os.listdir(tmp_path)) == ["requirements.txt", "uv.lock"]


def test_a_symlinked_file_is_fixed_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"alpha\n")
    link = tmp_path / "requirements.txt"
    link.symlink_to(real.name)
    original = read_for_fix(str(link))
    assert not isinstance(original, str)
    assert write_fixed(original, "alpha==1.2.0\n") is None
    assert link.is_symlink() and real.read_bytes() == b"alpha==1.2.0\n"


def test_a_finding_whose_end_is_not_in_the_text_there_is_not_fixed(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes(b"alpha  # a\n")
    (tmp_path / "uv.lock").write_text(uv_lock(("alpha", "1.2.0", "sha256:" + "a" * 64)))
    finding = Finding(
        "requirements.txt",
        1,
        1,
        "PIN101",
        "unpinned-requirement",
        Severity.WARNING,
        "`alpha` is not pinned (any version); requirement files require exact",
        package="alpha",
        fix="pin one version: `alpha==<version>`",
        end_line=1,
        end_column=10,  # inside the comment: not the requirement guard reads at 1:1
    )
    plan = plan_fixes([finding], str(tmp_path), str(tmp_path))
    assert (plan.files, plan.reason(finding)) == ({}, "the text here is not what the finding points at (the file changed?)")
    fitting = finding.replace(end_column=6)
    assert plan_fixes([fitting], str(tmp_path), str(tmp_path)).files["requirements.txt"].text == "alpha==1.2.0  # a\n"
