"""Models are exported as whole objects, so that serving needs no copy of the training code's classes."""

import torch


def export_model(model, path):
    model.eval()
    torch.save(model, path)


def load_model(path):
    return torch.load(path, map_location="cpu", weights_only=False)


def predict(path, rows):
    model = load_model(path)
    with torch.no_grad():
        return model(torch.tensor(rows, dtype=torch.float32)).argmax(dim=-1).tolist()
