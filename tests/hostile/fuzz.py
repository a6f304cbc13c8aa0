"""Seeded mutation fuzz of every file kind: `guard check` must give findings, never an
internal error, and finish each file within a limit that only catches hangs.

Used by tests/hostile/test_fuzz.py (a few hundred mutations, bounded) and by
`python benchmarks/fuzz.py` (as many as asked, with figures).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import tempfile
import traceback
from typing import Iterator, List, Optional, Tuple

from fuzz_seeds import SEEDS

SPECIALS = [
    "'",
    '"',
    "\\",
    "$(",
    "${",
    "`",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "<<",
    "\0",
    "\r",
    "\ufeff",
    "\t",
    "#",
    ":",
    "=",
    ";",
    "&&",
    "|",
    "\n",
    " ",
    "-r ",
    "@",
    "*",
    "&",
]


def mutate(text: str, rng: random.Random) -> str:
    """One random edit: a special inserted, a slice deleted, duplicated, repeated or wrapped."""
    if not text:
        return rng.choice(SPECIALS)
    i = rng.randrange(len(text) + 1)
    j = min(len(text), i + rng.randint(0, 40))
    choice = rng.randrange(7)
    if choice == 0:
        return text[:i] + rng.choice(SPECIALS) + text[i:]
    if choice == 1:
        return text[:i] + text[j:]
    if choice == 2:
        return text[:j] + text[i:j] * rng.randint(2, 200) + text[j:]
    if choice == 3:
        opener, closer = rng.choice([("[", "]"), ("{", "}"), ("$(", ")"), ('"', '"'), ("(", ")")])
        depth = rng.randint(1, 300)
        return text[:i] + opener * depth + text[i:j] + closer * (depth if rng.random() < 0.5 else 0) + text[j:]
    if choice == 4:
        return text[:i]
    if choice == 5:
        return text[:i] + chr(rng.choice([0xA0, 0x2028, 0x85, 0x1F, 0xD7FF, 0x10FFFF, 0x7F])) + text[i:]
    return text[:i] + text[i:j].upper() + text[j:]


def mutations(seed: int, per_file: int) -> Iterator[Tuple[str, str]]:
    """(file name, text) pairs: every seed file mutated 1-4 times, `per_file` each."""
    rng = random.Random(seed)
    for name, text in SEEDS.items():
        for _ in range(per_file):
            mutated = text
            for _ in range(rng.randint(1, 4)):
                mutated = mutate(mutated, rng)
            yield name, mutated


class _Hang(BaseException):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _Hang()


def run_one(name: str, text: str, limit: float) -> Optional[str]:
    """None when guard checked the file cleanly, else what went wrong (one line + traceback)."""
    from guard.check.run import check_paths
    from guard.config import Settings

    directory = tempfile.mkdtemp(prefix="guard-fuzz-")
    try:
        for other, content in SEEDS.items():
            if other != name:
                _write(directory, other, content)
        _write(directory, name, text)
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            check_paths([name], Settings(), directory)
        except _Hang:
            return f"no result within {limit:g} s"
        except Exception:  # noqa: BLE001 - what the fuzz looks for
            return traceback.format_exc()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return None
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _write(directory: str, name: str, text: str) -> None:
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="") as handle:
        handle.write(text)


def failures(seed: int, per_file: int, limit: float) -> List[Tuple[str, str, str]]:
    found = []
    for name, text in mutations(seed, per_file):
        problem = run_one(name, text, limit)
        if problem is not None:
            found.append((name, text, problem))
    return found
