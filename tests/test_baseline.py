"""Baselines: accepted findings stay quiet when their code moves or is edited; new ones are reported;
a malformed baseline file (it may come from the scanned repository) is a one-line error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from provenfix import api
from provenfix.cli import main
from provenfix.baseline import Baseline, load, write
from provenfix.errors import UsageError
from tests._trees import pyproject, tree

DISK = '''"""Disk tools."""
import os


def usage(path):
    return os.system("du -sh " + path)


def listing(path):
    return os.popen("ls " + path).read()
'''


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "provenfix", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """The CLI's own `main()` in this process (a new interpreter per error case would cost seconds each)."""
    def call(*args: str, cwd: Path) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "argv", ["provenfix", *args])
        with pytest.raises(SystemExit) as exit:
            main()
        out, err = capsys.readouterr()
        return exit.value.code, out, err
    return call


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "tools").mkdir(parents=True)
    (root / "pyproject.toml").write_text(pyproject("proj"))
    (root / "tools" / "__init__.py").write_text("")
    (root / "tools" / "disk.py").write_text(DISK)
    return root


def new_findings(root: Path, accepted: Baseline) -> list[tuple[str, str | None]]:
    report = api.scan([str(root)], baseline=accepted)
    return [(f.rule_id, f.location.qualname) for f in report.findings]


def edit(root: Path, old: str, new: str) -> None:
    disk = root / "tools" / "disk.py"
    text = disk.read_text()
    assert old in text
    disk.write_text(text.replace(old, new))


def test_moved_and_edited_code_stays_baselined(project: Path) -> None:
    accepted = Baseline.of(api.scan([str(project)]).findings)
    assert len(accepted.findings) == 2
    # Moved: lines above, the functions swapped.
    usage, listing = DISK.split("\n\n\ndef ")[1:]
    (project / "tools" / "disk.py").write_text(f'"""Disk tools."""\nimport os\nimport sys\n\nLIMIT = 3\n\n\ndef {listing}\n\n\ndef {usage}')
    assert new_findings(project, accepted) == []
    # Edited: the function around the sink, and the sink's own line, while the bug stays.
    edit(project, "    return os.system(", "    path = path.strip()\n    return os.system(  # the size\n        ")
    edit(project, '"du -sh "', '"du -s -h "')
    assert new_findings(project, accepted) == []


def test_added_bugs_are_reported(project: Path) -> None:
    accepted = Baseline.of(api.scan([str(project)]).findings)
    (project / "tools" / "net.py").write_text('import subprocess\n\n\ndef ping(host):\n'
                                              '    return subprocess.run("ping -c1 " + host, shell=True)\n')
    # A second identical sink in a baselined function, and the same bug in a new function.
    edit(project, '    return os.system("du -sh " + path)',
         '    os.system("du -sh " + path)\n    return os.system("du -sh " + path)')
    edit(project, "\n\ndef listing(path):", "\n\ndef listing2(path):\n    return os.popen('ls ' + path)\n\n\ndef listing(path):")
    assert sorted(new_findings(project, accepted)) == [("PF-CMD", "listing2"), ("PF-CMD", "ping"), ("PF-CMD", "usage")]


def test_an_edited_bug_does_not_cover_an_added_one(project: Path) -> None:
    """The edited sink claims its baseline entry; a second new sink beside it has none left."""
    accepted = Baseline.of(api.scan([str(project)]).findings)
    edit(project, '    return os.system("du -sh " + path)',
         '    os.system("rm -rf " + path)\n    return os.system("du -s " + path)')
    assert new_findings(project, accepted) == [("PF-CMD", "usage")]


def test_file_round_trip_is_stable_and_has_no_line_numbers(project: Path, tmp_path: Path) -> None:
    accepted = Baseline.of(api.scan([str(project)]).findings)
    out = tmp_path / "baseline.json"
    write(accepted, out)
    first = out.read_text()
    assert load(out) == accepted
    data = json.loads(first)
    assert data["version"] == 1 and "line" not in first and {e["qualname"] for e in data["findings"]} == {"usage", "listing"}
    write(Baseline.of(reversed(api.scan([str(project)]).findings)), out)
    assert out.read_text() == first  # sorted: a baseline changes only when findings do


def test_suppressed_findings_are_not_recorded(project: Path) -> None:
    edit(project, '"du -sh " + path)', '"du -sh " + path)  # provenfix: ignore[PF-CMD] trusted caller')
    accepted = Baseline.of(api.scan([str(project)]).findings)
    assert [e.qualname for e in accepted.findings] == ["listing"]


def test_cli_write_then_scan_with_baseline(project: Path) -> None:
    wrote = run("scan", ".", "--write-baseline", ".provenfix-baseline.json", cwd=project)
    assert wrote.returncode == 0, wrote.stderr
    assert "baseline of 2 finding(s) written to .provenfix-baseline.json" in wrote.stderr
    quiet = run("scan", ".", "--baseline", ".provenfix-baseline.json", cwd=project)
    assert quiet.returncode == 0 and "0 findings" in quiet.stdout, quiet.stdout + quiet.stderr
    assert "2 finding(s) listed in .provenfix-baseline.json not shown" in quiet.stderr
    (project / "tools" / "net.py").write_text('import os\n\n\ndef ping(host):\n    return os.system("ping " + host)\n')
    loud = run("scan", "tools/net.py", "tools/disk.py", "--baseline", ".provenfix-baseline.json", "--format", "json", cwd=project)
    assert loud.returncode == 1
    assert [f["location"]["qualname"] for f in json.loads(loud.stdout)["findings"]] == ["ping"]


def test_fix_leaves_baselined_findings_alone(project: Path) -> None:
    """Cheap: every finding is in the baseline, so nothing is fixed or proven."""
    assert run("scan", ".", "--write-baseline", "b.json", cwd=project).returncode == 0
    before = tree(project)
    result = run("fix", ".", "--baseline", "b.json", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["fixes"] == []
    assert tree(project) == before


@pytest.mark.parametrize("content", [
    b"",
    b"{not json",
    b"\xff\xfe\x00binary",
    b"[" * 100_000,
    b'{"version": 2, "findings": []}',
    b'{"version": 1}',
    b'{"version": 1, "findings": {"a": 1}}',
    b'{"version": 1, "findings": [{"id": 3, "rule_id": "PF-CMD", "path": "a.py"}]}',
    b'{"version": 1, "findings": [], "\\u001b[2J\\u001b[31mowned\\n--force": 1}',
    b'{"version": true, "findings": []}',
], ids=["empty", "not-json", "binary", "deep", "version-2", "no-findings", "findings-dict", "bad-id",
        "escape-key", "version-bool"])
def test_malformed_baseline_is_one_line_error(project: Path, content: bytes, cli) -> None:
    (project / "b.json").write_bytes(content)
    before = tree(project)
    code, out, err = cli("scan", ".", "--baseline", "b.json", cwd=project)
    assert code == 2 and out == "", out + err
    (line,) = err.splitlines()
    assert line.startswith("provenfix: error: --baseline b.json: ") and "\x1b" not in line and "Traceback" not in line
    assert tree(project) == before


def test_baseline_path_errors(project: Path, cli) -> None:
    (project / "folder").mkdir()
    for args, message in [
        (["--baseline", "missing.json"], "--baseline missing.json: no such file"),
        (["--baseline", "folder"], "--baseline folder: cannot read"),
        (["--write-baseline", "nowhere/b.json"], "--write-baseline nowhere/b.json: folder nowhere does not exist"),
        (["--write-baseline", "folder"], "--write-baseline folder: is a folder"),
        (["--baseline", "b.json", "--write-baseline", "b.json"], "not both"),
    ]:
        code, _, err = cli("scan", ".", *args, cwd=project)
        assert code == 2 and message in err and len(err.splitlines()) == 1, (args, err)


def test_oversized_baseline_is_refused_before_reading(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("provenfix.baseline.MAX_BYTES", 10)
    (project / "b.json").write_text('{"version": 1, "findings": []}')
    with pytest.raises(UsageError, match="not a ProvenFix baseline"):
        load(project / "b.json")


def test_write_replaces_a_symlink_instead_of_following_it(project: Path, tmp_path: Path, cli) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (project / "b.json").symlink_to(victim)
    assert cli("scan", ".", "--write-baseline", "b.json", cwd=project)[0] == 0
    assert victim.read_text() == "keep me"
    assert not (project / "b.json").is_symlink() and load(project / "b.json").findings
