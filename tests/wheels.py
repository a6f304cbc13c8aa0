"""A tiny wheel built by hand, for the tests that install a package with the real pip (no network)."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path


def _record(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(directory: Path, name: str = "guardtiny", version: str = "0.1") -> Path:
    """A minimal pure-Python wheel: one module (`VALUE = "name version"`), METADATA, WHEEL,
    RECORD. Its bytes depend only on the name and version (fixed timestamps), so a lock's
    hash of it holds across builds."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f'VALUE = "{name} {version}"\n'.encode(),
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: guard-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [_record(path, data) for path, data in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(zipfile.ZipInfo(member, (2020, 1, 1, 0, 0, 0)), data)
    return path
