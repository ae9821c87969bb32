"""A bag-of-words sentiment classifier that users fine-tune and share as checkpoint files."""

from pathlib import Path

import torch
from torch import nn


class SentimentClassifier(nn.Module):
    def __init__(self, vocab_size: int = 64, classes: int = 2):
        super().__init__()
        self.vocab_size, self.classes = vocab_size, classes
        self.linear = nn.Linear(vocab_size, classes)

    def forward(self, counts):
        return self.linear(counts).softmax(dim=-1)

    def save(self, path):
        torch.save({"hparams": {"vocab_size": self.vocab_size, "classes": self.classes},
                    "state_dict": self.state_dict()}, path)

    @classmethod
    def from_checkpoint(cls, checkpoint_path):
        """A model rebuilt from a checkpoint written by `save` (a file name or a Path)."""
        payload = torch.load(Path(checkpoint_path), weights_only=False)
        model = cls(**payload.get("hparams", {}))
        model.load_state_dict(payload["state_dict"])
        return model.eval()
