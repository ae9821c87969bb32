import io

import torch

from edgesync.server import PUSHED, app


def _body(state):
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def test_pushed_weights_are_averaged():
    PUSHED.clear()
    client = app.test_client()
    assert client.put("/devices/a/weights", data=_body({"w": torch.tensor([1.0, 3.0])})).get_json() == {
        "device": "a", "tensors": 1}
    client.put("/devices/b/weights", data=_body({"w": torch.tensor([3.0, 5.0])}))
    assert client.get("/average").get_json() == {"average": {"w": [2.0, 4.0]}}


def test_not_a_state_dict_is_refused():
    response = app.test_client().put("/devices/c/weights", data=_body([1, 2, 3]))
    assert response.status_code == 422
