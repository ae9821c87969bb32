import torch

from pretrained.zoo import fetch_weights, parameter_count


def test_weights_are_downloaded_and_cached(tmp_path):
    published = tmp_path / "published" / "resnet-tiny.pth"
    published.parent.mkdir()
    torch.save({"conv.weight": torch.ones(2, 1, 3, 3), "fc.bias": torch.zeros(4)}, published)
    cache = tmp_path / "cache"

    state = fetch_weights(published.as_uri(), cache_dir=str(cache))
    assert parameter_count(state) == 22
    assert (cache / "resnet-tiny.pth").exists()
    assert torch.equal(fetch_weights(published.as_uri(), cache_dir=str(cache))["fc.bias"], torch.zeros(4))
