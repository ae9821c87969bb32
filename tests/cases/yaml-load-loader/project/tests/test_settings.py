import pytest

from appconfig.settings import DEFAULTS, parse_config, worker_count


def test_parse_config_applies_defaults():
    config = parse_config("debug: true\ndatabase:\n  host: db.internal\n  port: 5432\n")
    assert config["debug"] is True
    assert config["database"] == {"host": "db.internal", "port": 5432}
    assert config["workers"] == DEFAULTS["workers"]


def test_empty_document_gives_defaults():
    assert parse_config("") == DEFAULTS


def test_non_mapping_rejected():
    with pytest.raises(ValueError):
        parse_config("- a\n- b\n")


def test_worker_count():
    assert worker_count(parse_config("workers: 0")) == 1
    assert worker_count(parse_config("workers: 8")) == 8
