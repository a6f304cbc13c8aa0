"""The `github-workflow` and `gitlab-ci` file kinds: pip in CI shell steps.

GitHub Actions: `jobs.<id>.steps[*].run` (skipped when the step's `shell:` is `python`),
with `env:` at workflow, job and step level. GitLab CI: `script`, `before_script` and
`after_script` of every job (hidden `.template` jobs and `default:` included; `<<: *anchor`
merges applied; nested lists flattened), with `variables:` globally and per job. YAML is
read by guard.yamlish; a file that does not parse is one GRD102 finding at the place.
`-r FILE` in CI is looked up relative to the repository root (where CI runs), then to the
CI file's directory.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterator, Optional

from guard import yamlish
from guard.commands.checks import check_shell_text, environment_findings, finish
from guard.finding import Finding
from guard.rules import get as rule

if TYPE_CHECKING:
    from guard.checks import RunContext

_NOT_JOBS = {"stages", "variables", "include", "workflow", "image", "services", "cache", "before_script", "after_script", "default", "spec"}


def check_github_files(paths: list[str], context: RunContext) -> None:
    _check(paths, context, _github)


def check_gitlab_files(paths: list[str], context: RunContext) -> None:
    _check(paths, context, _gitlab)


def _check(paths: list[str], context: RunContext, walker: object) -> None:
    for path in paths:
        read = context.read(path)
        if read is None:
            continue
        full, shown, text = read
        try:
            document = yamlish.load(text)
        except yamlish.YamlError as error:
            context.findings.append(rule("GRD102").finding(shown, error.line, error.column, f"YAML that does not parse: {error.message}"))
            continue
        findings: list[Finding] = []
        for script, environ in walker(document, shown, findings):  # type: ignore[operator]
            result, _commands = check_shell_text(
                script.value, shown, "ci", context,
                directory=context.cwd,
                segments=script.segments or ((0, script.line, script.column),),
                environ=environ,
            )
            findings.extend(result)
        context.findings.extend(findings)
    finish(context)


def _env(node: Optional[yamlish.Node], path: str, findings: list[Finding], inherited: dict[str, str]) -> dict[str, str]:
    environ = dict(inherited)
    if isinstance(node, yamlish.Mapping):
        for key, value in node.items:
            if isinstance(value, yamlish.Scalar):
                environ[key.value] = value.value
                findings.extend(environment_findings(path, key.value, value.value, key.line, key.column))
            elif isinstance(value, yamlish.Mapping):  # GitLab `NAME: {value: ..., description: ...}`
                inner = value.get("value")
                if isinstance(inner, yamlish.Scalar):
                    environ[key.value] = inner.value
                    findings.extend(environment_findings(path, key.value, inner.value, key.line, key.column))
    return environ


def _github(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[tuple[yamlish.Scalar, dict[str, str]]]:
    if not isinstance(document, yamlish.Mapping):
        return
    top_env = _env(document.get("env"), path, findings, {})
    jobs = document.get("jobs")
    if not isinstance(jobs, yamlish.Mapping):
        return
    for _key, job in jobs.items:
        if not isinstance(job, yamlish.Mapping):
            continue
        job_env = _env(job.get("env"), path, findings, top_env)
        steps = job.get("steps")
        if not isinstance(steps, yamlish.Sequence):
            continue
        for step in steps.items:
            if not isinstance(step, yamlish.Mapping):
                continue
            step_env = _env(step.get("env"), path, findings, job_env)
            shell = step.get("shell")
            if isinstance(shell, yamlish.Scalar) and shell.value.split()[:1] == ["python"]:
                continue
            run = step.get("run")
            if isinstance(run, yamlish.Scalar):
                yield run, step_env


def _gitlab(document: yamlish.Node, path: str, findings: list[Finding]) -> Iterator[tuple[yamlish.Scalar, dict[str, str]]]:
    if not isinstance(document, yamlish.Mapping):
        return
    items = document.merged()
    top_env = _env(items.get("variables"), path, findings, {})
    jobs: list[yamlish.Mapping] = [document]
    default = items.get("default")
    if isinstance(default, yamlish.Mapping):
        jobs.append(default)
    for name, job in items.items():
        if name not in _NOT_JOBS and isinstance(job, yamlish.Mapping):
            jobs.append(job)
    seen: set[int] = set()
    for job in jobs:
        fields = job.merged()
        environ = _env(fields.get("variables"), path, findings, top_env) if job is not document else top_env
        for key in ("before_script", "script", "after_script"):
            for scalar in _scalars(fields.get(key)):
                if id(scalar) in seen:
                    continue
                seen.add(id(scalar))
                yield scalar, environ


def _scalars(node: Optional[yamlish.Node]) -> Iterator[yamlish.Scalar]:
    if isinstance(node, yamlish.Scalar):
        if not node.is_null:
            yield node
    elif isinstance(node, yamlish.Sequence):
        for item in node.items:
            yield from _scalars(item)


__all__ = ["check_github_files", "check_gitlab_files", "os"]
