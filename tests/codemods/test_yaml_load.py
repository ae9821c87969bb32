from __future__ import annotations

import textwrap

import pytest
import yaml

from provenfix.codemods.yaml_load import fix_yaml

from .harness import assert_unfixable, load, run_and_assert, span_at


@pytest.mark.parametrize(
    ("call", "fixed"),
    [
        ("yaml.load(data)", "yaml.safe_load(data)"),
        ("yaml.load(data, Loader=yaml.Loader)", "yaml.safe_load(data)"),
        ("yaml.load(data, Loader=yaml.UnsafeLoader)", "yaml.safe_load(data)"),
        ("yaml.load(data, Loader=yaml.FullLoader)", "yaml.safe_load(data)"),
        ("yaml.load(data, yaml.Loader)", "yaml.safe_load(data)"),
        ("yaml.load(data, Loader=Loader)", "yaml.safe_load(data)"),
        ("yaml.unsafe_load(data)", "yaml.safe_load(data)"),
        ("yaml.full_load(data)", "yaml.safe_load(data)"),
        ("yaml.load_all(data, Loader=yaml.Loader)", "yaml.safe_load_all(data)"),
        ("yaml.unsafe_load_all(data)", "yaml.safe_load_all(data)"),
        ("yaml.full_load_all(data)", "yaml.safe_load_all(data)"),
    ],
)
def test_every_unsafe_load_becomes_safe(call: str, fixed: str) -> None:
    run_and_assert(
        fix_yaml,
        f"import yaml\nfrom yaml import Loader\n\ndef parse(data):\n    return {call}  # config\n",
        f"import yaml\nfrom yaml import Loader\n\ndef parse(data):\n    return {fixed}  # config\n",
        at=call,
    )


def test_module_alias_is_kept_and_multiline_call_stays_tidy() -> None:
    run_and_assert(
        fix_yaml,
        """\
        import yaml as y

        def parse(stream):
            return y.load(
                stream,
                Loader=y.FullLoader,
            )
        """,
        """\
        import yaml as y

        def parse(stream):
            return y.safe_load(
                stream,
            )
        """,
        at=lambda node: type(node).__name__ == "Call" and getattr(node.func, "attr", "") == "load",
    )


def test_from_import_calls_safe_load_and_imports_it() -> None:
    run_and_assert(
        fix_yaml,
        """\
        from yaml import load as yl, FullLoader

        def parse(text):
            return yl(text, Loader=FullLoader)
        """,
        """\
        from yaml import safe_load, load as yl, FullLoader

        def parse(text):
            return safe_load(text)
        """,
        at="yl(text, Loader=FullLoader)",
    )


def test_from_import_load_all() -> None:
    run_and_assert(
        fix_yaml,
        "import os\nfrom yaml import unsafe_load_all\n\ndocs = list(unsafe_load_all(os.environ['X']))\n",
        "import os\nfrom yaml import safe_load_all, unsafe_load_all\n\ndocs = list(safe_load_all(os.environ['X']))\n",
        at="unsafe_load_all(os.environ['X'])",
    )


def test_refusals() -> None:
    custom = "import yaml\n\ndef parse(d):\n    return yaml.load(d, Loader=MyLoader)\n"
    assert_unfixable(fix_yaml, custom, at="yaml.load(d, Loader=MyLoader)", match="unrecognised Loader")
    base = "import yaml\n\ndef parse(d):\n    return yaml.load(d, Loader=yaml.BaseLoader)\n"
    assert_unfixable(fix_yaml, base, at="yaml.load(d, Loader=yaml.BaseLoader)", match="already safe")
    other = "import json\n\ndef parse(d):\n    return json.loads(d)\n"
    assert_unfixable(fix_yaml, other, at="json.loads(d)", match="not a PyYAML")


def test_fixed_loader_rejects_python_objects() -> None:
    source = textwrap.dedent(
        """\
        import yaml

        def parse(text):
            return yaml.load(text, Loader=yaml.UnsafeLoader)
        """
    )
    payload = "!!python/object/apply:len [[1, 2, 3]]"
    assert load(source, "parse")(payload) == 3  # the original really runs code
    parse = load(fix_yaml(source, span_at(source, "yaml.load(text, Loader=yaml.UnsafeLoader)")), "parse")
    assert parse("a: [1, 2]") == {"a": [1, 2]}
    with pytest.raises(yaml.constructor.ConstructorError):
        parse(payload)
