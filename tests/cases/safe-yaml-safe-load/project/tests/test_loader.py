import pytest
import yaml

from appconfig.loader import load_config, parse_config


def test_parse_config():
    assert parse_config("debug: true\nworkers: 4\n") == {"debug": True, "workers": 4}


def test_defaults_are_merged():
    config = load_config("workers: 8\n")
    assert config == {"debug": False, "workers": 8, "allowed_hosts": ["localhost"]}


def test_empty_and_invalid():
    assert parse_config("") == {}
    with pytest.raises(ValueError):
        parse_config("- a\n- b\n")


def test_python_tags_are_rejected():
    with pytest.raises(yaml.YAMLError):
        parse_config("x: !!python/object/apply:os.getcwd []\n")
