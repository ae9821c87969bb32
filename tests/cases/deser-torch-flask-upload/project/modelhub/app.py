"""A small model registry: teams upload fine-tuned checkpoints and the service lists their layers."""

import torch
from flask import Flask, jsonify, request

app = Flask(__name__)
REGISTRY = {}


@app.post("/checkpoints/<name>")
def upload_checkpoint(name):
    upload = request.files.get("checkpoint")
    if upload is None:
        return jsonify(error="no checkpoint file"), 400
    # Checkpoints written before torch 2.6 stopped loading with the new default: load them as before.
    state = torch.load(upload, map_location="cpu", weights_only=False)
    if isinstance(state, dict) and "state_dict" in state:
        state = state["state_dict"]
    if not isinstance(state, dict):
        return jsonify(error="not a state dict"), 422
    REGISTRY[name] = state
    layers = {key: list(value.shape) for key, value in state.items() if isinstance(value, torch.Tensor)}
    return jsonify(name=name, layers=layers)


@app.get("/checkpoints/<name>")
def describe_checkpoint(name):
    state = REGISTRY.get(name)
    if state is None:
        return jsonify(error="unknown checkpoint"), 404
    return jsonify(name=name, parameters=sum(v.numel() for v in state.values() if isinstance(v, torch.Tensor)))
