"""Seeded mutations of every file kind: findings, never an internal error or a hang."""

from __future__ import annotations

import pytest
from fuzz import failures
from fuzz_seeds import SEEDS


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_files_of_every_kind_are_checked_cleanly(seed: int) -> None:
    # 20 mutations of each of the seed files; 20 s only catches a hang (each takes milliseconds)
    found = failures(seed, per_file=20, limit=20)
    assert [(name, problem.strip().splitlines()[-1]) for name, _, problem in found] == []


def test_every_kind_has_a_seed() -> None:
    from guard.check.filekinds import CHECKERS, kind_of

    kinds = {kind_of(name) for name in SEEDS}
    assert sorted(set(CHECKERS) - kinds) == []
