"""guard's YAML reader (`guard.text.yamlish`) against the public YAML test suite, with PyYAML as
the baseline.

    python benchmarks/bench_yaml_suite.py PATH [--data-ref data-2022-01-17] [--src-ref v2022-01-17] [--list]

(or PATH in $GUARD_YAML_SUITE; without either, as in `run.sh` with no arguments, it skips.)

PATH is either a checkout of the suite's `data` branch (one folder per test id with `in.yaml`,
`in.json`, `error`, `===`; tests with several cases have `00/`, `01/`, ... sub-folders) or the
git directory of a clone (`yaml-test-suite/.git`), read with `git` without a work tree: the
test data from `--data-ref`, the tags of each test from `src/*.yaml` at `--src-ref`.
With a folder, `--src DIR` names a folder of `src/*.yaml` for the tags.

Per test and reader it scores:
- accept/reject: a test with an `error` file must be rejected, any other accepted;
- value: for a valid test with `in.json`, the loaded value equals it.
yamlish reads the first document of a stream only: it is scored on the first JSON document,
PyYAML (`compose_all` for accept/reject, `safe_load_all` for values, unknown tags kept as the
plain value) on all of them. The "CI subset" is the tests whose tags are all constructs CI
files use (see CI_TAGS), single-document ones.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from guard.text import yamlish

try:
    import yaml
except ImportError:  # the `bench` extra has no PyYAML: then yamlish is scored alone
    yaml = None

# Constructs CI files (GitHub workflows, GitLab CI, environment.yml, pre-commit configs) use.
# Left out: explicit `?` keys, complex keys, empty keys, directives, local and unknown tags.
CI_TAGS = {
    "mapping",
    "sequence",
    "scalar",
    "flow",
    "comment",
    "literal",
    "folded",
    "anchor",
    "alias",
    "double",
    "single",
    "spec",
    "error",
    "whitespace",
    "indent",
    "header",
    "footer",
    "simple",
    "empty",
    "tag",
    "edge",
    "1.3-err",
    "1.3-mod",
    "upto-1.2",
    "duplicate-key",
    "libyaml-err",
}


@dataclass
class Case:
    name: str  # `229Q` or `2G84/01`
    title: str
    yaml_text: str
    json_text: Optional[str]
    error: bool
    tags: set[str] = field(default_factory=set)


class _Git:
    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir

    def run(self, *args: str) -> str:
        return subprocess.run(["git", "--git-dir", str(self.git_dir), *args], check=True, capture_output=True).stdout.decode(
            "utf-8", "surrogateescape"
        )

    def files(self, ref: str) -> dict[str, str]:
        names = [name for name in self.run("ls-tree", "-r", "--name-only", ref).splitlines() if name]
        wanted = [name for name in names if name.rsplit("/", 1)[-1] in ("in.yaml", "in.json", "error", "===") or name.startswith("src/")]
        batch = "".join(f"{ref}:{name}\n" for name in wanted).encode()
        out = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "cat-file", "--batch"], input=batch, check=True, capture_output=True
        ).stdout
        contents: dict[str, str] = {}
        position = 0
        for name in wanted:
            header_end = out.index(b"\n", position)
            size = int(out[position:header_end].split()[2])
            body = out[header_end + 1 : header_end + 1 + size]
            contents[name] = body.decode("utf-8", "surrogateescape")
            position = header_end + 1 + size + 1
        return contents


def _cases_from_files(files: dict[str, str]) -> list[Case]:
    folders = sorted({name.rsplit("/", 1)[0] for name in files if name.endswith("/in.yaml")})
    return [
        Case(
            name=folder,
            title=files.get(f"{folder}/===", "").strip(),
            yaml_text=files[f"{folder}/in.yaml"],
            json_text=files.get(f"{folder}/in.json"),
            error=f"{folder}/error" in files,
        )
        for folder in folders
    ]


def _tags_from_sources(sources: dict[str, str]) -> dict[str, set[str]]:
    """Test name -> tags; in `src/ID.yaml` each case inherits the fields it does not set."""
    tags: dict[str, set[str]] = {}
    for name, text in sources.items():
        test_id = Path(name).stem
        try:
            entries = (yaml.safe_load(text) if yaml else yamlish.to_python(yamlish.load(text))) or []
        except Exception:  # noqa: BLE001 - a source the reader cannot read has no tags
            continue
        current: set[str] = set()
        for index, entry in enumerate(entries):
            if isinstance(entry, dict) and "tags" in entry:
                current = set(str(entry["tags"]).split())
            tags[f"{test_id}/{index:02d}" if len(entries) > 1 else test_id] = current
    return tags


def load_cases(path: Path, data_ref: str, src_ref: str, src: Optional[Path]) -> list[Case]:
    if (path / "HEAD").is_file() and (path / "objects").is_dir():
        git = _Git(path)
        cases = _cases_from_files(git.files(data_ref))
        sources = {name: text for name, text in git.files(src_ref).items() if name.startswith("src/") and name.endswith(".yaml")}
    else:
        files = {
            str(file.relative_to(path)): file.read_text("utf-8", "surrogateescape")
            for file in path.rglob("*")
            if file.is_file() and file.name in ("in.yaml", "in.json", "error", "===")
        }
        cases = _cases_from_files(files)
        sources = {f"src/{file.name}": file.read_text("utf-8") for file in src.glob("*.yaml")} if src else {}
    tags = _tags_from_sources(sources)
    for case in cases:
        case.tags = tags.get(case.name, set())
    return cases


def json_documents(text: str) -> list[Any]:
    decoder = json.JSONDecoder()
    values: list[Any] = []
    position = 0
    text = text.strip()
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        values.append(value)
        while position < len(text) and text[position].isspace():
            position += 1
    return values


def normal(value: Any) -> Any:
    """JSON's view of a loaded value: keys as strings, dates and bytes as text."""
    return json.loads(json.dumps(value, default=str))


def _pyyaml_readers() -> dict[str, tuple[Callable[[str], bool], Callable[[str], Any], bool]]:
    if yaml is None:
        return {}

    class KeepTagsLoader(yaml.SafeLoader):  # type: ignore[misc]
        pass

    def construct_untagged(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_scalar(node)

    KeepTagsLoader.add_multi_constructor("", construct_untagged)

    def accepts(text: str) -> bool:
        try:
            list(yaml.compose_all(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError:
            return False
        return True

    return {"PyYAML": (accepts, lambda text: list(yaml.load_all(text, Loader=KeepTagsLoader)), False)}


@dataclass
class Score:
    accept_ok: int = 0
    value_ok: int = 0
    value_total: int = 0
    failures: list[str] = field(default_factory=list)


def _score(case: Case, accepts: Callable[[str], bool], value: Callable[[str], Any], first_only: bool, score: Score) -> None:
    try:
        accepted = accepts(case.yaml_text)
    except Exception as error:  # noqa: BLE001 - a crash is a failed test, and is shown
        score.failures.append(f"{case.name}: crash {type(error).__name__}: {error}")
        accepted = False
    if accepted != (not case.error):
        score.failures.append(f"{case.name}: {'accepted an error test' if accepted else 'rejected a valid test'}")
    else:
        score.accept_ok += 1
    if case.error or case.json_text is None:
        return
    score.value_total += 1
    expected = json_documents(case.json_text)
    if first_only:
        expected = expected[:1] or [None]
    try:
        got = normal(value(case.yaml_text))
    except Exception as error:  # noqa: BLE001
        score.failures.append(f"{case.name}: value: {type(error).__name__}")
        return
    if got == expected:
        score.value_ok += 1
    else:
        score.failures.append(f"{case.name}: value {got!r} != {expected!r}")


def _yamlish_accepts(text: str) -> bool:
    try:
        yamlish.load(text)
    except yamlish.YamlError:
        return False
    return True


def _is_ci_case(case: Case) -> bool:
    if not case.tags or not case.tags <= CI_TAGS:
        return False
    if case.json_text is not None and len(json_documents(case.json_text)) > 1:
        return False
    return True


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, nargs="?", help="a checkout of the suite's data branch, or a clone's git directory")
    parser.add_argument("--data-ref", default="data-2022-01-17", help="with a git directory: the ref with the test data")
    parser.add_argument("--src-ref", default="v2022-01-17", help="with a git directory: the ref with src/*.yaml (tags)")
    parser.add_argument("--src", type=Path, help="with a folder: the suite's src/ folder, for the tags")
    parser.add_argument("--list", action="store_true", help="print each failed test")
    options = parser.parse_args(argv)
    if options.path is None and os.environ.get("GUARD_YAML_SUITE"):
        options.path = Path(os.environ["GUARD_YAML_SUITE"])
    if options.path is None:
        print("skipped: give the YAML test suite's path (see benchmarks/README.md)")
        return 0
    cases = load_cases(options.path, options.data_ref, options.src_ref, options.src)
    readers: dict[str, tuple[Callable[[str], bool], Callable[[str], Any], bool]] = {
        "yamlish": (_yamlish_accepts, lambda text: [yamlish.to_python(yamlish.load(text))], True),
        **_pyyaml_readers(),
    }
    subsets = {"all": cases, "CI subset": [case for case in cases if _is_ci_case(case)]}
    print("| reader | tests | accept/reject right | value tests | value right |")
    print("|---|---|---|---|---|")
    for subset_name, subset in subsets.items():
        for reader_name, (accepts, value, first_only) in readers.items():
            score = Score()
            for case in subset:
                _score(case, accepts, value, first_only, score)
            print(f"| {reader_name}, {subset_name} | {len(subset)} | {score.accept_ok} | {score.value_total} | {score.value_ok} |")
            if options.list:
                for failure in score.failures:
                    print(f"    {reader_name} {subset_name}: {failure}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
