"""pip's configuration recorded as pip would read it, and read back from the record alone."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict

import pytest

from guard.environment.facts import FactsError, validate_facts
from guard.environment.pipconfig import python_choice, record_from_environ, record_pip_config, values_from_record


def _env(tmp_path: Path, **extra: str) -> Dict[str, str]:
    env = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_DIRS": str(tmp_path / "xdg")}
    env.update(extra)
    return env


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_the_record_holds_every_file_pip_would_try_in_its_order(tmp_path: Path) -> None:
    user = _write(tmp_path / "home" / ".config" / "pip" / "pip.conf", "[install]\nuser = yes\n")
    env_file = _write(tmp_path / "env.conf", "[global]\ntimeout = 5\n")
    env = _env(tmp_path, PIP_CONFIG_FILE=str(env_file), PIP_TIMEOUT="9", OTHER="x", _PIP_RUNNING_IN_SUBPROCESS="1")
    record = record_pip_config(env, [str(tmp_path / "prefix")], platform="linux")
    absent: Dict[str, Any] = {"exists": False, "text": None, "error": None}
    assert record == {
        "environ": {"PIP_CONFIG_FILE": str(env_file), "PIP_TIMEOUT": "9", "_PIP_RUNNING_IN_SUBPROCESS": "1"},
        "files": [
            {"kind": "global", "path": str(tmp_path / "xdg" / "pip" / "pip.conf"), **absent},
            {"kind": "global", "path": "/etc/pip.conf", **_etc_pip_conf()},
            {"kind": "user", "path": str(tmp_path / "home" / ".pip" / "pip.conf"), **absent},
            {"kind": "user", "path": str(user), "exists": True, "text": "[install]\nuser = yes\n", "error": None},
            {"kind": "site", "path": str(tmp_path / "prefix" / "pip.conf"), "prefix": str(tmp_path / "prefix"), **absent},
            {"kind": "env", "path": str(env_file), "exists": True, "text": "[global]\ntimeout = 5\n", "error": None},
        ],
    }


def _etc_pip_conf() -> Dict[str, Any]:
    # the machine's own /etc/pip.conf is recorded as found
    if not os.path.isfile("/etc/pip.conf"):
        return {"exists": False, "text": None, "error": None}
    with open("/etc/pip.conf", encoding="utf-8", errors="replace") as handle:
        return {"exists": True, "text": handle.read(), "error": None}


def test_devnull_records_no_file(tmp_path: Path) -> None:
    assert record_pip_config(_env(tmp_path, PIP_CONFIG_FILE=os.devnull), ["/p"]) == {
        "environ": {"PIP_CONFIG_FILE": os.devnull},
        "files": [],
    }


def _record(files: Any, **environ: str) -> Dict[str, Any]:
    return {"environ": environ, "files": files}


USER = {"kind": "user", "path": "/h/.config/pip/pip.conf", "exists": True, "text": "[install]\nuser = yes\n"}
SITE = {"kind": "site", "path": "/v/pip.conf", "prefix": "/v", "exists": True, "text": "[install]\ntarget = /t\n"}


def test_an_existing_config_file_variable_skips_the_user_files() -> None:
    env_file = {"kind": "env", "path": "/e.conf", "exists": True, "text": "[global]\ntimeout = 5\n"}
    values, problems = values_from_record(_record([USER, env_file]), site_prefix=None, isolated=False)
    assert (values, problems) == ({"global.timeout": ("5", "/e.conf [global]")}, [])
    missing = {**env_file, "exists": False, "text": None}
    values, _ = values_from_record(_record([USER, missing]), site_prefix=None, isolated=False)
    assert values == {"install.user": ("yes", "/h/.config/pip/pip.conf [install]")}


def test_isolated_skips_user_files_and_variables_but_not_the_others() -> None:
    record = _record([USER, SITE], PIP_USER="1", PIP_ISOLATED="1")
    values, _ = values_from_record(record, site_prefix="/v", isolated=True)
    assert values == {"install.target": ("/t", "/v/pip.conf [install]")}
    # PIP_ISOLATED is an option like any other: it does not isolate the configuration
    values, _ = values_from_record(record, site_prefix="/v", isolated=False)
    assert values == {
        "install.user": ("yes", "/h/.config/pip/pip.conf [install]"),
        "install.target": ("/t", "/v/pip.conf [install]"),
        ":env:.user": ("1", "PIP_USER=1"),
        ":env:.isolated": ("1", "PIP_ISOLATED=1"),
    }


def test_only_the_site_file_of_the_interpreter_running_pip_counts() -> None:
    assert values_from_record(_record([SITE]), site_prefix="/other", isolated=False) == ({}, [])


def test_pip_version_and_help_variables_are_no_options() -> None:
    assert values_from_record(_record([], PIP_VERSION="1", PIP_HELP="1"), site_prefix=None, isolated=False) == ({}, [])


def test_unreadable_and_broken_files_are_one_line_problems(tmp_path: Path) -> None:
    big = _write(tmp_path / "big.conf", "[global]\n" + "#" * (1024 * 1024 + 1))
    record = record_pip_config(_env(tmp_path, PIP_CONFIG_FILE=str(big)), [], platform="linux")
    assert record["files"][-1] == {"kind": "env", "path": str(big), "exists": True, "text": None, "error": "larger than 1048576 bytes"}
    broken = {"kind": "env", "path": "/b.conf", "exists": True, "text": "no section\n"}
    values, problems = values_from_record(_record([record["files"][-1], broken]), site_prefix=None, isolated=False)
    assert values == {}
    assert problems == [
        f"cannot read pip configuration `{big}`: larger than 1048576 bytes",
        "cannot read pip configuration `/b.conf`: File contains no section headers.",
    ]


@pytest.mark.parametrize(
    ("option", "environ", "text", "expected"),
    [
        pytest.param("/opt/py", {"PIP_PYTHON": "/env/py"}, "[global]\npython = /conf/py\n", ("/opt/py", "--python"), id="--python"),
        pytest.param(None, {"PIP_PYTHON": "/env/py"}, "[global]\npython = /conf/py\n", ("/env/py", "PIP_PYTHON=/env/py"), id="PIP_PYTHON"),
        pytest.param(None, {}, "[global]\npython = /conf/py\n", ("/conf/py", "/c.conf [global]"), id="pip.conf"),
        pytest.param(None, {}, "[install]\npython = /conf/py\n", None, id="command-section-never"),
        pytest.param(None, {"PIP_PYTHON": "/env/py", "_PIP_RUNNING_IN_SUBPROCESS": "1"}, "", None, id="pip's-child"),
    ],
)
def test_python_choice(option: Any, environ: Dict[str, str], text: str, expected: Any) -> None:
    record = _record([{"kind": "env", "path": "/c.conf", "exists": True, "text": text}], **environ)
    assert python_choice(option, record, None) == expected


def test_a_bad_pip_section_is_one_line() -> None:
    interpreter = {"executable": "/p", "prefix": "/", "base_prefix": "/"}
    with pytest.raises(FactsError) as raised:
        validate_facts(json.loads(json.dumps({"interpreter": interpreter, "pip": {"files": [{"kind": "env", "path": 3}]}})), "c.json")
    assert str(raised.value) == "`c.json`: `pip.files[0].path` must be a string, not 3"
    with pytest.raises(FactsError) as raised:
        validate_facts({"guard_facts": 3, "interpreter": interpreter}, "c.json")
    assert str(raised.value) == "`c.json`: unsupported guard_facts version 3"


def test_an_older_recording_stands_for_the_pip_variables_it_kept() -> None:
    record = record_from_environ({"PIP_TARGET": "/t", "HOME": "/h", "PATH": "/bin"})
    assert record == {"environ": {"PIP_TARGET": "/t"}, "files": []}
    assert values_from_record(record, site_prefix="/usr", isolated=False) == ({":env:.target": ("/t", "PIP_TARGET=/t")}, [])
