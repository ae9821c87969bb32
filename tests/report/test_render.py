from __future__ import annotations

import pytest

from provenfix.model import Report
from provenfix.report import FORMATS, render

from .conftest import VERSION


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_the_verified_fix(fmt: str, fix_report: Report) -> None:
    out = render(fix_report, fmt, version=VERSION)
    assert out.endswith("\n")
    assert "verified" in out.lower()
    assert "shlex.quote(host)" in out  # the diff
    assert VERSION in out


def test_unknown_format_is_rejected(fix_report: Report) -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(fix_report, "pdf", version=VERSION)


def test_formats_tuple_is_the_contract() -> None:
    assert FORMATS == ("text", "json", "sarif", "markdown", "html")
