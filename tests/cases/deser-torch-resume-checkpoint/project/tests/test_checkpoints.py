import torch

from trainkit.checkpoints import load_checkpoint, resume, save_checkpoint


def _trained():
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss = model(torch.ones(3, 4)).pow(2).sum()
    loss.backward()
    optimizer.step()
    return model, optimizer


def test_resume_restores_model_and_optimizer(tmp_path):
    model, optimizer = _trained()
    path = tmp_path / "run.ckpt"
    save_checkpoint(model, optimizer, 6, str(path))

    fresh = torch.nn.Linear(4, 2)
    fresh_optimizer = torch.optim.SGD(fresh.parameters(), lr=0.1, momentum=0.9)
    assert resume(fresh, fresh_optimizer, str(path)) == 7
    assert torch.equal(fresh.weight, model.weight)
    assert fresh_optimizer.state_dict()["state"].keys() == optimizer.state_dict()["state"].keys()


def test_load_checkpoint_returns_its_parts(tmp_path):
    model, optimizer = _trained()
    path = tmp_path / "run.ckpt"
    save_checkpoint(model, optimizer, 2, path)
    state, opt_state, epoch = load_checkpoint(path)
    assert set(state) == {"weight", "bias"} and epoch == 2
    assert opt_state["param_groups"][0]["lr"] == 0.1


def test_something_else_is_refused(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"weight": torch.zeros(1)}, path)
    try:
        load_checkpoint(path)
    except ValueError:
        pass
    else:
        raise AssertionError("a bare state dict is not a training checkpoint")
