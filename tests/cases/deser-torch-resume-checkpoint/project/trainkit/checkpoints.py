"""Save and resume training runs. Checkpoints are shared between team members and CI runners."""

import torch


def save_checkpoint(model, optimizer, epoch, path):
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "epoch": epoch,
        },
        path,
    )


def load_checkpoint(path, device="cpu"):
    """Returns (model state, optimizer state or None, epoch) of the checkpoint at `path`."""
    checkpoint = torch.load(
        path,
        map_location=device,
        weights_only=False,
    )
    if not isinstance(checkpoint, dict) or "model" not in checkpoint:
        raise ValueError(f"{path} is not a training checkpoint")
    return checkpoint["model"], checkpoint.get("optimizer"), int(checkpoint.get("epoch", 0))


def resume(model, optimizer, path, device="cpu"):
    model_state, optimizer_state, epoch = load_checkpoint(path, device)
    model.load_state_dict(model_state)
    if optimizer_state is not None:
        optimizer.load_state_dict(optimizer_state)
    return epoch + 1
