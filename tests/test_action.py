"""The GitHub Action (action.yml) run here step by step, as the runner runs a composite action.

Each step's `run:` script and `env:` values get the runner's substitutions, then the script runs
as GitHub's `shell: bash` runs it: written to a file, `bash --noprofile --norc -eo pipefail FILE`,
in the step's `working-directory` (relative to the workspace). The substitution table:

| written in action.yml            | what the runner puts there                                   |
|----------------------------------|--------------------------------------------------------------|
| `${{ inputs.NAME }}`             | the value the workflow's `with:` gave, else NAME's `default` |
| `${{ github.action_path }}`      | the action's checkout (here a copy of this repository)       |
| `${{ steps.ID.outputs.NAME }}`   | what step ID wrote as NAME to its `$GITHUB_OUTPUT` file      |

Any other expression fails the test, so a new one must be added here first. Each step also
gets the runner's variables: GITHUB_ACTION_PATH, GITHUB_WORKSPACE, RUNNER_TEMP, a fresh
GITHUB_OUTPUT file, GITHUB_ENV. A failing step stops the action (no step has `if:`).

The set-up step runs once for the module: it makes the action's venv and installs guard there
from the action's checkout with pip, which (as on a runner) gets the build backend and
`packaging` from the package registry.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Optional

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]

ANNOTATION = (
    "::warning file=requirements.txt,line=1,endLine=1,col=1,endColumn=9,title=PIN101 unpinned-requirement::"
    "`requests` is not pinned (any version); requirement files require exact (pin one version: `requests==<version>`)"
)

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Runner(NamedTuple):
    action_path: Path
    temp: Path


class StepRun(NamedTuple):
    id: str
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


class ActionRun(NamedTuple):
    steps: list[StepRun]
    outputs: dict[str, str]

    @property
    def returncode(self) -> int:
        return self.steps[-1].returncode

    @property
    def stdout(self) -> str:
        return "".join(step.stdout for step in self.steps)


def substitute(text: str, inputs: Mapping[str, str], action_path: Path, outputs: Mapping[str, Mapping[str, str]]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression == "github.action_path":
            return str(action_path)
        named = re.fullmatch(r"inputs\.([A-Za-z0-9_-]+)", expression)
        if named:
            declared = ACTION["inputs"][named.group(1)]
            return inputs.get(named.group(1), str(declared.get("default", "")))
        output = re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", expression)
        if output:
            return outputs.get(output.group(1), {}).get(output.group(2), "")
        raise AssertionError(f"no substitution for {match.group(0)}")

    return _EXPRESSION.sub(value, text)


def read_output_file(path: Path) -> dict[str, str]:
    """`$GITHUB_OUTPUT` as the runner reads it: `NAME=VALUE` lines and `NAME<<DELIMITER` blocks."""
    values: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            values[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def _runner_env(runner: Runner, workspace: Path) -> dict[str, str]:
    # The runner's own environment, without anything that points Python at this checkout.
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PYTHON", "VIRTUAL_ENV", "GUARD_", "GITHUB_"))}
    env.update(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTION_PATH": str(runner.action_path),
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(runner.temp),
            "GITHUB_ENV": str(runner.temp / "github_env"),
        }
    )
    return env


def run_steps(
    runner: Runner,
    workspace: Path,
    steps: list[dict[str, Any]],
    inputs: Optional[Mapping[str, str]] = None,
    earlier: Optional[Mapping[str, Mapping[str, str]]] = None,
) -> ActionRun:
    """Run `steps` of the action in order, as the runner would, until one fails."""
    inputs = dict(inputs or {})
    assert set(inputs) <= set(ACTION["inputs"]), inputs
    outputs: dict[str, dict[str, str]] = {name: dict(values) for name, values in (earlier or {}).items()}
    runs = []
    for index, step in enumerate(steps):
        assert step["shell"] == "bash" and "if" not in step, step
        step_id = step.get("id", f"step{index}")
        output_file = runner.temp / f"output-{step_id}"
        output_file.write_text("", encoding="utf-8")
        script = runner.temp / f"{step_id}.sh"
        script.write_text(substitute(step["run"], inputs, runner.action_path, outputs), encoding="utf-8")
        env = _runner_env(runner, workspace)
        env["GITHUB_OUTPUT"] = str(output_file)
        for name, value in (step.get("env") or {}).items():
            env[name] = substitute(str(value), inputs, runner.action_path, outputs)
        directory = workspace / substitute(step.get("working-directory", "."), inputs, runner.action_path, outputs)
        done = subprocess.run([*BASH, str(script)], cwd=directory, env=env, capture_output=True, text=True)
        outputs[step_id] = read_output_file(output_file)
        runs.append(StepRun(step_id, done.returncode, done.stdout, done.stderr, outputs[step_id]))
        if done.returncode != 0:
            break
    action_outputs = {name: substitute(str(spec["value"]), inputs, runner.action_path, outputs) for name, spec in ACTION["outputs"].items()}
    return ActionRun(runs, action_outputs)


def _checkout(destination: Path) -> Path:
    """The action's files as the runner downloads them: the repository, without what a local
    checkout adds (git's folder, venvs, build output, caches)."""
    skipped = {".git", ".venv", "build", "dist", ".pytest_cache", ".mypy_cache"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        at_root = Path(folder) == ROOT
        return {
            name
            for name in names
            if name == "__pycache__" or name.endswith(".pyc") or (at_root and (name in skipped or name.endswith(".egg-info")))
        }

    shutil.copytree(ROOT, destination, ignore=ignore)
    return destination


@pytest.fixture(scope="module")
def set_up(tmp_path_factory: pytest.TempPathFactory) -> tuple[Runner, ActionRun]:
    """The runner after the action's set-up step."""
    base = tmp_path_factory.mktemp("runner")
    runner = Runner(_checkout(base / "_actions" / "guard-lint" / "guard" / "v0"), base / "temp")
    runner.temp.mkdir()
    workspace = base / "workspace"
    workspace.mkdir()
    done = run_steps(runner, workspace, STEPS[:1])
    assert done.returncode == 0, done.steps[-1].stderr
    return runner, done


def _check(set_up: tuple[Runner, ActionRun], workspace: Path, **inputs: str) -> ActionRun:
    runner, setup = set_up
    return run_steps(runner, workspace, STEPS[1:], inputs, {step.id: step.outputs for step in setup.steps})


@pytest.fixture
def unpinned(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "requirements.txt").write_text("requests\n", encoding="utf-8")
    return workspace


@pytest.fixture
def pinned(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "requirements.txt").write_text("requests==2.32.3\n", encoding="utf-8")
    return workspace


def test_the_steps_are_the_set_up_and_the_check() -> None:
    assert [(step["name"], step.get("id"), step["shell"]) for step in STEPS] == [
        ("Set up guard", "setup", "bash"),
        ("guard check", "check", "bash"),
    ]
    assert ACTION["runs"]["using"] == "composite"
    assert sorted(ACTION["inputs"]) == ["args", "exit-zero", "fail-on", "paths", "sarif-file", "working-directory"]


def test_an_expression_outside_the_table_fails_the_substitution(tmp_path: Path) -> None:
    assert substitute("${{ inputs.paths }} ${{github.action_path}}", {}, tmp_path, {}) == f". {tmp_path}"
    with pytest.raises(AssertionError, match=r"no substitution for \$\{\{ github.sha \}\}"):
        substitute("${{ github.sha }}", {}, tmp_path, {})


def test_the_output_file_reader_reads_both_forms(tmp_path: Path) -> None:
    path = tmp_path / "out"
    path.write_text("a=1\nb<<EOF\nx=y\nz\nEOF\nc=\n", encoding="utf-8")
    assert read_output_file(path) == {"a": "1", "b": "x=y\nz", "c": ""}


def test_guard_is_installed_in_a_venv_of_the_actions_own(set_up: tuple[Runner, ActionRun]) -> None:
    runner, setup = set_up
    venv_bin = runner.temp / "guard-action-venv" / "bin"
    # (pip's stderr is left out: it warns about this machine's own pip configuration)
    assert [(step.id, step.returncode, step.stdout, step.outputs) for step in setup.steps] == [("setup", 0, "", {"bin": str(venv_bin)})]
    where = subprocess.run(
        [str(venv_bin / "python"), "-c", "import guard, sys; print(guard.__file__); print(sys.prefix)"],
        capture_output=True,
        text=True,
        cwd=runner.temp,
        env=_runner_env(runner, runner.temp),
    )
    # Installed (not linked to the checkout), inside the action's venv.
    site_packages = subprocess.run(
        [str(venv_bin / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        env=_runner_env(runner, runner.temp),
    ).stdout.strip()
    assert where.stdout.splitlines() == [str(Path(site_packages) / "guard" / "__init__.py"), str(runner.temp / "guard-action-venv")]


def test_a_finding_fails_the_step_with_its_annotation(set_up: tuple[Runner, ActionRun], unpinned: Path) -> None:
    done = _check(set_up, unpinned)
    assert done.steps == [StepRun("check", 1, ANNOTATION + "\n", "", {"exit-code": "1"})]
    assert done.outputs == {"exit-code": "1"}


def test_a_clean_repository_passes(set_up: tuple[Runner, ActionRun], pinned: Path) -> None:
    done = _check(set_up, pinned)
    assert done.steps == [StepRun("check", 0, "", "", {"exit-code": "0"})]
    assert done.outputs == {"exit-code": "0"}


def test_exit_zero_reports_and_passes(set_up: tuple[Runner, ActionRun], unpinned: Path) -> None:
    done = _check(set_up, unpinned, **{"exit-zero": "true"})
    assert done.steps == [
        StepRun(
            "check",
            0,
            ANNOTATION + "\nguard found something at or above 'warning'; exit-zero is set, so the step passes\n",
            "",
            {"exit-code": "1"},
        )
    ]
    assert done.outputs == {"exit-code": "1"}


def test_fail_on_error_lets_a_warning_pass(set_up: tuple[Runner, ActionRun], unpinned: Path) -> None:
    done = _check(set_up, unpinned, **{"fail-on": "error"})
    assert done.steps == [StepRun("check", 0, ANNOTATION + "\n", "", {"exit-code": "0"})]


def _sarif_results(path: Path) -> list[tuple[str, str, str, int, int, str]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    assert run["tool"]["driver"]["name"] == "guard"
    found = []
    for result in run["results"]:
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        region = physical["region"]
        found.append(
            (
                result["ruleId"],
                result["level"],
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                result["message"]["text"],
            )
        )
    return found


def test_a_sarif_file_is_written_beside_the_annotations(set_up: tuple[Runner, ActionRun], unpinned: Path) -> None:
    done = _check(set_up, unpinned, **{"sarif-file": "guard.sarif"})
    assert done.steps == [StepRun("check", 1, ANNOTATION + "\n", "", {"exit-code": "1"})]
    assert _sarif_results(unpinned / "guard.sarif") == [
        (
            "PIN101",
            "warning",
            "requirements.txt",
            1,
            1,
            "`requests` is not pinned (any version); requirement files require exact (pin one version: `requests==<version>`)",
        )
    ]


def test_a_clean_repository_gets_an_empty_sarif_file(set_up: tuple[Runner, ActionRun], pinned: Path) -> None:
    done = _check(set_up, pinned, **{"sarif-file": "guard.sarif"})
    assert done.steps == [StepRun("check", 0, "", "", {"exit-code": "0"})]
    assert _sarif_results(pinned / "guard.sarif") == []


def test_paths_and_args_reach_guard(set_up: tuple[Runner, ActionRun], unpinned: Path) -> None:
    (unpinned / "sub").mkdir()
    (unpinned / "sub" / "requirements.txt").write_text("flask\n", encoding="utf-8")
    sub = (
        "::warning file=sub/requirements.txt,line=1,endLine=1,col=1,endColumn=6,title=PIN101 unpinned-requirement::"
        "`flask` is not pinned (any version); requirement files require exact (pin one version: `flask==<version>`)"
    )
    assert _check(set_up, unpinned, paths="sub").stdout == sub + "\n"
    assert _check(set_up, unpinned, paths="sub/requirements.txt\n requirements.txt").stdout == ANNOTATION + "\n" + sub + "\n"
    assert _check(set_up, unpinned, args="--ignore PIN101").steps == [StepRun("check", 0, "", "", {"exit-code": "0"})]


def test_the_working_directory_is_where_guard_runs(set_up: tuple[Runner, ActionRun], unpinned: Path) -> None:
    service = unpinned / "service"
    service.mkdir()
    shutil.move(str(unpinned / "requirements.txt"), service / "requirements.txt")
    done = _check(set_up, unpinned, **{"working-directory": "service", "sarif-file": "guard.sarif"})
    assert done.steps == [StepRun("check", 1, ANNOTATION + "\n", "", {"exit-code": "1"})]
    assert (service / "guard.sarif").is_file()


def test_a_usage_error_fails_the_step_even_with_exit_zero(set_up: tuple[Runner, ActionRun], pinned: Path) -> None:
    done = _check(set_up, pinned, args="--no-such-flag", **{"exit-zero": "true"})
    (step,) = done.steps
    assert (step.returncode, step.stdout, step.outputs) == (2, "", {"exit-code": "2"})
    assert step.stderr.splitlines()[-1] == "guard: error: unrecognized arguments: --no-such-flag"


def test_an_input_is_never_run_as_code(set_up: tuple[Runner, ActionRun], pinned: Path) -> None:
    done = _check(set_up, pinned, paths="$(touch pwned) `touch pwned2` *.txt")
    assert not (pinned / "pwned").exists() and not (pinned / "pwned2").exists()
    # Each word reaches guard as written: no command substitution, no glob expansion.
    assert done.stdout.splitlines() == [
        f"::error file={_escaped(name)},title=GRD101 unreadable-file::cannot read `{name}`: no such file"
        for name in sorted(("$(touch", "pwned)", "`touch", "pwned2`", "*.txt"))
    ]
    assert done.steps[0].returncode == 1


def _escaped(text: str) -> str:
    return text.replace("%", "%25").replace(":", "%3A").replace(",", "%2C")


def test_guard_finds_nothing_in_its_own_action() -> None:
    # The action's pip install is of its own checkout (a local path), which guard accepts.
    done = subprocess.run([sys.executable, "-m", "guard", "check", "action.yml"], cwd=ROOT, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "No findings in 1 file.\n", "")


def _ci_doc_workflows() -> list[str]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text[text.index("## Three ways to run guard in CI") :]
    return re.findall(r"^```yaml\n(.*?)^```", section, re.MULTILINE | re.DOTALL)


def test_the_ci_docs_show_the_action_as_it_is() -> None:
    workflows = [yaml.safe_load(text) for text in _ci_doc_workflows()]
    steps = [step for workflow in workflows for job in workflow["jobs"].values() for step in job["steps"]]
    ours = [step for step in steps if step.get("uses", "").startswith("guard-lint/guard@")]
    assert [sorted(step.get("with", {})) for step in ours] == [["sarif-file"]]
    assert set(ours[0]["with"]) <= set(ACTION["inputs"])
    # The SARIF upload reads the file the action was told to write.
    uploads = [step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert [step["with"]["sarif_file"] for step in uploads] == [ours[0]["with"]["sarif-file"]]
    # The inputs table documents every input with its default.
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]+?) \|", text[text.index("| input | default |") :], re.MULTILINE))
    assert table == {name: f"`{spec['default']}`" if spec.get("default") else "(none)" for name, spec in ACTION["inputs"].items()}


def test_the_ci_docs_workflows_are_clean_under_guard(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for index, text in enumerate(_ci_doc_workflows()):
        (workflows / f"way{index + 1}.yml").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "guard", "check", "."], cwd=tmp_path, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "No findings in 3 files.\n", "")
