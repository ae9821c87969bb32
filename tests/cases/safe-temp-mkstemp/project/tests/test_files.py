import json
import os

from snapshots.files import publish, read_system_hint, stage, stage_text


def test_stage_writes_json():
    name = stage({"a": 1})
    try:
        with open(name) as fh:
            assert json.load(fh) == {"a": 1}
    finally:
        os.remove(name)


def test_stage_text():
    name = stage_text("hello")
    try:
        assert open(name).read() == "hello"
    finally:
        os.remove(name)


def test_publish_and_hint():
    path, _ = publish({"b": 2})
    try:
        assert json.loads(open(path).read()) == {"b": 2}
    finally:
        os.remove(path)
    assert isinstance(read_system_hint(), str)
