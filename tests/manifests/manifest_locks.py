"""Small but realistic lock files for the manifest tests."""

from __future__ import annotations

import json


def uv_lock(*names: str, version: int = 1) -> str:
    out = [f"version = {version}", "revision = 2", 'requires-python = ">=3.9"', ""]
    for name in names:
        out += [
            "[[package]]",
            f'name = "{name}"',
            'version = "1.0.0"',
            'source = { registry = "https://pypi.org/simple" }',
            f'sdist = {{ url = "https://files.example/{name}-1.0.0.tar.gz", hash = "sha256:aa", size = 10 }}',
            "wheels = [",
            f'    {{ url = "https://files.example/{name}-1.0.0-py3-none-any.whl", hash = "sha256:bb", size = 10 }},',
            "]",
            "",
        ]
    return "\n".join(out)


def poetry_lock(*names: str, lock_version: str = "2.0") -> str:
    out: list[str] = []
    for name in names:
        out += [
            "[[package]]",
            f'name = "{name}"',
            'version = "1.0.0"',
            'description = ""',
            "optional = false",
            'python-versions = ">=3.8"',
            "files = [",
            f'    {{file = "{name}-1.0.0.tar.gz", hash = "sha256:aa"}},',
            "]",
            "",
        ]
    out += ["[metadata]", f'lock-version = "{lock_version}"', 'python-versions = "^3.9"', 'content-hash = "00"', ""]
    return "\n".join(out)


def pdm_lock(*names: str) -> str:
    out = ["[metadata]", 'groups = ["default", "dev"]', 'lock_version = "4.4.1"', 'content_hash = "sha256:00"', ""]
    for name in names:
        out += [
            "[[package]]",
            f'name = "{name}"',
            'version = "1.0.0"',
            "files = [",
            f'    {{file = "{name}-1.0.0.tar.gz", hash = "sha256:aa"}},',
            "]",
            "",
        ]
    return "\n".join(out)


def pylock(*names: str) -> str:
    out = ['lock-version = "1.0"', 'created-by = "tests"', ""]
    for name in names:
        out += [
            "[[packages]]",
            f'name = "{name}"',
            'version = "1.0.0"',
            f'wheels = [{{ url = "https://files.example/{name}-1.0.0-py3-none-any.whl", hashes = {{ sha256 = "bb" }} }}]',
            "",
        ]
    return "\n".join(out)


def pipfile_lock(default: dict[str, dict[str, object]], develop: dict[str, dict[str, object]] | None = None) -> str:
    return (
        json.dumps({"_meta": {"pipfile-spec": 6, "requires": {}, "sources": []}, "default": default, "develop": develop or {}}, indent=4)
        + "\n"
    )


def hashed(version: str = "==1.0.0") -> dict[str, object]:
    return {"hashes": ["sha256:" + "a" * 64], "version": version}
