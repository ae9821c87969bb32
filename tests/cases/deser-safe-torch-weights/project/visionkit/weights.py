"""Loading weights: user files only as tensors; the package's own calibration file as written."""

from pathlib import Path

import torch

BUNDLED = Path(__file__).with_name("calibration.pt")


def load_user_weights(path, device="cpu"):
    return torch.load(path, map_location=device, weights_only=True)


def load_state(path):
    # torch >= 2.6 (pyproject.toml) loads tensors and plain values only by default.
    return torch.load(path, map_location="cpu")


def load_calibration():
    """The calibration table shipped inside the package (it holds a fitted scaler object)."""
    if not BUNDLED.exists():
        return None
    return torch.load(BUNDLED, weights_only=False)


def load_trusted(path, trust_remote_code=False):
    """Full unpickling only when the caller explicitly trusts the file."""
    return torch.load(path, map_location="cpu", weights_only=not trust_remote_code)


def snapshot(state, path):
    torch.save({k: v.detach().cpu() for k, v in state.items()}, path)
