"""PF-DESER for PyTorch: which checkpoint loads unpickle, the weights_only fix, and when it is refused."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.codemods.base import Unfixable
from provenfix.codemods.torch_load import load_weights_only
from provenfix.detect import Scope, detect
from provenfix.recipes.deserialize import _highest
from provenfix.workspace import SourceFile

from tests.codemods.harness import assert_unfixable, run_and_assert


def _detection(src: str, **more: str):
    files = [SourceFile("app.py", textwrap.dedent(src)), *(SourceFile(p, textwrap.dedent(t)) for p, t in more.items())]
    return detect(files, scope=Scope(public_api=True))


def _found(src: str, **more: str) -> list[tuple[int, str]]:
    return [(f.location.start_line, f.message) for f in _detection(src, **more).findings if f.rule_id == "PF-DESER"]


def _lines(src: str, **more: str) -> list[int]:
    return [line for line, _ in _found(src, **more)]


LOADS = """\
    import pickle
    import dill
    import torch
    def a(path):
        return torch.load(path, weights_only=False)
    def b(path):
        return torch.load(path)
    def c(path):
        return torch.load(path, map_location="cpu", weights_only=True)
    def d(path, trusted=False):
        return torch.load(path, weights_only=not trusted)
    def e(path):
        return torch.load(path, "cpu", pickle)
    def f(path):
        return torch.load(path, pickle_module=dill)
    def g(url):
        return torch.hub.load_state_dict_from_url(url)
    def h(url):
        return torch.hub.load_state_dict_from_url(url, weights_only=True)
    def i():
        return torch.load("weights.pt", weights_only=False)
    def j(path, **options):
        return torch.load(path, **options)
    """


def test_which_loads_unpickle_on_a_current_torch() -> None:
    # a: off by hand; e, f: a pickle_module turns the default off; g: hub's default is off.
    # b: torch >= 2.6 loads weights only; c, h: on; d: the code decides; i: the project's own file; j: unknown.
    assert _lines(LOADS) == [5, 13, 15, 17]


@pytest.mark.parametrize(
    "setup",
    [
        'setup(name="x", install_requires=["torch<2.6"])',
        'setup(name="x", install_requires=["numpy", "torch>=1.13,<2.6"])',
        'setup(name="x", install_requires=["torch==2.1.*"])',
        "setup(name='x', install_requires=['torch ~= 2.4.0'])",
    ],
)
def test_a_plain_load_unpickles_where_setup_py_keeps_torch_below_2_6(setup: str) -> None:
    src = "import torch\ndef load(path):\n    return torch.load(path)\n"
    found = _found(src, **{"setup.py": f"from setuptools import setup\n{setup}\n"})
    assert [line for line, _ in found] == [3]
    assert "torch < 2.6" in found[0][1] and "setup.py" in found[0][1]


@pytest.mark.parametrize(
    "setup",
    ['setup(install_requires=["torch>=2.6"])', 'setup(install_requires=["torch"])',
     'setup(install_requires=["torch~=2.3"])', 'setup(install_requires=["torchvision<0.10"])'],
)
def test_a_plain_load_is_safe_where_torch_may_be_current(setup: str) -> None:
    src = "import torch\ndef load(path):\n    return torch.load(path)\n"
    assert _lines(src, **{"setup.py": f"from setuptools import setup\n{setup}\n"}) == []


def test_forcing_the_old_default_makes_a_plain_load_unpickle() -> None:
    src = """\
        import os
        import torch
        os.environ.setdefault("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")
        def load(path):
            return torch.load(path)
        """
    assert _lines(src) == [5]


@pytest.mark.parametrize(
    ("spec", "top"),
    [("<2.6", (2, 5)), ("<=2.5.1", (2, 5)), ("==2.1.*", (2, 1)), (">=1.13,<2.6", (2, 5)), ("~=2.4.0", (2, 4)),
     ("~=2.4", (2, 99)), ("<3", (2, 99)), (">=2.0", None), ("==1.12.1", (1, 12))],
)
def test_highest_release_a_specifier_allows(spec: str, top: tuple[int, int] | None) -> None:
    assert _highest(spec) == top


def test_a_flask_upload_is_found() -> None:
    src = """\
        import torch
        from flask import Flask, request
        app = Flask(__name__)
        @app.post("/models")
        def upload():
            return {"n": len(torch.load(request.files["model"], map_location="cpu", weights_only=False))}
        """
    detection = _detection(src)
    assert [(f.rule_id, f.entry.request_field) for f in detection.findings] == [("PF-DESER", "files:model")]


# -- the codemod ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after", "options"),
    [
        ('torch.load(f, map_location="cpu", weights_only=False)', 'torch.load(f, map_location="cpu", weights_only=True)', {}),
        ("torch.load(f)", "torch.load(f, weights_only=True)", {}),
        ('torch.load(f, "cpu", pickle)', 'torch.load(f, "cpu", weights_only=True)', {"drop_pickle_module": True}),
        ("torch.load(f, pickle_module=pickle, mmap=True)", "torch.load(f, mmap=True, weights_only=True)",
         {"drop_pickle_module": True}),
        ("torch.hub.load_state_dict_from_url(url, progress=False)",
         "torch.hub.load_state_dict_from_url(url, progress=False, weights_only=True)", {"hub": True}),
    ],
)
def test_weights_only_is_set_keeping_the_other_arguments(before: str, after: str, options: dict) -> None:
    run_and_assert(load_weights_only, f"import pickle, torch\nx = {before}\n", f"import pickle, torch\nx = {after}\n",
                   at=before, **options)


def test_a_call_on_several_lines_keeps_its_layout() -> None:
    src = "state = torch.load(\n    path,\n    map_location=device,\n    weights_only=False,\n)\n"
    run_and_assert(load_weights_only, src, src.replace("False", "True"), at=src.split(" = ")[1].rstrip("\n"))
    src = "other = torch.hub.load_state_dict_from_url(\n    url, model_dir=cache, progress=False\n)\n"
    fixed = "other = torch.hub.load_state_dict_from_url(\n    url, model_dir=cache, progress=False, weights_only=True\n)\n"
    run_and_assert(load_weights_only, src, fixed, at=src.split(" = ")[1].rstrip("\n"), hub=True)


def test_keyword_options_are_refused() -> None:
    assert_unfixable(load_weights_only, "torch.load(f, **options)\n", at="torch.load(f, **options)", match="keyword")


# -- when the fix is refused -------------------------------------------------------------------------
def _reason(src: str, **more: str) -> str | None:
    detection = _detection(src, **more)
    [item] = [d for d in detection.items if d.finding.rule_id == "PF-DESER"]
    try:
        item.recipe.rewrite(item.match, {f.path: f.text for f in detection.index.files}, detection.index)
    except Unfixable as exc:
        return str(exc)
    return None


@pytest.mark.parametrize(
    ("saves", "refused"),
    [
        ("torch.save(model, path)", True),
        ("torch.save(self, path)", True),
        ('torch.save({"model": model.state_dict(), "args": args}, path)', True),
        ('torch.save({"state": model.state_dict(), "version": torch.__version__}, path)', True),
        ('torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)', False),
        ("torch.save(model_state, path)", False),
        ("torch.save({k: v.cpu() for k, v in weights.items()}, path)", False),
    ],
)
def test_the_fix_is_refused_where_the_project_saves_whole_objects(saves: str, refused: bool) -> None:
    src = f"""\
        import torch
        class Trainer:
            def save(self, model, optimizer, args, epoch, model_state, weights, path):
                {saves}
        def load(path):
            return torch.load(path, weights_only=False)
        """
    reason = _reason(src)
    assert (reason is not None) == refused, reason
    if refused:
        assert "saves whole objects" in reason and "state_dict" in reason


def test_the_fix_is_refused_where_the_loaded_value_is_used_as_a_model() -> None:
    src = """\
        import torch
        def load(path):
            model = torch.load(path, weights_only=False)
            model.eval()
            return model
        """
    assert "used as a whole model" in (_reason(src) or "")


def test_a_third_party_pickle_module_and_a_torch_without_weights_only_are_refused() -> None:
    assert "pickle_module=dill" in (_reason("import dill, torch\ndef load(p):\n    return torch.load(p, pickle_module=dill)\n") or "")
    setup = {"setup.py": 'from setuptools import setup\nsetup(install_requires=["torch==1.12.1"])\n'}
    assert "1.13" in (_reason("import torch\ndef load(p):\n    return torch.load(p)\n", **setup) or "")
