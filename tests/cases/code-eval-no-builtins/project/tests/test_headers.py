import pytest

from httpclient.headers import merge_headers, parse_headers


def test_parse_headers_dict_literal():
    raw = "{'Accept': 'application/json', 'X-Retries': 3}"
    assert parse_headers(raw) == {"Accept": "application/json", "X-Retries": "3"}


def test_parse_headers_rejects_non_dict():
    with pytest.raises(ValueError):
        parse_headers("['Accept']")


def test_merge_headers_is_case_insensitive():
    merged = merge_headers({"Accept": "text/html"}, {"accept": "application/json"})
    assert merged == {"accept": "application/json"}
