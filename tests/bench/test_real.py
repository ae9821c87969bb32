"""`provenfix bench --real`: install pinned packages once into a cache, scan each in its own process,
list every finding. Here the package is a wheel made in the test and served from a local folder."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from provenfix.bench.cases import BenchError
from provenfix.bench.real import DONE, Pinned, render_real, run_real, select

APP = '''import os
from flask import Flask, request

app = Flask(__name__)


@app.get("/ping")
def ping():
    return str(os.system("ping -c 1 " + request.args["host"]))


def helper(cmd):
    return os.system(cmd)  # a library's parameter: not input in the default mode


@app.get("/disk")
def disk():
    from demo_pkg.runner import run  # the package imports itself by its own name, as installed packages do

    return str(run("df " + request.args["mount"]))
'''
RUNNER = '''import os


def run(command):
    return os.system(command)
'''


def wheel(folder: Path, name: str = "demo_pkg", version: str = "1.0") -> Path:
    """A minimal pure-Python wheel: the package, METADATA, WHEEL and a RECORD with real hashes."""
    files = {f"{name}/__init__.py": "", f"{name}/app.py": APP, f"{name}/runner.py": RUNNER,
             f"{name}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{name}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = [f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()},{len(text.encode())}"
              for path, text in files.items()]
    files[f"{name}-{version}.dist-info/RECORD"] = "\n".join([*record, f"{name}-{version}.dist-info/RECORD,,"]) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for name_, text in files.items():
            zf.writestr(name_, text)
    return path


def test_a_pinned_package_is_installed_once_scanned_and_every_finding_listed(tmp_path: Path) -> None:
    wheels, cache = tmp_path / "wheels", tmp_path / "cache"
    wheel(wheels)
    pin = Pinned("demo_pkg", "1.0", "demo_pkg")
    (run,) = run_real((pin,), cache, find_links=wheels)
    assert run.files == 3 and run.peak_mib > 0 and run.seconds > 0
    # The second is in the helper the package reaches by its own name: found only when its modules are named so.
    assert [(f["rule"], f["path"], f["line"], f["confidence"]) for f in run.findings] == [
        ("PF-CMD", "demo_pkg/app.py", 9, "high"), ("PF-CMD", "demo_pkg/runner.py", 5, "high")]
    done = cache / "demo_pkg-1.0" / DONE
    stamp = done.stat().st_mtime_ns

    for whl in wheels.iterdir():  # a second run must not need the index at all
        whl.unlink()
    (again,) = run_real((pin,), cache, find_links=wheels)
    assert again.findings == run.findings and done.stat().st_mtime_ns == stamp

    table = render_real([run], "markdown")
    assert "| demo_pkg | 1.0 | 3 | 2 |" in table and "| demo_pkg | PF-CMD | demo_pkg/app.py:9 | high |" in table


def test_a_package_that_cannot_be_installed_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match=r"could not install nothing_here==9\.9"):
        run_real((Pinned("nothing_here", "9.9", "nothing_here"),), tmp_path / "cache", find_links=tmp_path)


def test_packages_are_chosen_by_name() -> None:
    assert [p.name for p in select("pip, Django")] == ["Django", "pip"]
    with pytest.raises(BenchError, match="unknown package"):
        select("numpy")
