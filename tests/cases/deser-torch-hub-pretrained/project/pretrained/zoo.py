"""Pretrained weights referenced by model cards: downloaded once, then read from a local cache."""

import os

import torch

CACHE_DIR = os.path.join(os.path.expanduser("~"), ".cache", "pretrained-zoo")


def fetch_weights(url, cache_dir=None):
    """The state dict a model card's weights URL points to (downloaded once into the cache)."""
    return torch.hub.load_state_dict_from_url(
        url, model_dir=cache_dir or CACHE_DIR, map_location="cpu", progress=False
    )


def parameter_count(state):
    return sum(t.numel() for t in state.values() if isinstance(t, torch.Tensor))
