#!/usr/bin/env python3
"""Check one vulnerable mini-project of the corpus (or the example app).

Usage::

    python tests/cases/check_case.py <case-dir> [<fixed-project-dir>] [--python PY]

``<case-dir>`` is either

* a corpus case ``tests/cases/<id>/`` holding ``case.toml``, ``project/`` and
  (unless ``expect = "safe"``) ``hidden/test_exploit.py``; or
* an application directory (e.g. ``examples/notes_app``) holding
  ``pyproject.toml`` and a ``hidden/`` folder with one or more
  ``test_*.py`` exploit tests (the folder itself is not part of the project
  copy).

What is checked, each time in a fresh temporary copy:

1. ``case.toml`` is well formed (id matches the folder, cwe/rule/expect agree,
   the ``entry`` file and qualname exist) and ``project/pyproject.toml`` names
   the case (corpus cases only).
2. The project's own test suite passes (``python -m pytest``).
3. Every hidden test, copied into ``tests/`` and run as
   ``python -m pytest tests/<name>.py`` from the project root, FAILS on the
   original code, and fails by ``AssertionError`` (not by an import,
   collection, type or any other error).
4. With ``<fixed-project-dir>`` (a hand-fixed copy of the project): the
   project's own tests pass there too, and every hidden test PASSES there.

Exit status: 0 when everything holds, 1 when a check failed (the reason is
printed), 2 on a usage error.  Needs only the standard library; pytest must be
installed for the interpreter that runs the projects (``--python``, default:
the interpreter running this script).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

# The rules and their CWEs, from the knowledge base every recipe has a table in.
KNOWLEDGE = Path(__file__).resolve().parents[2] / "src" / "provenfix" / "knowledge" / "rules.toml"
RULES = {rule: int(entry["cwe"]) for rule, entry in tomllib.loads(KNOWLEDGE.read_text(encoding="utf-8")).items()}
EXPECTS = {"fixed", "unfixed", "safe"}
SLOW_TEST_SECONDS = 1.0
RUN_TIMEOUT_SECONDS = 180
IGNORED_NAMES = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".pytest_cache", ".venv", "venv", ".git", "*.egg-info"
)

# A tiny pytest plugin that records, for every test, its outcome and the type
# of the exception that failed it; plus collection errors.  It is written to a
# temporary directory and loaded with ``-p`` so nothing is added to the
# project under test.
_PLUGIN_SOURCE = '''
import json, os

_RESULTS = {"tests": {}, "collect_errors": []}


def _exc_types(excinfo):
    names = []
    etype = excinfo.type
    for klass in etype.__mro__:
        names.append(klass.__module__ + "." + klass.__qualname__)
    return names


def pytest_collectreport(report):
    if report.failed:
        _RESULTS["collect_errors"].append(
            {"nodeid": report.nodeid, "text": str(report.longrepr)[-2000:]}
        )


def pytest_runtest_makereport(item, call):
    entry = _RESULTS["tests"].setdefault(
        item.nodeid, {"outcome": "passed", "phase": None, "exc": None,
                      "mro": [], "message": "", "duration": 0.0}
    )
    if call.when == "call":
        entry["duration"] = call.duration
    if call.excinfo is not None and entry["phase"] is None:
        skipped = call.excinfo.typename in ("Skipped", "XFailed")
        entry["outcome"] = "skipped" if skipped else (
            "failed" if call.when == "call" else "error")
        entry["phase"] = call.when
        entry["exc"] = call.excinfo.typename
        entry["mro"] = _exc_types(call.excinfo)
        entry["message"] = str(call.excinfo.value)[:500]


def pytest_sessionfinish(session, exitstatus):
    path = os.environ["PF_CHECK_RESULTS"]
    _RESULTS["exitstatus"] = int(exitstatus)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(_RESULTS, fh)
'''


class CheckFailed(Exception):
    """One of the checks did not hold."""


@dataclass
class RunResult:
    returncode: int
    output: str
    tests: dict[str, dict] = field(default_factory=dict)
    collect_errors: list[dict] = field(default_factory=list)

    def describe(self, limit: int = 4000) -> str:
        text = self.output.strip()
        if len(text) > limit:
            text = "...\n" + text[-limit:]
        return text


def say(msg: str) -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------
# case.toml validation


def _find_qualname(tree: ast.Module, qualname: str) -> bool:
    scope: list[ast.stmt] = tree.body
    parts = qualname.replace(".<locals>.", "<locals>.").split(".")  # "f<locals>", "g": g defined in f
    for i, part in enumerate(parts):
        part, nested = part.removesuffix("<locals>"), part.endswith("<locals>")
        found = None
        for node in scope:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == part:
                found = node
        if found is None:
            return False
        if i < len(parts) - 1:
            if isinstance(found, ast.ClassDef) == nested:
                return False
            scope = found.body
        elif isinstance(found, ast.ClassDef):
            return False
    return True


def validate_case_toml(case_dir: Path) -> dict:
    meta_path = case_dir / "case.toml"
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CheckFailed(f"{meta_path}: invalid TOML: {exc}") from exc
    problems = []
    required = {"id": str, "cwe": int, "rule": str, "expect": str, "description": str, "entry": str}
    for key, typ in required.items():
        if key not in meta:
            problems.append(f"missing key {key!r}")
        elif not isinstance(meta[key], typ):
            problems.append(f"{key!r} must be a {typ.__name__}")
    if problems:
        raise CheckFailed(f"{meta_path}: " + "; ".join(problems))
    if meta["id"] != case_dir.name:
        problems.append(f"id {meta['id']!r} differs from the folder name {case_dir.name!r}")
    if meta["expect"] not in EXPECTS:
        problems.append(f"expect must be one of {sorted(EXPECTS)}, not {meta['expect']!r}")
    if meta["expect"] == "safe":
        if meta["cwe"] != 0 or meta["rule"] not in RULES or meta["entry"] != "":
            problems.append('a "safe" case has cwe = 0, the rule it looks like and entry = ""')
    else:
        if meta["rule"] not in RULES:
            problems.append(f"rule must be one of {sorted(RULES)}, not {meta['rule']!r}")
        elif RULES[meta["rule"]] != meta["cwe"]:
            problems.append(f"rule {meta['rule']} goes with cwe {RULES[meta['rule']]}, not {meta['cwe']}")
        entry = meta["entry"]
        if entry.count(":") != 1:
            problems.append(f"entry must look like 'pkg/module.py:qualname', not {entry!r}")
        else:
            rel, qualname = entry.split(":")
            src = case_dir / "project" / rel
            if not rel.endswith(".py") or not src.is_file():
                problems.append(f"entry file {rel!r} does not exist under project/")
            elif qualname == "__main__" and "__main__" not in src.read_text(encoding="utf-8"):
                problems.append(f"entry '__main__' (the module run as a script) but {rel} has no __main__ block")
            elif qualname == "<settings>" and "ROOT_URLCONF" not in src.read_text(encoding="utf-8"):
                problems.append(f"entry '<settings>' (a Django settings module) but {rel} sets no ROOT_URLCONF")
            elif qualname not in ("__main__", "<settings>", "<module>") and not _find_qualname(ast.parse(src.read_text(encoding="utf-8")), qualname):
                problems.append(f"entry qualname {qualname!r} is not defined in {rel}")
        if not (case_dir / "hidden" / "test_exploit.py").is_file():
            problems.append("hidden/test_exploit.py is missing")
    if not meta["description"].strip():
        problems.append("description is empty")
    pyproject = case_dir / "project" / "pyproject.toml"
    if not pyproject.is_file():
        problems.append("project/pyproject.toml is missing")
    else:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        name = data.get("project", {}).get("name")
        if name != meta["id"]:
            problems.append(f"project/pyproject.toml [project] name is {name!r}, expected {meta['id']!r}")
        testpaths = data.get("tool", {}).get("pytest", {}).get("ini_options", {}).get("testpaths")
        if testpaths != ["tests"]:
            problems.append('project/pyproject.toml needs [tool.pytest.ini_options] testpaths = ["tests"]')
    if not (case_dir / "project" / "tests").is_dir():
        problems.append("project/tests/ is missing")
    if problems:
        raise CheckFailed(f"{meta_path}: " + "; ".join(problems))
    return meta


# --------------------------------------------------------------------------
# running pytest


def run_pytest(python: str, project: Path, args: list[str], plugin_dir: Path) -> RunResult:
    results_file = plugin_dir / "results.json"
    if results_file.exists():
        results_file.unlink()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(plugin_dir)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PF_CHECK_RESULTS"] = str(results_file)
    env.pop("PYTEST_ADDOPTS", None)
    cmd = [python, "-m", "pytest", "-p", "pf_check_plugin", "-p", "no:cacheprovider", "-q", *args]
    try:
        proc = subprocess.run(
            cmd, cwd=project, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"pytest timed out after {RUN_TIMEOUT_SECONDS}s in {project}: {' '.join(cmd)}") from exc
    result = RunResult(proc.returncode, proc.stdout + proc.stderr)
    if results_file.exists():
        data = json.loads(results_file.read_text(encoding="utf-8"))
        result.tests = data["tests"]
        result.collect_errors = data["collect_errors"]
    return result


def _warn_slow(label: str, result: RunResult) -> None:
    for nodeid, entry in result.tests.items():
        if entry["duration"] > SLOW_TEST_SECONDS:
            say(f"  WARNING: {label}: {nodeid} took {entry['duration']:.2f}s (> {SLOW_TEST_SECONDS}s)")


def check_own_tests(python: str, project: Path, plugin_dir: Path, label: str) -> None:
    result = run_pytest(python, project, [], plugin_dir)
    if result.returncode != 0 or not result.tests:
        why = "no tests were collected" if result.returncode == 5 or not result.tests else f"pytest exited {result.returncode}"
        raise CheckFailed(f"{label}: the project's own tests must pass ({why})\n{result.describe()}")
    _warn_slow(label, result)
    say(f"  ok  {label}: own tests pass ({len(result.tests)} tests)")


def _install_hidden(project: Path, hidden: Path) -> str:
    tests_dir = project / "tests"
    tests_dir.mkdir(exist_ok=True)
    target = tests_dir / hidden.name
    if target.exists():
        raise CheckFailed(f"{target} already exists in the project; the hidden test would overwrite it")
    shutil.copy2(hidden, target)
    return f"tests/{hidden.name}"


def check_hidden_fails(python: str, project: Path, hidden: Path, plugin_dir: Path) -> None:
    rel = _install_hidden(project, hidden)
    try:
        result = run_pytest(python, project, [rel], plugin_dir)
    finally:
        (project / rel).unlink()
    label = f"original: {hidden.name}"
    if result.collect_errors:
        raise CheckFailed(f"{label}: collection error (must fail by assertion, not by import/collection)\n{result.describe()}")
    if not result.tests:
        raise CheckFailed(f"{label}: no test collected\n{result.describe()}")
    by_assert = []
    for nodeid, entry in result.tests.items():
        if entry["outcome"] == "passed":
            say(f"  WARNING: {label}: {nodeid} PASSED on the original code (does it test anything?)")
        elif entry["outcome"] == "skipped":
            say(f"  WARNING: {label}: {nodeid} was skipped")
        elif entry["outcome"] == "error":
            raise CheckFailed(
                f"{label}: {nodeid} errored in {entry['phase']} with {entry['exc']}: {entry['message']}\n{result.describe()}"
            )
        elif "builtins.AssertionError" not in entry["mro"]:
            raise CheckFailed(
                f"{label}: {nodeid} failed with {entry['exc']} ({entry['message']}), not with AssertionError: "
                f"the exploit must be caught by an assertion\n{result.describe()}"
            )
        else:
            by_assert.append(nodeid)
    if not by_assert:
        raise CheckFailed(f"{label}: the hidden test did not fail on the original code: the exploit is not demonstrated\n{result.describe()}")
    _warn_slow(label, result)
    say(f"  ok  {label}: fails by AssertionError ({', '.join(n.split('::', 1)[-1] for n in by_assert)})")


def check_hidden_passes(python: str, project: Path, hidden: Path, plugin_dir: Path) -> None:
    rel = _install_hidden(project, hidden)
    try:
        result = run_pytest(python, project, [rel], plugin_dir)
    finally:
        (project / rel).unlink()
    label = f"fixed: {hidden.name}"
    if result.returncode != 0 or not result.tests:
        bad = [f"{n} ({e['outcome']}: {e['exc']}: {e['message']})" for n, e in result.tests.items() if e["outcome"] != "passed"]
        raise CheckFailed(f"{label}: the hidden test must pass on the fixed code: {'; '.join(bad) or 'pytest exited ' + str(result.returncode)}\n{result.describe()}")
    _warn_slow(label, result)
    say(f"  ok  {label}: passes ({len(result.tests)} tests)")


def copy_project(src: Path, dest: Path, exclude_hidden: bool) -> Path:
    def ignore(directory: str, names: list[str]) -> set[str]:
        ignored = set(IGNORED_NAMES(directory, names))
        if exclude_hidden and Path(directory).resolve() == src.resolve() and "hidden" in names:
            ignored.add("hidden")
        return ignored

    shutil.copytree(src, dest, ignore=ignore)
    return dest


# --------------------------------------------------------------------------


def check(case_dir: Path, fixed_dir: Path | None, python: str) -> None:
    if (case_dir / "case.toml").is_file():
        meta = validate_case_toml(case_dir)
        say(f"case {meta['id']}: {meta['rule'] or 'safe'} expect={meta['expect']} entry={meta['entry'] or '-'}")
        project_src = case_dir / "project"
        exclude_hidden = False
        hidden_tests = [] if meta["expect"] == "safe" else [case_dir / "hidden" / "test_exploit.py"]
        if meta["expect"] == "safe" and (case_dir / "hidden").exists():
            raise CheckFailed(f"{case_dir}: a safe case has no hidden/ folder")
    elif (case_dir / "pyproject.toml").is_file():
        say(f"application {case_dir}")
        project_src = case_dir
        exclude_hidden = True
        hidden_tests = sorted((case_dir / "hidden").glob("test_*.py"))
        if not hidden_tests:
            raise CheckFailed(f"{case_dir}/hidden/ holds no test_*.py exploit test")
    else:
        raise CheckFailed(f"{case_dir} holds neither case.toml nor pyproject.toml")

    with tempfile.TemporaryDirectory(prefix="pf-check-") as tmp:
        tmp_path = Path(tmp)
        plugin_dir = tmp_path / "plugin"
        plugin_dir.mkdir()
        (plugin_dir / "pf_check_plugin.py").write_text(_PLUGIN_SOURCE, encoding="utf-8")

        original = copy_project(project_src, tmp_path / "original" / case_dir.name, exclude_hidden)
        check_own_tests(python, original, plugin_dir, "original")
        for hidden in hidden_tests:
            check_hidden_fails(python, original, hidden, plugin_dir)

        if fixed_dir is not None:
            fixed = copy_project(fixed_dir, tmp_path / "fixed" / case_dir.name, exclude_hidden)
            check_own_tests(python, fixed, plugin_dir, "fixed")
            for hidden in hidden_tests:
                check_hidden_passes(python, fixed, hidden, plugin_dir)
        elif hidden_tests:
            say("  (no fixed project given: the hidden test was not run against a fix)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case_dir", type=Path)
    parser.add_argument("fixed_dir", type=Path, nargs="?")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs the projects (needs pytest)")
    args = parser.parse_args(argv)
    case_dir = args.case_dir.resolve()
    if not case_dir.is_dir():
        parser.error(f"{args.case_dir} is not a directory")
    if args.fixed_dir is not None and not args.fixed_dir.is_dir():
        parser.error(f"{args.fixed_dir} is not a directory")
    try:
        check(case_dir, args.fixed_dir.resolve() if args.fixed_dir else None, args.python)
    except CheckFailed as exc:
        say(f"FAIL {case_dir.name}: {exc}")
        return 1
    say(f"PASS {case_dir.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
