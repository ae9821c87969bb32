import torch

from embedtools.store import load_embeddings, nearest, save_embeddings


def test_embeddings_round_trip(tmp_path):
    path = tmp_path / "glove-mini.pt"
    save_embeddings(["king", "queen", "apple"], torch.tensor([[1.0, 0.9], [0.9, 1.0], [-1.0, 0.1]]), path)
    table = load_embeddings(str(path))
    assert sorted(table) == ["apple", "king", "queen"]
    assert nearest(table, "king") == "queen"
