"""Edge devices push their locally fine-tuned weights; the server averages them (federated learning)."""

import io
import pickle

import torch
from flask import Flask, jsonify, request

app = Flask(__name__)
PUSHED = {}


@app.route("/devices/<device_id>/weights", methods=["PUT"])
def push_weights(device_id):
    state = torch.load(io.BytesIO(request.get_data()), "cpu", pickle)
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        return jsonify(error="expected a state dict of tensors"), 422
    PUSHED[device_id] = state
    return jsonify(device=device_id, tensors=len(state))


@app.get("/average")
def average():
    if not PUSHED:
        return jsonify(average={})
    keys = sorted(next(iter(PUSHED.values())))
    mean = {k: torch.stack([s[k] for s in PUSHED.values()]).mean(dim=0).tolist() for k in keys}
    return jsonify(average=mean)
