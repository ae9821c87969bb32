import io

import torch

from modelhub.app import app


def _upload(obj):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    return {"checkpoint": (buffer, "model.pt")}


def test_upload_lists_layers():
    client = app.test_client()
    state = {"fc.weight": torch.zeros(3, 4), "fc.bias": torch.zeros(3)}
    response = client.post("/checkpoints/tiny", data=_upload(state))
    assert response.status_code == 200
    assert response.get_json() == {"name": "tiny", "layers": {"fc.weight": [3, 4], "fc.bias": [3]}}
    assert client.get("/checkpoints/tiny").get_json() == {"name": "tiny", "parameters": 15}


def test_a_training_checkpoint_with_metadata_is_accepted():
    client = app.test_client()
    checkpoint = {"state_dict": {"w": torch.ones(2, 2)}, "epoch": 4, "best_loss": 0.25}
    response = client.post("/checkpoints/resumed", data=_upload(checkpoint))
    assert response.get_json()["layers"] == {"w": [2, 2]}


def test_missing_file_is_rejected():
    assert app.test_client().post("/checkpoints/none").status_code == 400
