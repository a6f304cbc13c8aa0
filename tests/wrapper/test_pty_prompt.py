"""The `ask` mode's y/N prompt, driven through a real pseudo-terminal."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
from wrapper_helpers import DEBIAN_MARKER, base_env, drive_pty, which

pytestmark = pytest.mark.skipif(not DEBIAN_MARKER.exists(), reason="needs Debian's /usr/bin/pip with its marker")

PROMPT = b"Run pip anyway? [y/N/v] "


def drive(argv: List[str], env: Dict[str, str], answer: Optional[bytes]) -> Tuple[int, List[str]]:
    return drive_pty(argv, env, answer, PROMPT)


@pytest.fixture()
def env(tmp_path: Path, guard_bin: Path, cache_dir: Path) -> Dict[str, str]:
    environment = base_env(tmp_path, cache_dir, [str(guard_bin), "/usr/bin", "/bin"])
    environment.update(GUARD_PIP_CHECK_INSTALLS="0", TERM="dumb")
    return environment


def _install(wheelhouse: Path) -> List[str]:
    return ["install", "--dry-run", "--no-index", "--find-links", str(wheelhouse), "guardtiny==0.1"]


@pytest.mark.parametrize(
    ("mode", "answer", "status", "tail"),
    [
        pytest.param("ask", b"n\n", 1, ["Run pip anyway? [y/N/v] n", "guard: not running pip"], id="no"),
        pytest.param("auto", b"\n", 1, ["Run pip anyway? [y/N/v] ", "guard: not running pip"], id="enter-means-no"),
        # pip itself then refuses a plain dry run on a marked Python: proof that it ran
        pytest.param("ask", b"y\n", 1, ["Run pip anyway? [y/N/v] y", "error: externally-managed-environment"], id="yes"),
        pytest.param("ask", b"\x03", 1, ["Run pip anyway? [y/N/v] ^C", "guard: not running pip"], id="ctrl-c-means-no"),
    ],
)
def test_prompt_in_exec_mode(
    env: Dict[str, str], guard_bin: Path, wheelhouse: Path, mode: str, answer: bytes, status: int, tail: List[str]
) -> None:
    env["GUARD_PIP_ON_BLOCK"] = mode
    argv = [str(guard_bin / "guard"), "pip", "--as", "pip", "--", *_install(wheelhouse)]
    code, lines = drive(argv, env, answer)
    assert lines[0] == "guard: `pip install` would change Debian GNU/Linux's system Python 3.11 [block]"
    assert (code, [line for line in lines if line.startswith(("Run pip", "guard: not", "Would install", "error:"))]) == (status, tail)


def test_prompt_through_the_bash_snippet(env: Dict[str, str], wheelhouse: Path) -> None:
    bash = which("bash")
    script = "\n".join(
        [
            'eval "$(guard shell-init bash)"',
            "pip " + " ".join(shlex.quote(a) for a in _install(wheelhouse)),
            'echo "rc=$?"',
        ]
    )
    code, lines = drive([bash, "--norc", "--noprofile", "-c", script], env, b"n\n")
    assert (code, lines[-3:]) == (0, ["Run pip anyway? [y/N/v] n", "guard: not running pip", "rc=1"])


def test_ask_on_warn_verdict_then_install(env: Dict[str, str], guard_bin: Path, wheelhouse: Path) -> None:
    env["GUARD_PIP_ON_WARN"] = "ask"
    argv = [str(guard_bin / "guard"), "pip", "--", "install", "--break-system-packages", *_install(wheelhouse)[1:]]
    code, lines = drive(argv, env, b"yes\n")
    assert lines[0] == "guard: `pip install` would change Debian GNU/Linux's system Python 3.11 [warn]"
    assert (code, lines[-1]) == (0, "Would install guardtiny-0.1")
    assert [line for line in lines if line.startswith("Run pip")] == ["Run pip anyway? [y/N/v] yes"]


def test_warn_mode_never_prompts(env: Dict[str, str], guard_bin: Path, wheelhouse: Path) -> None:
    env["GUARD_PIP_ON_BLOCK"] = "block"
    argv = [str(guard_bin / "guard"), "pip", "--", "install", "--brea", *_install(wheelhouse)[1:]]
    code, lines = drive(argv, env, None)
    assert code == 0
    assert "guard: running pip anyway (warn mode)" in lines
    assert "Would install guardtiny-0.1" in lines
    assert not any(line.startswith("Run pip anyway") for line in lines)
