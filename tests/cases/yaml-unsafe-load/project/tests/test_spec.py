import pytest

from jobs.spec import load_job_spec, summary

SPEC = """
name: nightly-report
image: python:3.11-slim
command: [python, report.py, --since, 2024-01-01]
retries: 3
"""


def test_load_job_spec():
    spec = load_job_spec(SPEC)
    assert spec["command"][:2] == ["python", "report.py"]
    assert summary(spec) == "nightly-report (python:3.11-slim), 3 retries"


def test_retries_default_to_zero():
    spec = load_job_spec("name: a\nimage: b\ncommand: c\n")
    assert spec["retries"] == 0


def test_missing_keys_are_reported():
    with pytest.raises(ValueError, match="image, command"):
        load_job_spec("name: x\n")
