import pytest

from deploy.manifest import log_line, read_manifest, service_names

MANIFEST = """\
app: billing
version: 1.4.2
services:
  - name: api
    replicas: 3
  - name: worker
    replicas: 1
"""


def test_read_manifest(tmp_path):
    path = tmp_path / "deploy.yaml"
    path.write_text(MANIFEST)
    manifest = read_manifest(str(path))
    assert manifest["app"] == "billing"
    assert service_names(manifest) == ["api", "worker"]
    assert '"replicas": 3' in log_line(manifest)


def test_services_default(tmp_path):
    path = tmp_path / "deploy.yaml"
    path.write_text("app: empty\n")
    assert read_manifest(str(path))["services"] == []


def test_manifest_must_be_mapping(tmp_path):
    path = tmp_path / "deploy.yaml"
    path.write_text("- just\n- a list\n")
    with pytest.raises(ValueError):
        read_manifest(str(path))
