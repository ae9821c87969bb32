import torch

from sentiment.model import SentimentClassifier


def test_a_saved_model_comes_back(tmp_path):
    torch.manual_seed(1)
    model = SentimentClassifier(vocab_size=8, classes=3)
    path = tmp_path / "sentiment.pt"
    model.save(path)

    loaded = SentimentClassifier.from_checkpoint(str(path))
    assert (loaded.vocab_size, loaded.classes) == (8, 3)
    counts = torch.arange(8.0).unsqueeze(0)
    assert torch.allclose(loaded(counts), model(counts))
    assert not loaded.training
