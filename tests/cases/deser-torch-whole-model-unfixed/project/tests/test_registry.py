import torch

from serving.registry import export_model, predict


def test_an_exported_model_serves(tmp_path):
    model = torch.nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
        model.bias.zero_()
    path = tmp_path / "model.pt"
    export_model(model, path)
    assert predict(str(path), [[3.0, 1.0], [0.0, 2.0]]) == [0, 1]
