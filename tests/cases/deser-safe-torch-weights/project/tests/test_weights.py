import torch

from visionkit.weights import load_calibration, load_state, load_trusted, load_user_weights, snapshot


def test_weights_load(tmp_path):
    path = tmp_path / "w.pt"
    snapshot({"fc.weight": torch.ones(2, 2)}, path)
    assert torch.equal(load_user_weights(path)["fc.weight"], torch.ones(2, 2))
    assert torch.equal(load_state(path)["fc.weight"], torch.ones(2, 2))
    assert torch.equal(load_trusted(path)["fc.weight"], torch.ones(2, 2))
    assert load_calibration() is None
