"""The benchmark harness on the shipped suite's format, a small real subset, real Bandit, and the renderers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import provenfix.bench as bench
from provenfix.bench.bandit import BANDIT_RULES, RULES, Flag, detection_rows, run_bandit
from provenfix.bench.cases import BenchError, load_case, load_suite
from provenfix.bench.render import render, render_html, render_json, render_text, to_dict
from provenfix.bench.run import BenchResult, CaseResult, run_suite

SHIPPED = Path(__file__).resolve().parents[1] / "cases"
SUBSET = ("yaml-unsafe-load", "cmdi-pipe-unfixed", "safe-yaml-safe-load")  # fixed, unfixed, safe


def test_shipped_suite_loads() -> None:
    cases = load_suite(SHIPPED)
    vulnerable = [c for c in cases if c.vulnerable]
    assert len(vulnerable) >= 30 and len(cases) - len(vulnerable) >= 10
    assert {c.rule for c in vulnerable} == set(RULES)
    for c in vulnerable:
        assert (c.project / c.entry_path).is_file() and c.entry_qualname and c.hidden_tests
    assert all(c.rule in RULES and c.entry == "" for c in cases if not c.vulnerable)


def test_malformed_case_is_refused(tmp_path: Path) -> None:
    case = tmp_path / "bad"
    (case / "project").mkdir(parents=True)
    (case / "case.toml").write_text('id = "bad"\nexpect = "maybe"\n')
    with pytest.raises(BenchError, match="expect"):
        load_case(case)
    (case / "case.toml").write_text('id = "bad"\nexpect = "fixed"\nrule = "PF-CMD"\nentry = "x.py:f"\n')
    with pytest.raises(BenchError, match="entry file"):
        load_case(case)
    with pytest.raises(BenchError, match="no cases"):
        load_suite(tmp_path / "bad" / "project")


@pytest.fixture(scope="module")
def subset_result(tmp_path_factory: pytest.TempPathFactory) -> BenchResult:
    suite = tmp_path_factory.mktemp("suite")
    for name in SUBSET:
        shutil.copytree(SHIPPED / name, suite / name)
    seen: list[str] = []
    result = run_suite(suite, jobs=2, progress=seen.append)
    assert len(seen) == 4 and seen[-1].startswith("detection")
    return result


def test_run_suite_on_a_subset_counts(subset_result: BenchResult) -> None:
    by_id = {c.case_id: c for c in subset_result.cases}
    assert set(by_id) == set(SUBSET) and {c.engine for c in subset_result.cases} == {"builtin"}

    fixed = by_id["yaml-unsafe-load"]
    assert (fixed.detected, fixed.fix_produced, fixed.verified) == (True, True, True)
    assert fixed.exploit_blocked is True and fixed.tests_kept is True and fixed.false_verified is False

    unfixed = by_id["cmdi-pipe-unfixed"]
    assert unfixed.detected and not unfixed.fix_produced and not unfixed.verified
    assert unfixed.exploit_blocked is False and unfixed.tests_kept is True and unfixed.note

    safe = by_id["safe-yaml-safe-load"]
    assert safe.false_positives == 0 and safe.exploit_blocked is None

    overall = next(s for s in subset_result.summaries() if s.rule == "all")
    assert (overall.cases, overall.detected, overall.verified, overall.exploit_blocked, overall.tests_kept) == (2, 2, 1, 1, 2)
    assert (overall.false_verified, overall.safe_cases, overall.false_positives) == (0, 1, 0)
    assert overall.verified_pct == 50.0
    assert {s.rule for s in subset_result.summaries()} == {"PF-CMD", "PF-YAML", "all"}

    det = {(r.rule, r.tool): r for r in subset_result.detection}
    assert det[("PF-YAML", "provenfix")].recall == 1.0 and det[("PF-YAML", "provenfix")].precision == 1.0
    assert det[("PF-CMD", "provenfix")].recall == 1.0
    assert det[("PF-PATH", "bandit")].recall is None  # no path case in the subset

    page = render_html(subset_result)
    assert "<svg" in page and "PF-YAML — verified fixes % (builtin): 100%" in page
    assert "PF-YAML — detection recall % (provenfix): 100%" in page


def test_bandit_runs_for_real_and_maps_its_ids(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "conf.py").write_text("import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_conf.py").write_text("def test_x():\n    assert eval('1') == 1\n")
    flags = run_bandit(tmp_path)
    assert [(f.rule, f.path, f.source_id) for f in flags] == [("PF-YAML", "pkg/conf.py", "B506")]
    assert BANDIT_RULES["B602"] == "PF-CMD" and "PF-PATH" not in BANDIT_RULES.values()


def test_detection_rows_count_safe_look_alikes_as_false_positives() -> None:
    cases = load_suite(SHIPPED)
    vuln = next(c for c in cases if c.vulnerable and c.rule == "PF-YAML")
    other = next(c for c in cases if c.vulnerable and c.rule == "PF-CMD")
    safe = next(c for c in cases if not c.vulnerable)
    picked = [vuln, other, safe]
    flags = {
        "bandit": {vuln.id: [Flag("PF-YAML", vuln.entry_path, 3, "B506")],
                   safe.id: [Flag("PF-YAML", "x.py", 1, "B506")],
                   other.id: [Flag("PF-YAML", other.entry_path, 1, "B506")]},
        "provenfix": {vuln.id: [Flag("PF-YAML", "elsewhere.py", 3, "PF-YAML")]},
    }
    rows = {(r.rule, r.tool): r for r in detection_rows(picked, flags, rules=["PF-YAML"])}
    assert rows[("PF-YAML", "bandit")].recall == 1.0
    assert rows[("PF-YAML", "bandit")].precision == pytest.approx(1 / 3)
    assert rows[("PF-YAML", "provenfix")].recall == 0.0  # flagged, but not in the entry file
    assert rows[("PF-YAML", "provenfix")].precision == 1.0


def test_a_case_that_errors_is_recorded_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from provenfix.bench import run as run_module
    from provenfix.errors import ProvenFixError

    def broken(*_a, **_k):
        raise ProvenFixError("boom")

    monkeypatch.setattr(run_module.api, "fix", broken)
    result = run_module.run_case(load_case(SHIPPED / "yaml-unsafe-load"))
    assert result.note == "error: boom" and not result.verified and result.exploit_blocked is False


def _fake_result(suite: str = "suite") -> BenchResult:
    rows = [CaseResult("a<b>", "PF-CMD", "fixed", "builtin", True, True, True, True, True, False, 0, 1.0),
            CaseResult("c", "PF-CMD", "unfixed", "builtin", True, False, False, False, True, False, 0, 1.0, "pipe"),
            CaseResult("s", "", "safe", "builtin", False, False, False, None, None, False, 0, 0.5)]
    det = detection_rows([], {"provenfix": {}, "bandit": {}}, rules=["PF-CMD"])
    return BenchResult(suite=suite, cases=rows, detection=det, seconds=2.5)


def test_renderers_shapes() -> None:
    result = _fake_result()
    text = render_text(result)
    assert "verified %" in text and "PF-CMD" in text and "50%" in text and "Detection" in text
    data = json.loads(render_json(result))
    assert set(data) >= {"cases", "detection", "summary"} and len(data["cases"]) == 3
    assert data["cases"][0]["engine"] == "builtin" and data["cases"][0]["false_verified"] is False
    assert {d["tool"] for d in data["detection"]} == {"provenfix", "bandit"}
    assert data["summary"]["false_verified"] == 0 and data["summary"]["overall"][0]["verified"] == 1
    assert data == to_dict(result)
    md = render(result, "markdown")
    assert md.startswith("# ProvenFix benchmark") and "| PF-CMD | builtin | 2 |" in md
    with pytest.raises(ValueError):
        render(result, "pdf")


def test_html_is_self_contained_and_escaped() -> None:
    page = render_html(_fake_result(suite='<script>alert("x")</script>'))
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "</svg>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page and "a&lt;b&gt;" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    assert page.count("<rect") >= 3  # a bar per engine/tool for the class, plus legend


def test_main_writes_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {}

    def fake_run_suite(suite, *, jobs, progress, detection, contestants):
        calls.update(suite=suite, jobs=jobs)
        return _fake_result()

    monkeypatch.setattr(bench, "run_suite", fake_run_suite)
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    assert bench.main(Path("x"), "json", out, page, 3, lambda _: None) == 0
    assert calls == {"suite": Path("x"), "jobs": 3}
    assert json.loads(out.read_text())["summary"] and "<svg" in page.read_text()
    echoed: list[str] = []
    assert bench.main(Path("x"), "text", None, None, 1, lambda _: None, echo=echoed.append) == 0
    assert "PF-CMD" in echoed[0]
    with pytest.raises(BenchError):
        bench.main(Path("x"), "pdf", None, None, 1, lambda _: None)
