"""`guard env` end to end through `guard.cli.env.run`: output, exit codes, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from guard.environment.classify import KINDS
from guard.rules import DOC_HEADINGS
from guard.rules.env import RULES
from tests.environment.helpers import DEBIAN_PYTHON, FACTS_DIR, base_environ, pyenv_python, run_env

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def facts(name: str) -> str:
    return os.path.join(FACTS_DIR, name + ".json")


def test_json_output_shape(tmp_path: pytest.TempPathFactory) -> None:
    code, out, err = run_env({"facts_file": facts("homebrew-arm"), "output_format": "json"}, {}, str(tmp_path))
    data = json.loads(out)
    assert (code, err) == (1, "")
    for key in (
        "kind",
        "verdict",
        "in_venv",
        "externally_managed",
        "interpreter",
        "prefix",
        "base_prefix",
        "marker_message",
        "purelib",
        "scripts",
        "scripts_on_path",
        "findings",
    ):
        assert key in data, key
    assert (data["kind"], data["verdict"], data["in_venv"], data["externally_managed"]) == ("homebrew", "block", False, True)
    assert data["findings"][0]["code"] == "ENV101"
    assert set(data["findings"][0]) >= {"path", "line", "column", "code", "name", "severity", "message", "package"}
    assert data["findings"][0]["severity"] == "error"
    assert data["findings"][0]["name"] == "system-python-install"


def test_text_output_says_kind_marker_paths_verdict_and_fix(tmp_path: pytest.TempPathFactory) -> None:
    code, out, _ = run_env({"facts_file": facts("apple-clt")}, {}, str(tmp_path))
    assert code == 1
    assert "Kind:        Apple Command Line Tools Python 3.9 [apple-clt]" in out
    assert "scripts:     /usr/local/bin (on PATH)" in out
    assert (
        "Installs to: the user site /Users/u/Library/Python/3.9/lib/python/site-packages (purelib is not "
        "writable); scripts in /Users/u/Library/Python/3.9/bin (NOT on PATH)"
    ) in out
    assert "Verdict:     BLOCK: a plain `pip install` here must not happen" in out
    assert out.endswith(
        "To fix:\n"
        "  /Library/Developer/CommandLineTools/usr/bin/python3 -m venv .venv && . .venv/bin/activate\n"
        "  .venv/bin/python -m pip install PACKAGE\n"
    )


def test_text_shows_the_marker_message(tmp_path: pytest.TempPathFactory) -> None:
    env = base_environ(str(tmp_path))
    code, out, _ = run_env({"python": DEBIAN_PYTHON}, env, str(tmp_path))
    assert code == 1
    assert "Marker:      /usr/lib/python3.11/EXTERNALLY-MANAGED (PEP 668: externally managed)\n" in out
    assert "             | To install Python packages system-wide, try apt install\n" in out


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("macos-python-org-venv", 0),
        ("macos-conda-env", 0),
        ("linux-pixi-env", 0),
        ("macos-conda-base", 1),
        ("apple-clt", 1),
        ("macos-pipx-venv", 1),
    ],
)
def test_require_venv(name: str, code: int, tmp_path: pytest.TempPathFactory) -> None:
    got, _, err = run_env({"facts_file": facts(name), "require_venv": True}, {}, str(tmp_path))
    assert got == code
    if code:
        assert err.count("\n") == 1 and err.startswith("guard env: `")
    else:
        assert err == ""


def test_require_venv_reason(tmp_path: pytest.TempPathFactory) -> None:
    _, _, err = run_env({"facts_file": facts("apple-clt"), "require_venv": True}, {}, str(tmp_path))
    assert err == (
        "guard env: `/Library/Developer/CommandLineTools/usr/bin/python3` is not a virtual environment: "
        "it is Apple Command Line Tools Python 3.9 (apple-clt).\n"
    )


def test_exit_codes_follow_findings(tmp_path: pytest.TempPathFactory) -> None:
    assert run_env({"facts_file": facts("windows-venv")}, {}, str(tmp_path))[0] == 0
    assert run_env({"facts_file": facts("linux-container-system")}, {}, str(tmp_path))[0] == 0
    assert run_env({"facts_file": facts("macos-pyenv")}, {}, str(tmp_path))[0] == 1


def test_settings_seam_postprocess(tmp_path: pytest.TempPathFactory) -> None:
    import io

    from guard.cli.env import run

    out, err = io.StringIO(), io.StringIO()
    code = run(
        python=None,
        dump_facts=False,
        facts_file=facts("macos-pyenv"),
        output_format="json",
        require_venv=False,
        cwd=str(tmp_path),
        environ={},
        stdout=out,
        stderr=err,
        postprocess=lambda fs: [f for f in fs if f.code != "ENV102"],
    )
    assert code == 0
    assert json.loads(out.getvalue())["findings"] == []


BAD = [
    ("malformed", "{not json", "not valid JSON"),
    ("not-object", "[1, 2]", "facts must be a JSON object"),
    ("no-interpreter", "{}", "missing the `interpreter` object"),
    ("bad-prefix", '{"interpreter": {"executable": "x", "prefix": 1, "base_prefix": "y"}}', "`interpreter.prefix` must be a string"),
]
_I = '"executable": "/usr/bin/python3", "prefix": "/usr", "base_prefix": "/usr"'
# Wrong types: each once crashed (exit 3) or silently changed the verdict.
BAD += [
    ("marker", f'{{"interpreter": {{{_I}, "marker": "yes"}}}}', '`interpreter.marker` must be an object, not "yes"'),
    ("executable-home", f'{{"interpreter": {{{_I}, "executable_home": "x"}}}}', '`interpreter.executable_home` must be an object, not "x"'),
    ("prefix-markers", f'{{"interpreter": {{{_I}, "prefix_markers": "x"}}}}', '`interpreter.prefix_markers` must be an object, not "x"'),
    ("ids", f'{{"interpreter": {{{_I}, "ids": "x"}}}}', '`interpreter.ids` must be an object, not "x"'),
    ("virtual-env", f'{{"interpreter": {{{_I}}}, "virtual_env": "x"}}', '`virtual_env` must be an object, not "x"'),
    ("project-venv", f'{{"interpreter": {{{_I}}}, "project_venv": "x"}}', '`project_venv` must be an object, not "x"'),
    ("os-release", f'{{"interpreter": {{{_I}}}, "os_release": "x"}}', '`os_release` must be an object, not "x"'),
    (
        "conda-meta",
        f'{{"interpreter": {{{_I}, "prefix_markers": {{"conda_meta": "no"}}}}}}',
        '`interpreter.prefix_markers.conda_meta` must be true or false, not "no"',
    ),
    (
        "marker-exists",
        f'{{"interpreter": {{{_I}, "marker": {{"exists": "false"}}}}}}',
        '`interpreter.marker.exists` must be true or false, not "false"',
    ),
    ("os-release-name", f'{{"interpreter": {{{_I}}}, "os_release": {{"name": 7}}}}', "`os_release.name` must be a string, not 7"),
    ("version", f'{{"interpreter": {{{_I}, "version": ["a", "b"]}}}}', '`interpreter.version` must be a list of integers, not ["a", "b"]'),
    ("guard-facts", f'{{"guard_facts": true, "interpreter": {{{_I}}}}}', "`guard_facts` must be an integer, not true"),
    ("shell-pip", f'{{"interpreter": {{{_I}}}, "shell": {{"pip": {{"identity": 3}}}}}}', "`shell.pip.identity` must be a string, not 3"),
    ("environ", f'{{"interpreter": {{{_I}}}, "environ": {{"PATH": 1}}}}', '`environ` must be an object of strings, not {"PATH": 1}'),
    ("virtual-env-path", f'{{"interpreter": {{{_I}}}, "virtual_env": {{"exists": true}}}}', "`virtual_env.path` is required"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_facts_file(name: str, content: str, reason: str, tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(content)
    code, out, err = run_env({"facts_file": str(path)}, {}, str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"guard env: error: `{path}`: {reason}")
    assert err.count("\n") == 1 and "Traceback" not in err
    if name not in ("malformed", "bad-prefix"):
        assert err == f"guard env: error: `{path}`: {reason}\n"


def test_missing_facts_file(tmp_path: pytest.TempPathFactory) -> None:
    missing = str(tmp_path / "nope.json")
    assert run_env({"facts_file": missing}, {}, str(tmp_path)) == (2, "", f"guard env: error: `{missing}`: no such file\n")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("/no/such/python", "`/no/such/python` does not exist"),
        ("/etc/hostname", "`/etc/hostname` is neither a Python interpreter nor a script naming one"),
        ("/bin/true", "`/bin/true` is not a Python interpreter (the probe failed)"),
    ],
)
def test_python_that_is_not_a_python(spec: str, message: str, tmp_path: pytest.TempPathFactory) -> None:
    if not os.path.exists(spec) and spec != "/no/such/python":
        pytest.skip(f"{spec} is not on this machine")
    code, out, err = run_env({"python": spec}, base_environ(str(tmp_path)), str(tmp_path))
    assert (code, out, err) == (2, "", f"guard env: error: {message}\n")


def test_facts_and_python_together_is_a_usage_error(tmp_path: pytest.TempPathFactory) -> None:
    code, _, err = run_env({"facts_file": facts("apple-clt"), "python": DEBIAN_PYTHON}, {}, str(tmp_path))
    assert (code, err) == (2, "guard env: error: --facts and --python cannot be used together\n")


def test_dump_facts_replays_through_facts(tmp_path: pytest.TempPathFactory) -> None:
    env = base_environ(str(tmp_path))
    code, dumped, _ = run_env({"python": DEBIAN_PYTHON, "dump_facts": True}, env, str(tmp_path))
    assert code == 0
    path = tmp_path / "dump.json"
    path.write_text(dumped)
    live = json.loads(run_env({"python": DEBIAN_PYTHON, "output_format": "json"}, env, str(tmp_path))[1])
    replayed = json.loads(run_env({"facts_file": str(path), "output_format": "json"}, {}, str(tmp_path))[1])
    assert replayed == live


def _own_pip_path(tmp: str) -> str:
    """A PATH whose first `pip` belongs to the running interpreter (R0 then judges it)."""
    bin_dir = os.path.join(tmp, "ownbin")
    os.makedirs(bin_dir, exist_ok=True)
    pip = os.path.join(bin_dir, "pip")
    with open(pip, "w") as handle:
        handle.write(f"#!{sys.executable}\nimport sys\n")
    os.chmod(pip, 0o755)
    return f"{bin_dir}:/usr/bin:/bin"


def test_running_interpreter_needs_no_subprocess_and_no_packaging(tmp_path: pytest.TempPathFactory) -> None:
    # A fresh interpreter: the check must not be fooled by what pytest already imported.
    path = _own_pip_path(str(tmp_path))
    code = (
        "import io, subprocess, sys\n"
        "def boom(*a, **k): raise AssertionError('subprocess spawned')\n"
        "subprocess.Popen = boom\n"
        "from guard.cli.env import run\n"
        "out = io.StringIO()\n"
        "rc = run(python=None, dump_facts=False, facts_file=None, output_format='json', require_venv=False,\n"
        f"         cwd={str(tmp_path)!r}, environ={{'PATH': {path!r}, 'HOME': {str(tmp_path)!r}}},\n"
        "         stdout=out, stderr=sys.stderr)\n"
        "assert rc in (0, 1), rc\n"
        "assert 'packaging' not in sys.modules, 'packaging was imported'\n"
        "print(out.getvalue())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["interpreter"] == sys.executable
    assert data["target"]["how"] == "path-pip"
    assert data["target"]["interpreter"] == sys.executable


def test_argparse_wiring(tmp_path: pytest.TempPathFactory) -> None:
    import argparse

    from guard.cli.env import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--python", "x", "--dump-facts", "--facts", "f", "--format", "json", "--require-venv"])
    assert (args.python, args.dump_facts, args.facts_file, args.output_format, args.require_venv) == ("x", True, "f", "json", True)


def test_env_rules_table() -> None:
    codes = [r.code for r in RULES]
    assert codes == [f"ENV{n}" for n in range(101, 101 + len(RULES))]
    for rule in RULES:
        assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name
        headings = [line[3:].strip() for line in rule.doc.splitlines() if line.startswith("## ")]
        assert tuple(headings) == DOC_HEADINGS, rule.code


def test_kinds_listed_in_the_issue() -> None:
    assert set(KINDS) == {
        "venv",
        "tool-venv",
        "broken-venv",
        "conda-env",
        "pixi-env",
        "conda-base",
        "distro",
        "local-build",
        "container-system",
        "apple-clt",
        "apple-xcode",
        "apple-system-py2",
        "macos-python-org",
        "homebrew",
        "macports",
        "pyenv",
        "asdf",
        "mise",
        "uv-managed",
        "nix",
        "ci-toolcache",
        "windows-store",
        "windows-python-org-user",
        "windows-python-org-allusers",
        "windows-pymanager",
        "msys2",
        "app-embedded",
        "other-global",
    }


def test_pyenv_target_by_venv_directory(tmp_path: pytest.TempPathFactory) -> None:
    venv = str(tmp_path / "v")
    subprocess.run([pyenv_python("3.13.0"), "-m", "venv", "--without-pip", venv], check=True)
    code, out, _ = run_env({"python": venv, "output_format": "json"}, base_environ(str(tmp_path)), str(tmp_path))
    data = json.loads(out)
    assert (code, data["kind"], data["verdict"], data["prefix"]) == (0, "venv", "ok", venv)


def test_through_guard_cli_main(tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    cli = pytest.importorskip("guard.cli")
    assert cli.main(["env", "--facts", facts("macos-conda-env"), "--require-venv"]) == 0
    capsys.readouterr()
    assert cli.main(["env", "--facts", facts("apple-clt"), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["kind"] == "apple-clt"
    missing = str(tmp_path / "missing.json")
    assert cli.main(["env", "--facts", missing]) == 2
    assert capsys.readouterr().err == f"guard env: error: `{missing}`: no such file\n"


def test_full_cli_on_running_interpreter_imports_no_packaging(tmp_path: pytest.TempPathFactory) -> None:
    code = (
        "import io, sys, contextlib\n"
        "from guard.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['env'])\n"
        "assert rc in (0, 1), rc\n"
        "assert 'packaging' not in sys.modules, 'packaging was imported'\n"
        "assert 'subprocess' not in sys.modules, 'subprocess was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PATH": _own_pip_path(str(tmp_path)), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr


def test_reader_gone_keeps_the_exit_code(tmp_path: pytest.TempPathFactory) -> None:
    """`guard env --require-venv | head`: a closed pipe loses the output, not the verdict."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "guard", "env", "--facts", facts("apple-clt"), "--require-venv"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(tmp_path),
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": REPO},
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (
        1,
        "guard env: `/Library/Developer/CommandLineTools/usr/bin/python3` is not a virtual environment: "
        "it is Apple Command Line Tools Python 3.9 (apple-clt).\n",
    )
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "guard", "env", "--facts", facts("macos-conda-env"), "--format", "json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(tmp_path),
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": REPO},
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, "")
