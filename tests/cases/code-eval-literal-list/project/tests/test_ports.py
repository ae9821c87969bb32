import pytest

from netconf.ports import parse_ports, render_rule, validate_ports


def test_parse_ports_sorts_and_dedupes():
    assert parse_ports("[443, 80, 22, 80]") == [22, 80, 443]


def test_parse_ports_accepts_tuples_and_spacing():
    assert parse_ports("  (8080, 8443)") == [8080, 8443]


def test_validate_and_render():
    assert render_rule(validate_ports([22, 443])) == "-p tcp -m multiport --dports 22,443"
    with pytest.raises(ValueError):
        validate_ports([0, 70000])
