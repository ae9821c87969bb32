"""PF-DESER: pickle loads go through the inserted plain-data unpickler; what is found and what is not."""

from __future__ import annotations

import collections
import datetime
import decimal
import io
import os
import pickle
import textwrap

import pytest

from provenfix.codemods.unpickle import restrict_unpickling
from provenfix.detect import Scope, detect
from provenfix.recipes.deserialize import HELPER, HELPER_CODE
from provenfix.workspace import SourceFile

from .harness import assert_unfixable, load, run_and_assert


def _fixed(body: str) -> str:
    return f"import pickle\n\n\n{HELPER_CODE}\n\n{textwrap.dedent(body)}"


@pytest.mark.parametrize(
    ("call", "fixed"),
    [
        ("pickle.loads(blob)", f"{HELPER}(blob)"),
        ("pickle.loads(blob, encoding='latin1')", f"{HELPER}(blob, encoding='latin1')"),
        ("pickle.load(stream)", f"{HELPER}(stream)"),
    ],
)
def test_a_load_calls_the_helper_with_the_same_arguments(call: str, fixed: str) -> None:
    source = f"import pickle\n\ndef read(blob, stream):\n    return {call}\n"
    expected = _fixed(f"def read(blob, stream):\n    return {fixed}\n")
    run_and_assert(restrict_unpickling, source, expected, at=call, helper=HELPER, helper_code=HELPER_CODE)


def test_an_unpickler_loaded_at_once_becomes_one_call() -> None:
    source = "import pickle\n\ndef read(stream):\n    return pickle.Unpickler(stream, fix_imports=False).load()\n"
    expected = _fixed(f"def read(stream):\n    return {HELPER}(stream, fix_imports=False)\n")
    run_and_assert(restrict_unpickling, source, expected, at="pickle.Unpickler(stream, fix_imports=False).load()",
                   helper=HELPER, helper_code=HELPER_CODE, chained=True)


def test_starred_data_is_refused() -> None:
    assert_unfixable(restrict_unpickling, "import pickle\npickle.loads(*parts)\n", at="pickle.loads(*parts)",
                     match="arguments", helper=HELPER, helper_code=HELPER_CODE)


PLAIN = [
    {"a": [1, 2.5, -3], "b": (1, "x"), "c": {1, 2}, "d": frozenset({"y"}), "e": b"raw", "f": bytearray(b"z"),
     "g": 10 ** 40, "h": 1j, "i": None, "j": True, "k": range(3), "l": slice(1, 2)},
    datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc),
    [datetime.date(2024, 1, 1), datetime.timedelta(days=2), datetime.time(9, 15)],
    decimal.Decimal("12.50"),
    collections.OrderedDict(a=1, b=2),
    collections.defaultdict(list, {"k": [1]}),
    collections.deque([1, 2]),
]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_plain_data_round_trips_in_every_protocol(protocol: int) -> None:
    unpickle = load(HELPER_CODE, HELPER)
    for value in PLAIN:
        data = pickle.dumps(value, protocol=protocol)
        assert unpickle(data) == value
        assert unpickle(io.BytesIO(data)) == value


class _System:
    def __reduce__(self):
        return os.system, ("true",)


class Point:  # a project class: not plain data
    def __init__(self, x):
        self.x = x


@pytest.mark.parametrize("value", [_System(), [1, _System()], Point(1)], ids=["call", "nested-call", "class"])
def test_anything_but_plain_data_is_refused(value: object) -> None:
    unpickle = load(HELPER_CODE, HELPER)
    with pytest.raises(pickle.UnpicklingError, match="only plain data"):
        unpickle(pickle.dumps(value))


def _found(src: str) -> list[tuple[str, int, str]]:
    findings = detect([SourceFile("app.py", textwrap.dedent(src))], scope=Scope(public_api=True)).findings
    return [(f.rule_id, f.location.start_line, f.message) for f in findings]


def test_a_signature_checked_first_is_trusted() -> None:
    src = """\
        import hmac, pickle
        KEY = b"k"
        def load(blob, sig):
            if not hmac.compare_digest(sig, hmac.new(KEY, blob, "sha256").digest()):
                raise ValueError("bad signature")
            return pickle.loads(blob)
        def load_unsigned(blob):
            return pickle.loads(blob)
        """
    assert [line for _, line, _ in _found(src)] == [8]


def test_opt_in_and_opt_out_keywords_decide() -> None:
    src = """\
        import numpy, torch
        def arrays(path):
            return numpy.load(path)
        def objects(path):
            return numpy.load(path, allow_pickle=True)
        def weights(path):
            return torch.load(path, weights_only=True)
        def checkpoint(path):
            return torch.load(path)
        def unsafe_checkpoint(path):
            return torch.load(path, weights_only=False)
        """
    # torch >= 2.6 loads with weights_only=True by default: a plain torch.load is safe (tests/recipes/test_torch_load.py)
    assert [line for _, line, _ in _found(src)] == [5, 11]


def test_the_projects_own_data_is_not_reported() -> None:
    src = """\
        import pickle
        from pathlib import Path
        CACHE = Path(__file__).with_name("cache.pickle")
        def cached():
            with open(CACHE, "rb") as fh:
                return pickle.load(fh)
        def round_trip(value):
            return pickle.loads(pickle.dumps(value))
        """
    assert _found(src) == []
