"""The shell snippets' test cases, run in a real bash, zsh or fish process.

Each test_shells_<shell>.py binds these to its shell. The snippet is loaded the way the docs
say (`eval "$(guard shell-init bash)"`, `guard shell-init fish | source`), with the `guard`
command of this checkout on PATH.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import pytest
from wrapper_helpers import DEBIAN_MARKER, base_env, read_log, slow_probe_venv
from wrapper_helpers import FAKE_PIP as FAKE_PIP_SOURCE

WEIRD_ARGS = ["install", "a b", 'q"uote', "it's", "", "ünïcode", "$HOME", "*", "--", "-x", "back\\slash", "tab\there"]


@dataclass
class Shell:
    name: str
    exe: str

    def argv(self, script: str) -> List[str]:
        if self.name == "bash":
            return [self.exe, "--norc", "--noprofile", "-c", script]
        if self.name == "zsh":
            return [self.exe, "-f", "-c", script]
        return [self.exe, "--no-config", "-c", script]

    @property
    def init(self) -> str:
        if self.name == "fish":
            return "guard shell-init fish | source"
        return f'eval "$(guard shell-init {self.name})"'

    @property
    def status(self) -> str:
        return 'echo "rc=$status"' if self.name == "fish" else 'echo "rc=$?"'

    def quote(self, word: str) -> str:
        if self.name == "fish":
            return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"
        return shlex.quote(word)

    def run(
        self, script: str, env: Dict[str, str], cwd: Path, stdin: Optional[str] = None, timeout: float = 300
    ) -> "subprocess.CompletedProcess[str]":
        return subprocess.run(
            self.argv(script),
            env=env,
            cwd=str(cwd),
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            errors="surrogateescape",
            timeout=timeout,
        )


def _spy(directory: Path, log: Path) -> Path:
    """A `guard` that only records that it was started (to prove the fast path skips it)."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "guard"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexit 99\n')
    script.chmod(0o755)
    return directory


def _init_then(shell: Shell, guard_bin: Path, lines: List[str]) -> str:
    """Load the snippet with the real guard, then drop guard's dir from PATH if asked."""
    return "\n".join([shell.init, *lines])


def case_venv_fast_path_installs_for_real(
    shell: Shell, tmp_path: Path, guard_bin: Path, venv: Path, wheelhouse: Path, cache_dir: Path
) -> None:
    spy_log = tmp_path / "spy.log"
    spy = _spy(tmp_path / "spy", spy_log)
    env = base_env(tmp_path, cache_dir, [str(guard_bin), "/usr/bin", "/bin"])
    script_lines = [
        shell.init,
        # activate the venv (what `activate` does that matters here), guard now the spy
        *(
            [
                f"set -gx VIRTUAL_ENV {shell.quote(str(venv))}",
                f"set -gx PATH {shell.quote(str(venv / 'bin'))} {shell.quote(str(spy))} $PATH",
            ]
            if shell.name == "fish"
            else [
                f"export VIRTUAL_ENV={shell.quote(str(venv))}",
                f"export PATH={shell.quote(str(venv / 'bin'))}:{shell.quote(str(spy))}:$PATH",
            ]
        ),
        f"pip install -q --no-index --find-links {shell.quote(str(wheelhouse))} guardtiny==0.1",
        shell.status,
        "python -c 'import guardtiny; print(guardtiny.VALUE)'",
        "pip uninstall -q -y guardtiny",
        shell.status,
    ]
    result = shell.run("\n".join(script_lines), env, tmp_path)
    assert (result.stdout, result.stderr) == ("rc=0\nguardtiny 0.1\nrc=0\n", "")
    assert not spy_log.exists()


def case_completion_keeps_working(shell: Shell, tmp_path: Path, guard_bin: Path, venv: Path, cache_dir: Path) -> None:
    spy_log = tmp_path / "spy.log"
    spy = _spy(tmp_path / "spy", spy_log)
    env = base_env(tmp_path, cache_dir, [str(venv / "bin"), str(guard_bin), "/usr/bin", "/bin"])
    pip = shell.quote(str(venv / "bin" / "pip"))
    if shell.name == "bash":
        lines = [
            shell.init,
            f'eval "$({pip} completion --bash)"',
            f"export PATH={shell.quote(str(spy))}:$PATH",
            "COMP_WORDS=(pip inst); COMP_CWORD=1; _pip_completion pip",
            'echo "${COMPREPLY[*]}"',
            "complete -p pip",
        ]
        expected = "install\ncomplete -o default -F _pip_completion pip\n"
    elif shell.name == "zsh":
        # what pip's zsh completion function runs for `pip inst<TAB>`
        lines = [
            shell.init,
            f"export PATH={shell.quote(str(spy))}:$PATH",
            'COMP_WORDS="pip inst" COMP_CWORD=1 PIP_AUTO_COMPLETE=1 pip',
        ]
        expected = "install\n"
    else:
        lines = [
            shell.init,
            f"{pip} completion --fish | source",
            f"set -gx PATH {shell.quote(str(spy))} $PATH",
            "complete -C 'pip inst'",
        ]
        expected = "install\n"
    result = shell.run("\n".join(lines), env, tmp_path)
    assert (result.stdout, result.stderr) == (expected, "")
    assert not spy_log.exists()


def _debian_env(tmp_path: Path, guard_bin: Path, cache_dir: Path, **extra: str) -> Dict[str, str]:
    if not DEBIAN_MARKER.exists():
        pytest.skip("needs Debian's /usr/bin/pip with its EXTERNALLY-MANAGED marker")
    env = base_env(tmp_path, cache_dir, [str(guard_bin), "/usr/bin", "/bin"])
    env.update(extra)
    return env


def case_debian_pip_blocked(shell: Shell, tmp_path: Path, guard_bin: Path, wheelhouse: Path, cache_dir: Path) -> None:
    env = _debian_env(tmp_path, guard_bin, cache_dir, GUARD_PIP_ON_BLOCK="block")
    find_links = shell.quote(str(wheelhouse))
    script = "\n".join([shell.init, f"pip install --dry-run --no-index --find-links {find_links} guardtiny==0.1", shell.status])
    result = shell.run(script, env, tmp_path)
    assert result.stdout == "rc=1\n"
    lines = result.stderr.splitlines()
    assert lines[0] == "guard: `pip install` would change Debian GNU/Linux's system Python 3.11 [block]"
    assert lines[1] == "  python:  /usr/bin/python3 (distro)"
    assert lines[2] == "  files:   /usr/local/lib/python3.11/dist-packages, scripts in /usr/local/bin"
    assert lines[-1] == "guard: blocked; pip was not run (GUARD_ALLOW=1 for one call, or GUARD_PIP_ON_BLOCK=warn)"


def case_break_system_packages_honoured(shell: Shell, tmp_path: Path, guard_bin: Path, wheelhouse: Path, cache_dir: Path) -> None:
    env = _debian_env(tmp_path, guard_bin, cache_dir, GUARD_PIP_ON_BLOCK="block")
    find_links = shell.quote(str(wheelhouse))
    script = "\n".join([shell.init, f"pip3 install --brea --dry-run --no-index --find-links {find_links} guardtiny==0.1", shell.status])
    result = shell.run(script, env, tmp_path)
    assert result.stdout.splitlines()[-2:] == ["Would install guardtiny-0.1", "rc=0"]
    lines = result.stderr.splitlines()
    assert lines[0] == "guard: `pip3 install` would change Debian GNU/Linux's system Python 3.11 [warn]"
    assert "           overridden by flag (--brea)" in lines
    assert lines[-1] == "guard: running pip anyway (warn mode)"


def case_arguments_and_status_pass_through(shell: Shell, tmp_path: Path, guard_bin: Path, fake_pip: Path, cache_dir: Path) -> None:
    log = tmp_path / "pip.log"
    env = base_env(tmp_path, cache_dir, [str(fake_pip), str(guard_bin), "/usr/bin", "/bin"])
    env.update(FAKE_PIP_LOG=str(log), FAKE_PIP_EXIT="7", GUARD_PIP_ON_BLOCK="warn", GUARD_PIP_CHECK_INSTALLS="0")
    words = " ".join(shell.quote(w) for w in WEIRD_ARGS)
    script = "\n".join([shell.init, f"pip3.11 {words}", shell.status])
    result = shell.run(script, env, tmp_path)
    assert result.stdout == "rc=7\n"
    assert result.stderr.splitlines()[-1] == "guard: running pip anyway (warn mode)"
    assert read_log(log) == [{"argv": [str(fake_pip / "pip3.11"), *WEIRD_ARGS], "active": None}]


def case_guard_missing_or_broken_runs_pip(shell: Shell, tmp_path: Path, guard_bin: Path, fake_pip: Path, cache_dir: Path) -> None:
    log = tmp_path / "pip.log"
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "guard").write_text("#!/bin/sh\nexit 3\n")
    (broken / "guard").chmod(0o755)
    env = base_env(tmp_path, cache_dir, [str(fake_pip), str(guard_bin), "/usr/bin", "/bin"])
    env.update(FAKE_PIP_LOG=str(log))
    if shell.name == "fish":
        no_guard = f"set -gx PATH {shell.quote(str(fake_pip))} /usr/bin /bin"
        with_broken = f"set -gx PATH {shell.quote(str(broken))} $PATH"
    else:
        no_guard = f"export PATH={shell.quote(str(fake_pip))}:/usr/bin:/bin"
        with_broken = f"export PATH={shell.quote(str(broken))}:$PATH"
    script = "\n".join([shell.init, no_guard, "pip install x", shell.status, with_broken, "pip install y", shell.status])
    result = shell.run(script, env, tmp_path)
    assert (result.stdout, result.stderr) == (
        "rc=0\nrc=0\n",
        "guard: not available (status 127); running pip unchecked\nguard: not available (status 3); running pip unchecked\n",
    )
    assert [entry["argv"][1:] for entry in read_log(log)] == [["install", "x"], ["install", "y"]]


def case_missing_pip_is_command_not_found(shell: Shell, tmp_path: Path, guard_bin: Path, cache_dir: Path) -> None:
    env = base_env(tmp_path, cache_dir, [str(guard_bin), "/usr/bin", "/bin"])
    plain = shell.run("\n".join(["pip3.14 install x", shell.status]), env, tmp_path)
    wrapped = shell.run("\n".join([shell.init, "pip3.14 install x", shell.status]), env, tmp_path)
    assert plain.stdout == wrapped.stdout == "rc=127\n"
    # the shell's own message (it may name the wrapper function as where it happened)
    phrase = {"bash": "pip3.14: command not found", "zsh": "command not found: pip3.14", "fish": "Unknown command: pip3.14"}
    assert phrase[shell.name] in plain.stderr.splitlines()[0]
    assert phrase[shell.name] in wrapped.stderr.splitlines()[0]
    assert "guard: " not in wrapped.stderr


def case_escape_hatch(shell: Shell, tmp_path: Path, guard_bin: Path, fake_pip: Path, cache_dir: Path) -> None:
    log = tmp_path / "pip.log"
    env = base_env(tmp_path, cache_dir, [str(fake_pip), str(guard_bin), "/usr/bin", "/bin"])
    env.update(FAKE_PIP_LOG=str(log), GUARD_PIP_ON_BLOCK="block")
    allow = "env GUARD_ALLOW=1 " if shell.name == "fish" else "GUARD_ALLOW=1 "
    # fish runs `env` (a program), so the snippet's function is bypassed there: use a variable
    if shell.name == "fish":
        lines = [shell.init, "set -lx GUARD_ALLOW 1", "pip install x", shell.status, "set -e GUARD_ALLOW", "pip install x", shell.status]
    else:
        lines = [shell.init, f"{allow}pip install x", shell.status, "pip install x", shell.status]
    result = shell.run("\n".join(lines), env, tmp_path)
    assert result.stdout == "rc=0\nrc=1\n"
    err = result.stderr.splitlines()
    assert err[0] == "guard: GUARD_ALLOW is set: `pip` runs unchecked"
    assert err[-1] == "guard: blocked; pip was not run (GUARD_ALLOW=1 for one call, or GUARD_PIP_ON_BLOCK=warn)"
    assert [entry["argv"][1:] for entry in read_log(log)] == [["install", "x"]]


def case_uninstall_text_removes_functions(shell: Shell, tmp_path: Path, guard_bin: Path, cache_dir: Path) -> None:
    env = base_env(tmp_path, cache_dir, [str(guard_bin), "/usr/bin", "/bin"])
    if shell.name == "fish":
        check = "functions -q pip; and echo defined; or echo gone"
        remove = f"guard shell-init {shell.name} --uninstall | source"
    else:
        check = "if typeset -f pip >/dev/null; then echo defined; else echo gone; fi"
        remove = f'eval "$(guard shell-init {shell.name} --uninstall)"'
    result = shell.run("\n".join([shell.init, check, remove, check]), env, tmp_path)
    assert (result.stdout, result.stderr) == ("defined\ngone\n", "")


def case_uninstall_removes_names_defined_under_another_path(shell: Shell, tmp_path: Path, guard_bin: Path, cache_dir: Path) -> None:
    """The snippet is loaded with a PATH holding `pip3.6` (as pyenv's shims may); by the time
    the user uninstalls, PATH has changed: the recorded names are removed all the same."""
    extra = tmp_path / "oldpy"
    extra.mkdir()
    (extra / "pip3.6").write_text("#!/bin/sh\nexit 0\n")
    (extra / "pip3.6").chmod(0o755)
    env = base_env(tmp_path, cache_dir, [str(guard_bin), str(extra), "/usr/bin", "/bin"])
    later = f"{guard_bin}:/usr/bin:/bin"
    if shell.name == "fish":
        check = "functions -q pip3.6; and echo defined; or echo gone; functions -q pip; and echo defined; or echo gone"
        lines = [
            shell.init,
            check,
            f"set -gx PATH {later}",
            f"guard shell-init {shell.name} --uninstall | source",
            check,
            "set -q _GUARD_PIP_NAMES; and echo kept; or echo cleared",
        ]
    else:
        check = (
            "if typeset -f pip3.6 >/dev/null; then echo defined; else echo gone; fi; "
            "if typeset -f pip >/dev/null; then echo defined; else echo gone; fi"
        )
        lines = [
            shell.init,
            check,
            f"PATH={later}",
            f'eval "$(guard shell-init {shell.name} --uninstall)"',
            check,
            'if [ -n "${_GUARD_PIP_NAMES+x}" ]; then echo kept; else echo cleared; fi',
        ]
    result = shell.run("\n".join(lines), env, tmp_path)
    assert (result.stdout, result.stderr) == ("defined\ndefined\ngone\ngone\ncleared\n", "")


# --- faults: the wrapper must never break pip ----------------------------------------------

READING_PIP = """#!{python}
import json, os, sys
args = sys.argv[1:]
text = None
if "-r" in args:
    with open(args[args.index("-r") + 1], encoding="utf-8") as handle:
        text = handle.read()
with open(os.environ["FAKE_PIP_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{"argv": args, "read": text}}) + "\\n")
"""


def _reading_pip(directory: Path) -> Path:
    """A `pip` that reads the file its `-r` names, and records what it got."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "pip"
    script.write_text(READING_PIP.format(python="/usr/bin/python3"))
    script.chmod(0o755)
    return directory


def case_requirements_on_stdin_reach_pip_whole(shell: Shell, tmp_path: Path, guard_bin: Path, cache_dir: Path) -> None:
    log = tmp_path / "pip.log"
    pip_dir = _reading_pip(tmp_path / "pipbin")
    env = base_env(tmp_path, cache_dir, [str(pip_dir), str(guard_bin), "/usr/bin", "/bin"])
    env.update(FAKE_PIP_LOG=str(log), GUARD_PIP_ON_BLOCK="warn", GUARD_PIP_ON_WARN="warn")
    script = "\n".join([shell.init, "printf 'guardtiny==0.1\\nrequests\\n' | pip install -r /dev/stdin", shell.status])
    result = shell.run(script, env, tmp_path)
    assert result.stdout == "rc=0\n"
    # guard never read the pipe: pip got every line
    assert read_log(log) == [{"argv": ["install", "-r", "/dev/stdin"], "read": "guardtiny==0.1\nrequests\n"}]
    if shell.name == "fish":
        return  # fish has no `<(...)`
    log.unlink()
    result = shell.run("\n".join([shell.init, "pip install -r <(printf 'six==1.16.0\\n')", shell.status]), env, tmp_path)
    assert result.stdout == "rc=0\n"
    (entry,) = read_log(log)
    assert (entry["argv"][:2], entry["read"]) == (["install", "-r"], "six==1.16.0\n")


def case_a_pip_that_leads_back_to_guard_ends(shell: Shell, tmp_path: Path, guard_bin: Path, fake_pip: Path, cache_dir: Path) -> None:
    log = tmp_path / "pip.log"
    looping = tmp_path / "loop"
    looping.mkdir()
    # a hand-made wrapper without guard's mark, first on PATH
    (looping / "pip").write_text('#!/bin/sh\nexec guard pip --as pip -- "$@"\n')
    (looping / "pip").chmod(0o755)
    env = base_env(tmp_path, cache_dir, [str(looping), str(guard_bin), str(fake_pip), "/usr/bin", "/bin"])
    env.update(FAKE_PIP_LOG=str(log), GUARD_PIP_ON_BLOCK="warn", GUARD_PIP_ON_WARN="warn", GUARD_PIP_CHECK_INSTALLS="0")
    script = "\n".join([shell.init, "pip install guardtiny==0.1", shell.status])
    result = shell.run(script, env, tmp_path, timeout=60)  # it used to loop for good
    assert result.stdout == "rc=0\n"
    assert [entry["argv"] for entry in read_log(log)] == [[str(fake_pip / "pip"), "install", "guardtiny==0.1"]]


def case_a_hostile_probe_cache_never_blocks(shell: Shell, tmp_path: Path, guard_bin: Path, fake_pip: Path) -> None:
    log = tmp_path / "pip.log"
    cache = tmp_path / "cache"
    env = base_env(tmp_path, cache, [str(fake_pip), str(guard_bin), "/usr/bin", "/bin"])
    env.update(FAKE_PIP_LOG=str(log), GUARD_PIP_ON_BLOCK="warn", GUARD_PIP_CHECK_INSTALLS="0")
    call = "\n".join([shell.init, "pip install guardtiny==0.1", shell.status])
    assert shell.run(call, env, tmp_path).stdout == "rc=0\n"  # fills the cache
    (entry,) = [path for path in cache.iterdir() if path.name.startswith("probe-")]
    for hostile in ("fifo", "zero"):
        entry.unlink()
        if hostile == "fifo":
            os.mkfifo(entry)
        else:
            entry.symlink_to("/dev/zero")
        result = shell.run(call, env, tmp_path, timeout=60)  # it used to block (FIFO) or grow (/dev/zero)
        assert result.stdout == "rc=0\n", hostile
        assert result.stderr.splitlines()[-1] == "guard: running pip anyway (warn mode)", hostile
    assert len(read_log(log)) == 3


def case_a_hanging_guard_lets_pip_run(shell: Shell, tmp_path: Path, guard_bin: Path, cache_dir: Path) -> None:
    log = tmp_path / "pip.log"
    bin_dir = slow_probe_venv(tmp_path, FAKE_PIP_SOURCE)
    env = base_env(tmp_path, tmp_path / "cache", [str(bin_dir), str(guard_bin), "/usr/bin", "/bin"])
    env.update(FAKE_PIP_LOG=str(log), GUARD_PIP_TIMEOUT="1", GUARD_PIP_ON_BLOCK="block")
    result = shell.run("\n".join([shell.init, "pip install guardtiny==0.1", shell.status]), env, tmp_path, timeout=50)
    assert result.stdout == "rc=0\n"
    assert result.stderr == "guard: no verdict within 1 s (GUARD_PIP_TIMEOUT); running pip unchecked\n"
    assert [entry["argv"][1:] for entry in read_log(log)] == [["install", "guardtiny==0.1"]]


CASES = [
    case_venv_fast_path_installs_for_real,
    case_completion_keeps_working,
    case_debian_pip_blocked,
    case_break_system_packages_honoured,
    case_arguments_and_status_pass_through,
    case_guard_missing_or_broken_runs_pip,
    case_missing_pip_is_command_not_found,
    case_escape_hatch,
    case_uninstall_text_removes_functions,
    case_uninstall_removes_names_defined_under_another_path,
    case_requirements_on_stdin_reach_pip_whole,
    case_a_pip_that_leads_back_to_guard_ends,
    case_a_hostile_probe_cache_never_blocks,
    case_a_hanging_guard_lets_pip_run,
]
